"""The run launcher of zhibiao's Dagster instance (dagster.yaml): a run goes to the warm run worker
(:mod:`orchestration.run_worker`) when one serves this DAGSTER_HOME, else to Dagster's default
launcher, which starts a new process for it."""

from __future__ import annotations

import json
import os
import signal
import socket

from dagster._core.launcher import DefaultRunLauncher, LaunchRunContext
from dagster._serdes import serialize_value

from orchestration.worker_address import socket_path, wait_while_loading

# The code location: what `dagster dev`, the daemon and the worker load.
DEFINITIONS_MODULE = "orchestration.definitions"
# The run's process, when the warm worker forked it.
WORKER_PID_TAG = "zhibiao/run_worker_pid"
# How long a launch waits for the worker to answer before starting the run the default way.
HAND_OVER_TIMEOUT_SECONDS = 10


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
