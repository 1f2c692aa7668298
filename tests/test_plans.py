"""A run's plan is made once per `zhibiao run`: the command's plan is handed to the run's ingest step
in the same process, and taken only while it still holds (same settings, same published warehouse)."""

import os
import shutil
from dataclasses import replace

from orchestration.launch import pending_work
from orchestration.plans import handing_over, plan_for_run
from tests.conftest import SAMPLE_FILES, age


def add_report(settings, name: str) -> None:
    path = settings.reports_dir / name
    path.write_bytes(SAMPLE_FILES[0].read_bytes() + "\n（本文另有附录。）\n".encode())
    age(path)


def to_read(plan) -> list[str]:
    return [f.source_file for f in plan.to_read]


def test_the_step_takes_the_commands_plan_once_without_listing_the_folder_again(built_workspace):
    settings = built_workspace
    add_report(settings, "first.txt")
    plan = pending_work(settings)
    assert to_read(plan) == ["first.txt"]
    add_report(settings, "second.txt")  # arrives after the command listed the folder
    with handing_over(settings, plan):
        assert plan_for_run(settings) is plan  # so second.txt waits for the next run
        assert to_read(plan_for_run(settings)) == ["first.txt", "second.txt"]  # handed over once only
    assert to_read(plan_for_run(settings)) == ["first.txt", "second.txt"]  # and only to a run in the block


def test_a_plan_for_other_settings_another_warehouse_or_a_full_refresh_is_not_taken(built_workspace, tmp_path):
    settings = built_workspace
    plan = pending_work(settings)
    add_report(settings, "later.txt")
    for other in (replace(settings, prune_missing=True), replace(settings, reports_dir=tmp_path / "elsewhere")):
        (tmp_path / "elsewhere").mkdir(exist_ok=True)
        with handing_over(settings, plan):
            assert plan_for_run(other) is not plan
    with handing_over(settings, plan):
        fresh = plan_for_run(settings, reread=True)
        assert fresh is not plan and "later.txt" in to_read(fresh)
    # Another run published in between: the warehouse is a new file.
    replacement = settings.warehouse_path.with_name("published.duckdb")
    shutil.copy(settings.warehouse_path, replacement)
    os.replace(replacement, settings.warehouse_path)
    with handing_over(settings, plan):
        fresh = plan_for_run(settings)
        assert fresh is not plan and to_read(fresh) == ["later.txt"]
