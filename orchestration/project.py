"""The dbt project as Dagster sees it. The manifest is built by ``make manifest`` (``dbt parse``)."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.settings import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# What decides the shape and content of the models' tables (the taxonomy tables read the
# extractor's rule tables): when any of it changes, incremental models are rebuilt in full rather
# than carried over.
MODEL_SOURCES = (*(DBT_PROJECT_DIR / name for name in ("dbt_project.yml", "models", "seeds", "macros")),
                 DBT_PROJECT_DIR.parent / "sources" / "rules")


def dbt_executable() -> str:
    """The offline dbt wrapper installed beside this interpreter (the venv's bin)."""
    return str(Path(sys.executable).with_name("zhibiao-dbt"))


def models_version() -> str:
    digest = hashlib.sha256()
    for root in MODEL_SOURCES:
        for path in sorted([root] if root.is_file() else root.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(DBT_PROJECT_DIR.parent)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]
