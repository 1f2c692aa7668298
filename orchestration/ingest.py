"""Load the reports folder into a warehouse's raw tables, one transaction per file.

A run first works out, from file sizes and times alone, what changed since the warehouse was
built (:func:`plan_ingest`): a run with nothing to do stops there. Files that did change are
read and hashed; the same bytes under the same name are not parsed again, the same bytes under a
second name, or the same text in another file (the report as .txt and as a web page), are
recorded as a duplicate, a file that is not a readable report goes to
``raw.rejected_files`` with a reason, and the rest are parsed on every core and loaded.
Every document a run touches is listed in ``raw.changed_documents``, with the region it had
before the run, which the incremental dbt models and the Great Expectations suites read.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

import duckdb
import polars as pl

from orchestration import progress
from orchestration.inbox import InboxFile, is_settled, list_inbox
from orchestration.parse_pool import ParseJob, parse_all
from orchestration.warehouse import first_row
from sources import EXTRACTOR_VERSION, ParsedReport
from sources.budget import Budget
from sources.report import LONG_SENTENCE_SCHEMA, MENTION_SCHEMA, file_hash_of

# The raw tables' columns, declared once: the DDL and the frames written to them come from these.
DOCUMENT_SCHEMA = {
    "document_id": pl.String, "source_file": pl.String, "source_file_bytes": pl.Binary, "content_hash": pl.String,
    "file_hash": pl.String, "title": pl.String, "region": pl.String, "region_level": pl.String, "region_code": pl.String,
    "province": pl.String, "region_as_written": pl.String, "region_source": pl.String, "region_note": pl.String,
    "report_year": pl.Int32, "report_year_source": pl.String, "delivered_on": pl.Date, "speaker": pl.String,
    "targets_not_set": pl.String, "targets_not_set_sentence": pl.String,
    "encoding": pl.String, "format": pl.String, "size_bytes": pl.Int64, "mtime_ns": pl.Int64, "char_count": pl.Int64,
    "extractor_version": pl.String, "status": pl.String, "duplicate_of": pl.String, "mention_count": pl.Int32,
    "loaded_at": pl.Datetime("us", "UTC"), "last_seen_at": pl.Datetime("us", "UTC"), "is_present": pl.Boolean,
}
REJECTED_SCHEMA = {
    "document_id": pl.String, "source_file": pl.String, "source_file_bytes": pl.Binary, "reason": pl.String,
    "content_hash": pl.String, "size_bytes": pl.Int64, "mtime_ns": pl.Int64, "extractor_version": pl.String,
    "seen_at": pl.Datetime("us", "UTC"),
}
RAW_MENTION_SCHEMA = {**MENTION_SCHEMA, "loaded_at": pl.Datetime("us", "UTC")}
RAW_SCHEMAS = {
    "raw.documents": DOCUMENT_SCHEMA,
    "raw.indicator_mentions": RAW_MENTION_SCHEMA,
    "raw.rejected_files": REJECTED_SCHEMA,
    "raw.long_sentences": LONG_SENTENCE_SCHEMA,
    # previous_region_code: the document's region before this run (a changed file may name another,
    # a pruned one none), whose targets and outcomes are judged again.
    "raw.changed_documents": {"document_id": pl.String, "previous_region_code": pl.String},
    "raw.build_info": {"key": pl.String, "value": pl.String},
}
# raw.documents has no primary key (earlier releases gave it one): its document_id is unique by
# construction (a file's rows are deleted before they are written again) and dbt tests it downstream
# (dim_document). DuckDB writes a changed table's whole index at every checkpoint, and the build
# file is checkpointed when the ingest step closes it: a key on 20,000 documents cost 0.4 s of every
# run that added one.
PRIMARY_KEYS = {"raw.build_info": "key"}
SQL_TYPES = {pl.String: "varchar", pl.Binary: "blob", pl.Int32: "integer", pl.Int64: "bigint", pl.Float64: "double",
             pl.Boolean: "boolean", pl.Date: "date"}
RAW_TABLES = ["raw.indicator_mentions", "raw.long_sentences", "raw.documents", "raw.rejected_files"]
# Files whose rows are written in one transaction: a run is atomic as a whole (a killed run's
# build is thrown away), so per-file transactions would only cost time.
BATCH_FILES = 200
BATCH_MENTIONS = 200_000


def sql_type(dtype) -> str:
    return "timestamptz" if isinstance(dtype, pl.Datetime) else SQL_TYPES[dtype.base_type()]


def ddl() -> list[str]:
    statements = ["create schema if not exists raw"]
    for table, schema in RAW_SCHEMAS.items():
        columns = ", ".join(f"{name} {sql_type(dtype)}" + (" primary key" if PRIMARY_KEYS.get(table) == name else "")
                            for name, dtype in schema.items())
        statements.append(f"create table if not exists {table} ({columns})")
        # A warehouse built by an earlier release gains the columns added since, in place.
        statements += [f"alter table {table} add column if not exists {name} {sql_type(dtype)}"
                       for name, dtype in schema.items()]
    statements.append("delete from raw.rejected_files where document_id is null")  # from before ids: read again
    return statements


@dataclass
class IngestSummary:
    files_seen: int = 0
    parsed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    unsettled: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    mentions_loaded: int = 0
    changed: set[str] = field(default_factory=set)  # document ids whose rows this run touched


@dataclass(frozen=True)
class Plan:
    """What a run has to do, worked out from sizes and modification times alone."""

    files: list[InboxFile]
    to_read: list[InboxFile]  # new, changed, or read by older rules
    unchanged: list[InboxFile]
    unsettled: list[InboxFile]  # still being written: left for the next run
    gone: list[tuple[str, str]]  # (document_id, source_file) on record but no longer in the folder
    # The published warehouse it was made on (orchestration.warehouse.file_stamp); None if made on
    # another connection, or when there was no warehouse yet.
    planned_on: tuple[int, int, int] | None = None

    @property
    def has_work(self) -> bool:
        return bool(self.to_read or self.gone)


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    drop_retired_keys(con)
    for statement in ddl():
        con.execute(statement)


def drop_retired_keys(con: duckdb.DuckDBPyConnection) -> None:
    """A raw table an earlier release gave a primary key that :data:`PRIMARY_KEYS` no longer names is
    made again without it (DuckDB cannot drop a constraint in place); the views that read it find it
    under its name again."""
    keyed = con.execute("select table_name from duckdb_constraints() where schema_name = 'raw' "
                        "and constraint_type = 'PRIMARY KEY'").fetchall()
    for (name,) in keyed:
        table = f"raw.{name}"
        if table in PRIMARY_KEYS:
            continue
        with transaction(con):
            con.execute(f"create table {table}_unkeyed as select * from {table}")
            con.execute(f"drop table {table}")
            con.execute(f"alter table {table}_unkeyed rename to {name}")


def plan_ingest(con: duckdb.DuckDBPyConnection | None, files: list[InboxFile], settle_seconds: float,
                prune_missing: bool, reread: bool = False) -> Plan:
    """Compare the folder with what the warehouse (``con``, read-only is enough; None when there
    is none yet) has on record. Nothing is read but the file system's sizes and times.
    ``reread``: every file is read again, changed or not (a full refresh)."""
    documents, rejected = known_files(con)
    unsettled = [f for f in files if not is_settled(f, settle_seconds)]
    ready = [f for f in files if is_settled(f, settle_seconds)]
    to_read, unchanged = [], []
    for f in ready:
        seen = documents.get(f.document_id) or rejected.get(f.document_id)
        same = not reread and seen == (f.size, f.mtime_ns, EXTRACTOR_VERSION, True)
        (unchanged if same else to_read).append(f)
    listed = {f.document_id for f in files}
    gone = [(document_id, name) for document_id, (name, present) in known_names(con).items()
            if document_id not in listed and (present or prune_missing)]
    return Plan(files, to_read, unchanged, unsettled, gone)


def known_files(con) -> tuple[dict, dict]:
    """(size, mtime_ns, extractor version, still usable) of every document and rejected file on record."""
    if con is None or not has_raw_tables(con):
        return {}, {}
    documents = {
        row[0]: (row[1], row[2], row[3], row[4] in ("loaded", "duplicate") and row[5])
        for row in con.execute("select document_id, size_bytes, mtime_ns, extractor_version, status, is_present "
                               "from raw.documents").fetchall()
    }
    rejected = {
        row[0]: (row[1], row[2], row[3], True)
        for row in con.execute("select document_id, size_bytes, mtime_ns, extractor_version "
                               "from raw.rejected_files").fetchall()
    }
    return documents, rejected


def known_names(con) -> dict[str, tuple[str, bool]]:
    if con is None or not has_raw_tables(con):
        return {}
    rows = con.execute("select document_id, source_file, is_present from raw.documents union all "
                       "select document_id, source_file, true from raw.rejected_files").fetchall()
    return {document_id: (name, present) for document_id, name, present in rows}


def has_raw_tables(con) -> bool:
    found = first_row(con, "select count(*) from information_schema.tables "
                           "where table_schema = 'raw' and table_name = 'rejected_files'")
    if not found[0]:
        return False
    columns = {r[0] for r in con.execute("select column_name from information_schema.columns where "
                                         "table_schema = 'raw' and table_name = 'rejected_files'").fetchall()}
    return "mtime_ns" in columns  # a warehouse from before sizes and times were kept: read everything again


def ingest_folder(con, folder: Path, settle_seconds: float = 0.0, prune_missing: bool = False,
                  log=lambda message: None, budget: Budget = Budget(), workers: int = 1,
                  reread: bool = False, plan: Plan | None = None) -> IngestSummary:
    """Bring the raw tables in ``con`` up to date with ``folder``; ``reread``: parse every file
    again, changed or not; ``plan``: what :func:`plan_ingest` found for ``con``, if already known
    (its listing of the folder is used: the folder is not listed again)."""
    ensure_tables(con)
    now = datetime.now(timezone.utc)
    regions_before = regions_on_record(con)
    if plan is None:
        plan = plan_ingest(con, list_inbox(folder), settle_seconds, prune_missing, reread)
    files = plan.files
    summary = IngestSummary(files_seen=len(files), unchanged=[f.source_file for f in plan.unchanged])
    for f in plan.unsettled:
        summary.unsettled.append(f.source_file)
        log(f"{f.source_file}: still being written, left for the next run")
    load_files(con, plan.to_read, now, summary, log, budget, workers, reread)
    remove_gone(con, plan.gone, prune_missing, summary)
    reload_orphaned_duplicates(con, {f.document_id: f for f in files}, now, summary, log, budget)
    record_changed(con, summary.changed, regions_before)
    return summary


def load_files(con, files: list[InboxFile], now: datetime, summary: IngestSummary, log, budget: Budget,
               workers: int, reread: bool = False) -> None:
    """Read each file once; parse those whose bytes are new (on every core); load the results.

    A file whose bytes, or whose text as read, are those of a loaded file is recorded as its
    duplicate: the same report as .txt and as a web page is one document under two names. Of two
    new files with the same text, the one whose name sorts first is loaded, whatever order the
    workers finish in."""
    writer = RawWriter(con, now, summary, log)
    pending = read_changed(con, files, writer, reread)
    owners = Owners.on_record(con, {f.document_id for f, _, _ in pending})
    jobs: list[ParseJob] = []
    twins: list[tuple[InboxFile, str, str]] = []  # (file, file hash, the file whose bytes it repeats)
    by_key = {f.document_id: f for f in files}
    hash_of = {f.document_id: file_hash for f, _, file_hash in pending}
    for f, data, file_hash in pending:
        twin = owners.of_bytes.get(file_hash)
        if twin is not None:
            twins.append((f, file_hash, twin))
            continue
        owners.of_bytes[file_hash] = f.source_file
        jobs.append(ParseJob(f.document_id, data, f.source_file, f.document_id))
    failed: dict[str, str] = {}  # file hash -> why the file that stood for those bytes was rejected
    read_as: dict[str, ReadAs] = dict(owners.read_as)
    loaded_now: dict[str, tuple[InboxFile, str, int]] = {}  # content hash -> (file loaded now, its hash, mentions)
    progress.current().phase("parsing files", total=len(jobs))
    for outcome in parse_all(jobs, budget, workers):
        progress.current().advance()
        f = by_key[outcome.job.key]
        file_hash = hash_of[outcome.job.key]
        if outcome.report is None:
            failed[file_hash] = outcome.rejected
            writer.rejected(f, outcome.rejected, file_hash)
            continue
        report = outcome.report
        content_hash = report.document["content_hash"]
        read_as[file_hash] = ReadAs(content_hash, report.document["format"], report.document["encoding"])
        owner = owners.of_text.get(content_hash)
        if owner is not None and content_hash in loaded_now and f.source_file < owner:
            first, first_hash, mention_count = loaded_now.pop(content_hash)
            writer.flush()  # its rows are written: the duplicate record below replaces them
            writer.unload(first, mention_count)
            writer.duplicate(first, first_hash, read_as[first_hash], f.source_file, "text")
            owner = None
        if owner is None:
            owners.of_text[content_hash] = f.source_file
            loaded_now[content_hash] = (f, file_hash, report.mentions.height)
            writer.loaded(f, report)
        else:
            writer.duplicate(f, file_hash, read_as[file_hash], owner, "text")
    for f, file_hash, twin in twins:
        if file_hash in failed:  # the same bytes as a file just rejected: the same reason
            writer.rejected(f, failed[file_hash], file_hash)
        else:
            as_read = read_as[file_hash]
            writer.duplicate(f, file_hash, as_read, owners.of_text.get(as_read.content_hash, twin), "bytes")
    writer.flush()


def read_changed(con, files: list[InboxFile], writer: "RawWriter",
                 reread: bool = False) -> list[tuple[InboxFile, bytes, str]]:
    """(file, bytes, file hash) of each file whose bytes are not on record as read by these rules
    (of every file, with ``reread``); a file touched but unchanged only has its times updated."""
    known = {} if reread else {row[0]: row[1:] for row in con.execute(
        "select document_id, file_hash, extractor_version, status from raw.documents").fetchall()}
    pending: list[tuple[InboxFile, bytes, str]] = []
    for f in sorted(files, key=lambda f: f.source_file):
        if f.problem:
            writer.rejected(f, f.problem, None)
            continue
        try:
            data = read_settled(f)
        except FileNotFoundError:
            continue  # gone since the folder was listed: the next run records it gone
        except OSError as err:
            writer.rejected(f, f"cannot be opened: {err.strerror or err}", None)
            continue
        if data is None:
            writer.summary.unsettled.append(f.source_file)
            writer.log(f"{f.source_file}: changed while it was read, left for the next run")
            continue
        file_hash = file_hash_of(data)
        if known.get(f.document_id, (None,) * 3) in ((file_hash, EXTRACTOR_VERSION, "loaded"),
                                                     (file_hash, EXTRACTOR_VERSION, "duplicate")):
            writer.seen_again(f)  # touched, not changed
        else:
            pending.append((f, data, file_hash))
    return pending


class ReadAs(NamedTuple):
    """What a file's bytes read as."""

    content_hash: str
    format: str
    encoding: str | None


