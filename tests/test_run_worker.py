"""The warm run worker's bookkeeping: when its loaded code is stale, what the launcher does
without a worker, and `zhibiao run` handed to the worker. (A run forked by the worker, dbt in its process, is checked end to end by the
kill -9 fault scenario, where the daemon's sensor launches it.)"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from bench.faults import start_background, stop_background, wait_for
from orchestration.definitions import PIPELINE_JOB, build_definitions
from orchestration.run_launcher import WarmRunLauncher
from orchestration.worker_address import loading_path, socket_path, worker_command, worker_ready
from orchestration.worker_client import stop_worker
from orchestration.run_worker import code_digest
from orchestration.settings import REPO_ROOT
from tests.conftest import make_workspace
from tests.test_cli import ZHIBIAO, zhibiao
from tests.pipeline import query
from tests.test_executors import CONTENT


def test_an_edit_to_the_code_makes_the_loaded_copy_stale_and_dbt_output_does_not(tmp_path):
    rules = tmp_path / "sources" / "rules"
    rules.mkdir(parents=True)
    (rules / "name_words.csv").write_text("word,role\n")
    (tmp_path / "orchestration").mkdir()
    (tmp_path / "orchestration" / "assets.py").write_text("")
    loaded = code_digest(tmp_path)
    target = tmp_path / "dbt_project" / "target"
    target.mkdir(parents=True)
    (target / "run_results.json").write_text("{}")
    (tmp_path / "orchestration" / "__pycache__").mkdir()
    (tmp_path / "orchestration" / "__pycache__" / "assets.cpython-311.pyc").write_bytes(b"")
    assert code_digest(tmp_path) == loaded, "dbt's output or Python's bytecode counted as a change to the code"
    (rules / "name_words.csv").write_text("word,role\n成功,lead\n")
    assert code_digest(tmp_path) != loaded, "an edited rule file went unnoticed"


def test_without_a_worker_the_launcher_keeps_the_run(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text((REPO_ROOT / "orchestration" / "dagster_home" / "dagster.yaml").read_text())
    # Left by a worker killed while it loaded: nothing listens, and no one is loading.
    socket_path(home).write_text("")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    loading_path(home).write_text(str(gone.pid))
    try:
        with dg.DagsterInstance.from_config(str(home)) as instance:
            launcher = instance.run_launcher
            assert isinstance(launcher, WarmRunLauncher)
            assert not worker_ready(home)
            assert launcher.hand_over("a-run-id") is None  # so launch_run starts it the default way
    finally:
        socket_path(home).unlink()
        loading_path(home).unlink()


@pytest.mark.cost(40)
def test_a_first_build_in_a_run_the_worker_forked_is_the_in_process_build(built, tmp_path):
    """A new warehouse, as `make dev` builds it on a fresh clone: every model, seeds and taxonomy
    included, with dbt inside the forked run."""
    assert built.success
    settings = make_workspace(tmp_path)
    settings.warehouse_path.parent.mkdir(parents=True)
    home = settings.dagster_home
    home.mkdir()
    shutil.copy(REPO_ROOT / "orchestration" / "dagster_home" / "dagster.yaml", home)
    env = {**os.environ, "REPORTS_DIR": str(settings.reports_dir), "WAREHOUSE_PATH": str(settings.warehouse_path),
           "DAGSTER_HOME": str(home), "ZHIBIAO_SETTLE_SECONDS": "0"}
    worker = start_background(worker_command(home), env)
    try:
        wait_for(lambda: worker_ready(home), 180, "the run worker to come up")
        with dg.DagsterInstance.from_config(str(home)) as instance:
            run = instance.create_run_for_job(build_definitions(settings).resolve_job_def(PIPELINE_JOB))
            assert instance.run_launcher.hand_over(run.run_id) is not None
            wait_for(lambda: instance.get_run_by_id(run.run_id).is_finished, 180, "the forked run to finish")
            failures = [entry.user_message for entry in instance.all_logs(run.run_id)
                        if entry.dagster_event and entry.dagster_event.is_failure]
            assert instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.SUCCESS, failures
    finally:
        stop_worker(home)
        stop_background([worker])
    assert query(settings, CONTENT) == query(built.settings, CONTENT)


@pytest.mark.cost(60)
def test_zhibiao_run_hands_itself_to_the_warm_worker_that_the_run_before_left(tmp_path):
    """The first `zhibiao run` runs in its own process and leaves a worker loading; the next runs
    in a process the worker forked, with this command's settings, its output on this command's
    pipes and its exit code; a worker with other code loaded stops and the command runs here."""
    settings = make_workspace(tmp_path)
    settings.warehouse_path.parent.mkdir()
    home = settings.dagster_home
    env = {"REPORTS_DIR": str(settings.reports_dir), "WAREHOUSE_PATH": str(settings.warehouse_path),
           "DAGSTER_HOME": str(home), "ZHIBIAO_SETTLE_SECONDS": "0", "ZHIBIAO_WORKER_IDLE_SECONDS": "300"}
    try:
        first = zhibiao("run", env=env)
        assert first.returncode == 0, first.stdout + first.stderr
        assert "warm worker:      loading" in first.stdout
        wait_for(lambda: worker_ready(home), 180, "the worker the first run left")

        (settings.reports_dir / "新到的报告.txt").write_text(
            "一、2026年主要目标\n全年新增城镇就业12.5万人，新培育高新技术企业800家以上。\n", encoding="utf-8")
        second = zhibiao("run", env=env)
        assert second.returncode == 0, second.stdout + second.stderr
        assert "ran this command (forked from the worker" in second.stdout
        assert "this run:         1 parsed" in second.stdout
        assert query(settings, "select value, unit from fact_indicator where source_file = '新到的报告.txt' "
                               "order by value") == [(800.0, "家"), (125000.0, "人")]

        # Killed with kill -9, the command takes the process the worker forked for it along.
        worker = int(re.search(r"\(pid (\d+)\)", (home / "run_worker.log").read_text()).group(1))
        (settings.reports_dir / "又一份报告.txt").write_text("全年新增城镇就业13万人。\n", encoding="utf-8")
        others = forked_by(worker)  # multiprocessing's resource tracker
        killed = subprocess.Popen([str(ZHIBIAO), "run"], env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        wait_for(lambda: forked_by(worker) - others, 30, "the worker to fork the command")
        (forked,) = forked_by(worker) - others
        killed.kill()
        killed.wait()
        wait_for(lambda: not Path(f"/proc/{forked}").exists(), 30, "the forked command to die with its caller")

        # What a Python other than the worker's asks is not run: the worker stops, and says so.
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(str(socket_path(home)))
            conn.sendall(json.dumps({"command": ["run"], "python": "/elsewhere/bin/python"}).encode() + b"\n")
            assert json.loads(conn.makefile("rb").readline()) == {"stale": True}
        wait_for(lambda: not socket_path(home).exists(), 30, "the stale worker to stop")
        third = zhibiao("run", env={**env, "ZHIBIAO_WORKER_IDLE_SECONDS": "0"})
        assert third.returncode == 0, third.stdout + third.stderr
        assert "1 parsed" in third.stdout and "warm worker" not in third.stdout  # the killed run's file
    finally:
        stop_worker(home)


def forked_by(pid: int) -> set[int]:
    """The processes ``pid`` has started and not yet reaped."""
    return {int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
