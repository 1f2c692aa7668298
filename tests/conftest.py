import os
import shutil
from pathlib import Path

import pytest

# No telemetry, usage stats or version checks from anything the tests start.
os.environ.update({
    "DO_NOT_TRACK": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "DBT_VERSION_CHECK": "false",
    "GX_ANALYTICS_ENABLED": "False",
    "DAGSTER_DISABLE_TELEMETRY": "1",
})

from orchestration.settings import REPO_ROOT, SAMPLES_DIR, load_settings  # noqa: E402

# The shared folder (gold files, scorer) sits beside the repository, as in CI.
SHARED = Path(os.environ.get("ZHIBIAO_SHARED_DIR") or REPO_ROOT.parent / "shared")
needs_shared = pytest.mark.skipif(not (SHARED / "eval" / "score.py").exists(), reason=f"no shared folder at {SHARED}")
SAMPLE_FILES = sorted(SAMPLES_DIR.glob("*.txt"))


def make_workspace(root: Path):
    """Settings for a throwaway inbox and warehouse under ``root``, with the samples in the inbox."""
    inbox = root / "inbox"
    inbox.mkdir()
    for sample in SAMPLE_FILES:
        (inbox / sample.name).write_bytes(sample.read_bytes())
        os.utime(inbox / sample.name, (1_700_000_000, 1_700_000_000))
    return load_settings({
        "REPORTS_DIR": str(inbox),
        "WAREHOUSE_PATH": str(root / "wh" / "warehouse.duckdb"),
        "ZHIBIAO_SETTLE_SECONDS": "0",
        "ZHIBIAO_LOCK_TIMEOUT": "5",
    })


# Modules whose tests run whole pipelines (tens of seconds each). They go first, so that under
# `pytest -n` (make test) the workers that finish the quick tests take them over from the first.
HEAVY_MODULES = ("test_faults", "test_executors", "test_offline", "test_dbt", "test_definitions", "test_targets")


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.module.__name__.rpartition(".")[2] not in HEAVY_MODULES)


@pytest.fixture
def workspace(tmp_path: Path):
    return make_workspace(tmp_path)


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """One pipeline run on the samples, shared by every test that only reads what it built."""
    from tests.pipeline import run_pipeline

    settings = make_workspace(tmp_path_factory.mktemp("built"))
    return settings, run_pipeline(settings)


@pytest.fixture
def built_workspace(built, tmp_path: Path):
    """A workspace whose warehouse already holds the samples: a copy of the shared run's."""
    settings = make_workspace(tmp_path)
    settings.warehouse_path.parent.mkdir(parents=True)
    shutil.copy(built[0].warehouse_path, settings.warehouse_path)
    return settings


def age(path: Path, seconds: float = 3600) -> None:
    """Make a file look like it was written a while ago (settled)."""
    import time

    t = time.time() - seconds
    os.utime(path, (t, t))
