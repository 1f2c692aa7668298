"""Fault scenarios against a fresh warehouse, with real files, real processes and real DuckDB files.

    python bench/faults.py [scenario ...]

Each scenario prints what happened; the last line is ``N passed, M failed``. tests/test_faults.py
runs the same scenarios under pytest.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python bench/faults.py` runs it as a script

from bench import distinct_copies  # noqa: E402
from orchestration.run_launcher import DEFINITIONS_MODULE, WORKER_PID_TAG  # noqa: E402
from orchestration.worker_address import worker_command, worker_ready  # noqa: E402

BIN = ROOT / ".venv" / "bin"
READER_PYTHON = ROOT / ".venv-reader" / "bin" / "python"
# `make dev`'s daemon: its sensor launches a run for each change in the folder.
DAEMON = [str(BIN / "dagster-daemon"), "run", "-m", DEFINITIONS_MODULE]
SAMPLES = sorted((ROOT / "sources" / "samples").glob("*.txt"))
CONTENT = "source_file, mention_text, value, value_high, unit, qualifier, metric, period_year, is_target, section_title"
# The marts' columns without a description (BI tools and DESCRIBE show the YAML's as comments).
UNDESCRIBED_COLUMNS = ("select table_name, column_name from duckdb_columns() where schema_name = 'main' "
                       "and database_name = current_database() and not internal and coalesce(comment, '') = ''")


@dataclass
class Workspace:
    root: Path

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def warehouse(self) -> Path:
        return self.root / "wh" / "warehouse.duckdb"

    def env(self, **extra: str) -> dict[str, str]:
        home = self.root / "dagster_home"
        home.mkdir(exist_ok=True)
        self.warehouse.parent.mkdir(exist_ok=True)  # `zhibiao run` writes into a folder that exists
        shutil.copy(ROOT / "orchestration" / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
        return {**os.environ, "REPORTS_DIR": str(self.inbox), "WAREHOUSE_PATH": str(self.warehouse),
                "DAGSTER_HOME": str(home), "ZHIBIAO_SETTLE_SECONDS": "0", "DO_NOT_TRACK": "1",
                "GX_ANALYTICS_ENABLED": "False", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", **extra}

    def start_run(self, trace: Path | None = None, **extra: str) -> subprocess.Popen:
        """`make run` in a process of its own; with ``trace``, every connect() of it and its
        children is written there (strace with a seccomp filter: the run goes at full speed)."""
        command = [str(BIN / "zhibiao"), "run"]
        if trace is not None:
            command = ["strace", "-f", "--seccomp-bpf", "-e", "trace=connect", "-o", str(trace), "--", *command]
        return subprocess.Popen(command, env=self.env(**extra), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, start_new_session=True)

    def run(self, trace: Path | None = None, **extra: str) -> str:
        proc = self.start_run(trace, **extra)
        out, _ = proc.communicate(timeout=900)
        if proc.returncode != 0:
            raise AssertionError(f"run failed ({proc.returncode}):\n{out[-3000:]}")
        return out

    def run_in_process(self, **extra: str):
        """The job `make run` runs, in this process: for scenarios about what a run does to the
        warehouse rather than about processes (it saves starting Python, Dagster and jieba again)."""
        import dagster as dg

        from orchestration.launch import run_pipeline
        from orchestration.settings import load_settings

        result = run_pipeline(load_settings(self.env(**extra)), dg.DagsterInstance.ephemeral())
        if not result.success:
            raise AssertionError(f"run failed: {[e.message for e in result.all_events if e.is_failure]}")
        return result

    def query(self, sql: str, params=None) -> list[tuple]:
        con = duckdb.connect(str(self.warehouse), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def content(self) -> list[tuple]:
        return sorted(self.query(f"select {CONTENT} from fact_indicator"), key=repr)

    def digest(self) -> str:
        return hashlib.sha256(self.warehouse.read_bytes()).hexdigest()


def new_workspace(parent: Path, name: str, samples: bool = True, built: bool = False) -> Workspace:
    """A workspace with the samples in its inbox; ``built``: its warehouse already holds them (a
    copy of one run shared by every scenario, so each pays only for what it tests)."""
    ws = Workspace(parent / name)
    ws.inbox.mkdir(parents=True)
    if samples:
        for sample in SAMPLES:
            put(ws.inbox / sample.name, sample.read_bytes())
    if built:
        ws.warehouse.parent.mkdir(parents=True)
        shutil.copy(built_samples(), ws.warehouse)
    return ws


BASE: dict[str, Path] = {}  # "warehouse": the samples' build every scenario starts from


def built_samples() -> Path:
    """The warehouse one run builds from the samples, made once per process (or handed over by
    the test suite, which builds it anyway: ``use_built_samples``)."""
    if "warehouse" not in BASE:
        ws = base_workspace()
        ws.run()
        BASE["warehouse"] = ws.warehouse
    return BASE["warehouse"]


def use_built_samples(warehouse: Path) -> None:
    """Start the scenarios from ``warehouse``, built from the samples as ``put`` writes them."""
    if "warehouse" in BASE:
        return
    ws = base_workspace()
    ws.warehouse.parent.mkdir(parents=True)
    shutil.copy(warehouse, ws.warehouse)
    BASE["warehouse"] = ws.warehouse


def base_workspace() -> Workspace:
    ws = new_workspace(Path(tempfile.mkdtemp(prefix="zhibiao-faults-base-")), "base")
    atexit.register(shutil.rmtree, ws.root.parent, True)
    return ws


def samples_content() -> tuple:
    """fact_indicator as a clean run builds it from the samples."""
    return tuple(Workspace(built_samples().parent.parent).content())


# Every file a scenario writes looks written long ago, at the same time: settled, and the same
# file in two workspaces looks the same to the run's size-and-time check.
OLD = 1_700_000_000


def put(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    os.utime(path, (OLD, OLD))


def sample_text(index: int = 1) -> str:
    return SAMPLES[index].read_text(encoding="utf-8")


# A small new report: (file name, bytes).
MORE = ("more.txt", "关键词 民生\n2024 新增城镇就业13.1万人。".encode("utf-8"))


# --- scenarios: each returns a line saying what happened, or raises AssertionError ---

def first_run_on_bad_and_odd_input(tmp: Path) -> str:
    """A new warehouse's first run over files no one should send, traced: besides rejecting what
    it cannot read, it opens no network connection (telemetry and version checks are off)."""
    ws = new_workspace(tmp, "odd")
    text = sample_text()
    big = "\n\n".join(s.read_text(encoding="utf-8") for s in SAMPLES) + "\n\n"
    files = {
        "empty.txt": b"",
        "random.txt": os.urandom(64 * 1024),
        "report.pdf.txt": b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + os.urandom(512),
        "archive.txt": b"PK\x03\x04\x14\x00\x08\x00" + os.urandom(512),
        "gb18030.txt": (text + "\n").encode("gb18030"),
        "utf16 bom.txt": (text + "\n\n").encode("utf-16"),
        "utf8 bom.txt": b"\xef\xbb\xbf" + (text + "\n\n\n").encode("utf-8"),
        "no numbers.txt": "各位代表：现在，我代表市人民政府向大会报告工作。".encode("utf-8"),
        "big report.txt": distinct_copies(big, 256 * 1024 // len(big.encode("utf-8")) + 1).encode("utf-8"),
        "报告 “引号” 'quote'.txt": "新增城镇就业13.1万人。".encode("utf-8"),
        "'; drop table fact_indicator; --.txt": "新增学位4.25万个。".encode("utf-8"),
        "saved page.html": ('<html><head><meta charset="gbk"></head><body><div class="nav"><a href="/">首页</a>'
                            '</div><p>新增床位20张。</p><div class="footer">粤ICP备12345678号</div></body></html>'
                            ).encode("gb18030"),
        "old report.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024),
        ".hidden.txt": "新增床位10张。".encode("utf-8"),
        ".~lock.report.txt#": b"x",
        "download.txt.part": "新增床位10张。".encode("utf-8"),
        "copy.tmp": "新增床位10张。".encode("utf-8"),
    }
    for name, data in files.items():
        put(ws.inbox / name, data)
    # Names from a GBK zip unpacked on Linux, links and entries that can never be opened.
    for raw_name, text in (("深圳市报告.txt".encode("gb18030"), "新增床位10张。"), (b"bad\xff\xfename.txt", "新增学位20个。")):
        put(Path(os.fsdecode(os.path.join(os.fsencode(ws.inbox), raw_name))), text.encode("utf-8"))
    os.symlink(ws.inbox / "nowhere.txt", ws.inbox / "dangling.txt")
    os.symlink(ws.inbox / "loop.txt", ws.inbox / "loop.txt")
    os.symlink(ws.inbox / SAMPLES[0].name, ws.inbox / "link to sample.txt")
    os.mkfifo(ws.inbox / "pipe.txt")
    traced = shutil.which("strace") is not None
    ws.run(trace=tmp / "connect.trace" if traced else None)
    if traced:
        network = [line for line in (tmp / "connect.trace").read_text().splitlines()
                   if re.search(r"AF_INET6?\b", line)]
        assert network == [], network
    rejected = dict(ws.query("select source_file, reason from rejected_files"))
    assert set(rejected) == {"empty.txt", "random.txt", "report.pdf.txt", "archive.txt", "dangling.txt", "loop.txt",
                             "pipe.txt", "old report.doc"}, rejected
    assert "old Word document (.doc)" in rejected["old report.doc"], rejected["old report.doc"]
    assert ws.query("select format, count(*) from dim_document join fact_indicator using (document_id) "
                    "where dim_document.source_file = 'saved page.html' group by 1") == [("html", 1)]
    loaded = dict(ws.query("select source_file, encoding from dim_document where status = 'loaded'"))
    for skipped in (".hidden.txt", ".~lock.report.txt#", "download.txt.part", "copy.tmp"):
        assert skipped not in loaded and skipped not in rejected, skipped
    assert {"深圳市报告.txt", "bad\\xff\\xfename.txt"} <= set(loaded), loaded
    assert ws.query("select status, duplicate_of from dim_document where source_file = 'link to sample.txt'") == [
        ("duplicate", SAMPLES[0].name)]
    # The sample in three more encodings is one report: the first name loaded, the others its duplicates.
    copies = ["gb18030.txt", "utf16 bom.txt", "utf8 bom.txt", SAMPLES[1].name]
    read = {name: (encoding, status, twin) for name, encoding, status, twin in ws.query(
        "select source_file, encoding, status, duplicate_of from dim_document")}
    assert [read[name][0] for name in copies[:3]] == ["gb18030", "utf-16", "utf-8-sig"], read
    first = min(copies)
    assert {name: read[name][1:] for name in copies} == {
        name: ("loaded", None) if name == first else ("duplicate", first) for name in copies}, read
    assert ws.query("select count(*) from fact_indicator where source_file = 'no numbers.txt'") == [(0,)]
    assert ws.query("select count(*) from fact_indicator where source_file like '''; drop%'") == [(1,)]
    big_rows = ws.query("select count(*) from fact_indicator where source_file = 'big report.txt'")[0][0]
    assert big_rows > 500, big_rows
    offline = "no network connection opened" if traced else "network not traced: strace is not installed"
    return (f"{len(loaded)} files loaded (gb18030, utf-16, utf-8-sig copies one document; 256 KB file: {big_rows} rows; "
            f"names not in UTF-8), {len(rejected)} rejected with reasons (links, a pipe), 4 hidden/temporary skipped; "
            f"{offline}")


def redelivery_change_delete_and_readers(tmp: Path) -> str:
    """Same files again, a renamed copy and a changed file, while a reader holds the warehouse
    open; a BI tool's older duckdb opens what the run published; then a file deleted and pruned."""
    ws = new_workspace(tmp, "redeliver", built=True)
    first = ws.content()
    ws.run_in_process()
    assert ws.content() == first, "same files again changed the rows"
    go = tmp / "reader.go"
    reader = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import duckdb, os, time
        con = duckdb.connect({str(ws.warehouse)!r}, read_only=True)
        print(con.execute("select count(*) from fact_indicator").fetchall()[0][0], flush=True)
        while not os.path.exists({str(go)!r}):
            time.sleep(0.1)
        print(con.execute("select count(*) from fact_indicator").fetchall()[0][0], flush=True)
    """)], stdout=subprocess.PIPE, text=True)
    first_seen = int(reader.stdout.readline())
    put(ws.inbox / "renamed copy.txt", SAMPLES[1].read_bytes())
    changed = ws.inbox / SAMPLES[0].name
    put(changed, "关键词 创新发展\n2024 新增城镇就业13.1万人。\n".encode("utf-8"))
    result = ws.run_in_process()  # the reader holds its connection for the whole run
    go.touch()
    unchecked = checks_left_out(result)
    assert not unchecked, f"a run of changed documents left out checks of the marts it built: {unchecked}"
    still_seen = int(reader.stdout.readline())
    reader.wait(timeout=60)
    assert first_seen == still_seen == len(first), (first_seen, still_seen, len(first))
    rows = ws.query("select source_file, mention_text from fact_indicator where source_file = ?", [SAMPLES[0].name])
    assert rows == [(SAMPLES[0].name, "13.1万人")], rows
    assert ws.query("select count(*) from fact_indicator where source_file = 'renamed copy.txt'") == [(0,)]
    assert ws.query(UNDESCRIBED_COLUMNS) == [], "a run of changed documents lost the marts' descriptions"
    assert ws.query("select status from dim_document where source_file = 'renamed copy.txt'") == [("duplicate",)]
    other = [r for r in ws.content() if r[0] == SAMPLES[1].name]
    assert other == [r for r in first if r[0] == SAMPLES[1].name], "another file's rows changed"
    version = read_with_older_duckdb(ws)

    # (A deleted file keeps its rows without it: the concurrent scenario deletes one.)
    changed.unlink()
    result = ws.run_in_process(ZHIBIAO_PRUNE_MISSING="1")
    assert not checks_left_out(result), f"a pruning run left out checks: {checks_left_out(result)}"
    assert ws.query("select count(*) from fact_indicator where source_file = ?", [changed.name]) == [(0,)]
    return (f"same bytes (same or new name) added nothing; the changed file's rows were replaced, others untouched; "
            f"a reader open during the run kept its {first_seen} rows; duckdb {version} read the published file; "
            f"with ZHIBIAO_PRUNE_MISSING=1 a deleted file's rows went")


def checks_left_out(result) -> list[str]:
    """The dbt tests on the marts a run built that it did not evaluate (a test that also reads a
    mart the run left as it was, such as the relationships into the taxonomy, still counts)."""
    from orchestration.assets import dbt_models

    built = {event.step_materialization_data.materialization.asset_key
             for event in result.get_asset_materialization_events()}
    evaluated = {(e.asset_key, e.check_name) for e in result.get_asset_check_evaluations()}
    return sorted(f"{spec.asset_key.to_user_string()}:{spec.name}" for spec in dbt_models.check_specs
                  if spec.asset_key in built and (spec.asset_key, spec.name) not in evaluated)


def read_with_older_duckdb(ws: Workspace) -> str:
    """What a BI tool with its own, older duckdb (Superset pins duckdb<2) sees of the published file."""
    if not READER_PYTHON.exists():
        raise AssertionError(f"{READER_PYTHON} missing: make install creates it")
    out = subprocess.run([str(READER_PYTHON), "-c", textwrap.dedent(f"""
        import duckdb
        con = duckdb.connect({str(ws.warehouse)!r}, read_only=True)
        n = con.execute("select count(*) from fact_indicator join dim_domain using (domain_id)").fetchall()[0][0]
        print(duckdb.__version__, n)
    """)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    version, rows = out.stdout.split()
    assert version.startswith("1.") and int(rows) == ws.query("select count(*) from fact_indicator")[0][0]
    return version


def concurrent_runs(tmp: Path) -> str:
    """Two writers at once, after a file was added and another deleted (its rows stay, marked
    not present); then a writer with no time to wait."""
    ws = new_workspace(tmp, "concurrent", built=True)
    put(ws.inbox / MORE[0], MORE[1])
    (ws.inbox / SAMPLES[0].name).unlink()
    # One writer in a process of its own, one in this process: the build folder's lease is all
    # they share.
    other = ws.start_run()
    ws.run_in_process()
    out = other.communicate(timeout=900)[0]
    assert other.returncode == 0, out
    assert tuple(ws.content()) == expected_content((MORE,))
    assert ws.query("select is_present from dim_document where source_file = ?", [SAMPLES[0].name]) == [(False,)]
    # Delivered again with the same bytes, it is present again (only its times move), rows as before.
    seen = ws.query("select last_seen_at from dim_document where source_file = ?", [SAMPLES[0].name])
    put(ws.inbox / SAMPLES[0].name, SAMPLES[0].read_bytes())
    ws.run_in_process()
    assert ws.query("select is_present, last_seen_at > ? from dim_document where source_file = ?",
                    [seen[0][0], SAMPLES[0].name]) == [(True, True)]
    assert tuple(ws.content()) == expected_content((MORE,))
    # With no time to wait, the second writer is refused with a message naming the holder.
    from orchestration.settings import load_settings
    from orchestration.warehouse import WarehouseBusy, take_lease
    settings = load_settings({"WAREHOUSE_PATH": str(ws.warehouse), "ZHIBIAO_LOCK_TIMEOUT": "1"})
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from orchestration.settings import load_settings
        from orchestration.warehouse import take_lease
        take_lease(load_settings({{"WAREHOUSE_PATH": {str(ws.warehouse)!r}}}), "holding-run", lambda run_id: False)
        print("held", flush=True)
        time.sleep(30)
    """)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    try:
        take_lease(settings, "second-run", lambda run_id: False)
        raise AssertionError("second writer got the build folder")
    except WarehouseBusy as busy:
        message = str(busy)
    finally:
        holder.kill()
        holder.wait()
    assert "another zhibiao run" in message and f"pid {holder.pid}" in message, message
    # Its holder gone, the build folder is free at once.
    take_lease(settings, "second-run", lambda run_id: False)
    return (f"two writers at once: the result equals a clean run, a deleted file's rows kept, and it is "
            f"present again when delivered again; "
            f"with no time to wait: {message[:60]}…")


