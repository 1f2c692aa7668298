"""The warehouse file's life cycle: one writer at a time, build in private, publish atomically.

Readers (BI tools, notebooks) open ``WAREHOUSE_PATH``. DuckDB lets one process write or many
read, never both, so a run never writes that file: it copies it to a private working file,
builds there, and swaps the result in with one ``os.replace``. A killed run leaves the
published file as it was; the next run starts again from it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb

from orchestration.settings import Settings

# Readers bring their own duckdb (Superset pins duckdb<2); files stay readable by 1.4 and later.
STORAGE_COMPATIBILITY = "v1.4.0"


class WarehouseBusy(RuntimeError):
    pass


@contextmanager
def run_lock(settings: Settings):
    """Hold the single-writer lock for a whole run; wait for another run, then refuse clearly."""
    settings.build_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.lock_path, "a+") as fh:
        deadline = time.monotonic() + settings.lock_timeout_seconds
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fh.seek(0)
                    holder = fh.read().strip() or "unknown"
                    raise WarehouseBusy(
                        f"another zhibiao run ({holder}) is writing {settings.warehouse_path}; "
                        f"waited {settings.lock_timeout_seconds:.0f}s (ZHIBIAO_LOCK_TIMEOUT). Try again when it ends."
                    ) from None
                time.sleep(0.5)
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}")
        fh.flush()
        try:
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    if read_only:
        return duckdb.connect(str(path), read_only=True)
    return duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_COMPATIBILITY})


def first_row(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple | None:
    """The first row of a query, or None. duckdb 2 wants a result read to its end before the next query."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def prepare_build(settings: Settings) -> Path:
    """Start the working file from the published warehouse (or empty), discarding any killed run's state."""
    build = settings.build_path
    build.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (build, build.with_name(build.name + ".wal")):
        leftover.unlink(missing_ok=True)
    if settings.warehouse_path.exists():
        shutil.copyfile(settings.warehouse_path, build)
    else:
        connect(build).close()
    return build


def publish(settings: Settings) -> Path:
    """Checkpoint the working file and swap it in as the published warehouse in one rename."""
    build = settings.build_path
    con = connect(build)
    try:
        con.execute("checkpoint")
    finally:
        con.close()
    target = settings.warehouse_path
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.{os.getpid()}.publishing")
    shutil.copyfile(build, staged)
    with open(staged, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(staged, target)
    return target
