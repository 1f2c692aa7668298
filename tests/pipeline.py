"""Run the real Dagster job in this process against a workspace's settings."""

import dagster as dg

from orchestration.definitions import PIPELINE_JOB, build_definitions
from orchestration.warehouse import connect


def run_pipeline(settings, instance: dg.DagsterInstance | None = None) -> dg.ExecuteInProcessResult:
    job = build_definitions(settings).resolve_job_def(PIPELINE_JOB)
    return job.execute_in_process(instance=instance or dg.DagsterInstance.ephemeral(), raise_on_error=False)


def query(settings, sql: str, params=None) -> list[tuple]:
    con = connect(settings.warehouse_path, read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def pipeline_job():
    """The job as a step process rebuilds it (settings from the environment), for reconstructable()."""
    from orchestration.settings import load_settings

    return build_definitions(load_settings()).resolve_job_def(PIPELINE_JOB)
