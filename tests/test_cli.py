"""The `zhibiao` command as a user types it: help, settings that cannot work, `run` against two
warehouses in turn, `--full-refresh` and `status`."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.dbt_macros import COMPILED_MACROS
from tests.conftest import REPO_ROOT, age

ZHIBIAO = REPO_ROOT / ".venv" / "bin" / "zhibiao"
# What the helper does ahead of a build, for a warehouse: parse the project, compile the macros the
# last build noted. Prints how many it compiled, and how many dbt holds compiled then.
WARM_MACROS = """
import sys
from pathlib import Path
from dbt_common.clients.jinja import template_cache
from orchestration.dbt_env import dbt_ahead
from orchestration.dbt_in_process import parsed_project
from orchestration.dbt_macros import compile_macros
from orchestration.settings import load_settings

ahead = dbt_ahead(load_settings({"WAREHOUSE_PATH": sys.argv[1]}))
print(compile_macros(parsed_project(*ahead), Path(ahead[1]["DBT_TARGET_PATH"])), len(template_cache.file_cache))
"""


def zhibiao(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(ZHIBIAO), *args], env={**os.environ, **(env or {})}, capture_output=True, text=True,
                          timeout=timeout)


def test_help_lists_the_commands_and_runs_nothing(tmp_path):
    out = zhibiao("--help", env={"WAREHOUSE_PATH": str(tmp_path / "w.duckdb")})
    assert out.returncode == 0, out.stderr
    assert "run" in out.stdout and "status" in out.stdout and "dev" in out.stdout
    for command in ("run", "status"):
        assert "--warehouse" in zhibiao(command, "--help").stdout
    assert "--port" in zhibiao("dev", "--help").stdout
    assert "--full-refresh" in zhibiao("run", "--help").stdout
    assert list(tmp_path.iterdir()) == []


def test_the_command_loads_no_parser_dagster_or_dbt_before_it_needs_them():
    # The command's helper process imports the command's module too, and parses nothing.
    script = ("import sys, orchestration.cli, sources; "
              "print(sorted(m for m in ('polars', 'jieba', 'dagster', 'dbt', 'sources.report') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO_ROOT)
    assert out.stdout.split() == ["[]"]


def bad_settings(tmp: Path) -> dict[str, tuple[dict[str, str], str]]:
    """Each case: (environment, what its one line must say)."""
    a_file = tmp / "notes.txt"
    a_file.write_text("x")
    good = {"REPORTS_DIR": str(tmp), "WAREHOUSE_PATH": str(tmp / "w.duckdb")}
    return {
        "missing reports folder": ({**good, "REPORTS_DIR": str(tmp / "typo")}, "does not exist"),
        "reports folder is a file": ({**good, "REPORTS_DIR": str(a_file)}, "is a file"),
        "warehouse folder missing": ({**good, "WAREHOUSE_PATH": str(tmp / "nowhere" / "w.duckdb")}, "does not exist"),
        "warehouse folder read-only": ({**good, "WAREHOUSE_PATH": "/proc/w.duckdb"}, "read-only"),
        "warehouse is a folder": ({**good, "WAREHOUSE_PATH": str(tmp)}, "is a folder"),
    }


@pytest.mark.parametrize("case", list(bad_settings(Path("/tmp"))))
def test_a_setting_that_cannot_work_is_one_line_and_exit_2_with_nothing_created(tmp_path, case):
    env, says = bad_settings(tmp_path)[case]
    before = sorted(tmp_path.rglob("*"))
    out = zhibiao("run", env=env)
    assert out.returncode == 2, out
    assert out.stdout == "" and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert says in out.stderr and "Traceback" not in out.stderr
    assert sorted(tmp_path.rglob("*")) == before


def test_a_folder_only_root_could_write_is_read_only_for_others(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root writes into a folder without write permission; /proc stands in above")
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o555)
    out = zhibiao("run", env={"REPORTS_DIR": str(tmp_path), "WAREHOUSE_PATH": str(folder / "w.duckdb")})
    assert out.returncode == 2 and "read-only" in out.stderr, out


@pytest.mark.cost(43)
def test_a_second_warehouse_beside_the_first_then_status(built, tmp_path):
    """A user keeps a second warehouse in the folder of the samples' build (whose dbt state is
    there), adds a file and runs `zhibiao run` into the second, then asks for status. (A full
    refresh is in tests/test_executors.py.)"""
    inbox, home = tmp_path / "inbox", tmp_path / "dagster_home"
    folder = built.settings.warehouse_path.parent
    second = folder / f"second {tmp_path.name}.duckdb"
    shutil.copytree(built.settings.reports_dir, inbox)
    shutil.copy(built.settings.warehouse_path, second)
    (inbox / "more.txt").write_text("新增城镇就业13.1万人。", encoding="utf-8")
    age(inbox / "more.txt")
    env = {"REPORTS_DIR": str(inbox), "DAGSTER_HOME": str(home), "ZHIBIAO_SETTLE_SECONDS": "0"}
    run = zhibiao("run", "--warehouse", str(second), env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ERROR" not in run.stdout + run.stderr and "Traceback" not in run.stdout + run.stderr
    assert "succeeded" in run.stdout and ", 0 failed" in run.stdout, run.stdout
    assert "error" not in (folder / "last_run.log").read_text().lower().replace("error=0", "")
    assert "this run:         1 parsed, 0 duplicate, 0 rejected, 2 unchanged" in run.stdout, run.stdout
    # The helper that ran the build noted the macros it compiled; the next run's helper compiles
    # them (in a new interpreter: dbt keeps compiled macros per process) before its build.
    target = folder / ".build" / "dbt" / second.stem
    recorded = json.loads((target / COMPILED_MACROS).read_text(encoding="utf-8"))
    assert {"macro.dbt_duckdb.materialization_incremental_duckdb", "macro.zhibiao.changed_documents"} <= set(recorded)
    ahead = subprocess.run([str(ZHIBIAO.with_name("python")), "-c", WARM_MACROS, str(second)], cwd=REPO_ROOT,
                           capture_output=True, text=True, timeout=120)
    assert ahead.returncode == 0, ahead.stderr[-2000:]
    compiled, held = map(int, ahead.stdout.split())
    assert compiled == len(recorded) <= held

    status = zhibiao("status", "--warehouse", str(second), env=env)
    assert status.returncode == 0, status.stderr
    lines = dict(line.split(":", 1) for line in status.stdout.splitlines() if not line.startswith("  -"))
    assert "3 loaded (3 text)" in lines["files on record"] and "all loaded" in lines["reports folder"]
    assert lines["rejected files"].strip() == "0"
    run_id = run.stdout.split()[1].rstrip(":")
    assert lines["last run"].split()[0] == run_id and "SUCCESS" in lines["last run"], status.stdout
    assert "0 failed" in lines["last run"]
    assert "fact_indicator" in lines["rows"] and "stg_" not in lines["rows"]

    # The command read dbt's events with dagster-dbt loaded without dbt-core
    # (orchestration.dbt_elsewhere): its materializations and checks carry what dagster-dbt gives
    # them where dbt-core is loaded.
    import dagster as dg

    with dg.DagsterInstance.from_config(str(home)) as instance:
        (record,) = instance.get_run_records(limit=1)
        assert record.dagster_run.run_id.startswith(run_id)
        events = instance.all_logs(record.dagster_run.run_id, of_type={
            dg.DagsterEventType.ASSET_MATERIALIZATION, dg.DagsterEventType.ASSET_CHECK_EVALUATION})
    facts = [e.asset_materialization.metadata for e in events
             if e.asset_materialization and e.asset_materialization.asset_key == dg.AssetKey("fact_indicator")]
    assert len(facts) == 1 and facts[0]["unique_id"].value == "model.zhibiao.fact_indicator"
    assert {"invocation_id", "dagster/row_count"} <= set(facts[0])
    checks = {e.dagster_event.event_specific_data.check_name: e.dagster_event.event_specific_data for e in events
              if e.dagster_event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION}
    unique_keys = checks["unique_fact_indicator_indicator_key"]
    assert unique_keys.passed and "dagster_dbt/failed_row_count" in unique_keys.metadata

    # A run with nothing to do answers from file sizes and times alone: Dagster and jieba's tagger,
    # seconds to import, are never loaded.
    idle = subprocess.run([str(ZHIBIAO.with_name("python")), "-X", "importtime", "-m", "orchestration.cli", "run",
                           "--warehouse", str(second)], env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=120)
    assert idle.returncode == 0, idle.stdout + idle.stderr[-2000:]
    loaded = {line.rsplit("|", 1)[-1].strip() for line in idle.stderr.splitlines() if line.startswith("import time:")}
    assert "nothing changed" in idle.stdout and not {"dagster", "jieba.posseg"} & loaded, idle.stdout


def test_status_of_a_warehouse_not_built_yet_says_how_to_build_it(tmp_path):
    out = zhibiao("status", "--warehouse", str(tmp_path / "w.duckdb"), env={"REPORTS_DIR": str(tmp_path)})
    assert out.returncode == 1 and "zhibiao run" in out.stdout, out
    assert list(tmp_path.iterdir()) == []


def test_a_run_summary_names_the_first_rejected_files_and_status_names_them_all():
    import duckdb

    from orchestration.terminal import SUMMARY_REJECTED, rejected_lines

    con = duckdb.connect()
    con.execute("create table rejected_files as select 'file' || lpad(i::varchar, 3, '0') || '.txt' as source_file, "
                "'empty file' as reason from range(?) t(i)", [SUMMARY_REJECTED + 2])
    short = rejected_lines(con, SUMMARY_REJECTED).splitlines()
    assert short[0] == f"rejected files:   {SUMMARY_REJECTED + 2}"
    assert short[1:-1] == [f"  - file{i:03d}.txt: empty file" for i in range(SUMMARY_REJECTED)]
    assert short[-1] == "  … and 2 more: `zhibiao status` lists them all"
    assert len(rejected_lines(con).splitlines()) == SUMMARY_REJECTED + 3