# Added by the kill scenario: a small report, then one big enough (1.3 MB) that parsing it takes a
# second or two, added only for the kill during parsing (the runs killed later need not parse it).
KILL_EXTRA = (
    MORE,
    ("big.txt", distinct_copies("\n\n".join(s.read_text(encoding="utf-8") for s in SAMPLES) + "\n\n", 60).encode("utf-8")),
)
# After dbt, before the run publishes; and while the ingest step writes the build.
KILL_MARKERS = {"gx": "Done. PASS", "parse": None}


def kill_during_parse_and_checks_then_sensor(tmp: Path) -> str:
    """Runs of `make run` killed with kill -9 once dbt has built (GX validating) and while
    parsing, one after another on one warehouse; then the daemon of `make dev` on the same
    DAGSTER_HOME: the killed runs end up failed, and its sensor's run gives what a clean run gives."""
    ws = new_workspace(tmp, "kill", built=True)
    published = ws.digest()
    before = ws.content()
    env = ws.env(ZHIBIAO_SENSOR_INTERVAL="1")
    instance_home = env["DAGSTER_HOME"]
    # What `make dev` starts: the warm run worker (loading while the runs below are killed), then
    # the daemon.
    started = [start_background(worker_command(instance_home, str(BIN / "python")), env)]
    try:
        put(ws.inbox / KILL_EXTRA[0][0], KILL_EXTRA[0][1])
        for phase in KILL_MARKERS:
            if phase == "parse":
                put(ws.inbox / KILL_EXTRA[1][0], KILL_EXTRA[1][1])
            kill_run_during(ws, phase)
            assert ws.digest() == published, f"the published warehouse changed after a kill during {phase}"
            assert ws.content() == before
        assert run_statuses(instance_home)[0] == "STARTED", run_statuses(instance_home)
        wait_for(lambda: worker_ready(instance_home), 180, "the run worker to be ready")
        started.append(start_background(DAEMON, env))
        wait_for(lambda: ws.digest() != published, 300, "the sensor's run to publish")
        # It published just before it ended: let it record its end before the daemon goes.
        wait_for(lambda: run_statuses(instance_home)[0] not in ("QUEUED", "STARTING", "STARTED"), 60,
                 "the sensor's run to end")
    finally:
        stop_background(started)
    assert run_statuses(instance_home) == ["SUCCESS"] + ["FAILURE"] * len(KILL_MARKERS), run_statuses(instance_home)
    assert tuple(ws.content()) == expected_content(KILL_EXTRA), "the run after the kills differs from a clean run"
    checks = last_run_checks(instance_home)
    assert checks["worker"], "the run was not forked by the warm run worker"
    # dbt ran inside the forked run: its tests still arrive as the marts' checks, and all pass.
    assert {"unique_fact_indicator_indicator_key", "relationships_fact_indicator_region_code__region_code__ref_dim_region_",
            "gx_units"} <= set(checks["passed"]) and not checks["failed"], checks
    return ("kill -9 during parsing and after dbt: the published file stayed as it was; the killed runs were marked "
            "failed; the sensor's run, forked by the warm run worker with dbt in its process, then gave what a "
            f"clean run gives, with {len(checks['passed'])} checks passed")


