"""The code location loads and holds the whole graph."""

import json
import subprocess
import sys

import dagster as dg
import pytest

from orchestration.definitions import PIPELINE_JOB, build_definitions
from orchestration.settings import REPO_ROOT, load_settings

EXPECTED_ASSETS = {
    "report_files", "raw/indicator_mentions", "raw/documents", "raw/rejected_files", "raw/long_sentences",
    "domains", "indicators", "indicator_ranges",
    "stg_indicator_mentions", "stg_documents", "stg_rejected_files", "stg_long_sentences",
    "fact_indicator", "dim_domain", "dim_document", "rejected_files", "long_sentences", "published_warehouse",
    "dim_indicator", "dim_region", "fct_target_outcome",
}


def test_asset_graph_snapshot():
    defs = build_definitions(load_settings())
    keys = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert keys == EXPECTED_ASSETS


def test_sensor_schedule_and_checks():
    defs = build_definitions(load_settings({"ZHIBIAO_SCHEDULE_CRON": "30 2 * * *"}))
    assert defs.get_sensor_def("inbox_sensor").job_name == PIPELINE_JOB
    assert defs.get_schedule_def("daily_refresh").cron_schedule == "30 2 * * *"
    check_names = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    assert {"gx_units", "gx_years", "gx_ranges", "gx_totals"} <= check_names
    assert any(name.startswith("unique_fact_indicator_indicator_key") for name in check_names)


def test_published_warehouse_waits_for_the_marts_documents_change():
    graph = build_definitions(load_settings()).resolve_asset_graph()
    parents = {k.to_user_string() for k in graph.get(dg.AssetKey("published_warehouse")).parent_keys}
    assert parents == {"fact_indicator", "dim_document", "rejected_files", "long_sentences", "fct_target_outcome"}
    # The taxonomy marts are built with the models only: a run of new documents leaves them, and
    # still publishes (a parent left unmaterialized would skip the publish step).
    taxonomy = {k.to_user_string() for k in graph.materializable_asset_keys if "taxonomy" in graph.get(k).tags}
    assert taxonomy == {"dim_domain", "dim_indicator", "dim_region"}


@pytest.mark.cost(8)
def test_dagster_definitions_validate():
    dagster = str(REPO_ROOT / ".venv" / "bin" / "dagster")
    out = subprocess.run([dagster, "definitions", "validate", "-m", "orchestration.definitions"],
                         cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr


def asset_graph_outline(defs: dg.Definitions) -> list:
    """What the UI and a run see of each asset: its parents, group, kinds, description, tags and checks."""
    graph = defs.resolve_asset_graph()
    return [(key.to_user_string(), sorted(p.to_user_string() for p in node.parent_keys), node.group_name,
             sorted(node.kinds), node.description, sorted(node.tags.items()),
             sorted(check.to_user_string() for check in node.check_keys))
            for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string())
            for node in [graph.get(key)]]


@pytest.mark.cost(4)
def test_the_graph_without_dbt_core_loaded_is_the_graph_with_it():
    # `zhibiao run`'s own process loads dagster-dbt without dbt-core (orchestration.dbt_elsewhere);
    # this one has dbt-core.
    script = """
import json, sys
from orchestration.dbt_elsewhere import load_dagster_dbt
load_dagster_dbt()
from orchestration.definitions import build_definitions
from orchestration.settings import load_settings
from tests.test_definitions import asset_graph_outline
outline = asset_graph_outline(build_definitions(load_settings()))
assert not [name for name in sys.modules if name == "dbt" or name.startswith("dbt.")], "dbt-core was loaded"
print(json.dumps(outline))
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    with_dbt_core = json.loads(json.dumps(asset_graph_outline(build_definitions(load_settings()))))
    assert json.loads(out.stdout) == with_dbt_core
