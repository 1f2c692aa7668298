"""The warm run worker's bookkeeping: when its loaded code is stale, and what the launcher does
without a worker. (A run forked by the worker, dbt in its process, is checked end to end by the
kill -9 fault scenario, where the daemon's sensor launches it.)"""

import dagster as dg

from orchestration.run_launcher import WarmRunLauncher, socket_path, worker_ready
from orchestration.run_worker import code_digest
from orchestration.settings import REPO_ROOT


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
    socket_path(home).write_text("")  # left by a worker that was killed: nothing listens on it
    try:
        with dg.DagsterInstance.from_config(str(home)) as instance:
            launcher = instance.run_launcher
            assert isinstance(launcher, WarmRunLauncher)
            assert not worker_ready(home)
            assert launcher.hand_over("a-run-id") is None  # so launch_run starts it the default way
    finally:
        socket_path(home).unlink()
