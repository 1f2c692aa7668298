"""The whole pipeline, in-process, on a throwaway warehouse: contract tables, re-runs, changes, bad files."""

import subprocess
import sys

from bench.faults import UNDESCRIBED_COLUMNS
from orchestration.settings import REPO_ROOT
from tests.conftest import SHARED, needs_shared
from tests.pipeline import query, run_pipeline

CONTRACT_COLUMNS = {
    "indicator_key", "document_id", "source_file", "domain_id", "section_title", "indicator_name", "metric",
    "value", "value_high", "unit", "qualifier", "period_year", "is_target", "mention_text", "sentence",
    "region", "region_code",
}


def test_first_run_builds_the_contract_tables(built):
    workspace = built.settings
    assert built.success
    columns = {r[0] for r in query(workspace, "select column_name from information_schema.columns "
                                              "where table_name = 'fact_indicator' and table_schema = 'main'")}
    assert CONTRACT_COLUMNS <= columns
    assert query(workspace, "select count(*) from dim_domain")[0][0] >= 10
    assert query(workspace, "select count(*) - count(distinct indicator_key) from fact_indicator")[0][0] == 0
    orphans = query(workspace, "select count(*) from fact_indicator left join dim_domain using (domain_id) "
                               "where dim_domain.domain_id is null")
    assert orphans[0][0] == 0
    docs = query(workspace, "select source_file, encoding, report_year, status from dim_document order by 1")
    assert [d[0] for d in docs] == ["000_d4638206f60c59f5.txt", "004_06f168087f7608ae.txt"]
    regions = query(workspace, "select distinct region, region_level, region_code, province from dim_document")
    assert regions == [("郑州市", "prefecture", "410100", "河南省")]
    assert query(workspace, "select distinct region_code from fact_indicator") == [("410100",)]
    row = query(workspace, "select value, unit, qualifier, is_target, section_title from fact_indicator "
                           "where mention_text = '超过1.4万家'")
    assert row == [(14000.0, "家", "gt", False, "创新发展")]
    shell = subprocess.run(
        [str(REPO_ROOT / ".venv" / "bin" / "duckdb"), "-readonly", "-csv", "-noheader", str(workspace.warehouse_path),
         "-c", "select count(*) from fact_indicator join dim_domain using (domain_id)"],
        capture_output=True, text=True, timeout=60,
    )
    assert shell.returncode == 0, shell.stderr
    assert int(shell.stdout.strip()) == query(workspace, "select count(*) from fact_indicator")[0][0]
    assert built.checks["gx_units"] and built.checks["gx_years"] and built.checks["gx_totals"]
    assert (workspace.gx_results_dir / "fact_indicator_units.json").exists()
    assert built.metadata["raw/indicator_mentions"]["files_parsed"] == 2
    assert built.metadata["raw/rejected_files"]["rejected"] == "No rejected files."
    published = built.metadata["published_warehouse"]
    assert published["fact_indicator_rows"] == query(workspace, "select count(*) from fact_indicator")[0][0]


@needs_shared
def test_seed_score_meets_the_bar(built):
    workspace = built.settings
    assert built.success
    out = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), "--warehouse", str(workspace.warehouse_path),
         "--gold", str(SHARED / "gold" / "seeds.jsonl")],
        capture_output=True, text=True, check=True,
    ).stdout
    scores = dict(part.split("=") for part in out.strip().splitlines()[-1].split())
    assert float(scores["f1"]) >= 0.97 and float(scores["attr"]) >= 0.95, out


def test_a_run_with_nothing_changed_builds_and_publishes_nothing(built_workspace):
    """Changes, duplicates, deletions and bad files run as real processes in tests/test_faults.py."""
    workspace = built_workspace
    count = query(workspace, "select count(*) from fact_indicator")[0][0]
    published = workspace.warehouse_path.stat()
    result = run_pipeline(workspace)
    assert result.success
    assert result.asset_materializations_for_node("raw_tables") == []
    skipped = {e.step_key for e in result.all_events if e.event_type_value == "STEP_SKIPPED"}
    assert {"dbt_models", "fact_indicator_gx", "published_warehouse"} <= skipped
    assert workspace.warehouse_path.stat().st_mtime_ns == published.st_mtime_ns
    assert query(workspace, "select count(*) from fact_indicator")[0][0] == count


BI_CLIENT = """
import sys
import sqlalchemy as sa

engine = sa.create_engine(f"duckdb:///{sys.argv[1]}", connect_args={"read_only": True})
inspector = sa.inspect(engine)
assert {"fact_indicator", "dim_domain", "dim_document", "rejected_files"} <= set(inspector.get_table_names())
columns = {c["name"] for c in inspector.get_columns("fact_indicator")}
assert {"indicator_key", "value", "unit", "domain_id"} <= columns
with engine.connect() as con:
    rows = con.execute(sa.text(
        "select domain_name, count(*) from fact_indicator join dim_domain using (domain_id) group by 1"
    )).fetchall()
    assert sum(n for _, n in rows) == con.execute(sa.text("select count(*) from fact_indicator")).scalar()
    try:
        con.execute(sa.text("delete from fact_indicator"))
    except Exception:
        print("write refused")
engine.dispose()
print("ok")
"""


def test_bi_tools_can_reflect_and_query_read_only(built):
    """What Superset does through SQLAlchemy and duckdb-engine: list tables, read columns, query, not write.

    Run as its own process, as a BI tool would be."""
    workspace = built.settings
    out = subprocess.run([sys.executable, "-c", BI_CLIENT, str(workspace.warehouse_path)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["write", "refused", "ok"]


def test_the_default_schema_holds_only_the_marts_each_described(built):
    """What BI tools list: marts and dims in main, described; staging, seeds and raw apart."""
    workspace = built.settings
    relations = dict(query(workspace, "select schema_name, list(table_name order by table_name) from ("
                                      "select schema_name, table_name from duckdb_tables() union all "
                                      "select schema_name, view_name from duckdb_views() where not internal) "
                                      "group by 1"))
    assert relations["main"] == ["dim_document", "dim_domain", "dim_indicator", "dim_region", "fact_indicator",
                                 "fct_target_outcome", "long_sentences", "rejected_files"]
    assert all(name.startswith("stg_") for name in relations["staging"])
    assert relations["seeds"] == ["domains", "indicator_ranges", "indicators"]
    assert "documents" in relations["raw"]
    assert query(workspace, UNDESCRIBED_COLUMNS) == []
    tables = query(workspace, "select table_name, comment from duckdb_tables() where schema_name = 'main' "
                              "and database_name = current_database()")
    assert all(comment for _, comment in tables), tables
