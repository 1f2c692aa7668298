"""``zhibiao run``'s side of the warm run worker (:mod:`orchestration.run_worker`).

A command starts a Python that loads Dagster, dbt, Great Expectations, jieba and the project
before it reads a file: most of what a run of one new file costs. When a worker serves the
command's DAGSTER_HOME (``make dev``'s, or one an earlier command left), the command hands itself
over: the worker forks a process that has all of that loaded and gives it this command's
arguments, environment, working folder and terminal (its stdin, stdout and stderr, passed over
the worker's Unix socket), and this process waits for its exit code, passing Ctrl-C on. Without a
worker, the command runs here, and afterwards starts one for the next commands, which stops after
``ZHIBIAO_WORKER_IDLE_SECONDS`` (10 minutes unless set) without a command. With it set to 0, a
command neither uses a worker nor leaves one.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys

from orchestration.worker_address import socket_path, worker_command, worker_loading, worker_ready
from orchestration.settings import Settings

# Signals a user or a supervisor sends the command: they go on to the process that runs it.
FORWARDED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
WORKER_LOG = "run_worker.log"

_forked = False  # this process is a command the worker forked


def forked_from_worker() -> None:
    global _forked
    _forked = True


def run_in_worker(settings: Settings, args: list[str], env: dict[str, str]) -> int | None:
    """Run the command ``args`` in the warm worker of ``settings.dagster_home``: its exit code; None
    when no worker took it (none serves this DAGSTER_HOME, or it has other code loaded: it stops, and
    the command runs here), or when ``settings.worker_idle_seconds`` is 0 (no warm worker at all)."""
    path = socket_path(settings.dagster_home)
    if _forked or settings.worker_idle_seconds <= 0 or not path.exists():
        return None
    request = {"command": args, "env": env, "cwd": os.getcwd(), "python": sys.executable}
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(str(path))
        socket.send_fds(conn, [json.dumps(request).encode() + b"\n"], [0, 1, 2])
        replies = conn.makefile("rb")
        started = json.loads(replies.readline() or b"{}")
    except (OSError, ValueError):
        started = {}
    if "pid" not in started:
        conn.close()
        return None
    previous = {sig: signal.signal(sig, lambda sig, _frame: passed_on(started["pid"], sig))
                for sig in FORWARDED_SIGNALS}
    try:
        ended = replies.readline()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        conn.close()
    if not ended:
        print(f"zhibiao: the run's process (pid {started['pid']}, forked by the warm worker) ended "
              "without an exit code: it was killed", file=sys.stderr)
        return 1
    return int(json.loads(ended)["exit"])


def stop_worker(dagster_home) -> bool:
    """Tell the worker of ``dagster_home`` to stop (the runs it forked go on): whether one did."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(str(socket_path(dagster_home)))
            conn.sendall(b'{"stop": true}\n')
            return b"stopped" in conn.makefile("rb").readline()
    except OSError:
        return False


def passed_on(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def keep_warm(settings: Settings, env: dict[str, str]) -> None:
    """After a command that ran in this process: start a worker for the next ones, unless one serves
    or loads already (or ``settings.worker_idle_seconds`` is 0); after one that a worker forked, say
    so. The worker loads in the background, in a session of its own, writing to a log in
    DAGSTER_HOME; ``env``, the command's environment, is the one it parses the dbt project in ahead
    of the next build."""
    home = settings.dagster_home
    if _forked:
        print(f"warm worker:      ran this command (forked from the worker, pid {os.getppid()})")
        return
    if settings.worker_idle_seconds <= 0 or not home.is_dir():
        return
    if worker_ready(home) or worker_loading(home):
        return
    with open(home / WORKER_LOG, "ab") as log:
        subprocess.Popen(worker_command(home, idle_seconds=settings.worker_idle_seconds),
                         env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
    print(f"warm worker:      loading, to run the next `zhibiao run` of this DAGSTER_HOME; it stops after "
          f"{settings.worker_idle_seconds:g} s without one (ZHIBIAO_WORKER_IDLE_SECONDS; 0: none)")
