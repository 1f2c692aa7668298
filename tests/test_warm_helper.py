"""The helper process `zhibiao run` starts while it loads Dagster: it parses a run's few files,
parses the dbt project ahead of a build that needs it, and runs the dbt build, with the outcome of
doing them the usual way; when it dies the usual way takes over. (That `zhibiao run` gives the
same warehouse with it is checked by every CLI test.)"""

import subprocess
import sys
import textwrap

import pytest

from orchestration.settings import REPO_ROOT

# In a Python of its own: the helper is per process, and whether the parser was loaded in the
# calling process is part of what is checked. One line of findings with the helper alive, one
# after it was killed.
SCRIPT = """
import os, signal, sys, tempfile
from orchestration import warm_helper
from orchestration.parse_pool import ParseJob, parse_all, parse_batch
from sources.budget import Budget
from orchestration.dbt_env import dbt_ahead
from orchestration.settings import load_settings

texts = ["2025年，全市地区生产总值增长5.5%，新增城镇就业12万人。", "2026年，力争新培育高新技术企业1000家以上。"]
jobs = [ParseJob(str(i), text.encode(), f"report {i}.txt", f"doc{i}") for i, text in enumerate(texts)]
dbt_version = [os.path.join(os.path.dirname(sys.executable), "zhibiao-dbt"), "--version"]


def findings(jobs):
    outcomes = {outcome.job.key: outcome for outcome in parse_all(jobs, Budget(), workers=2)}
    helped = "jieba.posseg" not in sys.modules
    rows = sum(outcome.report.mentions.height for outcome in outcomes.values())
    dbt = warm_helper.dbt_in_helper(dbt_version, stdout=-1)
    return helped, outcomes, rows, type(dbt).__name__, dbt.wait()


settings = load_settings({"WAREHOUSE_PATH": os.path.join(tempfile.mkdtemp(), "w.duckdb")})
warm_helper.start(parse=True)
warm_helper.load(dbt_ahead(settings, parse=True))
helped, outcomes, rows, dbt, code = findings(jobs)
same = all(outcomes[job.key].report.mentions.equals(parse_batch([job], Budget())[0].report.mentions) for job in jobs)
parsed_ahead = (settings.dbt_target_dir / "partial_parse.msgpack").exists() and not settings.build_path.exists()
print("\\n", helped, same, rows, dbt, code, parsed_ahead)
warm_helper.stop()
# A helper that dies: started again, and killed before it has loaded anything.
warm_helper.start(parse=False)
(pid,) = warm_helper.current()._processes
os.kill(pid, signal.SIGKILL)
# One file is enough to see it parsed without the helper (each is parsed in a new process then).
_, outcomes, rows_after, dbt, code = findings(jobs[:1])
same = outcomes[jobs[0].key].report.mentions.equals(parse_batch(jobs[:1], Budget())[0].report.mentions)
print("\\n", same, rows_after, dbt, code)
warm_helper.stop()
# What the helper runs ahead of a small run's build: dbt lists the build's models from the parse
# above, without opening (or creating) the build's database.
from orchestration.dbt_in_process import invoke_dbt
listed, code = invoke_dbt(*dbt_ahead(settings, parse=False))
print("\\n", code, b"fact_indicator" in listed, settings.build_path.exists())
"""


@pytest.fixture(scope="module")
def findings() -> list[list[str]]:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(SCRIPT)], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    # Nothing left for multiprocessing's tracker: not by the helper, nor by the pool that ran it.
    assert "resource_tracker" not in done.stderr, done.stderr[-3000:]
    # dbt's own lines (its --version, run in the helper) may come between
    return [line.split() for line in done.stdout.splitlines() if line.startswith(" ")][-3:]


def test_the_helper_parses_small_runs_as_this_process_would_and_runs_dbt(findings):
    helped, same, rows, dbt, code, parsed_ahead = findings[0]
    assert helped == "True"  # the parser's tagger was loaded in the helper, not in the caller
    assert same == "True" and int(rows) >= 3
    assert dbt == "FinishedDbt" and code == "0"  # dbt ran in the helper, offline
    # Before that, it parsed the dbt project into the new warehouse's target folder, ready for its
    # build, without opening (or creating) the build's database.
    assert parsed_ahead == "True"


def test_a_helper_that_died_leaves_parsing_and_dbt_to_the_usual_paths(findings):
    same, rows, dbt, code = findings[1]
    assert same == "True" and int(rows) >= 2
    assert dbt == "Popen" and code == "0"  # dbt is started as a process of its own again


def test_the_warm_up_of_a_small_runs_build_reads_the_project_and_no_database(findings):
    code, listed, build_exists = findings[2]
    assert (code, listed, build_exists) == ("0", "True", "False")
