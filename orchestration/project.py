"""The dbt project as Dagster sees it. The manifest is built by ``make manifest`` (``dbt parse``)."""

from __future__ import annotations

import sys
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.settings import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def dbt_executable() -> str:
    """The offline dbt wrapper installed beside this interpreter (the venv's bin)."""
    return str(Path(sys.executable).with_name("zhibiao-dbt"))
