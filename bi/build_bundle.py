"""Write the Superset bundle (bi/bundle/) that `make superset` imports: the zhibiao database
(read-only), its datasets, the charts and the dashboard. Regenerate after a mart's columns change:

    .venv/bin/python bi/build_bundle.py [WAREHOUSE]

Column names, types and descriptions are read from a built warehouse (the descriptions are the
dbt YAML's, persisted as comments), so they have one home. UUIDs are derived from names, so the
bundle only changes where the content does.
"""

from __future__ import annotations

import json
import shutil
import sys
import uuid
from pathlib import Path

import duckdb
import yaml

HERE = Path(__file__).resolve().parent
BUNDLE = HERE / "bundle"
NAMESPACE = uuid.UUID("4f1f3e0c-2b7a-4d0e-9c55-7a1d2a9e0b11")
DATABASE = "zhibiao"
# Replaced by `make superset` with the warehouse's absolute path (read-only, see STACK-NOTES).
URI = "duckdb:///WAREHOUSE_PATH?access_mode=read_only"

# name -> (physical table in main, or the SQL of a virtual dataset; its metrics)
DATASETS = {
    "mentions_by_domain": ("select d.domain_name, count(*) as mentions from fact_indicator f "
                           "join dim_domain d using (domain_id) group by d.domain_name",
                           {"mentions": "sum(mentions)"}),
    "fct_target_outcome": (None, {"targets": "count(*)"}),
    "national_gdp_growth": ("select year, target_value, outcome_value, status from fct_target_outcome "
                            "where region_code = '100000' and indicator_code = 'gdp' and metric = 'growth'",
                            {"target": "max(target_value)", "outcome": "max(outcome_value)"}),
    "dim_document": (None, {"documents_loaded": "count(*) filter (where status = 'loaded')"}),
    "rejected_files": (None, {"rejected": "count(*)"}),
}
# (title, dataset, viz_type, params, width in the 12 columns of a dashboard row)
CHARTS = [
    ("Mentions by domain", "mentions_by_domain", "pie",
     {"groupby": ["domain_name"], "metric": "mentions", "row_limit": 100, "show_legend": True,
      "label_type": "key_percent"}, 4),
    ("Documents loaded", "dim_document", "big_number_total",
     {"metric": "documents_loaded", "subheader": "report files in the warehouse"}, 4),
    ("Rejected files", "rejected_files", "table",
     {"query_mode": "raw", "all_columns": ["source_file", "reason", "seen_at"], "row_limit": 1000}, 4),
    ("National GDP growth: target and outcome", "national_gdp_growth", "echarts_timeseries_line",
     {"x_axis": "year", "metrics": ["target", "outcome"], "groupby": [], "row_limit": 1000,
      "x_axis_sort_asc": True, "show_legend": True, "markerEnabled": True}, 6),
    ("Targets against outcomes by region and year", "fct_target_outcome", "table",
     {"query_mode": "raw", "row_limit": 1000, "order_by_cols": ['["region", true]', '["year", true]'],
      "all_columns": ["region", "year", "indicator_code", "metric", "target_value", "target_qualifier",
                      "outcome_value", "status", "gap"]}, 6),
]


