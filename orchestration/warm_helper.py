"""A helper process that ``zhibiao run`` starts first thing, to use the second core: it runs the
run's dbt build, with dbt loaded and warmed while the command's own process loads Dagster, starts
the run and parses the run's files.

A new dbt process spends seconds importing dbt, reading the project's last parse and compiling its
macros before it builds anything. The helper does all of that ahead of the build, from the moment it
is up: it imports dbt, parses the project (with the project unchanged, that reads the last parse;
for a new warehouse it is the full parse the build would otherwise make) and compiles the macros the
last build compiled (:mod:`orchestration.dbt_macros`). The build then runs on that parse. It starts
before the command knows whether the run has work: the command lists the folder meanwhile, on the
other core, and a run with nothing to do lets the helper go wherever it has got to. (Started only
once the run was known to have work, the helper was the last of the two to be ready for the build:
12 alternating pairs of one-new-file runs at 20,000 files, 8.6 s against 9.1 s.)

Only a run executed in this process can use it: a step in a process of its own (another executor,
or a run the daemon launched) finds no helper and starts dbt as usual, with the same outcome. If the
helper dies, dbt runs the usual way too. A command forked from the warm run worker starts none: dbt
is loaded there, and the project parsed (:mod:`orchestration.worker_client`).
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import subprocess
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

_helper: ProcessPoolExecutor | None = None
_ran_dbt = False
# How long a helper that ran dbt is given to exit when told to.
STOP_WAIT_SECONDS = 1.0


def start(dbt_ahead: tuple[list[str], dict[str, str], str]) -> None:
    """Start the helper process: it loads dbt and runs ``dbt_ahead``
    (:func:`orchestration.dbt_env.dbt_ahead`, the parse of the project the build will run on) while
    this process finds what the run has to do; :func:`use` then hands it the run's dbt."""
    global _helper, _ran_dbt
    from orchestration.dbt_in_process import dbt_runs_here

    if _helper is not None or dbt_runs_here():
        return
    # spawn, not fork: this process goes on to start Dagster's threads.
    _helper = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    _helper.submit(leave_quickly)  # a pool starts its process for the first task
    _helper.submit(load_dbt, dbt_ahead)
    _ran_dbt = False


def use() -> None:
    """The run has work: from now on the helper runs this process's dbt commands. The run's own
    steps go on meanwhile."""
    global _ran_dbt
    if _helper is not None:
        _ran_dbt = True
        from orchestration.dbt_elsewhere import load_dagster_dbt
        from orchestration.dbt_in_process import start_dbt_with

        load_dagster_dbt()  # this process runs no dbt: it need not load dbt-core
        start_dbt_with(dbt_in_helper)


def stop() -> None:
    """End the helper. One that ran dbt is idle by now and exits at once (its semaphores must be
    released: killed, it left them for multiprocessing's tracker to warn about). One that did not
    is killed, whatever it is loading."""
    global _helper
    if _helper is None:
        return
    # Python 3.11 pools have no public way to reach their process and thread.
    processes, manager = list(_helper._processes.values()), _helper._executor_manager_thread
    _helper.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(STOP_WAIT_SECONDS if _ran_dbt else 0)
        if process.is_alive():
            process.kill()
    # The pool's own thread releases its queues' semaphores once the process is gone: a command
    # that exits while it does left one for multiprocessing's tracker to warn about.
    if manager is not None:
        manager.join(STOP_WAIT_SECONDS)
    _helper = None


def current() -> ProcessPoolExecutor | None:
    return _helper


def leave_quickly() -> None:
    # Python's teardown of a process with dbt loaded took half a second of the command's end: the
    # helper leaves as soon as its exit handlers (multiprocessing's among them) have run.
    atexit.register(os._exit, 0)


def load_dbt(dbt_ahead: tuple[list[str], dict[str, str], str]) -> None:
    from orchestration.loading import loaded, loading

    loading()
    try:
        from orchestration.dbt_in_process import parse_ahead

        parse_ahead(dbt_ahead)
    except Exception:  # noqa: BLE001 - what fails here costs only its time: the build does it again
        pass
    finally:
        loaded()


def dbt_in_helper(args, env=None, cwd=None, **kwargs):
    """What dagster-dbt gets for a dbt process: the build, run by the helper to the end."""
    from orchestration.dbt_in_process import FinishedDbt

    global _ran_dbt
    if _helper is not None:
        _ran_dbt = True
        try:
            output, code, pid = _helper.submit(invoke_dbt_here, list(args), env, cwd).result()
            return FinishedDbt(args, output, code, pid)
        except BrokenProcessPool:
            pass  # the helper died: dbt in a process of its own, as without one
    return subprocess.Popen(args, env=env, cwd=cwd, **kwargs)


def invoke_dbt_here(args, env, cwd) -> tuple[bytes, int, int]:
    """A dbt command in the helper (after :func:`load_dbt`: the pool runs one task at a time)."""
    from orchestration.dbt_in_process import invoke_dbt, project_for, record_macros

    output, code = invoke_dbt(args, env, cwd, project=project_for(env, cwd))
    record_macros(env)
    return output, code, os.getpid()
