"""The inbox sensor: a new, changed or deleted settled file requests a run; nothing else does."""

import dataclasses
import os

import dagster as dg

from orchestration.definitions import PIPELINE_JOB, build_definitions
from tests.conftest import age


def sensor_for(settings):
    return build_definitions(settings).get_sensor_def("inbox_sensor")


def tick(sensor, cursor):
    context = dg.build_sensor_context(cursor=cursor)
    result = sensor(context)
    return result, context.cursor


def requests(result):
    return [result] if isinstance(result, dg.RunRequest) else []


def test_each_change_requests_one_run(workspace):
    sensor = sensor_for(workspace)
    first, cursor = tick(sensor, None)
    assert len(requests(first)) == 1 and first.job_name in (None, PIPELINE_JOB)
    again, cursor = tick(sensor, cursor)
    assert not requests(again)

    new = workspace.reports_dir / "new report.txt"
    new.write_text("新增城镇就业13.1万人。", encoding="utf-8")
    age(new)
    result, cursor = tick(sensor, cursor)
    assert len(requests(result)) == 1
    result, cursor = tick(sensor, cursor)
    assert not requests(result)

    new.unlink()
    result, cursor = tick(sensor, cursor)
    assert len(requests(result)) == 1, "a deleted file is a change too"
    # Back as it was: the folder looks as it did two runs ago, and still runs again.
    new.write_text("新增城镇就业13.1万人。", encoding="utf-8")
    age(new)
    result, cursor = tick(sensor, cursor)
    assert len(requests(result)) == 1 and result.run_key is None


def test_a_file_still_being_written_waits(workspace):
    sensor = sensor_for(dataclasses.replace(workspace, settle_seconds=60))
    _, cursor = tick(sensor, None)
    growing = workspace.reports_dir / "incoming.txt"
    for part in range(3):
        with growing.open("a", encoding="utf-8") as fh:
            fh.write(f"新增学位{part}万个。")  # written just now: not yet settled
        result, cursor = tick(sensor, cursor)
        assert not requests(result) and "incoming.txt" in result.skip_message
    age(growing)
    result, cursor = tick(sensor, cursor)
    assert len(requests(result)) == 1


def test_a_file_that_settles_before_the_next_tick_runs_from_this_one(workspace):
    sensor = sensor_for(dataclasses.replace(workspace, settle_seconds=1, sensor_interval_seconds=5))
    _, cursor = tick(sensor, None)
    (workspace.reports_dir / "just dropped.txt").write_text("新增学位4万个。", encoding="utf-8")
    result, cursor = tick(sensor, cursor)
    assert len(requests(result)) == 1, "the tick left a file that settles within a second to the next tick"


def test_temporary_and_hidden_files_never_trigger(workspace):
    sensor = sensor_for(workspace)
    _, cursor = tick(sensor, None)
    for name in (".hidden.txt", "draft.txt.part", "x.tmp", "~$report.txt"):
        (workspace.reports_dir / name).write_text("新增学位4万个。", encoding="utf-8")
        age(workspace.reports_dir / name)
    os.makedirs(workspace.reports_dir / ".cache", exist_ok=True)
    (workspace.reports_dir / ".cache" / "x.txt").write_text("新增学位4万个。", encoding="utf-8")
    result, cursor = tick(sensor, cursor)
    assert not requests(result)
