import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

# No telemetry, usage stats or version checks from anything the tests start.
os.environ.update({
    "DO_NOT_TRACK": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "DBT_VERSION_CHECK": "false",
    "GX_ANALYTICS_ENABLED": "False",
    "DAGSTER_DISABLE_TELEMETRY": "1",
    # No warm worker left behind or used by each test's `zhibiao run` (test_run_worker.py sets its own).
    "ZHIBIAO_WORKER_IDLE_SECONDS": "0",
})

from orchestration.settings import REPO_ROOT, SAMPLES_DIR, load_settings  # noqa: E402

# The shared folder (gold files, scorer) sits beside the repository, as in CI.
SHARED = Path(os.environ.get("ZHIBIAO_SHARED_DIR") or REPO_ROOT.parent / "shared")
needs_shared = pytest.mark.skipif(not (SHARED / "eval" / "score.py").exists(), reason=f"no shared folder at {SHARED}")
SAMPLE_FILES = sorted(SAMPLES_DIR.glob("*.txt"))


def make_workspace(root: Path):
    """Settings for a throwaway inbox and warehouse under ``root``, with the samples in the inbox."""
    settings = workspace_settings(root)
    settings.reports_dir.mkdir()
    for sample in SAMPLE_FILES:
        (settings.reports_dir / sample.name).write_bytes(sample.read_bytes())
        os.utime(settings.reports_dir / sample.name, (1_700_000_000, 1_700_000_000))
    return settings


def workspace_settings(root: Path):
    return load_settings({
        "REPORTS_DIR": str(root / "inbox"),
        "WAREHOUSE_PATH": str(root / "wh" / "warehouse.duckdb"),
        "DAGSTER_HOME": str(root / "dagster_home"),
        "ZHIBIAO_SETTLE_SECONDS": "0",
        "ZHIBIAO_LOCK_TIMEOUT": "5",
    })


def cost(item) -> float:
    mark = item.get_closest_marker("cost")
    return mark.args[0] if mark else 0


def pytest_collection_modifyitems(items):
    """Whole-pipeline tests start at once, spread evenly over the workers. `make test` runs
    pytest -n with --dist worksteal, which hands worker i the i-th of equal slices of this order
    and then lets idle workers take tests from the back of the others' queues. So the costly tests
    go, costliest first, to the head of the slice with the least cost so far, and the quick ones
    fill the slices up."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT") or 1)
    heads: list[list] = [[] for _ in range(workers)]
    for item in sorted((item for item in items if cost(item)), key=cost, reverse=True):
        min(heads, key=lambda head: sum(map(cost, head))).append(item)
    quick = [item for item in items if not cost(item)]
    order, left = [], len(items)
    for worker, head in enumerate(heads):
        size = left // (workers - worker)  # the slice worksteal gives this worker
        order += head + quick[:size - len(head)]
        quick = quick[size - len(head):]
        left -= size
    items[:] = order + quick


@pytest.fixture
def workspace(tmp_path: Path):
    return make_workspace(tmp_path)


@dataclass(frozen=True)
class BuiltRun:
    """What the shared run on the samples left: its workspace, and what its Dagster result said."""

    settings: object
    success: bool
    checks: dict[str, bool]  # asset check name → passed
    metadata: dict[str, dict]  # asset key → the values of its materialization's metadata


def summarised(settings, result) -> BuiltRun:
    materializations = [event.step_materialization_data.materialization
                        for event in result.get_asset_materialization_events()]
    metadata = {m.asset_key.to_user_string(): {key: value.value for key, value in m.metadata.items()}
                for m in materializations}
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    return BuiltRun(settings, result.success, checks, metadata)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> BuiltRun:
    """One pipeline run on the samples, shared by every test that only reads what it built, and by
    every pytest-xdist worker: the first to need it builds it, the others wait and read it."""
    import dagster as dg
    from filelock import FileLock

    from tests.pipeline import run_pipeline

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    root, summary = shared / "built", shared / "built.json"
    with FileLock(shared / "built.lock"):
        if summary.exists():
            run = json.loads(summary.read_text())
            return BuiltRun(workspace_settings(root), run["success"], run["checks"], run["metadata"])
        root.mkdir()
        settings = make_workspace(root)
        # Its run history is kept (DAGSTER_HOME in the workspace): the UI test shows that run.
        settings.dagster_home.mkdir()
        shutil.copy(REPO_ROOT / "orchestration" / "dagster_home" / "dagster.yaml", settings.dagster_home)
        with dg.DagsterInstance.from_config(str(settings.dagster_home)) as instance:
            run = summarised(settings, run_pipeline(settings, instance))
        summary.write_text(json.dumps({"success": run.success, "checks": run.checks, "metadata": run.metadata},
                                      default=str))
        return run


@pytest.fixture
def built_workspace(built, tmp_path: Path):
    """A workspace whose warehouse already holds the samples: a copy of the shared run's."""
    settings = make_workspace(tmp_path)
    settings.warehouse_path.parent.mkdir(parents=True)
    shutil.copy(built.settings.warehouse_path, settings.warehouse_path)
    return settings


def age(path: Path, seconds: float = 3600) -> None:
    """Make a file look like it was written a while ago (settled)."""
    import time

    t = time.time() - seconds
    os.utime(path, (t, t))
