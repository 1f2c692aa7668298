"""The warehouse file's life cycle: one writer at a time, build in private, publish atomically.

Readers (BI tools, notebooks) open ``WAREHOUSE_PATH``. DuckDB lets one process write or many
read, never both, so a run never writes that file. The first step of a run that has work to do
copies it once into the build folder; every later step opens that build file by itself (so the
job runs on any executor); the last step swaps it in with one ``os.replace``. A killed run leaves
the published file as it was, and the next run starts again from it.

One run at a time holds the build folder: its lease (``lease.json``) names the run and the process
that owns it. A lease whose owner is gone, or whose run has ended, is taken over.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.runs import owner_alive, owner_tags
from orchestration.settings import Settings

# Readers bring their own duckdb (Superset pins duckdb<2); files stay readable by 1.4 and later.
STORAGE_COMPATIBILITY = "v1.4.0"
# How much a writer (the ingest step, dbt) logs before DuckDB checkpoints the build file. The file
# is private until published, so checkpointing it every 16 MB (DuckDB's default) bought nothing:
# writing 400,000 mentions took twice as long and left a file twice the size.
CHECKPOINT_THRESHOLD = "256MB"


class WarehouseBusy(RuntimeError):
    pass


class LeaseLost(RuntimeError):
    pass


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    if read_only:
        return duckdb.connect(str(path), read_only=True)
    return duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_COMPATIBILITY,
                                             "checkpoint_threshold": CHECKPOINT_THRESHOLD})


@contextmanager
def opened(path: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(path, read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def first_row(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple | None:
    """The first row of a query, or None. duckdb 2 wants a result read to its end before the next query."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


@dataclass(frozen=True)
class RunBuild:
    """What one run has built so far, in the build folder, found by any step from the run id."""

    settings: Settings
    run_id: str

    @property
    def path(self) -> Path:
        return self.settings.build_path

    @property
    def state_path(self) -> Path:
        return self.settings.build_dir / "run.json"

    def start(self, run_ended: Callable[[str], bool] = lambda run_id: False) -> None:
        """Take the lease (waiting for a live run to finish) and start the build file from the
        published warehouse, or empty; a dead run's leftovers are discarded."""
        take_lease(self.settings, self.run_id, run_ended)
        for leftover in (self.path, self.path.with_name(self.path.name + ".wal"), self.state_path):
            leftover.unlink(missing_ok=True)
        if self.settings.warehouse_path.exists():
            copy_file(self.settings.warehouse_path, self.path)
        else:
            connect(self.path).close()

    def save_state(self, state: dict) -> None:
        self.hold()
        tmp = self.state_path.with_suffix(".tmp")
        tmp.write_text(json.dumps({**state, "run_id": self.run_id}), encoding="utf-8")
        os.replace(tmp, self.state_path)

    def state(self) -> dict:
        """What the ingest step of this run left for the steps after it."""
        self.hold()
        state = json.loads(self.state_path.read_text(encoding="utf-8"))
        if state.get("run_id") != self.run_id:
            raise LeaseLost(f"the build folder holds run {state.get('run_id')}'s state, not run {self.run_id}'s")
        return state

    def hold(self) -> None:
        """Fail unless this run holds the lease: a step never writes a build another run started."""
        holder = read_lease(self.settings)
        if holder is None or holder.get("run_id") != self.run_id:
            raise LeaseLost(
                f"run {self.run_id} does not hold {self.settings.build_dir} "
                f"(held by {describe_holder(holder)}); it was taken over after this run looked dead"
            )

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        self.hold()
        with opened(self.path, read_only=read_only) as con:
            yield con

    def publish(self) -> Path:
        """Checkpoint the build file and swap it in as the published warehouse with one rename."""
        self.hold()
        with opened(self.path) as con:
            con.execute("checkpoint")
        with open(self.path, "rb") as fh:
            os.fsync(fh.fileno())
        target = self.settings.warehouse_path
        os.replace(self.path, target)
        self.state_path.unlink(missing_ok=True)
        release_lease(self.settings, self.run_id)
        return target

    def finish_without_publishing(self) -> None:
        """A run with nothing to publish lets the next one in."""
        self.state_path.unlink(missing_ok=True)
        release_lease(self.settings, self.run_id)


def file_stamp(path: Path) -> tuple[int, int, int] | None:
    """Which file is at ``path`` (inode, size, modification time), or None: publishing replaces the
    warehouse with a new file, so a stamp that is the same is the same published warehouse."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def copy_file(source: Path, target: Path) -> None:
    """Copy with the kernel doing the work (copy_file_range), fsynced before anyone renames it."""
    with open(source, "rb") as src, open(target, "wb") as dst:
        remaining = os.fstat(src.fileno()).st_size
        while remaining > 0:
            copied = os.copy_file_range(src.fileno(), dst.fileno(), remaining)
            if copied == 0:
                break
            remaining -= copied
        os.fsync(dst.fileno())


# --- the lease: which run holds the build folder ---

@contextmanager
def lease_file_lock(settings: Settings) -> Iterator[None]:
    """Held only while the lease is read and written, never for a whole run."""
    settings.build_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.build_dir / "lease.lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def lease_path(settings: Settings) -> Path:
    return settings.build_dir / "lease.json"


def read_lease(settings: Settings) -> dict | None:
    try:
        return json.loads(lease_path(settings).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def describe_holder(holder: dict | None) -> str:
    if not holder:
        return "no run"
    return f"run {holder.get('run_id', '?')[:8]}, pid {holder.get('zhibiao/owner_pid')} since {holder.get('since')}"


def take_lease(settings: Settings, run_id: str, run_ended: Callable[[str], bool]) -> None:
    """Take the build folder for ``run_id``; wait up to ZHIBIAO_LOCK_TIMEOUT for a live holder."""
    deadline = time.monotonic() + settings.lock_timeout_seconds
    while True:
        with lease_file_lock(settings):
            holder = read_lease(settings)
            if holder is None or holder.get("run_id") == run_id or lease_is_dead(holder, run_ended):
                lease = {"run_id": run_id, "since": time.strftime("%Y-%m-%d %H:%M:%S"), **owner_tags()}
                lease_path(settings).write_text(json.dumps(lease), encoding="utf-8")
                return
        if time.monotonic() >= deadline:
            raise WarehouseBusy(
                f"another zhibiao run ({describe_holder(holder)}) is writing {settings.warehouse_path}; "
                f"waited {settings.lock_timeout_seconds:.0f}s (ZHIBIAO_LOCK_TIMEOUT). Try again when it ends."
            )
        time.sleep(0.2)


def lease_is_dead(holder: dict, run_ended: Callable[[str], bool]) -> bool:
    """A holder whose process is gone, or whose run Dagster knows has ended, holds nothing."""
    return owner_alive(holder) is False or run_ended(holder.get("run_id", ""))


def release_lease(settings: Settings, run_id: str) -> None:
    with lease_file_lock(settings):
        holder = read_lease(settings)
        if holder is not None and holder.get("run_id") == run_id:
            lease_path(settings).unlink()
