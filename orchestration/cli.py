"""``make run``: one pipeline run over REPORTS_DIR in this process, then a short summary."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sys

import dagster as dg

from orchestration.runs import fail_dead_runs, owner_tags
from orchestration.settings import REPO_ROOT, SAMPLES_DIR, Settings, load_settings
from orchestration.warehouse import connect, first_row

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
    from orchestration.definitions import PIPELINE_JOB, build_definitions

    job = build_definitions(settings).resolve_job_def(PIPELINE_JOB)
    fail_dead_runs(instance, log=lambda message: print(message, file=sys.stderr))
    # The run's full log is in the Dagster UI; the terminal gets warnings and the summary.
    quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    return job.execute_in_process(instance=instance, raise_on_error=False, run_config=quiet, tags=owner_tags())


def summary(settings: Settings, result: dg.ExecuteInProcessResult) -> list[str]:
    checks = list(result.get_asset_check_evaluations())
    passed = sum(1 for e in checks if e.passed)
    lines = [f"run {result.run_id[:8]}: {'succeeded' if result.success else 'FAILED'}"]
    if settings.warehouse_path.exists():
        con = connect(settings.warehouse_path, read_only=True)
        try:
            docs, present = first_row(con, "select count(*), count(*) filter (where is_present) from dim_document")
            mentions = first_row(con, "select count(*) from fact_indicator")[0]
            rejected = con.execute("select source_file, reason from rejected_files order by 1").fetchall()
        finally:
            con.close()
        lines += [
            f"reports folder:   {settings.reports_dir}",
            f"warehouse:        {settings.warehouse_path}",
            f"files read:       {present} in the folder ({docs} on record)",
            f"mentions loaded:  {mentions} rows in fact_indicator",
            f"rejected files:   {len(rejected)}" + "".join(f"\n  - {name}: {reason}" for name, reason in rejected),
        ]
    failed = [f"{e.asset_key.to_user_string()}:{e.check_name}" for e in checks if not e.passed]
    gx = [e for e in checks if e.check_name.startswith("gx_")]
    lines.append(
        f"checks:           {passed} passed, {len(failed)} failed "
        f"({len(checks) - len(gx)} dbt tests, {len(gx)} Great Expectations suites)"
        + (f"; failed: {', '.join(failed)}" if failed else "")
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    settings = load_settings()
    ensure_inbox(settings)
    log_path = settings.warehouse_path.parent / "last_run.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # dbt's progress lines go to the log file; the terminal gets warnings and the summary.
    with dagster_instance(settings) as instance, open(log_path, "w", encoding="utf-8") as log:
        with contextlib.redirect_stdout(log):
            result = run_pipeline(settings, instance)
    print("\n".join(summary(settings, result)))
    print(f"full log:         {log_path} (and the run in the Dagster UI: make dev)")
    if not result.success:
        for event in result.all_events:
            if event.is_failure:
                print(event.message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
