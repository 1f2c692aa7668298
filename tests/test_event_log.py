"""The event log of zhibiao's Dagster instance (orchestration/event_log.py): the same records in the
same files as Dagster's own SQLite storage, with its databases kept open while a process writes."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap

import dagster as dg

from orchestration.event_log import KeptOpenSqliteEventLogStorage
from orchestration.settings import REPO_ROOT

DAGSTER_YAML = REPO_ROOT / "orchestration" / "dagster_home" / "dagster.yaml"


@dg.asset(check_specs=[dg.AssetCheckSpec("positive", asset="numbers")])
def numbers():
    yield dg.Output(3)
    yield dg.AssetCheckResult(passed=True)


def run_numbers(home) -> str:
    with dg.DagsterInstance.from_config(str(home)) as instance:
        job = dg.Definitions(assets=[numbers]).resolve_implicit_global_asset_job_def()
        return job.execute_in_process(instance=instance).run_id


READ_BACK = """
import sys, dagster as dg
with dg.DagsterInstance.from_config(sys.argv[1]) as instance:
    kinds = {event.dagster_event_type.value for run_id in sys.argv[2:] for event in instance.all_logs(run_id)
             if event.is_dagster_event}
    latest = instance.get_latest_materialization_event(dg.AssetKey("numbers"))
    check = instance.event_log_storage.get_latest_asset_check_execution_by_key(
        [dg.AssetCheckKey(dg.AssetKey("numbers"), "positive")])
    print(type(instance.event_log_storage).__name__, latest.run_id, len(check), *sorted(kinds))
"""


def read_back_elsewhere(home, *run_ids) -> list[str]:
    """What another process (the UI, say) reads of those runs from DAGSTER_HOME."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(READ_BACK), str(home), *run_ids],
                          capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.split()


def test_runs_are_stored_where_dagster_keeps_them_and_read_by_other_processes_meanwhile(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    # A DAGSTER_HOME made before zhibiao's storage, with Dagster's defaults: its history stays.
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    before = run_numbers(home)
    shutil.copy(DAGSTER_YAML, home / "dagster.yaml")
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert isinstance(instance.event_log_storage, KeptOpenSqliteEventLogStorage)
        assert {event.run_id for event in instance.all_logs(before)} == {before}
        job = dg.Definitions(assets=[numbers]).resolve_implicit_global_asset_job_def()
        after = job.execute_in_process(instance=instance).run_id
        # Read while this instance holds its databases open.
        storage, latest, checks, *kinds = read_back_elsewhere(home, before, after)
    assert storage == "KeptOpenSqliteEventLogStorage"
    assert latest == after
    assert checks == "1"
    assert {"ASSET_MATERIALIZATION", "ASSET_CHECK_EVALUATION", "PIPELINE_SUCCESS"} <= set(kinds)
