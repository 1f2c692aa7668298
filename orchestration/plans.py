"""A run's plan (what changed in the reports folder since the warehouse was published), made once
per ``zhibiao run``.

The command plans before it starts Dagster, so that a run with nothing to do stops there, and the
run's ingest step needs the same plan. Listing a 20,000-file folder and comparing it with the
warehouse's record takes half a second, so a run executed in the command's own process is handed
the command's plan. The step takes it only if it was made with the same settings on the warehouse
file still published (its stamp); a step in any other process, or one that finds the warehouse
replaced since, plans by itself. A file that arrives after the command listed the folder is left for
the next run, as one arriving just after the step listed it would be.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import replace

from orchestration.inbox import list_inbox
from orchestration.ingest import Plan, plan_ingest
from orchestration.settings import Settings
from orchestration.warehouse import file_stamp, opened

_handed_over: tuple[tuple, Plan] | None = None


def plan_published(settings: Settings, reread: bool = False) -> Plan:
    """The plan for ``settings``' folder against its published warehouse (with none yet, every file is new)."""
    planned_on = file_stamp(settings.warehouse_path)
    files = list_inbox(settings.reports_dir)
    with opened(settings.warehouse_path, read_only=True) if planned_on else nullcontext() as published:
        plan = plan_ingest(published, files, settings.settle_seconds, settings.prune_missing, reread)
    return replace(plan, planned_on=planned_on)


@contextmanager
def handing_over(settings: Settings, plan: Plan | None) -> Iterator[None]:
    """While the block runs (a run in this process), :func:`plan_for_run` may take ``plan``."""
    global _handed_over
    _handed_over = (what_it_plans(settings), plan) if plan is not None else None
    try:
        yield
    finally:
        _handed_over = None


def plan_for_run(settings: Settings, reread: bool = False) -> Plan:
    """The plan handed over for this run if it still holds, else a new one."""
    global _handed_over
    handed, _handed_over = _handed_over, None
    if (handed is not None and not reread and handed[0] == what_it_plans(settings)
            and handed[1].planned_on == file_stamp(settings.warehouse_path)):
        return handed[1]
    return plan_published(settings, reread)


def what_it_plans(settings: Settings) -> tuple:
    return (settings.reports_dir, settings.warehouse_path, settings.settle_seconds, settings.prune_missing)
