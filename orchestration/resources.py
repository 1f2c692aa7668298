"""Dagster resources: where the warehouse and its build live, and dbt.

Nothing here is set up for a whole run: each step finds its run's build from the run id and opens
it by itself, so the job gives the same warehouse in one process or in a process per step.
"""


import dataclasses
from contextlib import contextmanager
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource
from packaging import version

from orchestration.project import dbt_executable, dbt_project
from orchestration.runs import OWNER_PID_TAG, owner_tags
from orchestration.settings import Settings, load_settings
from orchestration.warehouse import RunBuild
from sources.budget import Budget

# The settings a run needs, carried as resource config (paths as strings) so the UI shows them.
PATH_FIELDS = ("reports_dir", "warehouse_path", "build_dir")
VALUE_FIELDS = ("settle_seconds", "prune_missing", "lock_timeout_seconds", "parse_workers")
BUDGET_FIELDS = {"parse_timeout_seconds": "seconds", "max_mentions_per_file": "max_mentions"}
ENDED = {dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED}


class WarehouseResource(dg.ConfigurableResource):
    """The reports folder, the published warehouse and the build folder a run works in."""

    reports_dir: str
    warehouse_path: str
    build_dir: str
    settle_seconds: float
    prune_missing: bool
    lock_timeout_seconds: float
    parse_workers: int
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

    def build(self, context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext) -> RunBuild:
        return RunBuild(self.settings, context.run.run_id)

    def start_build(self, context: dg.AssetExecutionContext) -> RunBuild:
        """Take the build folder for this run (the first step that writes calls this)."""
        build = self.build(context)
        instance = context.instance

        def run_ended(run_id: str) -> bool:
            run = instance.get_run_by_id(run_id)
            return run is not None and run.status in ENDED

        build.start(run_ended)
        if OWNER_PID_TAG not in context.run.tags:
            # A run the daemon launched: its worker is this process (or this step's parent).
            instance.add_run_tags(context.run.run_id, owner_tags())
        return build


@contextmanager
def released_on_failure(build: RunBuild):
    """A step that fails ends its run: let the next run have the build folder at once."""
    try:
        yield build
    except BaseException:
        build.finish_without_publishing()
        raise


class ZhibiaoDbtCliResource(DbtCliResource):
    """dbt as a subprocess, without the dbt adapter dagster-dbt also opens in this process for its
    own row counts: zhibiao counts rows itself (``assets.with_row_count``), and opening that
    adapter costs about two seconds of every run."""

    def _initialize_dbt_core_adapter(self, args):
        return None

    @cached_property
    def _cli_version(self) -> version.Version:
        # dagster-dbt asks the dbt executable for its version, a Python started for each run:
        # zhibiao-dbt is this environment's dbt-core, whose version is known without it.
        return version.parse(installed_version("dbt-core"))


def dbt_resource() -> DbtCliResource:
    return ZhibiaoDbtCliResource(project_dir=dbt_project, profiles_dir=str(dbt_project.profiles_dir),
                                 dbt_executable=dbt_executable())
