"""A run worker kept warm: Dagster, dbt, Great Expectations and jieba loaded once, each run forked.

A run that Dagster launches starts a new Python that imports all of these again, and its dbt step
starts one more for dbt: about 15 s before any work, for a run that loads one file in a few
seconds. ``make dev`` starts this worker beside the Dagster UI and daemon; its run launcher
(:mod:`orchestration.run_launcher`) hands each run here, and the worker forks a process for it
that has nothing left to load. In that process dbt runs in-process
(:mod:`orchestration.dbt_in_process`), on the parse caches the worker warmed.

The worker takes a run only while the code it loaded is the code on disk; after an edit it tells
the launcher to start that run the usual way, and starts again itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sys
import tempfile
import threading
from pathlib import Path

from orchestration.dbt_in_process import in_process_dbt, start_dbt_with
from orchestration.run_launcher import DEFINITIONS_MODULE, loading_path, socket_path, worker_command
from orchestration.settings import DBT_PROJECT_DIR, REPO_ROOT

# The code a run executes: a change to any of these files makes the loaded copy stale.
CODE_FOLDERS = ("orchestration", "sources", "dbt_project", "expectations")
CODE_SUFFIXES = (".py", ".yml", ".yaml", ".sql", ".csv", ".json", ".txt")


def code_digest(repo: Path = REPO_ROOT) -> str:
    """The code on disk, as names, sizes and times of its files (not dbt's target or logs)."""
    h = hashlib.sha1()
    for folder in CODE_FOLDERS:
        for root, dirs, files in os.walk(repo / folder):
            dirs[:] = sorted(d for d in dirs if d not in ("target", "logs", "__pycache__", "samples"))
            for name in sorted(files):
                if name.endswith(CODE_SUFFIXES):
                    stat = os.stat(os.path.join(root, name))
                    h.update(f"{root}/{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return h.hexdigest()


def preload(target_dir: Path) -> None:
    """Import what runs use and fill the caches that each would build again: jieba's dictionaries
    and dbt's (its classes' generated code, and a parse of the project). Nothing here may leave a
    thread running or a file open: a forked process inherits neither safely."""
    from expectations.gx import great_expectations

    great_expectations()
    import orchestration.definitions  # noqa: F401
    from sources.names import part_of_speech
    from sources.segment import tokenizer

    # Not a warm-up parse: that would start polars' thread pool, which a forked process cannot use.
    tokenizer().initialize()
    part_of_speech()
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(["parse", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir",
                                 str(DBT_PROJECT_DIR), "--target-path", str(target_dir), "--quiet"])
    if not result.success:
        raise RuntimeError(f"dbt parse failed while warming the run worker: {result.exception}")


def serve(dagster_home: Path) -> None:
    """Listen for runs until the process that started the worker is gone."""
    parent = os.getppid()
    loaded = code_digest()
    # Runs launched while this loads wait for it (the launcher reads this), rather than load alone.
    loading = loading_path(dagster_home)
    loading.write_text(str(os.getpid()))
    path = socket_path(dagster_home)
    try:
        preload(Path(tempfile.mkdtemp(prefix="zhibiao-run-worker-")))
        if threading.active_count() != 1:
            raise RuntimeError(f"warming left threads running ({threading.enumerate()}): forking would be unsafe")
        path.unlink(missing_ok=True)
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(path))
        server.listen()
        server.settimeout(1.0)
    finally:
        loading.unlink(missing_ok=True)
    print(f"zhibiao run worker ready on {path} (pid {os.getpid()})", flush=True)
    try:
        while os.getppid() == parent:
            reap()
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                try:
                    request = json.loads(conn.makefile("r").readline())
                    run_id, instance_ref = request["run_id"], request["instance_ref"]
                except (OSError, ValueError, KeyError, TypeError):
                    continue  # not a launcher's request: the launcher starts the run itself
                if code_digest() != loaded:
                    conn.sendall(b'{"stale": true}\n')
                    break
                pid = os.fork()
                if pid == 0:
                    server.close()
                    conn.close()
                    run_forked(run_id, instance_ref)
                conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
    finally:
        server.close()
        path.unlink(missing_ok=True)
    if os.getppid() == parent:  # the code changed: load it afresh, in this same process
        os.execv(sys.executable, worker_command(dagster_home))


def reap() -> None:
    """Collect the exit status of finished runs (a run reports its own outcome to Dagster)."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def run_forked(run_id: str, instance_ref: str) -> None:
    """The forked process: execute the run and exit, never returning into the worker's loop."""
    code = 1
    try:
        code = execute(run_id, instance_ref)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def execute(run_id: str, serialized_instance_ref: str) -> int:
    """Execute a launched run in this (forked) process, as Dagster's own run worker would."""
    import dagster as dg
    from dagster._core.definitions.reconstruct import ReconstructableRepository
    from dagster._core.events import EngineEventData
    from dagster._grpc.impl import core_execute_run
    from dagster._serdes import deserialize_value
    from dagster._utils.interrupts import capture_interrupts

    os.setsid()  # a run outlives a worker that stops
    start_dbt_with(in_process_dbt)
    with capture_interrupts(), dg.DagsterInstance.from_ref(deserialize_value(serialized_instance_ref)) as instance:
        run = instance.get_run_by_id(run_id)
        if run is None:
            return 1
        instance.report_engine_event(f"Started process for run (pid: {os.getpid()}), forked from zhibiao's "
                                     "warm run worker.", run, EngineEventData.in_process(os.getpid()))
        repository = ReconstructableRepository.for_module(DEFINITIONS_MODULE, "defs", str(REPO_ROOT))
        try:
            for _ in core_execute_run(repository.get_reconstructable_job(run.job_name), run, instance,
                                      inject_env_vars=False):
                pass
        except BaseException:  # reported to the run's event log by core_execute_run
            return 1
        finally:
            instance.report_engine_event(f"Process for run exited (pid: {os.getpid()}).", run)
    return 0


if __name__ == "__main__":
    try:
        serve(Path(sys.argv[1]))
    except KeyboardInterrupt:  # Ctrl-C on `make dev` reaches the worker too
        pass