def uid(kind: str, name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{name}"))


def columns_of(con, table: str | None, sql: str | None) -> list[dict]:
    source = f"main.{table}" if table else f"({sql})"
    described = con.execute(f"describe {source}").fetchall()
    comments = dict(con.execute("select column_name, comment from duckdb_columns() where schema_name = 'main' "
                                "and table_name = ?", [table]).fetchall()) if table else {}
    return [{"column_name": name, "type": kind, "is_dttm": kind.startswith(("DATE", "TIMESTAMP")), "is_active": True,
             "groupby": True, "filterable": True, "description": comments.get(name), "expression": None,
             "verbose_name": None, "python_date_format": None, "extra": {}}
            for name, kind, *_ in described]


def dataset(con, name: str) -> dict:
    sql, metrics = DATASETS[name]
    table = None if sql else name
    description = con.execute("select comment from duckdb_tables() where schema_name = 'main' and table_name = ?",
                              [name]).fetchall() if table else []
    return {
        "table_name": name, "main_dttm_col": None, "description": description[0][0] if description else None,
        "default_endpoint": None, "offset": 0, "cache_timeout": None, "schema": "main" if table else None,
        "sql": sql, "params": None, "template_params": None, "filter_select_enabled": True,
        "fetch_values_predicate": None, "extra": None, "uuid": uid("dataset", name),
        "metrics": [{"metric_name": metric, "verbose_name": metric, "metric_type": None, "expression": expression,
                     "description": None, "d3format": None, "extra": {}, "warning_text": None}
                    for metric, expression in metrics.items()],
        "columns": columns_of(con, table, sql), "version": "1.0.0", "database_uuid": uid("database", DATABASE),
    }


def chart(title: str, dataset_name: str, viz_type: str, params: dict) -> dict:
    return {"slice_name": title, "description": None, "certified_by": None, "certification_details": None,
            "viz_type": viz_type, "params": {**params, "viz_type": viz_type, "adhoc_filters": []},
            "query_context": None, "cache_timeout": None, "uuid": uid("chart", title), "version": "1.0.0",
            "dataset_uuid": uid("dataset", dataset_name)}


def dashboard() -> dict:
    """Two rows: the counts, then the targets."""
    position = {"DASHBOARD_VERSION_KEY": "v2", "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
                "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
                "HEADER_ID": {"type": "HEADER", "id": "HEADER_ID", "meta": {"text": "zhibiao 指标"}}}
    rows = [CHARTS[:3], CHARTS[3:]]
    for number, row in enumerate(rows, start=1):
        row_id = f"ROW-{number}"
        position["GRID_ID"]["children"].append(row_id)
        position[row_id] = {"type": "ROW", "id": row_id, "children": [], "parents": ["ROOT_ID", "GRID_ID"],
                            "meta": {"background": "BACKGROUND_TRANSPARENT"}}
        for title, _, _, _, width in row:
            chart_id = f"CHART-{uid('chart', title)[:8]}"
            # chartId is a placeholder: the import maps each chart to its id by uuid.
            position[row_id]["children"].append(chart_id)
            position[chart_id] = {"type": "CHART", "id": chart_id, "children": [],
                                  "parents": ["ROOT_ID", "GRID_ID", row_id],
                                  "meta": {"chartId": len(position), "uuid": uid("chart", title),
                                           "sliceName": title, "width": width,
                                           "height": 50}}
    return {"dashboard_title": "zhibiao: indicators from government work reports", "description": None,
            "css": "", "slug": "zhibiao", "uuid": uid("dashboard", "zhibiao"), "position": position,
            "metadata": {"color_scheme": "supersetColors", "refresh_frequency": 0, "native_filter_configuration": [],
                         "expanded_slices": {}, "label_colors": {}, "timed_refresh_immune_slices": [],
                         "cross_filters_enabled": False},
            "version": "1.0.0", "published": True}


def database() -> dict:
    return {"database_name": DATABASE, "sqlalchemy_uri": URI, "cache_timeout": None, "expose_in_sqllab": True,
            "allow_run_async": False, "allow_ctas": False, "allow_cvas": False, "allow_dml": False,
            "allow_file_upload": False,
            # read_only here too: `import-dashboards` keeps engine params where it drops the URI's query.
            "extra": {"engine_params": {"connect_args": {"read_only": True}}, "metadata_params": {},
                      "schemas_allowed_for_file_upload": []},
            "uuid": uid("database", DATABASE), "version": "1.0.0"}


def write(path: Path, content: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")


def build(warehouse: Path) -> None:
    shutil.rmtree(BUNDLE, ignore_errors=True)
    write(BUNDLE / "metadata.yaml", {"version": "1.0.0", "type": "Dashboard", "timestamp": "2026-11-23T00:00:00"})
    write(BUNDLE / "databases" / f"{DATABASE}.yaml", database())
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for name in DATASETS:
            write(BUNDLE / "datasets" / DATABASE / f"{name}.yaml", dataset(con, name))
    finally:
        con.close()
    for title, dataset_name, viz_type, params, _ in CHARTS:
        write(BUNDLE / "charts" / f"{uid('chart', title)[:8]}.yaml", chart(title, dataset_name, viz_type, params))
    write(BUNDLE / "dashboards" / "zhibiao.yaml", dashboard())


if __name__ == "__main__":
    build(Path(sys.argv[1] if len(sys.argv) > 1 else HERE.parent / "warehouse" / "warehouse.duckdb"))
