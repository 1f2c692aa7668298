"""The ``zhibiao`` command: ``run`` (what ``make run`` calls) and ``status``.

Settings come from the environment (:mod:`orchestration.settings`); the options override them.
A setting that cannot work (a reports folder that is not there, a warehouse folder that cannot be
written) stops the command with one line and exit code 2, before anything is created.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from orchestration import progress
from orchestration.preflight import ConfigError, check_settings
from orchestration.settings import Settings, load_settings

# Dagster, dbt and the parser load only when a command needs them: `--help` and a wrong setting
# answer at once.

app = typer.Typer(
    help="zhibiao turns Chinese government work reports into a DuckDB warehouse of indicators.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)
ReportsDir = Annotated[Optional[Path], typer.Option(
    "--reports-dir", help="Folder of report files. Default: $REPORTS_DIR, else warehouse/inbox.",
    show_default=False)]
Warehouse = Annotated[Optional[Path], typer.Option(
    "--warehouse", help="The DuckDB file to build. Default: $WAREHOUSE_PATH, else warehouse/warehouse.duckdb.",
    show_default=False)]


def command_env(reports_dir: Path | None, warehouse: Path | None) -> dict[str, str]:
    """The environment, with the command line's paths (relative to where it runs) over it."""
    overrides = {name: str(path.expanduser().resolve()) for name, path in
                 (("REPORTS_DIR", reports_dir), ("WAREHOUSE_PATH", warehouse)) if path is not None}
    return {**os.environ, **overrides}


def settings_from(reports_dir: Path | None, warehouse: Path | None) -> Settings:
    return load_settings(command_env(reports_dir, warehouse))


def checked(settings: Settings, writes: bool) -> Settings:
    try:
        check_settings(settings, writes)
    except ConfigError as err:
        typer.echo(f"zhibiao: {err}", err=True)
        raise typer.Exit(2) from None
    return settings


@app.command()
def run(reports_dir: ReportsDir = None, warehouse: Warehouse = None,
        full_refresh: Annotated[bool, typer.Option(
            "--full-refresh", help="Parse every file again and rebuild every model, changed or not.")] = False,
        ) -> None:
    """Load new and changed report files into the warehouse, then print a short summary."""
    from orchestration.loading import loading

    loading()  # until the run starts (orchestration.launch.run_pipeline)
    env = command_env(reports_dir, warehouse)
    settings = checked(load_settings(env), writes=True)
    from orchestration import warm_helper, worker_client

    # A warm worker of this DAGSTER_HOME runs the command in a process that has everything loaded.
    code = worker_client.run_in_worker(settings, ["run", *(["--full-refresh"] if full_refresh else [])], env)
    if code is not None:
        raise typer.Exit(code)
    try:
        result = load_changes(settings, full_refresh)
    finally:
        warm_helper.stop()
    worker_client.keep_warm(settings, env)
    from orchestration.launch import published

    if result is not None and (not result.success or not published(result)):
        for event in result.all_events:
            if event.is_failure:
                typer.echo(event.message, err=True)
        raise typer.Exit(1)


def load_changes(settings: Settings, full_refresh: bool):
    """The run that ``zhibiao run`` asks for, and its summary; None when there was nothing to do."""
    from orchestration import warm_helper
    from orchestration.dbt_env import dbt_ahead
    from orchestration.launch import dagster_instance, ensure_inbox, pending_work, run_pipeline
    from orchestration.terminal import ProgressBar, summary

    ensure_inbox(settings)
    # Started first, on the other core: it loads dbt and parses the dbt project while this process
    # finds whether the run has work, loads Dagster and parses the run's files.
    warm_helper.start(dbt_ahead(settings))
    plan = None if full_refresh else pending_work(settings)
    if plan is not None and not plan.has_work:
        # Nothing to read, build or publish: not even Dagster needs to start (and the helper is let go).
        typer.echo("\n".join(summary(settings, None, plan)))
        return None
    warm_helper.use()
    log_path = settings.warehouse_path.parent / "last_run.log"
    # dbt's progress lines go to the log file; the terminal gets a progress bar (when it is one),
    # warnings and the summary.
    bar = ProgressBar() if sys.stderr.isatty() else progress.Silent()
    # Line by line, so that the log can be followed as the run writes it.
    with dagster_instance(settings) as instance, open(log_path, "w", encoding="utf-8", buffering=1) as log:
        with contextlib.redirect_stdout(log), bar, progress.reporting_to(bar):
            result = run_pipeline(settings, instance, full_refresh, plan)
    typer.echo("\n".join(summary(settings, result)))
    typer.echo(f"full log:         {log_path} (and the run in the Dagster UI: make dev)")
    return result


@app.command()
def status(reports_dir: ReportsDir = None, warehouse: Warehouse = None) -> None:
    """Files on record, rejected files and why, the last run and its checks, rows per table."""
    settings = checked(settings_from(reports_dir, warehouse), writes=False)
    if not settings.warehouse_path.exists():
        typer.echo(f"no warehouse at {settings.warehouse_path} yet: `zhibiao run` (or `make run`) builds it")
        raise typer.Exit(1)
    from orchestration.launch import pending_work
    from orchestration.terminal import status_lines

    typer.echo("\n".join(status_lines(settings, pending_work(settings) if settings.reports_dir.is_dir() else None)))


@app.command()
def dev(port: Annotated[int, typer.Option(help="Port of the Dagster UI (on 127.0.0.1).")] = 3000) -> None:
    """The Dagster UI, its daemon (sensor and schedule) and a warm run worker, until Ctrl-C."""
    settings = checked(settings_from(None, None), writes=True)
    from orchestration.launch import dagster_instance, ensure_inbox
    from orchestration.run_launcher import DEFINITIONS_MODULE
    from orchestration.worker_address import worker_command
    from orchestration.worker_client import stop_worker

    ensure_inbox(settings)
    dagster_instance(settings).dispose()  # DAGSTER_HOME made, with zhibiao's dagster.yaml
    stop_worker(settings.dagster_home)  # one that a `zhibiao run` left: this one stays as long as `make dev`
    bin_dir = Path(sys.executable).parent
    worker = subprocess.Popen(worker_command(settings.dagster_home))
    try:
        code = subprocess.call([str(bin_dir / "dagster"), "dev", "-h", "127.0.0.1", "-p", str(port),
                                "-m", DEFINITIONS_MODULE])
    except KeyboardInterrupt:
        code = 130
    finally:
        worker.terminate()
        worker.wait()
    raise typer.Exit(code)


def exit_code(args: list[str] | None = None) -> int:
    """Run the command line ``args`` (default: this process's): its exit code."""
    try:
        app(args=args, prog_name="zhibiao")
        return 0
    except SystemExit as exit_:
        if isinstance(exit_.code, str):
            print(exit_.code, file=sys.stderr)
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)


def main() -> None:
    code = exit_code()
    # A run leaves Dagster, dbt and Great Expectations loaded, and tearing their modules down
    # takes Python about two seconds after the work is done. Everything is closed and flushed
    # by now, and the exit handlers still run: only that teardown is skipped.
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