def start_background(command: list[str], env: dict[str, str]) -> subprocess.Popen:
    """One of the processes `make dev` keeps running (the daemon, the warm run worker), quiet and
    in a session of its own so that :func:`stop_background` takes its children too."""
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def stop_background(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def last_run_checks(dagster_home: str) -> dict:
    """Whether the newest run was forked by the warm run worker, and its checks by outcome."""
    import dagster as dg

    with dg.DagsterInstance.from_config(dagster_home) as instance:
        run = instance.get_runs(limit=1)[0]
        evaluations = [entry.asset_check_evaluation for entry in
                       instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)]
    return {"worker": WORKER_PID_TAG in run.tags,
            "passed": [e.check_name for e in evaluations if e.passed],
            "failed": [e.check_name for e in evaluations if not e.passed]}


def kill_run_during(ws: Workspace, phase: str) -> None:
    log = ws.warehouse.parent / "last_run.log"
    log.unlink(missing_ok=True)
    build = ws.warehouse.parent / ".build" / ws.warehouse.name
    build.unlink(missing_ok=True)
    proc = ws.start_run()
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and proc.poll() is None:
        if phase == "parse" and build.exists():
            time.sleep(0.3)  # the build file exists: the ingest step is parsing the big file
            break
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        if KILL_MARKERS[phase] and KILL_MARKERS[phase] in text:
            break
        time.sleep(0.05)
    assert proc.poll() is None, f"run ended before the {phase} phase could be interrupted"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def expected_content(extra: tuple[tuple[str, bytes], ...]) -> tuple:
    """What a clean run gives for the samples plus ``extra``: the samples' shared build, and the
    extra files' mentions as the parser finds them (dbt passes them through unchanged, as the
    pipeline tests check)."""
    from sources import parse_report

    rows = list(samples_content())
    columns = [c.strip() for c in CONTENT.split(",")]
    for name, data in extra:
        mentions = parse_report(data, name).mentions.with_columns(source_file=pl.lit(name))
        rows += [tuple(row[c] for c in columns) for row in mentions.iter_rows(named=True)]
    return tuple(sorted(rows, key=repr))


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except duckdb.Error:
            pass  # the warehouse is being swapped in; look again
        time.sleep(0.1)
    raise AssertionError(f"timed out after {seconds:.0f}s waiting for {what}")


