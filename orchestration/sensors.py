"""The inbox sensor: a run when a report file arrives or changes, once it has stopped growing."""


import hashlib
import json

import dagster as dg

from orchestration.inbox import is_settled, list_inbox
from orchestration.runs import fail_dead_runs
from orchestration.settings import Settings


def build_inbox_sensor(settings: Settings, job) -> dg.SensorDefinition:
    @dg.sensor(
        name="inbox_sensor",
        job=job,
        minimum_interval_seconds=settings.sensor_interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=f"Watches {settings.reports_dir} and runs the pipeline for new or changed files.",
    )
    def inbox_sensor(context: dg.SensorEvaluationContext):
        if context.instance_ref is not None:
            # A run that died holds the run queue's only slot until someone marks it ended.
            fail_dead_runs(context.instance, log=context.log.warning)
        state = json.loads(context.cursor) if context.cursor else {}
        seen: dict[str, list[int]] = state.get("seen", {})
        last_look: dict[str, list[int]] = state.get("last_look", {})
        files = list_inbox(settings.reports_dir)
        look = {f.source_file: [f.size, f.mtime_ns] for f in files}
        # A file is ready once it looks the same as at the last look and is old enough:
        # Dagster has no "file complete" signal, and a copy in progress keeps growing.
        ready = {
            f.source_file: look[f.source_file]
            for f in files
            if seen.get(f.source_file) != look[f.source_file]
            and last_look.get(f.source_file) == look[f.source_file]
            and is_settled(f, settings.settle_seconds)
        }
        waiting = sorted(n for n in look if seen.get(n) != look[n] and n not in ready)
        new_state = {"seen": {**{n: s for n, s in seen.items() if n in look}, **ready}, "last_look": look}
        context.update_cursor(json.dumps(new_state, sort_keys=True))
        if not ready:
            reason = f"waiting for {len(waiting)} file(s) to settle" if waiting else "no new or changed files"
            return dg.SkipReason(reason)
        run_key = hashlib.sha256(json.dumps(ready, sort_keys=True).encode()).hexdigest()[:20]
        return dg.RunRequest(run_key=run_key, tags={"zhibiao/files": ", ".join(sorted(ready))[:500]})

    return inbox_sensor
