"""A run worker kept warm: Dagster, dbt, Great Expectations and jieba loaded once, each run forked.

A run that Dagster launches starts a new Python that imports all of these again, and its dbt step
starts one more for dbt: about 15 s before any work, for a run that loads one file in a few
seconds. ``make dev`` starts this worker beside the Dagster UI and daemon; its run launcher
(:mod:`orchestration.run_launcher`) hands each run here, and the worker forks a process for it
that has nothing left to load. In that process dbt runs in-process
(:mod:`orchestration.dbt_in_process`), on the parse caches the worker warmed.

``zhibiao run`` hands its whole command here too when a worker serves its DAGSTER_HOME
(:mod:`orchestration.worker_client`): the forked process takes the command's arguments,
environment, folder and terminal, and sends back its exit code. A ``zhibiao run`` that found no
worker starts one when it is done, which stays until ``ZHIBIAO_WORKER_IDLE_SECONDS`` pass without
a command (``make dev``'s stays as long as ``make dev``).

The worker takes a run only while the code it loaded is the code on disk; after an edit it tells
the launcher to start that run the usual way, and starts again itself (one that a command started
stops instead: the next command starts it again).
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

from orchestration.dbt_in_process import in_process_dbt, parse_ahead, project_for, start_dbt_with
from orchestration.dbt_macros import compile_macros
from orchestration.loading import loaded, loading
from orchestration.run_launcher import DEFINITIONS_MODULE
from orchestration.worker_address import loading_path, socket_path, worker_command
from orchestration.settings import REPO_ROOT

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


def preload(dagster_home: Path) -> None:
    """Import what runs use and fill the caches that each would build again: jieba's dictionaries,
    the gazetteer, and dbt's (its classes' generated code, a parse of the project in the
    environment of this process's settings, and the macros its last build compiled). Nothing here
    may leave a thread running or a file open: a forked process inherits neither safely."""
    import dagster as dg

    from expectations.gx import great_expectations

    great_expectations()
    import orchestration.cli  # noqa: F401
    import orchestration.definitions  # noqa: F401
    from sources.names import part_of_speech
    from sources.regions import gazetteer
    from sources.segment import tokenizer

    # Opening the instance loads its storage's modules (SQLAlchemy, alembic and what they load).
    dg.DagsterInstance.from_config(str(dagster_home)).dispose()
    # Not a warm-up parse: that would start polars' thread pool, which a forked process cannot use.
    tokenizer().initialize()
    part_of_speech()
    gazetteer()
    # A parse that fails here (a run killed while it wrote dbt's target folder, say) leaves each
    # build to parse by itself.
    parse_ahead_for(os.environ)


def parse_ahead_for(env: dict[str, str]) -> None:
    """The dbt parse that the builds of runs with these settings start from (a forked run inherits
    it). Without it a build parses by itself, as a dbt process would."""
    from orchestration.dbt_env import dbt_ahead
    from orchestration.settings import load_settings

    _, ahead_env, cwd = ahead = dbt_ahead(load_settings(env))
    try:
        project = project_for(ahead_env, cwd)
        if project is None:
            parse_ahead(ahead)
        else:  # the same settings: the macros the last build compiled that this process has not
            compile_macros(project, Path(ahead_env["DBT_TARGET_PATH"]))
    except Exception as err:  # noqa: BLE001 - a worker without a parse still serves
        print(f"dbt parse ahead failed: {err}", file=sys.stderr, flush=True)


def serve(dagster_home: Path, idle_seconds: float | None = None) -> None:
    """Listen for runs and commands until the process that started the worker is gone, or, with
    ``idle_seconds`` (a worker that ``zhibiao run`` started), until that long passes without one."""
    parent = os.getppid()
    code_loaded = code_digest()
    # Runs launched while this loads wait for it (the launcher reads this), rather than load alone.
    marker = loading_path(dagster_home)
    marker.write_text(str(os.getpid()))
    path = socket_path(dagster_home)
    loading()
    try:
        preload(dagster_home)
        loaded()
        if threading.active_count() != 1:
            raise RuntimeError(f"warming left threads running ({threading.enumerate()}): forking would be unsafe")
        path.unlink(missing_ok=True)
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        umask = os.umask(0o077)  # it runs commands: for this user only
        try:
            server.bind(str(path))
        finally:
            os.umask(umask)
        server.listen()
        server.settimeout(1.0)
    finally:
        marker.unlink(missing_ok=True)
    print(f"zhibiao run worker ready on {path} (pid {os.getpid()})", flush=True)
    last_request = time.monotonic()

    def wanted() -> bool:
        if idle_seconds is None:
            return os.getppid() == parent
        return time.monotonic() - last_request < idle_seconds and dagster_home.is_dir()

    stale = False
    commands: dict[int, dict[str, str]] = {}  # forked commands still running, and their environments
    try:
        while wanted():
            for pid in reap():
                if pid in commands:  # ready for the next command with these settings
                    parse_ahead_for(commands.pop(pid))
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            last_request = time.monotonic()
            with conn:
                try:
                    request, fds = read_request(conn)
                except (OSError, ValueError):
                    continue  # not a request: whoever sent it starts the run itself
                try:
                    if request.get("stop"):
                        conn.sendall(b'{"stopped": true}\n')
                        break
                    if code_digest() != code_loaded or request.get("python", sys.executable) != sys.executable:
                        conn.sendall(b'{"stale": true}\n')
                        stale = True
                        break
                    if "command" in request and len(fds) == 3:
                        commands[fork_command(server, conn, fds, request)] = request["env"]
                    elif "run_id" in request and "instance_ref" in request:
                        pid = fork()
                        if pid == 0:
                            server.close()
                            conn.close()
                            run_forked(request["run_id"], request["instance_ref"])
                        conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
                finally:
                    for fd in fds:  # the forked command holds the caller's terminal, this worker must not
                        os.close(fd)
    finally:
        server.close()
        path.unlink(missing_ok=True)
    if stale and idle_seconds is None and os.getppid() == parent:  # load the new code, in this same process
        os.execv(sys.executable, worker_command(dagster_home))


def read_request(conn: socket.socket) -> tuple[dict, list[int]]:
    """One JSON line, and the file descriptors sent with it (a command's stdin, stdout and stderr)."""
    data, fds, _, _ = socket.recv_fds(conn, 1 << 16, 3)
    while data and not data.endswith(b"\n"):
        more = conn.recv(1 << 16)
        if not more:
            break
        data += more
    try:
        request = json.loads(data)
        if not isinstance(request, dict):
            raise ValueError("not a request")
    except ValueError:
        for fd in fds:
            os.close(fd)
        raise
    return request, fds


def fork_command(server: socket.socket, conn: socket.socket, fds: list[int], request: dict) -> int:
    """Fork a process for a ``zhibiao`` command: its pid. It answers the caller itself (its pid,
    then its exit code), on the connection it inherits."""
    pid = fork()
    if pid == 0:
        server.close()
        command_forked(conn, fds, request)
    return pid


def command_forked(conn: socket.socket, fds: list[int], request: dict) -> None:
    """The forked process of a command: the caller's terminal, environment and folder, then the command."""
    code = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.setsid()  # the command outlives a worker that stops
        sys.stdout.flush()
        sys.stderr.flush()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        sys.stdin, sys.stdout, sys.stderr = (reopened(0, "r"), reopened(1, "w"), reopened(2, "w"))
        sys.__stdin__, sys.__stdout__, sys.__stderr__ = sys.stdin, sys.stdout, sys.stderr
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        conn.sendall(json.dumps({"pid": os.getpid()}).encode() + b"\n")
        threading.Thread(target=die_with_caller, args=(conn,), daemon=True).start()
        from orchestration import cli, worker_client

        worker_client.forked_from_worker()
        start_dbt_with(in_process_dbt)
        code = cli.exit_code(request["command"])
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
            conn.sendall(json.dumps({"exit": code}).encode() + b"\n")
        except (OSError, ValueError):
            pass  # the caller is gone (its terminal too): the run's outcome is in Dagster
        os._exit(code)


def die_with_caller(conn: socket.socket) -> None:
    """The caller waits for the exit code and passes signals on; if it is gone before that (killed
    with kill -9), the command dies at once too, as it would have in the caller's own process."""
    try:
        conn.recv(1)
    except OSError:
        pass
    os.kill(os.getpid(), signal.SIGKILL)


def reopened(fd: int, mode: str):
    """A standard stream on ``fd`` as Python makes one at start: line by line on a terminal."""
    terminal = os.isatty(fd)
    return open(fd, mode, encoding="utf-8", errors="backslashreplace" if mode == "w" else "strict",
                buffering=1 if terminal else -1, closefd=False)


def fork() -> int:
    """``os.fork``, with what the worker made since it loaded set aside too (:mod:`orchestration.loading`)."""
    gc.freeze()
    return os.fork()


def reap() -> list[int]:
    """Collect the exit status of finished runs and commands (each reports its own outcome): their pids."""
    finished = []
    try:
        while (pid := os.waitpid(-1, os.WNOHANG)[0]):
            finished.append(pid)
    except ChildProcessError:
        pass
    return finished


def run_forked(run_id: str, instance_ref: str) -> None:
    """The forked process: execute the run and exit, never returning into the worker's loop."""
    code = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
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
    # Stopped (by `make dev` as it ends, or anyone), the worker still takes its socket away.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        serve(Path(sys.argv[1]), float(sys.argv[2]) if len(sys.argv) > 2 else None)
    except (KeyboardInterrupt, SystemExit):  # Ctrl-C on `make dev` reaches the worker too; SIGTERM
        pass
    # Its socket is gone by now. What it loaded (frozen: orchestration.loading) is left to the
    # system, without Python's teardown.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
