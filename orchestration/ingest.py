"""Load the reports folder into the working warehouse's raw tables, one transaction per file.

A file already loaded with the same bytes and extractor version is not parsed again; a changed
file replaces its rows; the same bytes under a second name are recorded as a duplicate; a file
that is not a readable report goes to ``raw.rejected_files`` with a reason, and the run goes on.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import polars as pl

from orchestration.inbox import InboxFile, is_settled, list_inbox
from orchestration.warehouse import first_row
from sources import EXTRACTOR_VERSION, ParsedReport, RejectedFile, parse_report
from sources.budget import Budget
from sources.report import MENTION_SCHEMA

DDL = [
    "create schema if not exists raw",
    """create table if not exists raw.documents (
        document_id varchar primary key, source_file varchar not null, source_file_bytes blob, content_hash varchar,
        title varchar, region varchar, report_year integer, report_year_source varchar,
        encoding varchar, size_bytes bigint, char_count bigint, extractor_version varchar,
        status varchar, duplicate_of varchar, mention_count integer,
        loaded_at timestamptz, last_seen_at timestamptz, is_present boolean)""",
    """create table if not exists raw.indicator_mentions (
        document_id varchar, source_file varchar, mention_index integer, domain_id varchar,
        section_title varchar, indicator_name varchar, metric varchar, value double, value_high double,
        unit varchar, qualifier varchar, period_year integer, is_target boolean, mention_text varchar,
        sentence varchar, sentence_index integer, paragraph_index integer, loaded_at timestamptz)""",
    """create table if not exists raw.rejected_files (
        document_id varchar, source_file varchar, source_file_bytes blob, reason varchar, content_hash varchar,
        size_bytes bigint, seen_at timestamptz)""",
    """create table if not exists raw.long_sentences (
        document_id varchar, sentence_index integer, sentence varchar)""",
    # Columns added since the first release: a warehouse built by then gains them in place.
    "alter table raw.documents add column if not exists source_file_bytes blob",
    "alter table raw.indicator_mentions add column if not exists sentence_index integer",
    "alter table raw.rejected_files add column if not exists document_id varchar",
    "alter table raw.rejected_files add column if not exists source_file_bytes blob",
    "delete from raw.rejected_files where document_id is null",  # rejected again by this run, with an id
]
DOCUMENT_COLUMNS = [
    "document_id", "source_file", "source_file_bytes", "content_hash", "title", "region", "report_year",
    "report_year_source", "encoding", "size_bytes", "char_count", "extractor_version", "status", "duplicate_of",
    "mention_count", "loaded_at", "last_seen_at", "is_present",
]
REJECTED_COLUMNS = ["document_id", "source_file", "source_file_bytes", "reason", "content_hash", "size_bytes",
                    "seen_at"]


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


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    for statement in DDL:
        con.execute(statement)


def ingest_folder(con, folder: Path, settle_seconds: float = 0.0, prune_missing: bool = False,
                  log=lambda message: None, budget: Budget = Budget()) -> IngestSummary:
    ensure_tables(con)
    now = datetime.now(timezone.utc)
    summary = IngestSummary()
    files = list_inbox(folder)
    summary.files_seen = len(files)
    for f in files:
        if not is_settled(f, settle_seconds):
            summary.unsettled.append(f.source_file)
            log(f"{f.source_file}: still being written, left for the next run")
            continue
        ingest_file(con, f, now, summary, log, budget)
    present = {f.document_id: f for f in files}
    mark_missing(con, present, prune_missing, summary)
    reload_orphaned_duplicates(con, present, now, summary, log, budget)
    return summary


def reload_orphaned_duplicates(con, files: dict[str, InboxFile], now: datetime, summary: IngestSummary, log,
                               budget: Budget) -> None:
    """A duplicate whose original changed or was pruned no longer has rows standing for it: load it."""
    orphans = con.execute("""
        select d.document_id from raw.documents d
        where d.status = 'duplicate' and not exists (
            select 1 from raw.documents t where t.status = 'loaded' and t.content_hash = d.content_hash)
        order by d.source_file
    """).fetchall()
    for (document_id,) in orphans:
        with transaction(con):
            delete_file(con, document_id)
        if document_id in files:
            f = files[document_id]
            log(f"{f.source_file}: the file it duplicated changed or is gone, loading it on its own")
            ingest_file(con, f, now, summary, log, budget)


def ingest_file(con, f: InboxFile, now: datetime, summary: IngestSummary, log, budget: Budget) -> None:
    if f.problem:
        reject(con, f, f.problem, None, f.size, now, summary, log)
        return
    try:
        data = f.path.read_bytes()
    except OSError as err:
        reject(con, f, f"cannot be opened: {err.strerror or err}", None, f.size, now, summary, log)
        return
    content_hash = hashlib.sha256(data).hexdigest()
    known = first_row(
        con, "select content_hash, extractor_version, status from raw.documents where document_id = ?",
        [f.document_id],
    )
    if known and known[0] == content_hash and known[1] == EXTRACTOR_VERSION and known[2] in ("loaded", "duplicate"):
        con.execute(
            "update raw.documents set last_seen_at = ?, is_present = true, source_file = ? where document_id = ?",
            [now, f.source_file, f.document_id],
        )
        summary.unchanged.append(f.source_file)
        return
    twin = first_row(
        con,
        "select source_file from raw.documents where content_hash = ? and status = 'loaded' and document_id <> ? "
        "order by loaded_at limit 1",
        [content_hash, f.document_id],
    )
    if twin:
        record_duplicate(con, f, content_hash, twin[0], now)
        summary.duplicates.append((f.source_file, twin[0]))
        log(f"{f.source_file}: same bytes as {twin[0]}, not loaded twice")
        return
    try:
        parsed = parse_report(data, f.source_file, f.document_id, budget)
    except RejectedFile as err:
        reject(con, f, err.reason, content_hash, len(data), now, summary, log)
        return
    load_parsed(con, f, parsed, now)
    summary.parsed.append(f.source_file)
    summary.mentions_loaded += parsed.mentions.height
    log(f"{f.source_file}: {parsed.mentions.height} mentions ({parsed.document['encoding']})")


def load_parsed(con, f: InboxFile, parsed: ParsedReport, now: datetime) -> None:
    mentions = parsed.mentions.with_columns(pl.lit(now).alias("loaded_at"))
    row = {**parsed.document, "source_file_bytes": f.name_bytes, "status": "loaded", "duplicate_of": None,
           "mention_count": parsed.mentions.height, "loaded_at": now, "last_seen_at": now, "is_present": True}
    columns = ", ".join([*MENTION_SCHEMA, "loaded_at"])
    con.register("parsed_mentions", mentions)
    con.register("parsed_long_sentences", parsed.long_sentences)
    try:
        with transaction(con):
            delete_file(con, f.document_id)
            con.execute(f"insert into raw.indicator_mentions ({columns}) select {columns} from parsed_mentions")
            con.execute("insert into raw.long_sentences (document_id, sentence_index, sentence) "
                        "select document_id, sentence_index, sentence from parsed_long_sentences")
            insert_row(con, "raw.documents", DOCUMENT_COLUMNS, row)
    finally:
        con.unregister("parsed_mentions")
        con.unregister("parsed_long_sentences")


def record_duplicate(con, f: InboxFile, content_hash: str, twin: str, now: datetime) -> None:
    row = {column: None for column in DOCUMENT_COLUMNS}
    row.update(document_id=f.document_id, source_file=f.source_file, source_file_bytes=f.name_bytes,
               content_hash=content_hash, size_bytes=f.size, extractor_version=EXTRACTOR_VERSION,
               status="duplicate", duplicate_of=twin, mention_count=0, loaded_at=now, last_seen_at=now,
               is_present=True)
    with transaction(con):
        delete_file(con, f.document_id)
        insert_row(con, "raw.documents", DOCUMENT_COLUMNS, row)


def reject(con, f: InboxFile, reason: str, content_hash, size, now, summary: IngestSummary, log) -> None:
    row = {"document_id": f.document_id, "source_file": f.source_file, "source_file_bytes": f.name_bytes,
           "reason": reason, "content_hash": content_hash, "size_bytes": size, "seen_at": now}
    with transaction(con):
        delete_file(con, f.document_id)
        insert_row(con, "raw.rejected_files", REJECTED_COLUMNS, row)
    summary.rejected.append((f.source_file, reason))
    log(f"{f.source_file}: rejected, {reason}")


def delete_file(con, document_id: str) -> None:
    for table in ("raw.indicator_mentions", "raw.long_sentences", "raw.documents", "raw.rejected_files"):
        con.execute(f"delete from {table} where document_id = ?", [document_id])


def insert_row(con, table: str, columns: list[str], row: dict) -> None:
    placeholders = ", ".join("?" for _ in columns)
    con.execute(f"insert into {table} ({', '.join(columns)}) values ({placeholders})", [row[c] for c in columns])


def mark_missing(con, present: dict[str, InboxFile], prune: bool, summary: IngestSummary) -> None:
    """Files gone from the folder keep their rows (the warehouse is a record) unless pruning is on."""
    known = con.execute("select document_id, source_file from raw.documents").fetchall()
    gone = [(document_id, name) for document_id, name in known if document_id not in present]
    summary.missing = [name for _, name in gone]
    with transaction(con):
        for document_id, _ in gone:
            if prune:
                delete_file(con, document_id)
            else:
                con.execute("update raw.documents set is_present = false where document_id = ?", [document_id])
        rejected = [r[0] for r in con.execute("select document_id from raw.rejected_files").fetchall()]
        for document_id in rejected:
            if document_id not in present:
                con.execute("delete from raw.rejected_files where document_id = ?", [document_id])


class transaction:
    def __init__(self, con):
        self.con = con

    def __enter__(self):
        self.con.execute("begin transaction")

    def __exit__(self, kind, value, tb):
        self.con.execute("rollback" if kind else "commit")
        return False
