"""The whole pipeline, in-process, on a throwaway warehouse: contract tables, re-runs, changes, bad files."""

import os
import subprocess
import sys

from orchestration.settings import REPO_ROOT
from tests.conftest import SAMPLE_FILES, SHARED, age, needs_shared
from tests.pipeline import query, run_pipeline

CONTRACT_COLUMNS = {
    "indicator_key", "document_id", "source_file", "domain_id", "section_title", "indicator_name", "metric",
    "value", "value_high", "unit", "qualifier", "period_year", "is_target", "mention_text", "sentence",
}


def test_first_run_builds_the_contract_tables(workspace):
    result = run_pipeline(workspace)
    assert result.success
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
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks["gx_units"] and checks["gx_years"]
    assert (workspace.gx_results_dir / "fact_indicator_units.json").exists()


@needs_shared
def test_seed_score_meets_the_bar(workspace):
    assert run_pipeline(workspace).success
    out = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), "--warehouse", str(workspace.warehouse_path),
         "--gold", str(SHARED / "gold" / "seeds.jsonl")],
        capture_output=True, text=True, check=True,
    ).stdout
    scores = dict(part.split("=") for part in out.strip().splitlines()[-1].split())
    assert float(scores["f1"]) >= 0.97 and float(scores["attr"]) >= 0.95, out


def test_reruns_changes_duplicates_and_deletions(workspace):
    assert run_pipeline(workspace).success
    count = query(workspace, "select count(*) from fact_indicator")[0][0]

    # Same files again: nothing new, nothing parsed.
    result = run_pipeline(workspace)
    assert result.success
    assert query(workspace, "select count(*) from fact_indicator")[0][0] == count
    meta = result.asset_materializations_for_node("raw_tables")[0].metadata
    assert meta["files_parsed"].value == 0 and meta["files_unchanged"].value == 2

    inbox = workspace.reports_dir
    sample = inbox / "004_06f168087f7608ae.txt"
    # The same bytes under another name: recorded as a duplicate, no new rows.
    (inbox / "copy of 004.txt").write_bytes(sample.read_bytes())
    age(inbox / "copy of 004.txt")
    # A changed file under the same name: its rows are replaced.
    other = inbox / "000_d4638206f60c59f5.txt"
    other.write_text("关键词 创新发展\n2024 新增城镇就业13.1万人。\n", encoding="utf-8")
    age(other)
    assert run_pipeline(workspace).success
    rows = query(workspace, "select source_file, mention_text from fact_indicator where source_file like '000%'")
    assert rows == [("000_d4638206f60c59f5.txt", "13.1万人")]
    dup = query(workspace, "select status, duplicate_of from dim_document where source_file = 'copy of 004.txt'")
    assert dup == [("duplicate", "004_06f168087f7608ae.txt")]
    assert query(workspace, "select count(*) from fact_indicator where source_file = 'copy of 004.txt'")[0][0] == 0

    # A deleted file keeps its rows and is marked gone.
    other.unlink()
    assert run_pipeline(workspace).success
    assert query(workspace, "select is_present from dim_document where source_file like '000%'") == [(False,)]
    assert query(workspace, "select count(*) from fact_indicator where source_file like '000%'")[0][0] == 1


def test_bad_files_are_rejected_and_the_rest_loads(workspace):
    inbox = workspace.reports_dir
    good = (inbox / "004_06f168087f7608ae.txt").read_text(encoding="utf-8")
    files = {
        "empty.txt": b"",
        "noise.txt": bytes(range(256)) * 64,
        "scan.txt": b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        "archive.txt": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(200),
        "gb18030 copy.txt": good.replace("关键词", "关键词 ", 1).encode("gb18030"),
        "郑州 '; drop table fact_indicator; --.txt": "新增城镇就业13.1万人。".encode("utf-8"),
        "no numbers.txt": "各位代表：现在我代表市人民政府作报告。".encode("utf-8"),
        ".~lock.report.txt#": b"lock",
        "report.txt.part": "新增学位4.25万个。".encode("utf-8"),
    }
    for name, data in files.items():
        (inbox / name).write_bytes(data)
        age(inbox / name)
    # Names from a GBK zip unpacked on Linux, and entries that can never be opened.
    for name, text in ((b"bad\xff\xfename.txt", "新增城镇就业13.1万人。"), ("罗湖区报告.txt".encode("gb18030"), "新增学位4.25万个。")):
        path = os.path.join(os.fsencode(inbox), name)
        with open(path, "wb") as fh:
            fh.write(text.encode("utf-8"))
        age(os.fsdecode(path))
    os.symlink(inbox / "gone.txt", inbox / "dangling link.txt")
    os.mkfifo(inbox / "pipe.txt")
    result = run_pipeline(workspace)
    assert result.success
    rejected = dict(query(workspace, "select source_file, reason from rejected_files"))
    assert set(rejected) == {"empty.txt", "noise.txt", "scan.txt", "archive.txt", "dangling link.txt", "pipe.txt"}
    assert "PDF" in rejected["scan.txt"] and "empty" in rejected["empty.txt"]
    assert "broken symbolic link" in rejected["dangling link.txt"] and "named pipe" in rejected["pipe.txt"]
    loaded = {r[0] for r in query(workspace, "select source_file from dim_document")}
    assert "gb18030 copy.txt" in loaded and "郑州 '; drop table fact_indicator; --.txt" in loaded
    assert {"bad\\xff\\xfename.txt", "罗湖区报告.txt", *(s.name for s in SAMPLE_FILES)} <= loaded
    assert query(workspace, "select value from fact_indicator where source_file = 'bad\\xff\\xfename.txt'") == [(131000.0,)]
    assert not {".~lock.report.txt#", "report.txt.part"} & loaded
    enc = query(workspace, "select encoding from dim_document where source_file = 'gb18030 copy.txt'")
    assert enc == [("gb18030",)]
    assert query(workspace, "select count(*) from fact_indicator where source_file = 'no numbers.txt'")[0][0] == 0
    meta = result.asset_materializations_for_node("raw_tables")
    rejected_meta = [m for m in meta if m.asset_key.path == ["raw", "rejected_files"]][0].metadata
    assert rejected_meta["dagster/row_count"].value == 6


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


def test_bi_tools_can_reflect_and_query_read_only(workspace):
    """What Superset does through SQLAlchemy and duckdb-engine: list tables, read columns, query, not write.

    Run as its own process, as a BI tool would be."""
    assert run_pipeline(workspace).success
    out = subprocess.run([sys.executable, "-c", BI_CLIENT, str(workspace.warehouse_path)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["write", "refused", "ok"]
