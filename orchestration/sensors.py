"""The inbox sensor: a run when report files arrive, change or go, once they have stopped changing.

It only lists the folder (names, sizes, times), so it can look every few seconds; the run works
out which files changed. Its cursor is two digests of the listing, whatever the folder's size.
"""


import hashlib
import time

import dagster as dg

from orchestration.inbox import is_settled, list_inbox
from orchestration.runs import fail_dead_runs
from orchestration.settings import Settings


def listing_digest(files) -> str:
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.name_bytes + b"\0" + f"{f.size}:{f.mtime_ns}".encode() + b"\n")
    return digest.hexdigest()[:24]


# Dagster's sensor daemon evaluates sensors at most this often. A sensor whose minimum interval is
# this long is evaluated every other loop (a loop comes back a little under it), so the interval
# asked of Dagster is the setting less one loop, plus a second.
DAEMON_LOOP_SECONDS = 5


def minimum_interval(seconds_between_looks: int) -> int:
    return max(1, seconds_between_looks - DAEMON_LOOP_SECONDS + 1)


def settle_wait(files, settle_seconds: float, now: float | None = None) -> float:
    """Seconds until the youngest file is ``settle_seconds`` old (0 when every file is)."""
    now = time.time() if now is None else now
    return max(0.0, *(settle_seconds - (now - f.mtime_ns / 1e9) for f in files))


def build_inbox_sensor(settings: Settings, job) -> dg.SensorDefinition:
    @dg.sensor(
        name="inbox_sensor",
        job=job,
        minimum_interval_seconds=minimum_interval(settings.sensor_interval_seconds),
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=f"Watches {settings.reports_dir} and runs the pipeline for new, changed or deleted files.",
    )
    def inbox_sensor(context: dg.SensorEvaluationContext):
        if context.instance_ref is not None:
            # A run that died holds the run queue's only slot until someone marks it ended.
            fail_dead_runs(context.instance, log=context.log.warning)
        files = list_inbox(settings.reports_dir)
        digest = listing_digest(files)
        if digest == context.cursor:
            return dg.SkipReason("no new, changed or deleted files")
        # A file written in the last ZHIBIAO_SETTLE_SECONDS may still be growing. When it would
        # settle before the next tick, the tick waits for that and looks once more, rather than
        # leaving the file to the next tick; otherwise it looks again then.
        # (The run itself also leaves a file that changes while it is read for the next run.)
        wait = settle_wait(files, settings.settle_seconds)
        if 0 < wait <= max(settings.sensor_interval_seconds, DAEMON_LOOP_SECONDS):
            time.sleep(wait)
            if listing_digest(list_inbox(settings.reports_dir)) != digest:
                return dg.SkipReason("files changed while they settled: looking again at the next tick")
        elif wait:
            waiting = [f.source_file for f in files if not is_settled(f, settings.settle_seconds)]
            return dg.SkipReason(f"waiting for {len(waiting)} file(s) to settle: {', '.join(waiting[:5])}")
        context.update_cursor(digest)
        # No run key: the cursor already asks once per change, and a folder may come back to a
        # listing it had before (a file deleted, then restored), which must run again.
        return dg.RunRequest(tags={"zhibiao/files": f"{len(files)} files in the folder"})

    return inbox_sensor
