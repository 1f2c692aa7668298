"""Settings that cannot work, found before a command creates or changes anything.

Each problem is one line that says what to fix: a typo in ``REPORTS_DIR`` must not quietly
create a folder and build an empty warehouse.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from orchestration.settings import REPO_ROOT, Settings

# The one folder zhibiao creates by itself (with the samples in it) on first use.
DEFAULT_INBOX = REPO_ROOT / "warehouse" / "inbox"


class ConfigError(ValueError):
    pass


def check_settings(settings: Settings, writes: bool = True) -> None:
    """Raise :class:`ConfigError` for the first setting that cannot work. The default reports
    folder may be missing (a run creates it); ``writes``: the command will write the warehouse."""
    reports = settings.reports_dir
    if reports.exists() and not reports.is_dir():
        raise ConfigError(f"the reports folder {reports} is a file, not a folder: "
                          "set REPORTS_DIR (or --reports-dir) to the folder that holds the reports")
    if not reports.exists() and reports != DEFAULT_INBOX:
        raise ConfigError(f"the reports folder {reports} does not exist: "
                          "fix REPORTS_DIR (or --reports-dir), or create the folder first")
    warehouse = settings.warehouse_path
    if warehouse.is_dir():
        raise ConfigError(f"the warehouse {warehouse} is a folder: "
                          "set WAREHOUSE_PATH (or --warehouse) to a file, e.g. …/warehouse.duckdb")
    folder = warehouse.parent
    if not folder.is_dir():
        raise ConfigError(f"the warehouse's folder {folder} does not exist: "
                          "create it, or fix WAREHOUSE_PATH (or --warehouse)")
    if writes and not writable(folder):
        raise ConfigError(f"the warehouse's folder {folder} is read-only: "
                          "set WAREHOUSE_PATH (or --warehouse) to a folder zhibiao can write")


def writable(folder: Path) -> bool:
    """Whether a file can be made in ``folder``: tried, since permission bits say nothing for root
    and nothing for a read-only mount."""
    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".zhibiao-write-test-"):
            return True
    except OSError:
        return False