@dataclass
class Owners:
    """The loaded file that stands for each text and for each file's bytes."""

    of_text: dict[str, str]  # content hash -> source file
    of_bytes: dict[str, str]  # file hash -> source file
    read_as: dict[str, "ReadAs"]  # file hash -> what its bytes read as

    @classmethod
    def on_record(cls, con, reading: set[str]) -> "Owners":
        """Loaded files on record, leaving out those read again now (they stand for nothing yet)."""
        owners = cls({}, {}, {})
        for document_id, source_file, content_hash, file_hash, file_format, encoding in con.execute(
                "select document_id, source_file, content_hash, file_hash, format, encoding from raw.documents "
                "where status = 'loaded' order by loaded_at, source_file").fetchall():
            if document_id in reading:
                continue
            owners.of_text.setdefault(content_hash, source_file)
            owners.of_bytes.setdefault(file_hash, source_file)
            owners.read_as.setdefault(file_hash, ReadAs(content_hash, file_format, encoding))
        return owners


def read_settled(f: InboxFile) -> bytes | None:
    """The file's bytes, or None if it changed while being read (a copy still in progress)."""
    data = f.path.read_bytes()
    after = os.stat(f.path)
    if (after.st_size, after.st_mtime_ns) != (f.size, f.mtime_ns) or len(data) != f.size:
        return None
    return data


