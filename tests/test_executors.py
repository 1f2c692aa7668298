"""The job builds the same warehouse in one process and in a process per step."""

import dagster as dg
import pytest

from tests.conftest import SAMPLE_FILES, age
from tests.pipeline import pipeline_job, query

CONTENT = ("select source_file, mention_index, indicator_key, indicator_name, value, unit, qualifier, metric, "
           "period_year, is_target, domain_id, section_title from fact_indicator order by source_file, mention_index")


@pytest.mark.cost(30)
def test_multiprocess_executor_gives_the_same_warehouse(built, tmp_path, monkeypatch):
    assert built.success
    expected = query(built.settings, CONTENT)

    inbox = tmp_path / "mp_inbox"
    inbox.mkdir()
    for sample in SAMPLE_FILES:
        (inbox / sample.name).write_bytes(sample.read_bytes())
        age(inbox / sample.name)
    warehouse = tmp_path / "mp_wh" / "warehouse.duckdb"
    # Step processes rebuild the job from the environment they inherit.
    for name, value in {"REPORTS_DIR": str(inbox), "WAREHOUSE_PATH": str(warehouse),
                        "ZHIBIAO_SETTLE_SECONDS": "0"}.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "dagster_home").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "dagster_home")) as instance:
        result = dg.execute_job(
            dg.reconstructable(pipeline_job), instance=instance,
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
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute(CONTENT).fetchall() == expected
    finally:
        con.close()
