"""The code location: ``defs`` is what ``dagster dev`` and ``make run`` load."""


import dagster as dg

from orchestration.assets import dbt_models, published_warehouse, raw_tables, report_files
from orchestration.checks import gx_checks
from orchestration.resources import WarehouseResource, dbt_resource
from orchestration.runs import WRITER_TAG
from orchestration.sensors import build_inbox_sensor
from orchestration.settings import Settings, load_settings

PIPELINE_JOB = "zhibiao_pipeline"


def build_definitions(settings: Settings) -> dg.Definitions:
    pipeline = dg.define_asset_job(
        PIPELINE_JOB,
        selection=dg.AssetSelection.all(),
        description="Read new and changed reports, rebuild the dbt models, validate, publish the warehouse.",
        # One writer at a time: a second run queues behind the first (see dagster.yaml) and the
        # warehouse lock makes any other writer wait.
        tags=dict([WRITER_TAG]),
    )
    daily = dg.ScheduleDefinition(
        name="daily_refresh",
        job=pipeline,
        cron_schedule=settings.schedule_cron,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="Rebuilds the warehouse daily (ZHIBIAO_SCHEDULE_CRON), whatever the sensor saw.",
    )
    return dg.Definitions(
        assets=[report_files, raw_tables, dbt_models, published_warehouse],
        asset_checks=gx_checks,
        jobs=[pipeline],
        schedules=[daily],
        sensors=[build_inbox_sensor(settings, pipeline)],
        resources={"warehouse": WarehouseResource.from_settings(settings), "dbt": dbt_resource()},
        # In one process: resources (the warehouse lock and working copy) live for the whole run.
        executor=dg.in_process_executor,
    )


defs = build_definitions(load_settings())
