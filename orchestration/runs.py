"""Runs whose process died, found and marked failed, so that no one waits for them.

A run killed with kill -9 (or lost with its machine) stays STARTED in DAGSTER_HOME for good, and
the run queue counts it against its limit of one run: no sensor or schedule run would start
again. Dagster's own run monitoring does not help here: it asks the run launcher whether a run's
worker is alive, which the default launcher cannot answer, and it never sees runs started in
process by ``make run``. So each run records the process that owns it in its tags, and
:func:`fail_dead_runs` marks failed every writer run whose owner is gone.
"""

from __future__ import annotations

import multiprocessing
import os
import socket
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import dagster as dg

WRITER_TAG = ("zhibiao/writer", "warehouse")
# The warehouse file a run builds: `zhibiao status` finds that warehouse's last run by it.
WAREHOUSE_TAG = "zhibiao/warehouse"
OWNER_PID_TAG = "zhibiao/owner_pid"
OWNER_HOST_TAG = "zhibiao/owner_host"
OWNER_START_TAG = "zhibiao/owner_start"


def owner_tags() -> dict[str, str]:
    """Tags naming the process that owns the current run: this one, or the run worker that
    started this step process (multiprocess executor)."""
    parent = multiprocessing.parent_process()
    pid = parent.pid if parent is not None else os.getpid()
    return {OWNER_PID_TAG: str(pid), OWNER_HOST_TAG: socket.gethostname(), OWNER_START_TAG: process_start(pid)}


def process_start(pid: int) -> str:
    """When a process started (clock ticks since boot), so a reused pid is not taken for the old one."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[1].split()[19]


def owner_alive(tags: Mapping[str, str]) -> bool | None:
    """Whether the process named by ``tags`` still runs; None when that cannot be told from here."""
    if OWNER_PID_TAG not in tags or tags.get(OWNER_HOST_TAG) != socket.gethostname():
        return None
    pid = int(tags[OWNER_PID_TAG])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: it exists
    recorded = tags.get(OWNER_START_TAG)
    return not recorded or process_start(pid) in ("", recorded)


def fail_dead_runs(instance: dg.DagsterInstance, log: Callable[[str], None] = lambda message: None) -> list[str]:
    """Mark failed (or canceled, if being canceled) every writer run whose owning process is gone."""
    # Imported here: the build's bookkeeping (orchestration.warehouse) uses this module's owner tags
    # on paths that must not wait seconds for Dagster to load.
    import dagster as dg

    in_progress = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]
    records = instance.get_run_records(dg.RunsFilter(statuses=in_progress, tags=dict([WRITER_TAG])))
    failed = []
    for record in records:
        run = record.dagster_run
        if owner_alive(run.tags) is not False:
            continue
        message = (f"The process running this run (pid {run.tags[OWNER_PID_TAG]}) is gone: it was killed or "
                   "crashed. zhibiao marked the run ended so that other runs can go ahead; the published "
                   "warehouse is as the last complete run left it.")
        if run.status == dg.DagsterRunStatus.CANCELING:
            instance.report_run_canceled(run, message)
        else:
            instance.report_run_failed(run, message)
        log(f"run {run.run_id[:8]}: {message}")
        failed.append(run.run_id)
    return failed
