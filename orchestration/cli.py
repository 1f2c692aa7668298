"""``make run``: one pipeline run over REPORTS_DIR in this process, then a short summary."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sys

import dagster as dg

from orchestration.inbox import list_inbox
from orchestration.ingest import Plan, plan_ingest
from orchestration.runs import fail_dead_runs, owner_tags
from orchestration.settings import REPO_ROOT, SAMPLES_DIR, Settings, load_settings
from orchestration.warehouse import first_row, opened

DAGSTER_YAML = REPO_ROOT / "orchestration" / "dagster_home" / "dagster.yaml"


def ensure_inbox(settings: Settings) -> None:
    """First use of the default inbox: create it with the shipped sample reports in it."""
    default = REPO_ROOT / "warehouse" / "inbox"
    if settings.reports_dir == default and not default.exists():
        default.mkdir(parents=True)
        for sample in sorted(SAMPLES_DIR.glob("*.txt")):
            shutil.copy2(sample, default / sample.name)
    settings.reports_dir.mkdir(parents=True, exist_ok=True)


def dagster_instance(settings: Settings) -> dg.DagsterInstance:
    """The instance in DAGSTER_HOME (made with telemetry off if new). Two runs starting at once on a
    new DAGSTER_HOME would both create its SQLite tables ("table run_tags already exists"), so
    creation is serialised."""
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copy(DAGSTER_YAML, home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)
    with open(home / ".zhibiao-instance.lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            return dg.DagsterInstance.get()
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def run_pipeline(settings: Settings, instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    from orchestration.definitions import IN_PROCESS, PIPELINE_JOB, build_definitions

    job = build_definitions(settings).resolve_job_def(PIPELINE_JOB)
    fail_dead_runs(instance, log=lambda message: print(message, file=sys.stderr))
    # The run's full log is in the Dagster UI; the terminal gets warnings and the summary.
    quiet = {**IN_PROCESS, "loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    return job.execute_in_process(instance=instance, raise_on_error=False, run_config=quiet, tags=owner_tags())


def pending_work(settings: Settings) -> Plan | None:
    """What a run would do, from file sizes and times alone; None when there is no warehouse yet."""
    if not settings.warehouse_path.exists():
        return None
    with opened(settings.warehouse_path, read_only=True) as con:
        return plan_ingest(con, list_inbox(settings.reports_dir), settings.settle_seconds, settings.prune_missing)


def summary(settings: Settings, result: dg.ExecuteInProcessResult | None, plan: Plan | None = None) -> list[str]:
    checks = list(result.get_asset_check_evaluations()) if result else []
    passed = sum(1 for e in checks if e.passed)
    if result is None:
        waiting = f" ({len(plan.unsettled)} still being written)" if plan and plan.unsettled else ""
        lines = [f"nothing changed in the reports folder{waiting}: no run needed, the warehouse is as it was"]
    else:
        lines = [f"run {result.run_id[:8]}: {'succeeded' if result.success else 'FAILED'}"]
        if result.success and not published(result):
            lines[0] = f"run {result.run_id[:8]}: FAILED: it built a new warehouse but did not publish it"
    if settings.warehouse_path.exists():
        with opened(settings.warehouse_path, read_only=True) as con:
            docs, present = first_row(con, "select count(*), count(*) filter (where is_present) from dim_document")
            mentions = first_row(con, "select count(*) from fact_indicator")[0]
            rejected = con.execute("select source_file, reason from rejected_files order by 1").fetchall()
        lines += [
            f"reports folder:   {settings.reports_dir}",
            f"warehouse:        {settings.warehouse_path}",
            f"files read:       {present} in the folder ({docs} on record)",
            f"mentions loaded:  {mentions} rows in fact_indicator",
            f"rejected files:   {len(rejected)}" + "".join(f"\n  - {name}: {reason}" for name, reason in rejected),
        ]
    if result is None:
        return lines
    failed = [f"{e.asset_key.to_user_string()}:{e.check_name}" for e in checks if not e.passed]
    gx = [e for e in checks if e.check_name.startswith("gx_")]
    lines.append(
        f"checks:           {passed} passed, {len(failed)} failed "
        f"({len(checks) - len(gx)} dbt tests, {len(gx)} Great Expectations suites)"
        + (f"; failed: {', '.join(failed)}" if failed else "")
    )
    return lines


def published(result: dg.ExecuteInProcessResult) -> bool:
    """Whether a run that had work to do swapped its build in (a skipped step would leave it unpublished)."""
    return (not result.asset_materializations_for_node("raw_tables")
            or bool(result.asset_materializations_for_node("published_warehouse")))


def main(argv: list[str] | None = None) -> int:
    settings = load_settings()
    ensure_inbox(settings)
    plan = pending_work(settings)
    if plan is not None and not plan.has_work:
        # Nothing to read, build or publish: not even Dagster needs to start.
        print("\n".join(summary(settings, None, plan)))
        return 0
    log_path = settings.warehouse_path.parent / "last_run.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # dbt's progress lines go to the log file; the terminal gets warnings and the summary.
    with dagster_instance(settings) as instance, open(log_path, "w", encoding="utf-8") as log:
        with contextlib.redirect_stdout(log):
            result = run_pipeline(settings, instance)
    print("\n".join(summary(settings, result)))
    print(f"full log:         {log_path} (and the run in the Dagster UI: make dev)")
    if not result.success or not published(result):
        for event in result.all_events:
            if event.is_failure:
                print(event.message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
