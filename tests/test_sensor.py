"""The inbox sensor: new or changed settled files request a run; unchanged or growing ones do not."""

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


def test_new_file_requests_one_run_and_unchanged_files_none(workspace):
    sensor = sensor_for(workspace)
    first, cursor = tick(sensor, None)  # first look: files must look the same twice
    assert not requests(first)
    second, cursor = tick(sensor, cursor)
    assert len(requests(second)) == 1
    assert second.job_name in (None, PIPELINE_JOB)
    third, cursor = tick(sensor, cursor)
    assert not requests(third)

    new = workspace.reports_dir / "new report.txt"
    new.write_text("新增城镇就业13.1万人。", encoding="utf-8")
    age(new)
    result, cursor = tick(sensor, cursor)
    assert not requests(result)  # seen once; not yet known to be stable
    result, cursor = tick(sensor, cursor)
    assert len(requests(result)) == 1
    assert "new report.txt" in result.tags["zhibiao/files"]
    result, cursor = tick(sensor, cursor)
    assert not requests(result)


def test_a_file_still_growing_is_not_requested(workspace):
    sensor = sensor_for(workspace)
    _, cursor = tick(sensor, None)
    _, cursor = tick(sensor, cursor)
    growing = workspace.reports_dir / "incoming.txt"
    for part in range(3):
        with growing.open("a", encoding="utf-8") as fh:
            fh.write(f"新增学位{part}万个。")
        age(growing, 3600 - part)  # size and mtime change at every look
        result, cursor = tick(sensor, cursor)
        assert not requests(result)
    result, cursor = tick(sensor, cursor)
    assert len(requests(result)) == 1


def test_temporary_and_hidden_files_never_trigger(workspace):
    sensor = sensor_for(workspace)
    _, cursor = tick(sensor, None)
    _, cursor = tick(sensor, cursor)
    for name in (".hidden.txt", "draft.txt.part", "x.tmp", "~$report.txt"):
        (workspace.reports_dir / name).write_text("新增学位4万个。", encoding="utf-8")
        age(workspace.reports_dir / name)
    for _ in range(2):
        result, cursor = tick(sensor, cursor)
        assert not requests(result)
