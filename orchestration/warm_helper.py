"""A helper process that ``zhibiao run`` starts once it has found work, to use the second core.

Loading Dagster and the code location takes the command's own process about four seconds on one
core, while the other core waits. The helper spends that time loading what the run needs next:
the parser's dictionaries and patterns, then dbt. The run's small parses and its dbt build are
then handed to the helper, loaded and ready, instead of being loaded again where they are needed.
(A run with much to parse parses on a pool of its own.)

Only a run executed in this process can use it: a step in a process of its own (another executor,
or a run the daemon launched) finds no helper and parses and starts dbt as usual, with the same
outcome. If the helper dies, its work is done the usual way too.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import subprocess
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

_helper: ProcessPoolExecutor | None = None
_ran_dbt = False
# In the helper: the thread that loads dbt (and may parse the project).
_dbt_loading: threading.Thread | None = None
# How long a helper that ran dbt is given to exit when told to.
STOP_WAIT_SECONDS = 1.0


def start(parse: bool) -> None:
    """Start the helper process, loading the parser if it is to parse the run's files (``parse``:
    a run with much to parse parses on a pool of its own). :func:`load` tells it to load dbt and
    hands it dbt's builds."""
    global _helper, _ran_dbt
    if _helper is not None:
        return
    # spawn, not fork: this process goes on to start Dagster's threads.
    _helper = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    _helper.submit(preload, parse)  # a pool starts its process for the first task
    _ran_dbt = False


def load(dbt_ahead: tuple[list[str], dict[str, str], str]) -> None:
    """The run has work: the helper loads dbt, runs ``dbt_ahead`` (:func:`orchestration.dbt_env.dbt_ahead`:
    a parse the build would otherwise make, or a cheap command that warms dbt for the build), and
    runs the run's dbt build. The run's own steps go on meanwhile."""
    global _ran_dbt
    if _helper is not None:
        _helper.submit(start_loading_dbt, dbt_ahead)
        _ran_dbt = True
        from orchestration.dbt_in_process import start_dbt_with  # (this loads dagster-dbt)

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


def preload(parse: bool) -> None:
    """The parser, loaded (``parse``): the run's few files are parsed here."""
    # Python's teardown of a process with dbt and jieba loaded took half a second of the command's
    # end: the helper leaves as soon as its exit handlers (multiprocessing's among them) have run.
    atexit.register(os._exit, 0)
    if parse:
        from sources.report import warm_up

        warm_up()


def start_loading_dbt(dbt_ahead: tuple[list[str], dict[str, str], str]) -> None:
    global _dbt_loading
    # The run's files may come before dbt is needed: they are parsed while dbt loads.
    _dbt_loading = threading.Thread(target=load_dbt, args=(dbt_ahead,), daemon=True)
    _dbt_loading.start()


def load_dbt(dbt_ahead: tuple[list[str], dict[str, str], str]) -> None:
    from orchestration.dbt_in_process import invoke_dbt

    try:
        invoke_dbt(*dbt_ahead)
    except Exception:  # noqa: BLE001 - a command that fails costs only its time: the build does it again
        pass


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
    from orchestration.dbt_in_process import invoke_dbt

    if _dbt_loading is not None:
        _dbt_loading.join()  # one dbt command at a time: dbt's settings are the process's

    return (*invoke_dbt(args, env, cwd), os.getpid())
