"""Assets: report files → raw tables → dbt models → published warehouse.

A run whose folder has not changed materializes nothing: the raw step finds no work from file
sizes and times, and the steps after it are skipped (unless the run is a full check).
"""


import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from expectations.gx import load_in_background
from orchestration import progress
from orchestration.dbt_env import build_variables
from orchestration.environment import variables_set
from orchestration.ingest import IngestSummary, ingest_folder, plan_ingest
from orchestration.plans import plan_for_run
from orchestration.project import dbt_project, models_version
from orchestration.resources import WarehouseResource, released_on_failure
from orchestration.warehouse import file_stamp, first_row

FULL_CHECK_TAG = "zhibiao/full_check"
# A run tagged so reads every file again and rebuilds every model (`zhibiao run --full-refresh`).
FULL_REFRESH_TAG = "zhibiao/full_refresh"
# The tag dbt_project.yml gives the marts built from the seeds and rule tables alone.
TAXONOMY_TAG = "taxonomy"
# dbt nodes that new documents leave as they are (dbt selectors): seeds, the staging views and
# the taxonomy marts.
UNCHANGED_BY_DOCUMENTS = ["resource_type:seed", "tag:staging", f"tag:{TAXONOMY_TAG}"]
# How those runs pick tests: only a test all of whose models are excluded is left out. (dbt's default,
# eager, would leave out every test that touches an excluded model, and with them the relationships
# from the facts being built to the taxonomy marts.) dagster-dbt overrides it when a run selects
# only some checks.
DOCUMENT_RUN_TESTS = {"DBT_INDIRECT_SELECTION": "cautious"}

report_files = dg.AssetSpec(
    "report_files",
    description="Report files in REPORTS_DIR (default warehouse/inbox). The sensor watches this folder.",
    group_name="sources",
    kinds={"file"},
)

RAW_SPECS = [
    dg.AssetSpec(["raw", "indicator_mentions"], deps=[report_files], group_name="ingest", kinds={"duckdb", "polars"},
                 skippable=True,
                 description="Indicator mentions extracted from each report file (one transaction per file)."),
    dg.AssetSpec(["raw", "documents"], deps=[report_files], group_name="ingest", kinds={"duckdb"}, skippable=True,
                 description="One row per report file seen: hash, encoding, title, report year, status."),
    dg.AssetSpec(["raw", "rejected_files"], deps=[report_files], group_name="ingest", kinds={"duckdb"},
                 skippable=True, description="Files that are not readable reports, with the reason."),
    dg.AssetSpec(["raw", "long_sentences"], deps=[report_files], group_name="ingest", kinds={"duckdb"},
                 skippable=True,
                 description="Sentences over 500 characters, kept once; their mentions keep only their piece."),
]


def is_full_check(context) -> bool:
    return context.run.tags.get(FULL_CHECK_TAG) == "true" or is_full_refresh(context)


def is_full_refresh(context) -> bool:
    return context.run.tags.get(FULL_REFRESH_TAG) == "true"


