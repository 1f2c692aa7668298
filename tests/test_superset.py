"""The shipped Superset dashboard in a real Superset: imported with the warehouse read-only, and
every chart's data fetched through Superset's REST API. `make test-superset` installs Superset
(bi/requirements.lock) and runs this; `make test` leaves it out (it takes minutes)."""

import os
import shutil
import subprocess

import pytest

from orchestration.settings import REPO_ROOT, load_settings
from bi.chart_data import Superset
from tests.browser import free_port, wait_for_http
from tests.conftest import SAMPLE_FILES, needs_shared
from tests.pipeline import query, run_pipeline
from tests.test_targets import NATIONAL

SUPERSET_BIN = REPO_ROOT / ".venv-superset" / "bin"
CHARTS = {"Mentions by domain", "Documents loaded", "Rejected files", "National GDP growth: target and outcome",
          "Targets against outcomes by region and year"}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (SUPERSET_BIN / "superset").exists(),
                       reason="Superset is not installed here: `make test-superset` installs and runs it"),
]


@needs_shared
def test_the_dashboard_imports_and_every_chart_returns_data(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for path in [*sorted(NATIONAL.glob("*.txt")), *SAMPLE_FILES]:
        shutil.copy(path, inbox / path.name)
    (inbox / "empty.txt").write_bytes(b"")  # one rejected file for its chart
    for path in inbox.iterdir():
        os.utime(path, (1_700_000_000, 1_700_000_000))
    settings = load_settings({"REPORTS_DIR": str(inbox), "WAREHOUSE_PATH": str(tmp_path / "wh" / "warehouse.duckdb"),
                              "ZHIBIAO_SETTLE_SECONDS": "0"})
    assert run_pipeline(settings).success
    before = settings.warehouse_path.stat().st_mtime_ns

    env = {**os.environ, "ZHIBIAO_SUPERSET_HOME": str(tmp_path / "superset"), "FLASK_APP": "superset",
           "SUPERSET_CONFIG_PATH": str(REPO_ROOT / "bi" / "superset_config.py")}
    subprocess.run([str(REPO_ROOT / "bi" / "setup.sh"), str(settings.warehouse_path)], env=env, check=True,
                   timeout=900)
    port = free_port()
    server = subprocess.Popen([str(SUPERSET_BIN / "superset"), "run", "-h", "127.0.0.1", "-p", str(port),
                               "--with-threads"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/health", 180)
        superset = Superset(f"http://127.0.0.1:{port}", "admin", "admin")
        charts = superset.dashboard_charts()
        assert {chart["slice_name"] for chart in charts} == CHARTS
        rows = {chart["slice_name"]: superset.chart_rows(chart["id"]) for chart in charts}
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert all(rows.values()), {title: len(found) for title, found in rows.items()}
    gdp = {row["year"]: row for row in rows["National GDP growth: target and outcome"]}
    expected = dict(query(settings, "select year, target_value from fct_target_outcome where region_code = '100000' "
                                    "and indicator_code = 'gdp' and metric = 'growth'"))
    assert {year: row["target"] for year, row in gdp.items()} == expected
    assert [row["source_file"] for row in rows["Rejected files"]] == ["empty.txt"]
    # Superset only read the warehouse.
    assert settings.warehouse_path.stat().st_mtime_ns == before
