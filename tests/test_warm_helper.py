"""The helper process `zhibiao run` starts first thing: it loads dbt and parses the dbt project
while the command loads Dagster, then runs the dbt build with the outcome of running it the usual
way; when it dies the usual way takes over. (That `zhibiao run` gives the same warehouse with it is
checked by every CLI test.)"""

import subprocess
import sys
import textwrap

import pytest

from orchestration.settings import REPO_ROOT

# In a Python of its own: the helper is per process, and what the calling process loads is part of
# what is checked. One line of findings with the helper alive, one after it was killed.
SCRIPT = """
import os, signal, sys, tempfile
from orchestration import warm_helper
from orchestration.dbt_env import dbt_ahead
from orchestration.settings import load_settings

dbt_version = [os.path.join(os.path.dirname(sys.executable), "zhibiao-dbt"), "--version"]
settings = load_settings({"WAREHOUSE_PATH": os.path.join(tempfile.mkdtemp(), "w.duckdb")})
warm_helper.start(dbt_ahead(settings))
warm_helper.use()
dbt = warm_helper.dbt_in_helper(dbt_version, stdout=-1)
parsed_ahead = (settings.dbt_target_dir / "partial_parse.msgpack").exists() and not settings.build_path.exists()
print("\\n", type(dbt).__name__, dbt.wait(), parsed_ahead, "dbt" in sys.modules, "dagster_dbt" in sys.modules)
warm_helper.stop()
# A helper that dies: started again, and killed while it loads dbt.
warm_helper.start(dbt_ahead(settings))
(pid,) = warm_helper.current()._processes
os.kill(pid, signal.SIGKILL)
dbt = warm_helper.dbt_in_helper(dbt_version, stdout=-1)
print("\\n", type(dbt).__name__, dbt.wait())
warm_helper.stop()
"""


@pytest.fixture(scope="module")
def findings() -> list[list[str]]:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(SCRIPT)], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    # Nothing left for multiprocessing's tracker, by the helper that ran dbt or by the one killed.
    assert "resource_tracker" not in done.stderr, done.stderr[-3000:]
    # dbt's own lines (its --version, run in the helper) may come between
    return [line.split() for line in done.stdout.splitlines() if line.startswith(" ")][-2:]


def test_the_helper_parses_the_dbt_project_ahead_and_runs_dbt(findings):
    dbt, code, parsed_ahead, caller_has_dbt_core, caller_has_dagster_dbt = findings[0]
    assert dbt == "FinishedDbt" and code == "0"  # dbt ran in the helper, offline
    # Before that, it parsed the dbt project into the new warehouse's target folder, ready for its
    # build, without opening (or creating) the build's database.
    assert parsed_ahead == "True"
    # The caller has dagster-dbt, loaded without dbt-core (orchestration.dbt_elsewhere).
    assert (caller_has_dbt_core, caller_has_dagster_dbt) == ("False", "True")


def test_a_helper_that_died_leaves_dbt_to_the_usual_path(findings):
    dbt, code = findings[1]
    assert dbt == "Popen" and code == "0"  # dbt is started as a process of its own again