def reload_orphaned_duplicates(con, files: dict[str, InboxFile], now: datetime, summary: IngestSummary, log,
                               budget: Budget) -> None:
    """A duplicate whose original changed or was pruned no longer has rows standing for it: load it."""
    orphans = [row[0] for row in con.execute("""
        select d.document_id from raw.documents d
        where d.status = 'duplicate' and not exists (
            select 1 from raw.documents t where t.status = 'loaded' and t.content_hash = d.content_hash)
        order by d.source_file
    """).fetchall()]
    if not orphans:
        return
    with transaction(con):
        delete_documents(con, orphans)
    summary.changed.update(orphans)
    present = [files[document_id] for document_id in orphans if document_id in files]
    for f in present:
        log(f"{f.source_file}: the file it duplicated changed or is gone, loading it on its own")
    load_files(con, present, now, summary, log, budget, workers=1)


class RawWriter:
    """Rows for the raw tables, written a batch of files at a time in one transaction."""

    def __init__(self, con, now: datetime, summary: IngestSummary, log):
        self.con, self.now, self.summary, self.write_log = con, now, summary, log
        self.log_lines: list[str] = []
        self.clear()

    def log(self, line: str) -> None:
        # A line per file, logged a batch at a time: each log message is an event Dagster stores,
        # and one per file cost the parsing a core's worth of time on large runs.
        self.log_lines.append(line)

    def clear(self) -> None:
        self.documents: list[dict] = []
        self.rejections: list[dict] = []
        self.mentions: list[pl.DataFrame] = []
        self.long_sentences: list[pl.DataFrame] = []
        self.mention_count = 0

    def loaded(self, f: InboxFile, parsed: ParsedReport) -> None:
        self.documents.append({
            **parsed.document, "source_file_bytes": f.name_bytes, "mtime_ns": f.mtime_ns, "status": "loaded",
            "duplicate_of": None, "mention_count": parsed.mentions.height, "loaded_at": self.now,
            "last_seen_at": self.now, "is_present": True})
        self.mentions.append(parsed.mentions)
        self.long_sentences.append(parsed.long_sentences)
        self.mention_count += parsed.mentions.height
        self.summary.parsed.append(f.source_file)
        self.summary.mentions_loaded += parsed.mentions.height
        self.log(f"{f.source_file}: {parsed.mentions.height} mentions ({parsed.document['encoding']})")
        self.changed(f)

    def duplicate(self, f: InboxFile, file_hash: str, read_as: "ReadAs", twin: str, same: str) -> None:
        self.documents.append({
            "document_id": f.document_id, "source_file": f.source_file, "source_file_bytes": f.name_bytes,
            "content_hash": read_as.content_hash, "file_hash": file_hash, "format": read_as.format,
            "encoding": read_as.encoding, "size_bytes": f.size, "mtime_ns": f.mtime_ns,
            "extractor_version": EXTRACTOR_VERSION, "status": "duplicate", "duplicate_of": twin,
            "mention_count": 0, "loaded_at": self.now, "last_seen_at": self.now, "is_present": True})
        self.summary.duplicates.append((f.source_file, twin))
        self.log(f"{f.source_file}: same {same} as {twin}, not loaded twice")
        self.changed(f)

    def unload(self, f: InboxFile, mention_count: int) -> None:
        """Take back a file counted as loaded this run (another file now stands for its text)."""
        self.summary.parsed.remove(f.source_file)
        self.summary.mentions_loaded -= mention_count

    def rejected(self, f: InboxFile, reason: str, content_hash: str | None) -> None:
        self.rejections.append({
            "document_id": f.document_id, "source_file": f.source_file, "source_file_bytes": f.name_bytes,
            "reason": reason, "content_hash": content_hash, "size_bytes": f.size, "mtime_ns": f.mtime_ns,
            "extractor_version": EXTRACTOR_VERSION, "seen_at": self.now})
        self.summary.rejected.append((f.source_file, reason))
        self.log(f"{f.source_file}: rejected, {reason}")
        self.changed(f)

    def seen_again(self, f: InboxFile) -> None:
        """Same bytes as on record (the file was touched, or copied back): only its times move."""
        self.con.execute("update raw.documents set size_bytes = ?, mtime_ns = ?, last_seen_at = ?, "
                         "is_present = true, source_file = ? where document_id = ?",
                         [f.size, f.mtime_ns, self.now, f.source_file, f.document_id])
        self.summary.unchanged.append(f.source_file)
        self.summary.changed.add(f.document_id)  # its row in dim_document moves with it

    def changed(self, f: InboxFile) -> None:
        self.summary.changed.add(f.document_id)
        if len(self.documents) + len(self.rejections) >= BATCH_FILES or self.mention_count >= BATCH_MENTIONS:
            self.flush()

    def flush(self) -> None:
        if self.log_lines:
            self.write_log("\n".join(self.log_lines))
            self.log_lines = []
        ids = [row["document_id"] for row in self.documents + self.rejections]
        if not ids:
            return
        frames = {
            "raw.documents": pl.DataFrame(self.documents, schema=DOCUMENT_SCHEMA),
            "raw.rejected_files": pl.DataFrame(self.rejections, schema=REJECTED_SCHEMA),
            "raw.indicator_mentions": pl.concat(self.mentions).with_columns(
                pl.lit(self.now, dtype=RAW_MENTION_SCHEMA["loaded_at"]).alias("loaded_at")
            ) if self.mentions else pl.DataFrame(schema=RAW_MENTION_SCHEMA),
            "raw.long_sentences": pl.concat(self.long_sentences) if self.long_sentences else pl.DataFrame(
                schema=LONG_SENTENCE_SCHEMA),
        }
        with transaction(self.con):
            delete_documents(self.con, ids)
            for table, frame in frames.items():
                if frame.height:
                    insert_frame(self.con, table, frame)
        self.clear()


