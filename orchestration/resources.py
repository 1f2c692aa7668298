"""Dagster resources: the warehouse (lock, working copy, connections) and dbt."""


import dataclasses
import os
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration import warehouse
from orchestration.project import dbt_executable, dbt_project
from orchestration.settings import Settings, load_settings


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

    @classmethod
    def from_settings(cls, settings: Settings) -> "WarehouseResource":
        return cls(
            reports_dir=str(settings.reports_dir),
            warehouse_path=str(settings.warehouse_path),
            build_dir=str(settings.build_dir),
            settle_seconds=settings.settle_seconds,
            prune_missing=settings.prune_missing,
            lock_timeout_seconds=settings.lock_timeout_seconds,
        )

    @property
    def settings(self) -> Settings:
        return dataclasses.replace(
            load_settings({}),
            reports_dir=Path(self.reports_dir),
            warehouse_path=Path(self.warehouse_path),
            build_dir=Path(self.build_dir),
            settle_seconds=self.settle_seconds,
            prune_missing=self.prune_missing,
            lock_timeout_seconds=self.lock_timeout_seconds,
        )

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext):
        settings = self.settings
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
