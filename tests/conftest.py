import os
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


@pytest.fixture
def workspace(tmp_path: Path):
    """Settings for a throwaway inbox and warehouse, with the samples in the inbox."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for sample in SAMPLE_FILES:
        (inbox / sample.name).write_bytes(sample.read_bytes())
        os.utime(inbox / sample.name, (1_700_000_000, 1_700_000_000))
    return load_settings({
        "REPORTS_DIR": str(inbox),
        "WAREHOUSE_PATH": str(tmp_path / "wh" / "warehouse.duckdb"),
        "ZHIBIAO_SETTLE_SECONDS": "0",
        "ZHIBIAO_LOCK_TIMEOUT": "5",
    })


def age(path: Path, seconds: float = 3600) -> None:
    """Make a file look like it was written a while ago (settled)."""
    import time

    t = time.time() - seconds
    os.utime(path, (t, t))