@dg.multi_asset(specs=RAW_SPECS, can_subset=False)
def raw_tables(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Parse new and changed report files into the raw tables of this run's build of the warehouse."""
    settings = warehouse.settings
    reread = is_full_refresh(context)
    plan = plan_for_run(settings, reread)
    files = plan.files
    if not plan.has_work and not is_full_check(context):
        waiting = f"; {len(plan.unsettled)} still being written" if plan.unsettled else ""
        context.log.info(f"nothing changed in {settings.reports_dir} ({len(files)} files){waiting}: "
                         "nothing to build or publish")
        return
    with released_on_failure(warehouse.start_build(context)) as build:
        with build.connect() as con:
            # The build is a copy of the warehouse as published when this run took the build folder:
            # planned again only if another run published in between (at 20,000 files a plan is 0.2 s).
            if file_stamp(settings.warehouse_path) != plan.planned_on:
                plan = plan_ingest(con, files, settings.settle_seconds, settings.prune_missing, reread)
            if not plan.has_work and not is_full_check(context):
                # Another run published these changes while this one waited for the build folder.
                build.finish_without_publishing()
                context.log.info("another run already published these changes: nothing left to do")
                return
            summary = ingest_folder(con, settings.reports_dir, settings.settle_seconds, settings.prune_missing,
                                    log=context.log.info, budget=settings.parse_budget,
                                    workers=settings.parse_workers, reread=reread, plan=plan)
            counts = dict(con.execute(
                "select 'mentions', count(*) from raw.indicator_mentions union all "
                "select 'documents', count(*) from raw.documents union all "
                "select 'rejected', count(*) from raw.rejected_files union all "
                "select 'long_sentences', count(*) from raw.long_sentences"
            ).fetchall())
            preview = con.sql(
                "select source_file, mention_text, indicator_name, value, unit from raw.indicator_mentions "
                "where document_id in (select document_id from raw.changed_documents) "
                "order by source_file, mention_index limit 10"
            ).pl()
            rejected = con.sql("select source_file, reason from raw.rejected_files order by source_file").pl()
        build.save_state({"full_check": is_full_check(context), "changed_documents": len(summary.changed)})
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
        "documents_changed": len(summary.changed),
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
    def get_asset_key(self, dbt_resource_props) -> dg.AssetKey:
        # A model's key is its name wherever its schema is (dagster-dbt would prefix `staging`),
        # so the keys users see in the UI stay put.
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        return dg.AssetKey(dbt_resource_props["name"])

    def get_group_name(self, dbt_resource_props) -> str:
        return "staging" if dbt_resource_props["name"].startswith("stg_") else (
            "taxonomy" if dbt_resource_props["resource_type"] == "seed" else "marts")


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=ZhibiaoDbtTranslator())
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """dbt build on this run's build: seeds, staging views and incremental marts, with their tests as checks."""
    build = warehouse.build(context)
    with released_on_failure(build):
        build.state()  # this run's ingest step left its state: the build is this run's
        version = models_version()
        with build.connect(read_only=True) as con:
            built = first_row(con, "select value from raw.build_info where key = 'models_version'")
        # Models whose code changed are rebuilt in full, seeds included. Otherwise the seeds and the
        # staging views are as they were, and only the changed documents' rows move.
        same = built is not None and built[0] == version and not is_full_refresh(context)
        args = ["build", "--exclude", " ".join(UNCHANGED_BY_DOCUMENTS)] if same else ["build", "--full-refresh"]
        # No manifest.json or run_results.json: dagster-dbt reads dbt's events, not those files, and
        # writing the manifest cost half a second of every run (partial parsing keeps its own file).
        args.append("--no-write-json")
        progress.current().phase("building models (dbt)")
        # Variables for dbt, set only while it runs: the database it builds (ZHIBIAO_DBT_DATABASE, read
        # by profiles.yml) and how it selects tests.
        with variables_set({**build_variables(build.path), **(DOCUMENT_RUN_TESTS if same else {})}):
            # Great Expectations takes seconds to import: do it while dbt works in another process.
            load_in_background()
            invocation = dbt.cli(args, context=context, target_path=warehouse.settings.dbt_target_dir)
            # Held until dbt is done: DuckDB lets no one else open the file while dbt writes it.
            events = list(invocation.stream())
        with build.connect() as con:
            con.execute("insert or replace into raw.build_info values ('models_version', ?)", [version])
            yield from (with_row_count(con, event) for event in events)


def with_row_count(con, event):
    """A model's materialization with its row count. (dagster-dbt's own row counts query the
    relation names of the manifest, which carry the catalog of whatever file it was parsed for.)"""
    if not isinstance(event, dg.Output):
        return event
    table = event.output_name.split("__")[-1]
    found = first_row(con, "select table_schema from information_schema.tables where table_name = ? "
                           "and table_type = 'BASE TABLE'", [table])
    if found is None:
        return event  # a view: its rows are its sources'
    rows = first_row(con, f'select count(*) from "{found[0]}"."{table}"')[0]
    return event.with_metadata({**event.metadata, "dagster/row_count": rows})


# What publishing waits for: the marts that documents change. (The taxonomy marts, when a run
# builds them, come out of the same dbt step; a run that leaves them as they are must still publish.)
DOCUMENT_MARTS = [spec.key for spec in dbt_models.specs if "marts" in spec.tags and TAXONOMY_TAG not in spec.tags]


@dg.asset(deps=DOCUMENT_MARTS, group_name="publish", kinds={"duckdb"})
def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Swap the run's build in as WAREHOUSE_PATH, atomically: readers see all of the run or none."""
    build = warehouse.build(context)
    progress.current().phase("publishing")
    with released_on_failure(build):
        with build.connect(read_only=True) as con:
            rows = first_row(con, "select count(*) from fact_indicator")[0]
            domains = con.sql(
                "select domain_name, count(*) as mentions from fact_indicator join dim_domain using (domain_id) "
                "group by 1 order by 2 desc"
            ).pl()
        path = build.publish()
    context.log.info(f"published {path} ({rows} indicator rows)")
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(path)),
        "fact_indicator_rows": rows,
        "mentions_by_domain": dg.MetadataValue.md(markdown_table(domains)),
    })
