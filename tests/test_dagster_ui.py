"""The Dagster UI as a user sees it: the webserver on a free port, opened in headless Chromium,
showing the samples' build (its run is kept in the workspace's DAGSTER_HOME)."""

import os
import subprocess

import pytest

from orchestration.definitions import build_definitions
from orchestration.settings import REPO_ROOT
from tests.browser import Browser, find_browser, free_port, wait_for_http
from tests.conftest import SAMPLE_FILES

BROWSER = find_browser()
ARTIFACTS = REPO_ROOT / "artifacts"
LOCATION = "orchestration.definitions"
# Dagster's first-visit invitation covers the page; a user would press Skip.
DISMISS = "for (const b of document.querySelectorAll('button')) { if (b.innerText.trim() === 'Skip') b.click(); }"


@pytest.fixture
def ui(built, tmp_path):
    port = free_port()
    settings = built.settings
    env = {**os.environ, "REPORTS_DIR": str(settings.reports_dir), "WAREHOUSE_PATH": str(settings.warehouse_path),
           "DAGSTER_HOME": str(settings.dagster_home)}
    server = subprocess.Popen([str(REPO_ROOT / ".venv" / "bin" / "dagster-webserver"), "-h", "127.0.0.1",
                               "-p", str(port), "-m", LOCATION], env=env, cwd=REPO_ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    browser = None
    try:
        wait_for_http(f"http://127.0.0.1:{port}/server_info", 90)
        browser = Browser(BROWSER, tmp_path / "profile")
        yield browser, f"http://127.0.0.1:{port}"
    finally:
        if browser is not None:
            browser.close()
        server.terminate()
        server.wait(timeout=30)


def visit(browser: Browser, url: str, shows: list[str]) -> str:
    browser.open(url)
    text = browser.wait_for_text(shows)
    browser.call("Runtime.evaluate", page=True, expression=DISMISS)
    return text


@pytest.mark.skipif(BROWSER is None, reason="no Chromium installed (Debian: apt-get install chromium); "
                                            ".ci/run installs it, so CI runs this test")
@pytest.mark.cost(26)
def test_the_ui_shows_every_asset_and_check_and_the_last_run(built, ui):
    browser, base = ui
    definitions = build_definitions(built.settings)
    assets = definitions.resolve_asset_graph().get_all_asset_keys()
    browser.resize(1600, 4000)  # the catalog renders only the rows that fit
    catalog = visit(browser, f"{base}/assets", ["dim_document"])
    assert [key for key in assets if key.path[-1] not in catalog] == []
    browser.resize(1600, 1000)

    fact_checks = [key.name for key in definitions.resolve_asset_graph().asset_check_keys
                   if key.asset_key.to_user_string() == "fact_indicator"]
    assert {"gx_units", "gx_years", "gx_ranges", "gx_totals"} <= set(fact_checks)
    visit(browser, f"{base}/assets/fact_indicator?view=checks", fact_checks)

    marts = visit(browser, f"{base}/locations/{LOCATION}/asset-groups/marts/lineage",
                  ["dim_document", "Asset checks", "Passed"])
    assert "Failed" not in marts
    browser.screenshot(ARTIFACTS / "dagster-marts-lineage.png")

    # The last run's metadata: row count and the preview of the rows it parsed.
    rows = built.metadata["raw/indicator_mentions"]["dagster/row_count"]
    page = visit(browser, f"{base}/assets/raw/indicator_mentions", ["Row count", "preview", "files_parsed"])
    assert str(rows) in page and SAMPLE_FILES[0].name in page  # the preview's first row
    shot = browser.screenshot(ARTIFACTS / "dagster-raw-mentions.png")
    assert shot.stat().st_size > 10_000
