"""Runs whose process died are marked ended; runs whose process lives are left alone."""

import subprocess
import sys
import uuid

import dagster as dg

from orchestration.runs import OWNER_PID_TAG, WRITER_TAG, fail_dead_runs, owner_alive, owner_tags, process_start


def started_run(instance, tags, status=dg.DagsterRunStatus.STARTED):
    run = dg.DagsterRun(job_name="zhibiao_pipeline", run_id=str(uuid.uuid4()), status=status,
                        tags={**dict([WRITER_TAG]), **tags})
    instance.add_run(run)
    return run.run_id


def owned_by(proc) -> dict:
    return {**owner_tags(), OWNER_PID_TAG: str(proc.pid), "zhibiao/owner_start": process_start(proc.pid)}


def test_runs_of_dead_processes_are_failed_and_live_ones_left():
    instance = dg.DagsterInstance.ephemeral()
    doomed = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    living = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead_run = started_run(instance, owned_by(doomed))
        canceling_run = started_run(instance, owned_by(doomed), dg.DagsterRunStatus.CANCELING)
        live_run = started_run(instance, owned_by(living))
        unknown_run = started_run(instance, {})  # no owner recorded yet: cannot tell, left alone
        assert fail_dead_runs(instance) == []
        doomed.kill()
        doomed.wait()
        assert sorted(fail_dead_runs(instance)) == sorted([dead_run, canceling_run])
        status = {run_id: instance.get_run_by_id(run_id).status
                  for run_id in (dead_run, canceling_run, live_run, unknown_run)}
        assert status == {dead_run: dg.DagsterRunStatus.FAILURE, canceling_run: dg.DagsterRunStatus.CANCELED,
                          live_run: dg.DagsterRunStatus.STARTED, unknown_run: dg.DagsterRunStatus.STARTED}
    finally:
        living.kill()
        living.wait()


def test_a_reused_pid_is_not_taken_for_the_old_owner():
    tags = owner_tags()
    assert owner_alive(tags) is True
    assert owner_alive({**tags, "zhibiao/owner_start": "1"}) is False
    assert owner_alive({**tags, "zhibiao/owner_host": "another-machine"}) is None
