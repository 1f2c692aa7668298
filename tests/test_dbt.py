"""dbt builds on its own with the shipped profiles.yml, pointed at a warehouse by WAREHOUSE_PATH."""

import os
import subprocess

import duckdb
import pytest

from orchestration.ingest import ingest_folder
from orchestration.project import dbt_executable
from orchestration.settings import DBT_PROJECT_DIR


@pytest.mark.cost(13)
def test_dbt_build_alone(workspace, tmp_path):
    db = tmp_path / "alone.duckdb"
    con = duckdb.connect(str(db))
    ingest_folder(con, workspace.reports_dir)
    con.close()
    env = {k: v for k, v in os.environ.items() if k != "ZHIBIAO_DBT_DATABASE"}
    env["WAREHOUSE_PATH"] = str(db)
    out = subprocess.run(
        [dbt_executable(), "build", "--profiles-dir", ".", "--target-path", str(tmp_path / "target")],
        cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600,
    )
    assert out.returncode == 0, out.stdout[-3000:]
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from fact_indicator").fetchall()[0][0] > 40
    assert con.execute("select count(*) from dim_domain").fetchall()[0][0] >= 10
