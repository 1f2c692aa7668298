"""Dagster's SQLite event log (dagster.yaml), keeping a connection to each database open.

Dagster's ``SqliteEventLogStorage`` builds an SQLAlchemy engine, opens the file, commits with an
fsync and closes the file again for every event it stores, and does it twice or three times for
an asset event: about 5 ms for a log line and 14 ms for a materialization or a check here. A run
stores about 180 events (the planned materializations and checks of every dbt model and test
come first), which was two seconds of every one-file run.

This storage is the same tables in the same files, so a DAGSTER_HOME keeps its history when it
changes. It keeps an engine for each database it writes (with its pooled connection and its
compiled statements) and commits with ``synchronous=NORMAL``. Dagster's files are in WAL mode,
where that still keeps every committed event through a killed process; only a power cut can lose
the last few, and never leaves a broken file.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from dagster._core.storage.event_log.sqlite.sqlite_event_log import INDEX_SHARD_NAME, SqliteEventLogStorage

# The index database, and this many run databases: a process writes one run at a time, and the UI
# reads the runs it shows.
OPEN_RUN_DATABASES = 4
BUSY_TIMEOUT_SECONDS = 15  # Dagster's own, for a database another process is writing


class KeptOpenSqliteEventLogStorage(SqliteEventLogStorage):
    """Its folder is the instance's, where Dagster's default storage keeps run event logs
    (DAGSTER_HOME/history/runs): dagster.yaml could only name a fixed path. An instance registers
    itself with its storages as soon as it has made them, before it uses them."""

    def __init__(self, inst_data=None):
        self._inst_data = inst_data
        self._engines: OrderedDict[tuple[int, str], sa.Engine] = OrderedDict()

    def register_instance(self, instance) -> None:
        if not hasattr(self, "_base_dir"):
            super().__init__(os.path.join(instance.root_directory, "history", "runs"), inst_data=self._inst_data)
        super().register_instance(instance)

    @classmethod
    def config_type(cls):
        return {}

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> KeptOpenSqliteEventLogStorage:
        return cls(inst_data=inst_data)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[sa.Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def _engine(self, shard: str) -> sa.Engine:
        # By process: a forked run must not use the connections of the process it was forked from.
        key = (os.getpid(), shard)
        engine = self._engines.get(key)
        if engine is None:
            engine = self._engines[key] = sa.create_engine(
                self.conn_string_for_shard(shard),
                # Connections move between Dagster's threads, never two at a time (_db_lock).
                connect_args={"timeout": BUSY_TIMEOUT_SECONDS, "check_same_thread": False})
            sa.event.listen(engine, "connect", lambda dbapi, _: dbapi.execute("PRAGMA synchronous=NORMAL"))
            self._close_unused()
        self._engines.move_to_end(key)
        return engine

    def _close_unused(self) -> None:
        runs = [key for key in self._own_engines() if key[1] != INDEX_SHARD_NAME]
        for key in runs[:-OPEN_RUN_DATABASES]:
            self._engines.pop(key).dispose()

    def _own_engines(self) -> list[tuple[int, str]]:
        # Another process's engines stay referenced and untouched: closing SQLite connections a
        # fork inherited can disturb the process that opened them.
        return [key for key in self._engines if key[0] == os.getpid()]

    def _close_all(self) -> None:
        with self._db_lock:
            for key in self._own_engines():
                self._engines.pop(key).dispose()

    def wipe(self) -> None:
        self._close_all()  # wiping deletes the run databases' files
        super().wipe()

    def dispose(self) -> None:
        self._close_all()
        super().dispose()
