"""The environment dbt builds a run's warehouse in, declared once: the dbt step runs the build in
it, and the helper of ``zhibiao run`` parses the project in it ahead of the build. dbt parses
the whole project again when the profile it reads or its target folder differ from the last
parse's, so the two must agree."""

from __future__ import annotations

from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR, Settings
from orchestration.warehouse import CHECKPOINT_THRESHOLD

# dbt's own log file gets warnings and errors only: at its default (debug) it took a megabyte of
# JSON and about a second of every run. What dbt prints is in the run's log and the Dagster UI.
DBT_FILE_LOG = {"DBT_LOG_LEVEL_FILE": "warn"}


def build_variables(build_path: Path) -> dict[str, str]:
    """What profiles.yml reads for a run's build (the database, how often to checkpoint it), and
    dbt's log level."""
    return {"ZHIBIAO_DBT_DATABASE": str(build_path), "ZHIBIAO_DBT_CHECKPOINT": CHECKPOINT_THRESHOLD,
            **DBT_FILE_LOG}


def dbt_ahead(settings: Settings) -> tuple[list[str], dict[str, str], str]:
    """(command, environment, folder) of ``dbt parse`` run ahead of the build of ``settings``'
    warehouse, in the environment the build will have (dagster-dbt passes the folders as these
    variables). It opens no database. With the project unchanged since the last parse it reads
    that parse and writes nothing; for a new warehouse it makes the full parse the build needs."""
    target = str(settings.dbt_target_dir)
    env = {**build_variables(settings.build_path), "DBT_TARGET_PATH": target, "DBT_LOG_PATH": target,
           "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR), "DBT_PROJECT_DIR": str(DBT_PROJECT_DIR),
           "DBT_LOG_FORMAT": "json"}
    return ["dbt", "parse", "--no-write-json"], env, str(DBT_PROJECT_DIR)
