"""The run launcher of zhibiao's Dagster instance (dagster.yaml): a run goes to the warm run worker
(:mod:`orchestration.run_worker`) when one serves this DAGSTER_HOME, else to Dagster's default
launcher, which starts a new process for it."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import sys
import tempfile
import time
from pathlib import Path

from dagster._core.launcher import DefaultRunLauncher, LaunchRunContext
from dagster._serdes import serialize_value

# The code location: what `dagster dev`, the daemon and the worker load.
DEFINITIONS_MODULE = "orchestration.definitions"
# The run's process, when the warm worker forked it.
WORKER_PID_TAG = "zhibiao/run_worker_pid"
# How long a launch waits for the worker to answer before starting the run the default way.
HAND_OVER_TIMEOUT_SECONDS = 10
# How long a launch waits for a worker that is still loading (it loads in about 15 s; a run started
# the default way would spend as long loading the same things).
LOADING_WAIT_SECONDS = 60


def worker_command(dagster_home: str | os.PathLike, python: str = sys.executable) -> list[str]:
    """How the warm run worker of a DAGSTER_HOME is started (by `zhibiao dev`, and by itself to reload)."""
    return [python, "-m", "orchestration.run_worker", str(dagster_home)]


def socket_path(dagster_home: str | os.PathLike) -> Path:
    """Where the worker of a DAGSTER_HOME listens: a short path (a socket's is limited to 107 bytes)."""
    digest = hashlib.sha1(str(Path(dagster_home).resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"zhibiao-{os.getuid()}-{digest}.sock"


def loading_path(dagster_home: str | os.PathLike) -> Path:
    """Holds the pid of a worker of this DAGSTER_HOME while it loads."""
    return socket_path(dagster_home).with_suffix(".loading")


def wait_while_loading(dagster_home: str | os.PathLike, seconds: float = LOADING_WAIT_SECONDS) -> None:
    """Wait, up to ``seconds``, while a live worker of this DAGSTER_HOME is still loading."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not worker_ready(dagster_home):
        try:
            os.kill(int(loading_path(dagster_home).read_text()), 0)
        except (OSError, ValueError):
            return  # no worker loading (none started, or it died while loading)
        time.sleep(0.2)


def worker_ready(dagster_home: str | os.PathLike) -> bool:
    """Whether a warm run worker takes runs for this DAGSTER_HOME now (a socket file alone may be
    left by a worker that was killed)."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(str(socket_path(dagster_home)))
        return True
    except OSError:
        return False


class WarmRunLauncher(DefaultRunLauncher):
    def launch_run(self, context: LaunchRunContext) -> None:
        run = context.dagster_run
        pid = self.hand_over(run.run_id)
        if pid is None:
            super().launch_run(context)
        else:
            self._instance.add_run_tags(run.run_id, {WORKER_PID_TAG: str(pid)})

    def hand_over(self, run_id: str) -> int | None:
        """The pid of the process the worker forked for the run; None if no worker took it."""
        wait_while_loading(self._instance.root_directory)
        path = socket_path(self._instance.root_directory)
        if not path.exists():
            return None
        request = {"run_id": run_id, "instance_ref": serialize_value(self._instance.get_ref())}
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                conn.settimeout(HAND_OVER_TIMEOUT_SECONDS)
                conn.connect(str(path))
                conn.sendall(json.dumps(request).encode() + b"\n")
                reply = json.loads(conn.makefile("r").readline() or "{}")
        except (OSError, ValueError):
            return None  # no worker listening (it stopped, or is loading new code)
        return reply.get("pid")

    def terminate(self, run_id: str) -> bool:
        run = self._instance.get_run_by_id(run_id) if self.has_instance else None
        if run is None or run.is_finished or WORKER_PID_TAG not in run.tags:
            return super().terminate(run_id)
        self._instance.report_run_canceling(run)
        try:
            # Dagster's run process turns SIGINT into an interrupt between steps' events.
            os.kill(int(run.tags[WORKER_PID_TAG]), signal.SIGINT)
        except ProcessLookupError:
            return False
        return True
