"""Where the warm run worker of a DAGSTER_HOME is found, and how it is started: what the run
launcher, ``zhibiao run`` and ``zhibiao dev`` share. Light on purpose: ``zhibiao run`` asks here
before it loads anything else."""

from __future__ import annotations

import hashlib
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

# How long a launch waits for a worker that is still loading (it loads in about 15 s; a run started
# the default way would spend as long loading the same things).
LOADING_WAIT_SECONDS = 60


def worker_command(dagster_home: str | os.PathLike, python: str = sys.executable,
                   idle_seconds: float | None = None) -> list[str]:
    """How the warm run worker of a DAGSTER_HOME is started (by `zhibiao dev`, and by itself to
    reload); ``idle_seconds``: it stops after that long without a run (else with its parent)."""
    return [python, "-m", "orchestration.run_worker", str(dagster_home),
            *([] if idle_seconds is None else [str(idle_seconds)])]


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
        if not worker_loading(dagster_home):
            return  # no worker loading (none started, or it died while loading)
        time.sleep(0.2)


def worker_loading(dagster_home: str | os.PathLike) -> bool:
    """Whether a live worker of this DAGSTER_HOME is loading (a file alone may be left by one killed)."""
    try:
        os.kill(int(loading_path(dagster_home).read_text()), 0)
        return True
    except (OSError, ValueError):
        return False


def worker_ready(dagster_home: str | os.PathLike) -> bool:
    """Whether a warm run worker takes runs for this DAGSTER_HOME now (a socket file alone may be
    left by a worker that was killed)."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(str(socket_path(dagster_home)))
        return True
    except OSError:
        return False