def remove_gone(con, gone: list[tuple[str, str]], prune: bool, summary: IngestSummary) -> None:
    """Files gone from the folder keep their rows (the warehouse is a record) unless pruning is on;
    a rejected file that is gone leaves no trace."""
    summary.missing = [name for _, name in gone]
    ids = [document_id for document_id, _ in gone]
    if not ids:
        return
    with transaction(con):
        if prune:
            delete_documents(con, ids)
        else:
            with registered(con, "gone_documents", id_frame(ids)):
                con.execute("update raw.documents set is_present = false "
                            "where document_id in (select document_id from gone_documents)")
                con.execute("delete from raw.rejected_files "
                            "where document_id in (select document_id from gone_documents)")
    summary.changed.update(ids)


def regions_on_record(con) -> dict[str, str]:
    """document id → region code, of each document on record with a region."""
    return dict(con.execute("select document_id, region_code from raw.documents where region_code is not null")
                .fetchall())


def record_changed(con, changed: set[str], regions_before: dict[str, str]) -> None:
    ids = sorted(changed)
    frame = pl.DataFrame({"document_id": ids, "previous_region_code": [regions_before.get(i) for i in ids]},
                         schema=RAW_SCHEMAS["raw.changed_documents"])
    with transaction(con):
        con.execute("delete from raw.changed_documents")
        if changed:
            insert_frame(con, "raw.changed_documents", frame)


def id_frame(document_ids: list[str]) -> pl.DataFrame:
    return pl.DataFrame({"document_id": document_ids}, schema={"document_id": pl.String})


def delete_documents(con, document_ids: list[str]) -> None:
    with registered(con, "deleted_documents", id_frame(document_ids)):
        for table in RAW_TABLES:
            con.execute(f"delete from {table} where document_id in (select document_id from deleted_documents)")


def insert_frame(con, table: str, frame: pl.DataFrame) -> None:
    columns = ", ".join(frame.columns)
    with registered(con, "rows_to_insert", frame):
        con.execute(f"insert into {table} ({columns}) select {columns} from rows_to_insert")


@contextmanager
def registered(con, name: str, frame: pl.DataFrame):
    con.register(name, frame)
    try:
        yield
    finally:
        con.unregister(name)


class transaction:
    def __init__(self, con):
        self.con = con

    def __enter__(self):
        self.con.execute("begin transaction")

    def __exit__(self, kind, value, tb):
        self.con.execute("rollback" if kind else "commit")
        return False
