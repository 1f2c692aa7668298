"""dbt run by a Python that has it loaded already, in place of the dbt process dagster-dbt starts.

A new dbt process spends about three seconds importing dbt before it builds anything. The warm
run worker's forked runs, and the helper process that ``zhibiao run`` starts while it loads
Dagster (:mod:`orchestration.warm_helper`), have dbt imported: dagster-dbt gets an object that
looks like the finished process, with the same JSON event lines on ``stdout`` and the same exit
code, so the events, checks and errors it makes of them are the same.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

# The project as dbt parsed it ahead of the builds of this process (and of processes forked from
# it), with the environment and folder it was parsed in: (env, cwd, dbt's Manifest).
_ahead: tuple[dict[str, str], str, object] | None = None


def invoke_dbt(args: list[str], env: dict[str, str] | None, cwd: str | os.PathLike | None,
               project=None) -> tuple[bytes, int]:
    """Run ``dbt <args[1:]>`` in this process, as the dbt command line would: its JSON event lines
    and exit code. ``project``: the project as :func:`parsed_project` parsed it, which the command
    then runs on instead of reading the last parse (the caller knows the project is unchanged)."""
    from dbt.cli.main import dbtRunner
    from dbt_common.events.functions import msg_to_json

    lines: list[bytes] = []

    def emit(event) -> None:
        if event.info.level != "debug":
            lines.append(msg_to_json(event).encode() + b"\n")

    with dbt_settings(env, cwd):
        result = dbtRunner(manifest=project, callbacks=[emit]).invoke(list(args)[1:])
    return b"".join(lines), 0 if result.success else 1


def parsed_project(args: list[str], env: dict[str, str] | None, cwd: str | os.PathLike | None):
    """Run ``dbt parse`` (``args``) in this process: the parsed project (dbt's Manifest), or None."""
    from dbt.cli.main import dbtRunner

    with dbt_settings(env, cwd):
        result = dbtRunner().invoke(list(args)[1:])
    return result.result if result.success else None


def parse_ahead(dbt_ahead: tuple[list[str], dict[str, str], str]) -> None:
    """Parse the project as ``dbt_ahead`` (:func:`orchestration.dbt_env.dbt_ahead`) says, and compile
    the macros the last build compiled: a build in the same environment then starts from there
    (:func:`project_for`)."""
    from orchestration.dbt_macros import compile_macros

    global _ahead
    args, env, cwd = dbt_ahead
    project = parsed_project(args, env, cwd)
    _ahead = None if project is None else (env, str(cwd), project)
    if project is not None:
        compile_macros(project, Path(env["DBT_TARGET_PATH"]))


def project_for(env: dict[str, str] | None, cwd: str | os.PathLike | None):
    """The project parsed ahead, if it was parsed in the environment and folder of this build; else None."""
    if _ahead is None or env is None:
        return None
    ahead_env, ahead_cwd, project = _ahead
    same = ahead_cwd == str(cwd) and all(env.get(name) == value for name, value in ahead_env.items())
    return project if same else None


def record_macros(env: dict[str, str] | None) -> None:
    """Note the macros this process compiled beside the last parse, for the next parse ahead."""
    from orchestration.dbt_macros import record_compiled_macros

    if _ahead is not None and env and "DBT_TARGET_PATH" in env:
        try:
            record_compiled_macros(_ahead[2], Path(env["DBT_TARGET_PATH"]))
        except OSError:
            pass  # only the next parse ahead reads it


@contextmanager
def dbt_settings(env: dict[str, str] | None, cwd: str | os.PathLike | None) -> Iterator[None]:
    """dbt reads its settings from the environment, so this process must be one that runs nothing
    else meanwhile. It runs in the folder dagster-dbt starts dbt in (the project reads rule tables
    by paths relative to its own folder)."""
    from orchestration.dbt_offline import no_version_lookup

    no_version_lookup()
    before = dict(os.environ)
    os.environ.update({**(env or {}), "DBT_LOG_LEVEL": "none"})
    previous = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        yield
    finally:
        os.chdir(previous)
        os.environ.clear()
        os.environ.update(before)
        close_dbt_database()


def close_dbt_database() -> None:
    """dbt-duckdb keeps the database open for the process (``keep_open``, which spares each model a
    reopening of the file): a dbt process's exit closes it, dbt in a process that goes on must.
    The run's next steps open the same file, which DuckDB refuses while another process, or this
    one with other settings, holds it open for writing."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None


class FinishedDbt:
    """What dagster-dbt reads of a dbt process, for a dbt that has already run to the end.
    (zhibiao's dbt step reads all events before it yields any, so nothing is held back.)"""

    def __init__(self, args: list[str], output: bytes, returncode: int, pid: int) -> None:
        self.args = list(args)
        self.stdout = io.BytesIO(output)
        self.returncode = returncode
        self.pid = pid

    def wait(self, timeout: float | None = None) -> int:
        return self.returncode

    def poll(self) -> int:
        return self.returncode

    def send_signal(self, sig) -> None:
        """dbt has finished by the time anyone could signal it."""


def in_process_dbt(args, env=None, cwd=None, **_) -> FinishedDbt:
    """dbt in this very process (a forked run of the warm worker), on the worker's parse if it fits."""
    output, code = invoke_dbt(args, env, cwd, project=project_for(env, cwd))
    record_macros(env)
    return FinishedDbt(args, output, code, os.getpid())


def start_dbt_with(popen: Callable[..., object]) -> None:
    """dagster-dbt starts dbt with subprocess.Popen: from now on, in this process, with ``popen``."""
    import dagster_dbt.core.dbt_cli_invocation as invocation

    invocation.subprocess = SimpleNamespace(**{**vars(subprocess), "Popen": popen})


def dbt_runs_here() -> bool:
    """Whether dbt runs in this very process (a run the warm worker forked)."""
    invocation = sys.modules.get("dagster_dbt.core.dbt_cli_invocation")
    return invocation is not None and getattr(invocation.subprocess, "Popen", None) is in_process_dbt
