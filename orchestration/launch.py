"""One pipeline run in this process, as ``zhibiao run`` does it."""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
from typing import TYPE_CHECKING

from orchestration.ingest import Plan
from orchestration.plans import handing_over, plan_published
from orchestration.preflight import DEFAULT_INBOX
from orchestration.settings import REPO_ROOT, SAMPLES_DIR, Settings

# Dagster takes seconds to import: it is loaded where a run needs it, so that a run with nothing to
# do (`pending_work` finds no change) answers at once.
if TYPE_CHECKING:
    import dagster as dg

DAGSTER_YAML = REPO_ROOT / "orchestration" / "dagster_home" / "dagster.yaml"


def ensure_inbox(settings: Settings) -> None:
    """First use of the default inbox: create it with the shipped sample reports in it. Any
    other reports folder must exist already (see :mod:`orchestration.preflight`)."""
    if settings.reports_dir == DEFAULT_INBOX and not DEFAULT_INBOX.exists():
        DEFAULT_INBOX.mkdir(parents=True)
        for sample in sorted(SAMPLES_DIR.glob("*.txt")):
            shutil.copy2(sample, DEFAULT_INBOX / sample.name)


def dagster_instance(settings: Settings) -> dg.DagsterInstance:
    """The instance in DAGSTER_HOME (made with telemetry off if new). Two runs starting at once on a
    new DAGSTER_HOME would both create its SQLite tables ("table run_tags already exists"), so
    creation is serialised."""
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copy(DAGSTER_YAML, home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)
    import dagster as dg

    with open(home / ".zhibiao-instance.lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            return dg.DagsterInstance.get()
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def run_pipeline(settings: Settings, instance: dg.DagsterInstance, full_refresh: bool = False,
                 plan: Plan | None = None) -> dg.ExecuteInProcessResult:
    """The pipeline job in this process; ``plan``: :func:`pending_work`'s, which the run's ingest step
    takes instead of listing the folder again (:mod:`orchestration.plans`)."""
    from orchestration.assets import FULL_REFRESH_TAG
    from orchestration.definitions import IN_PROCESS, PIPELINE_JOB, build_definitions
    from orchestration.loading import loaded
    from orchestration.runs import fail_dead_runs, owner_tags

    job = build_definitions(settings).resolve_job_def(PIPELINE_JOB)
    loaded()
    fail_dead_runs(instance, log=lambda message: print(message, file=sys.stderr))
    # The run's full log is in the Dagster UI; the terminal gets warnings and the summary.
    quiet = {**IN_PROCESS, "loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    tags = {**owner_tags(), **({FULL_REFRESH_TAG: "true"} if full_refresh else {})}
    with handing_over(settings, plan):
        return job.execute_in_process(instance=instance, raise_on_error=False, run_config=quiet, tags=tags)


def pending_work(settings: Settings) -> Plan | None:
    """What a run would do, from file sizes and times alone; None when there is no warehouse yet."""
    return plan_published(settings) if settings.warehouse_path.exists() else None


def published(result: dg.ExecuteInProcessResult) -> bool:
    """Whether a run that had work to do swapped its build in (a skipped step would leave it unpublished)."""
    return (not result.asset_materializations_for_node("raw_tables")
            or bool(result.asset_materializations_for_node("published_warehouse")))
