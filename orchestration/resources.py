"""Dagster resources: the warehouse (lock, working copy, connections) and dbt."""


import dataclasses
import os
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration import warehouse
from orchestration.project import dbt_executable, dbt_project
from orchestration.runs import OWNER_PID_TAG, owner_tags
from orchestration.settings import Settings, load_settings
from sources.budget import Budget


# The settings a run needs, carried as resource config (paths as strings) so the UI shows them.
PATH_FIELDS = ("reports_dir", "warehouse_path", "build_dir")
VALUE_FIELDS = ("settle_seconds", "prune_missing", "lock_timeout_seconds")
BUDGET_FIELDS = {"parse_timeout_seconds": "seconds", "max_mentions_per_file": "max_mentions"}


class WarehouseResource(dg.ConfigurableResource):
    """For the length of a run: the single-writer lock and a private working copy to build in.

    Every asset that touches the warehouse asks for this resource, so a run sets it up once
    (the code location runs in-process), and nothing a run does is seen by readers until the
    ``published_warehouse`` step swaps the working copy in.
    """

    reports_dir: str
    warehouse_path: str
    build_dir: str
    settle_seconds: float
    prune_missing: bool
    lock_timeout_seconds: float
    parse_timeout_seconds: float
    max_mentions_per_file: int

    @classmethod
    def from_settings(cls, settings: Settings) -> "WarehouseResource":
        paths = {name: str(getattr(settings, name)) for name in PATH_FIELDS}
        budget = {name: getattr(settings.parse_budget, field) for name, field in BUDGET_FIELDS.items()}
        return cls(**paths, **{name: getattr(settings, name) for name in VALUE_FIELDS}, **budget)

    @property
    def settings(self) -> Settings:
        paths = {name: Path(getattr(self, name)) for name in PATH_FIELDS}
        budget = Budget(**{field: getattr(self, name) for name, field in BUDGET_FIELDS.items()})
        return dataclasses.replace(load_settings({}), **paths, **{name: getattr(self, name) for name in VALUE_FIELDS},
                                   parse_budget=budget)

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext):
        settings = self.settings
        run = context.dagster_run
        if run is not None and context.instance is not None and OWNER_PID_TAG not in run.tags:
            # A run the daemon launched: its worker is this process (or this step's parent).
            context.instance.add_run_tags(run.run_id, owner_tags())
        with warehouse.run_lock(settings):
            build = warehouse.prepare_build(settings)
            # dbt runs as a subprocess and reads its database path from the environment (profiles.yml).
            os.environ["ZHIBIAO_DBT_DATABASE"] = str(build)
            yield self

    @contextmanager
    def connect(self, read_only: bool = False):
        con = warehouse.connect(self.settings.build_path, read_only=read_only)
        try:
            yield con
        finally:
            con.close()

    def publish(self):
        return warehouse.publish(self.settings)


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project, profiles_dir=str(dbt_project.profiles_dir), dbt_executable=dbt_executable())
