"""What ``zhibiao`` shows in a terminal: a progress bar while it runs, the summary after it, and
``zhibiao status``."""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (BarColumn, Progress, ProgressColumn, SpinnerColumn, TaskID,
                           TextColumn, TimeRemainingColumn)
from rich.text import Text

from orchestration.ingest import Plan
from orchestration.launch import published
from orchestration.settings import Settings
from orchestration.warehouse import first_row, opened

if TYPE_CHECKING:
    import dagster as dg


class CountColumn(ProgressColumn):
    """Done of total, for the stages that count (files parsed); nothing for the others."""

    def render(self, task) -> Text:
        return Text(f"{task.completed:.0f}/{task.total:.0f} files" if task.total is not None else "",
                    style="progress.download")


class RateColumn(ProgressColumn):
    def render(self, task) -> Text:
        return Text(f"{task.speed:.1f}/s" if task.speed else "", style="progress.data.speed")


class ProgressBar:
    """A run's stages on standard error (standard output goes to the run's log file): files parsed
    of the total, the rate and the time left, then a spinner per later stage."""

    def __init__(self) -> None:
        # Standard output stays where the caller sent it (the run's log file), not on the screen.
        self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), CountColumn(),
                            RateColumn(), TimeRemainingColumn(), console=Console(stderr=True), transient=True,
                            redirect_stdout=False, redirect_stderr=False)
        self.task: TaskID | None = None

    def __enter__(self) -> "ProgressBar":
        self.bar.start()
        return self

    def __exit__(self, *exc) -> None:
        self.bar.stop()

    def phase(self, label: str, total: int | None = None) -> None:
        if self.task is not None:
            self.bar.remove_task(self.task)
        self.task = self.bar.add_task(label, total=total)

    def advance(self, steps: int = 1) -> None:
        if self.task is not None:
            self.bar.advance(self.task, steps)


def status_lines(settings: Settings, plan: Plan | None) -> list[str]:
    """``zhibiao status``: what the warehouse holds and how it got there."""
    path = settings.warehouse_path
    built = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    lines = [f"warehouse:        {path} ({path.stat().st_size / 1e6:.1f} MB, published {built})"]
    if plan is not None:
        waiting = len(plan.to_read) + len(plan.gone)
        lines.append(f"reports folder:   {settings.reports_dir}: {len(plan.files)} files"
                     + (f"; {waiting} new, changed or gone since the last run (`zhibiao run` loads them)"
                        if waiting else "; all loaded"))
    with opened(path, read_only=True) as con:
        by_format = con.execute("select coalesce(format, '?'), count(*) from dim_document where status = 'loaded' "
                                "group by 1 order by 2 desc").fetchall()
        duplicates, gone = first_row(con, "select count(*) filter (where status = 'duplicate'), "
                                          "count(*) filter (where not is_present) from dim_document")
        rejected = rejected_lines(con)
        tables = [name for name, in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'main' and database_name = current_database() "
            "order by table_name").fetchall()]
        counts = {name: first_row(con, f'select count(*) from main."{name}"')[0] for name in tables}
    loaded = sum(count for _, count in by_format)
    lines.append(f"files on record:  {loaded} loaded ({', '.join(f'{n} {kind}' for kind, n in by_format) or 'none'})"
                 f", {duplicates} duplicate, {gone} no longer in the folder")
    lines.append(rejected)
    lines.append(f"last run:         {last_run(settings)}")
    lines.append("rows:             " + ", ".join(f"{name} {count:,}" for name, count in counts.items()))
    return lines


def summary(settings: Settings, result: dg.ExecuteInProcessResult | None, plan: Plan | None = None) -> list[str]:
    """What ``zhibiao run`` prints: the run's outcome (or that none was needed) and the warehouse."""
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
            rejected = rejected_lines(con, SUMMARY_REJECTED)
        lines += [
            f"reports folder:   {settings.reports_dir}",
            f"warehouse:        {settings.warehouse_path}",
            f"files read:       {present} in the folder ({docs} on record)",
            f"mentions loaded:  {mentions} rows in fact_indicator",
            rejected,
        ]
    if result is None:
        return lines
    for materialization in result.asset_materializations_for_node("raw_tables")[:1]:
        counts = {key: value.value for key, value in materialization.metadata.items()}
        lines.append(f"this run:         {counts['files_parsed']} parsed, {counts['files_duplicate']} duplicate, "
                     f"{counts['files_rejected']} rejected, {counts['files_unchanged']} unchanged")
    failed = [f"{e.asset_key.to_user_string()}:{e.check_name}" for e in checks if not e.passed]
    gx = [e for e in checks if e.check_name.startswith("gx_")]
    lines.append(
        f"checks:           {passed} passed, {len(failed)} failed "
        f"({len(checks) - len(gx)} dbt tests, {len(gx)} Great Expectations suites)"
        + (f"; failed: {', '.join(failed)}" if failed else "")
    )
    return lines


# How many rejected files a run's summary lists by name; `zhibiao status` lists them all.
SUMMARY_REJECTED = 10


def rejected_lines(con, limit: int | None = None) -> str:
    """The rejected files, one line each with its reason (the first ``limit`` of them, and how many more)."""
    rejected = con.execute("select source_file, reason from rejected_files order by 1").fetchall()
    shown = rejected if limit is None else rejected[:limit]
    more = (f"\n  … and {len(rejected) - len(shown)} more: `zhibiao status` lists them all"
            if len(shown) < len(rejected) else "")
    return f"rejected files:   {len(rejected)}" + "".join(f"\n  - {name}: {reason}" for name, reason in shown) + more


def last_run(settings: Settings) -> str:
    """The last run that built this warehouse, and its checks, from DAGSTER_HOME."""
    home = settings.dagster_home
    if not (home / "dagster.yaml").exists():
        return f"none recorded in {home}"
    import dagster as dg

    from orchestration.runs import WAREHOUSE_TAG

    with dg.DagsterInstance.from_config(str(home)) as instance:
        records = instance.get_run_records(
            dg.RunsFilter(tags={WAREHOUSE_TAG: str(settings.warehouse_path)}), limit=1)
        if not records:
            return f"none recorded in {home} for this warehouse"
        record = records[0]
        run = record.dagster_run
        checks = [entry.dagster_event.event_specific_data for entry in
                  instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)]
    started = record.start_time or record.create_timestamp.timestamp()
    took = f", took {record.end_time - record.start_time:.0f} s" if record.end_time and record.start_time else ""
    failed = [check.check_name for check in checks if not check.passed]
    verdict = (f"; checks: {len(checks) - len(failed)} passed, {len(failed)} failed"
               + (f" ({', '.join(failed)})" if failed else "")) if checks else "; no checks ran"
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(started))
    return f"{run.run_id[:8]} {run.status.value} at {when}{took}{verdict}"
