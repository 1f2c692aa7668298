"""The code location: ``defs`` is what ``dagster dev`` and ``make run`` load."""


import dagster as dg

from orchestration.assets import FULL_CHECK_TAG, dbt_models, published_warehouse, raw_tables, report_files
from orchestration.checks import gx_checks
from orchestration.resources import WarehouseResource, dbt_resource
from orchestration.runs import WAREHOUSE_TAG, WRITER_TAG
from orchestration.sensors import build_inbox_sensor
from orchestration.settings import Settings, load_settings

PIPELINE_JOB = "zhibiao_pipeline"
# Steps share nothing but the build folder, so any executor gives the same warehouse. In one
# process is the default (no process start-up per step); pick multiprocess in the launchpad.
IN_PROCESS = {"execution": {"config": {"in_process": {}}}}


def build_definitions(settings: Settings) -> dg.Definitions:
    pipeline = dg.define_asset_job(
        PIPELINE_JOB,
        selection=dg.AssetSelection.all(),
        description="Read new and changed reports, update the dbt models, validate, publish the warehouse.",
        executor_def=dg.multi_or_in_process_executor,
        config=IN_PROCESS,
        # One writer at a time: a second run queues behind the first (see dagster.yaml), and the
        # build folder's lease makes any other writer wait.
        tags={**dict([WRITER_TAG]), WAREHOUSE_TAG: str(settings.warehouse_path)},
    )
    daily = dg.ScheduleDefinition(
        name="daily_refresh",
        job=pipeline,
        cron_schedule=settings.schedule_cron,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        tags={FULL_CHECK_TAG: "true"},
        description="A full check every day (ZHIBIAO_SCHEDULE_CRON): the models are built and every row is "
                    "validated, whether or not a file changed.",
    )
    return dg.Definitions(
        assets=[report_files, raw_tables, dbt_models, published_warehouse],
        asset_checks=[gx_checks],
        jobs=[pipeline],
        schedules=[daily],
        sensors=[build_inbox_sensor(settings, pipeline)],
        resources={"warehouse": WarehouseResource.from_settings(settings), "dbt": dbt_resource()},
    )


defs = build_definitions(load_settings())
