"""Assets: report files → raw tables → dbt models → published warehouse."""


import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.ingest import IngestSummary, ingest_folder
from orchestration.project import dbt_project
from orchestration.resources import WarehouseResource
from orchestration.warehouse import first_row

report_files = dg.AssetSpec(
    "report_files",
    description="Report files in REPORTS_DIR (default warehouse/inbox). The sensor watches this folder.",
    group_name="sources",
    kinds={"file"},
)

RAW_SPECS = [
    dg.AssetSpec(["raw", "indicator_mentions"], deps=[report_files], group_name="ingest", kinds={"duckdb", "polars"},
                 description="Indicator mentions extracted from each report file (one transaction per file)."),
    dg.AssetSpec(["raw", "documents"], deps=[report_files], group_name="ingest", kinds={"duckdb"},
                 description="One row per report file seen: hash, encoding, title, report year, status."),
    dg.AssetSpec(["raw", "rejected_files"], deps=[report_files], group_name="ingest", kinds={"duckdb"},
                 description="Files that are not readable reports, with the reason."),
    dg.AssetSpec(["raw", "long_sentences"], deps=[report_files], group_name="ingest", kinds={"duckdb"},
                 description="Sentences over 500 characters, kept once; their mentions keep only their piece."),
]


@dg.multi_asset(specs=RAW_SPECS, can_subset=False)
def raw_tables(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Parse new and changed report files into the raw tables; unchanged files are skipped by hash."""
    settings = warehouse.settings
    settings.reports_dir.mkdir(parents=True, exist_ok=True)
    with warehouse.connect() as con:
        summary = ingest_folder(con, settings.reports_dir, settings.settle_seconds, settings.prune_missing,
                                log=context.log.info, budget=settings.parse_budget)
        counts = dict(con.execute(
            "select 'mentions', count(*) from raw.indicator_mentions union all "
            "select 'documents', count(*) from raw.documents union all "
            "select 'rejected', count(*) from raw.rejected_files union all "
            "select 'long_sentences', count(*) from raw.long_sentences"
        ).fetchall())
        preview = con.sql(
            "select source_file, mention_text, indicator_name, value, unit from raw.indicator_mentions "
            "order by loaded_at desc, source_file, mention_index limit 10"
        ).pl()
        rejected = con.sql("select source_file, reason from raw.rejected_files order by source_file").pl()
    for name, reason in summary.rejected:
        context.log.warning(f"rejected {name}: {reason}")
    yield dg.MaterializeResult(asset_key=["raw", "indicator_mentions"], metadata={
        **ingest_metadata(summary),
        "dagster/row_count": counts["mentions"],
        "preview": dg.MetadataValue.md(markdown_table(preview)),
    })
    yield dg.MaterializeResult(asset_key=["raw", "documents"], metadata={
        "dagster/row_count": counts["documents"],
        "files_missing_from_folder": len(summary.missing),
    })
    yield dg.MaterializeResult(asset_key=["raw", "rejected_files"], metadata={
        "dagster/row_count": counts["rejected"],
        "rejected": dg.MetadataValue.md(markdown_table(rejected) if rejected.height else "No rejected files."),
    })
    yield dg.MaterializeResult(asset_key=["raw", "long_sentences"], metadata={
        "dagster/row_count": counts["long_sentences"],
    })


def ingest_metadata(summary: IngestSummary) -> dict:
    return {
        "files_seen": summary.files_seen,
        "files_parsed": len(summary.parsed),
        "files_unchanged": len(summary.unchanged),
        "files_duplicate": len(summary.duplicates),
        "files_rejected": len(summary.rejected),
        "files_still_being_written": len(summary.unsettled),
        "mentions_loaded_this_run": summary.mentions_loaded,
        "parsed": dg.MetadataValue.json(summary.parsed),
    }


def markdown_table(frame) -> str:
    header = "| " + " | ".join(frame.columns) + " |\n|" + "---|" * len(frame.columns)
    body = "\n".join("| " + " | ".join(escape_cell(v) for v in row) + " |" for row in frame.iter_rows())
    return header + ("\n" + body if body else "")


def escape_cell(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


class ZhibiaoDbtTranslator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props) -> str:
        return "staging" if dbt_resource_props["name"].startswith("stg_") else (
            "taxonomy" if dbt_resource_props["resource_type"] == "seed" else "marts")


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=ZhibiaoDbtTranslator())
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """dbt build: seeds, staging and marts, with their schema tests as asset checks."""
    yield from dbt.cli(["build"], context=context).stream().fetch_row_counts()


MART_KEYS = [dg.AssetKey(name) for name in
             ("fact_indicator", "dim_domain", "dim_document", "rejected_files", "long_sentences")]


@dg.asset(deps=MART_KEYS, group_name="publish", kinds={"duckdb"})
def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Swap the run's working copy in as WAREHOUSE_PATH, atomically: readers see all of the run or none."""
    with warehouse.connect() as con:
        rows = first_row(con, "select count(*) from fact_indicator")[0]
        domains = con.sql(
            "select domain_name, count(*) as mentions from fact_indicator join dim_domain using (domain_id) "
            "group by 1 order by 2 desc"
        ).pl()
    path = warehouse.publish()
    context.log.info(f"published {path} ({rows} indicator rows)")
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(path)),
        "fact_indicator_rows": rows,
        "mentions_by_domain": dg.MetadataValue.md(markdown_table(domains)),
    })
