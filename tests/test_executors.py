"""The job builds the same warehouse in one process and in a process per step."""

import shutil

import dagster as dg
import pytest

from orchestration.assets import FULL_REFRESH_TAG
from tests.conftest import SAMPLE_FILES, age
from tests.pipeline import pipeline_job, query

CONTENT = ("select source_file, mention_index, indicator_key, indicator_name, value, unit, qualifier, metric, "
           "period_year, is_target, domain_id, section_title from fact_indicator order by source_file, mention_index")


@pytest.mark.cost(47)
def test_a_full_refresh_under_the_multiprocess_executor_gives_the_same_warehouse(built, tmp_path, monkeypatch):
    """A copy of the samples' build, every file parsed again and every model rebuilt
    (`zhibiao run --full-refresh`), each step in a process of its own."""
    assert built.success
    expected = query(built.settings, CONTENT)

    inbox = tmp_path / "mp_inbox"
    inbox.mkdir()
    for sample in SAMPLE_FILES:
        (inbox / sample.name).write_bytes(sample.read_bytes())
        age(inbox / sample.name)
    warehouse = tmp_path / "mp_wh" / "warehouse.duckdb"
    warehouse.parent.mkdir()
    shutil.copy(built.settings.warehouse_path, warehouse)
    # Step processes rebuild the job from the environment they inherit.
    for name, value in {"REPORTS_DIR": str(inbox), "WAREHOUSE_PATH": str(warehouse),
                        "ZHIBIAO_SETTLE_SECONDS": "0"}.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "dagster_home").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "dagster_home")) as instance:
        result = dg.execute_job(
            dg.reconstructable(pipeline_job), instance=instance, tags={FULL_REFRESH_TAG: "true"},
            run_config={"execution": {"config": {"multiprocess": {
                "max_concurrent": 2,
                # Step processes fork from a server that has imported the code location once.
                "start_method": {"forkserver": {"preload_modules": ["orchestration.definitions",
                                                                    "great_expectations"]}},
            }}}},
        )
        assert result.success
        pids = {e.dagster_event.pid for e in instance.all_logs(result.run_id)
                if e.dagster_event and e.dagster_event.is_step_start}
        assert len(pids) > 1, "every step ran in one process"
        materializations = [entry.asset_materialization for entry in
                            instance.all_logs(result.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)]
        parsed = [m.metadata["files_parsed"].value for m in materializations
                  if m.asset_key == dg.AssetKey(["raw", "indicator_mentions"])]
        assert parsed == [len(SAMPLE_FILES)], "the full refresh parsed every file again"
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute(CONTENT).fetchall() == expected
    finally:
        con.close()