def run_statuses(dagster_home: str) -> list[str]:
    """Statuses of the runs in a DAGSTER_HOME, newest first."""
    import dagster as dg

    with dg.DagsterInstance.from_config(dagster_home) as instance:
        return [run.status.value for run in instance.get_runs()]


SCENARIOS = {  # longest first: under pytest -n it starts first
    "kill_during_parse_and_checks_then_sensor": kill_during_parse_and_checks_then_sensor,
    "first_run_on_bad_and_odd_input": first_run_on_bad_and_odd_input,
    "redelivery_change_delete_and_readers": redelivery_change_delete_and_readers,
    "concurrent_runs": concurrent_runs,
}


def main(names: list[str]) -> int:
    passed = failed = 0
    for name in names or list(SCENARIOS):
        with tempfile.TemporaryDirectory(prefix=f"zhibiao-{name}-") as tmp:
            started = time.perf_counter()
            try:
                what = SCENARIOS[name](Path(tmp))
                passed += 1
                print(f"PASS {name} ({time.perf_counter() - started:.0f}s): {what}", flush=True)
            except Exception as err:  # a scenario's failure is reported, and the next one runs
                failed += 1
                print(f"FAIL {name} ({time.perf_counter() - started:.0f}s): {type(err).__name__}: {err}", flush=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
