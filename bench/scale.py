"""What a run costs as the warehouse grows: full build, nothing-changed run, one-new-file run.

    python bench/scale.py                 # N = 200 and N = 20,000 (the large one takes a while)
    python bench/scale.py --sizes 200,2000
    python bench/scale.py --sizes 2000 --templates ~/reports   # copies of real-size reports

For each N it writes N report files (the samples and the test documents as templates, or the
``.txt`` reports of ``--templates``; each copy made unique), then runs ``zhibiao`` as a user
would: on the full folder, again with nothing changed, and after one new file (three times, a new
file each: the median is in the table, every time under it), first in the command's own process,
then handed to the warm run worker that a `zhibiao run` leaves behind. It prints one table: wall time, MB/s
of report text, peak RSS (the largest process of the run) and the warehouse's size, then the ratio
of the one-new-file cost at the largest N to that at the smallest, and the machine's pace before
and after each N (a fixed loop of Python on one core: on a shared virtual machine it can vary by
half from one quarter hour to the next, and the table means little without it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))
from sources.decode import decode_report  # noqa: E402
# How many new files the one-new-file run is timed on, one run each (the median is shown).
ONE_NEW_FILE_RUNS = 3
# The loop machine_pace() times: about 0.4 s on one core of the machine the README's figures are from.
PACE_LOOP = 6_000_000
SHIPPED_TEMPLATES = [*sorted((ROOT / "sources" / "samples").glob("*.txt")),
                     *sorted((ROOT / "tests" / "data").glob("*.txt"))]


def closing_line(i: int, encoding: str = "utf-8") -> bytes:
    """A closing sentence with a figure of its own: a document's identity is the sentences that
    carry its figures, so copies that differed only in a line without one would all be one
    document, recorded as duplicates and never parsed into rows. It is written in the template's
    encoding (one is GB18030), or the copy would be rejected as undecodable."""
    return f"\n\n附：本文档编号{i}，本期新增登记企业{i + 1}家。\n".encode(encoding)


def make_corpus(folder: Path, n: int, templates: list[Path]) -> int:
    """N files from the templates, each a document of its own (see :func:`closing_line`)."""
    folder.mkdir(parents=True)
    texts = [(path.read_bytes(), decode_report(path.read_bytes())[1]) for path in templates]
    total = 0
    for i in range(n):
        template, encoding = texts[i % len(texts)]
        data = template + closing_line(i, encoding)
        (folder / f"report_{i:06d}.txt").write_bytes(data)
        total += len(data)
    old = time.time() - 3600
    for path in folder.iterdir():
        os.utime(path, (old, old))
    return total


def timed_run(env: dict[str, str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one `zhibiao run`."""
    started = time.perf_counter()
    proc = subprocess.Popen([str(BIN / "zhibiao"), "run"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"zhibiao failed:\n{output.decode('utf-8', 'replace')[-3000:]}")
    return seconds, usage.ru_maxrss / 1024


def measure(n: int, scratch: Path, keep: bool, templates: list[Path]) -> tuple[list[tuple], dict[str, list[float]]]:
    """The table's rows for N files, and the seconds of each one-new-file run, cold and warm."""
    workspace = scratch / f"n{n}"
    inbox = workspace / "inbox"
    corpus_bytes = make_corpus(inbox, n, templates)
    warehouse = workspace / "wh" / "warehouse.duckdb"
    home = workspace / "dagster_home"
    home.mkdir(parents=True)
    warehouse.parent.mkdir()
    shutil.copy(ROOT / "orchestration" / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    # As `make run` runs it: bytecode cached under .venv (see the Makefile), whatever this shell says.
    env = {**{key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"},
           "PYTHONPYCACHEPREFIX": str(ROOT / ".venv" / "pycache"), "REPORTS_DIR": str(inbox),
           "WAREHOUSE_PATH": str(warehouse), "DAGSTER_HOME": str(home), "ZHIBIAO_SETTLE_SECONDS": "0",
           "DO_NOT_TRACK": "1", "ZHIBIAO_WORKER_IDLE_SECONDS": "0"}
    rows = []
    seconds, peak = timed_run(env)
    rows.append((n, "full build", seconds, corpus_bytes / 1e6 / seconds, peak, warehouse.stat().st_size / 1e6))
    seconds, peak = timed_run(env)
    rows.append((n, "nothing changed", seconds, None, peak, warehouse.stat().st_size / 1e6))
    # This machine's speed varies from minute to minute: the one-new-file run is timed on
    # ONE_NEW_FILE_RUNS new files, one at a time, and their median shown (all of them below the table).
    # First in a command's own process (no warm worker: ZHIBIAO_WORKER_IDLE_SECONDS=0 above), then
    # handed to the warm worker that a `zhibiao run` leaves for the next ones.
    timings = {}
    warm_env = {**env, "ZHIBIAO_WORKER_IDLE_SECONDS": "600"}
    for run, first in (("one new file", 0), ("one new file, warm worker", ONE_NEW_FILE_RUNS)):
        worker = None if first == 0 else start_warm_worker(warm_env)
        try:
            timings[run] = []
            for i in range(first, first + ONE_NEW_FILE_RUNS):
                new = inbox / f"new report {i + 1}.txt"
                new.write_bytes(templates[0].read_bytes() + closing_line(n + 100 + i))
                os.utime(new, (time.time() - 60, time.time() - 60))
                timings[run].append(timed_run(env if worker is None else warm_env))
        finally:
            if worker is not None:
                stop_warm_worker(warm_env, worker)
        seconds, peak = sorted(timings[run])[len(timings[run]) // 2]  # the median run
        # A handed-over command's own process is small: the run's is the worker's fork.
        rows.append((n, run, seconds, new.stat().st_size / 1e6 / seconds, peak if worker is None else None,
                     warehouse.stat().st_size / 1e6))
    rows += dev_runs(n, env, inbox, warehouse, templates[0])
    if not keep:
        shutil.rmtree(workspace)
    return rows, {run: sorted(seconds for seconds, _ in runs) for run, runs in timings.items()}


def start_warm_worker(env: dict[str, str]) -> subprocess.Popen:
    """The warm run worker that a `zhibiao run` leaves behind, started as it starts it, once it is ready."""
    from bench.faults import start_background, wait_for
    from orchestration.worker_address import worker_command, worker_ready

    home = env["DAGSTER_HOME"]
    worker = start_background(worker_command(home, str(BIN / "python"), idle_seconds=600), env)
    wait_for(lambda: worker_ready(home), 300, "the warm run worker")
    return worker


def stop_warm_worker(env: dict[str, str], worker: subprocess.Popen) -> None:
    from bench.faults import stop_background
    from orchestration.worker_client import stop_worker

    if stop_worker(env["DAGSTER_HOME"]):
        worker.wait(30)
    else:
        stop_background([worker])


def dev_runs(n: int, env: dict[str, str], inbox: Path, warehouse: Path, template: Path) -> list[tuple]:
    """What `make dev` starts, on the same folder: the warm run worker, and the daemon whose sensor
    launches a run for each new file. More files are dropped in, one after the other (with the
    default settle time); all but the first are timed until their rows can be queried, and their
    runs' own time is read from Dagster (the medians are shown)."""
    import dagster as dg
    import duckdb

    from bench.faults import DAEMON, start_background, stop_background, wait_for
    from orchestration.worker_address import worker_command, worker_ready

    env = {key: value for key, value in env.items() if key != "ZHIBIAO_SETTLE_SECONDS"}
    home = env["DAGSTER_HOME"]

    def documents() -> int:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return con.execute("select count(*) from dim_document").fetchone()[0]

    started = [start_background(worker_command(home, str(BIN / "python")), env)]
    try:
        wait_for(lambda: worker_ready(home), 300, "the run worker")
        started.append(start_background(DAEMON, env))
        with dg.DagsterInstance.from_config(home) as instance:
            # The first drop finds the daemon still loading the code location: it is not timed.
            latencies, runs = [], []
            for figure in range(n + 1, n + 2 + ONE_NEW_FILE_RUNS):
                before = documents()
                new = inbox / f"dropped report {figure}.txt"
                dropped = time.perf_counter()
                new.write_bytes(template.read_bytes() + closing_line(figure))
                wait_for(lambda: documents() > before, 300, "the dropped file's rows")
                latencies.append(time.perf_counter() - dropped)
                wait_for(lambda: instance.get_run_records(limit=1)[0].end_time is not None, 120, "the run to end")
                runs.append(instance.get_run_records(limit=1)[0])
    finally:
        stop_background(started)
    from orchestration.run_launcher import WORKER_PID_TAG

    if any(WORKER_PID_TAG not in record.dagster_run.tags for record in runs[1:]):
        raise SystemExit("a run was not forked by the warm run worker")
    run_seconds = median([record.end_time - record.start_time for record in runs[1:]])
    latency = median(latencies[1:])
    size = warehouse.stat().st_size / 1e6
    return [(n, "one new file, make dev", run_seconds, new.stat().st_size / 1e6 / run_seconds, None, size),
            (n, "dropped → rows, make dev", latency, None, None, size)]


def machine_pace() -> float:
    """Seconds one core takes for a fixed loop of Python."""
    start = time.perf_counter()
    total = 0
    for i in range(PACE_LOOP):
        total += i * i
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="200,20000", help="comma-separated numbers of files")
    ap.add_argument("--keep", type=Path, help="build in this folder and leave each N's reports, warehouse and "
                                              "Dagster home there (to profile a run against them)")
    ap.add_argument("--templates", type=Path, help="a folder of .txt reports to copy (default: the samples and "
                                                   "the test documents)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    templates = sorted(args.templates.glob("*.txt")) if args.templates else SHIPPED_TEMPLATES
    if not templates:
        raise SystemExit(f"no .txt reports in {args.templates}")
    print(f"{'files':>7} | {'run':26} | {'wall s':>7} | {'MB/s':>6} | {'peak RSS MB':>11} | {'warehouse MB':>12}")
    print("|".join(["-" * 8, "-" * 28, "-" * 9, "-" * 8, "-" * 13, "-" * 13]))
    one_new: dict[str, dict[int, float]] = {}
    spread: dict[int, dict[str, list[float]]] = {}
    pace: dict[int, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="zhibiao-scale-") as tmp:
        for n in sizes:
            before = machine_pace()
            rows, spread[n] = measure(n, args.keep or Path(tmp), args.keep is not None, templates)
            pace[n] = (before, machine_pace())
            for files, run, seconds, rate, peak, size in rows:
                shown_rate = f"{rate:6.2f}" if rate is not None else "     -"
                shown_peak = f"{peak:11.0f}" if peak is not None else "          -"
                print(f"{files:>7} | {run:26} | {seconds:7.1f} | {shown_rate} | {shown_peak} | {size:12.1f}",
                      flush=True)
                if run.startswith("one new file"):
                    one_new.setdefault(run, {})[files] = seconds
    for n, runs in spread.items():
        for run, seconds in runs.items():
            print(f"{run} at {n:,} files, each of {len(seconds)} runs: {', '.join(f'{s:.1f}' for s in seconds)} s")
    for run, by_size in one_new.items():
        if len(by_size) > 1:
            small, large = min(by_size), max(by_size)
            print(f"{run} at {large:,} files / at {small:,} files: {by_size[large] / by_size[small]:.2f}x")
    for n, (before, after) in pace.items():
        print(f"machine pace around N = {n:,} (a fixed loop of Python, one core): {before:.2f} s before, "
              f"{after:.2f} s after")


if __name__ == "__main__":
    sys.exit(main())
