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
from sources import EXTRACTOR_VERSION, RejectedFile, parse_report
from sources.report import MENTION_SCHEMA, document_id_of

DDL = [
    "create schema if not exists raw",
    """create table if not exists raw.documents (
        document_id varchar primary key, source_file varchar not null, content_hash varchar,
        title varchar, region varchar, report_year integer, report_year_source varchar,
        encoding varchar, size_bytes bigint, char_count bigint, extractor_version varchar,
        status varchar, duplicate_of varchar, mention_count integer,
        loaded_at timestamptz, last_seen_at timestamptz, is_present boolean)""",
    """create table if not exists raw.indicator_mentions (
        document_id varchar, source_file varchar, mention_index integer, domain_id varchar,
        section_title varchar, indicator_name varchar, metric varchar, value double, value_high double,
        unit varchar, qualifier varchar, period_year integer, is_target boolean, mention_text varchar,
        sentence varchar, paragraph_index integer, loaded_at timestamptz)""",
    """create table if not exists raw.rejected_files (
        source_file varchar, reason varchar, content_hash varchar, size_bytes bigint, seen_at timestamptz)""",
]
DOCUMENT_COLUMNS = [
    "document_id", "source_file", "content_hash", "title", "region", "report_year", "report_year_source",
    "encoding", "size_bytes", "char_count", "extractor_version", "status", "duplicate_of", "mention_count",
    "loaded_at", "last_seen_at", "is_present",
]


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
                  log=lambda message: None) -> IngestSummary:
    ensure_tables(con)
    now = datetime.now(timezone.utc)
    summary = IngestSummary()
    files = list_inbox(folder)
    summary.files_seen = len(files)
    present = {f.source_file for f in files}
    for f in files:
        if not is_settled(f, settle_seconds):
            summary.unsettled.append(f.source_file)
            log(f"{f.source_file}: still being written, left for the next run")
            continue
        ingest_file(con, f, now, summary, log)
    mark_missing(con, present, now, prune_missing, summary)
    reload_orphaned_duplicates(con, {f.source_file: f for f in files}, now, summary, log)
    return summary


def reload_orphaned_duplicates(con, files: dict[str, InboxFile], now: datetime, summary: IngestSummary, log) -> None:
    """A duplicate whose original changed or was pruned no longer has rows standing for it: load it."""
    orphans = con.execute("""
        select d.source_file from raw.documents d
        left join raw.documents t
          on t.source_file = d.duplicate_of and t.status = 'loaded' and t.content_hash = d.content_hash
        where d.status = 'duplicate' and t.source_file is null
        order by d.source_file
    """).fetchall()
    for (name,) in orphans:
        with transaction(con):
            delete_file(con, name)
        if name in files:
            log(f"{name}: the file it duplicated changed or is gone, loading it on its own")
            ingest_file(con, files[name], now, summary, log)


def ingest_file(con, f: InboxFile, now: datetime, summary: IngestSummary, log) -> None:
    try:
        data = f.path.read_bytes()
    except OSError as err:
        reject(con, f.source_file, f"unreadable: {err.strerror or err}", None, f.size, now, summary, log)
        return
    content_hash = hashlib.sha256(data).hexdigest()
    known = first_row(
        con, "select content_hash, extractor_version, status from raw.documents where source_file = ?", [f.source_file]
    )
    if known and known[0] == content_hash and known[1] == EXTRACTOR_VERSION and known[2] in ("loaded", "duplicate"):
        con.execute(
            "update raw.documents set last_seen_at = ?, is_present = true where source_file = ?", [now, f.source_file]
        )
        summary.unchanged.append(f.source_file)
        return
    twin = first_row(
        con,
        "select source_file from raw.documents where content_hash = ? and status = 'loaded' and source_file <> ? "
        "order by loaded_at limit 1",
        [content_hash, f.source_file],
    )
    if twin:
        record_duplicate(con, f, content_hash, twin[0], now)
        summary.duplicates.append((f.source_file, twin[0]))
        log(f"{f.source_file}: same bytes as {twin[0]}, not loaded twice")
        return
    try:
        parsed = parse_report(data, f.source_file)
    except RejectedFile as err:
        reject(con, f.source_file, err.reason, content_hash, len(data), now, summary, log)
        return
    load_parsed(con, parsed.document, parsed.mentions, now)
    summary.parsed.append(f.source_file)
    summary.mentions_loaded += parsed.mentions.height
    log(f"{f.source_file}: {parsed.mentions.height} mentions ({parsed.document['encoding']})")


def load_parsed(con, document: dict, mentions: pl.DataFrame, now: datetime) -> None:
    frame = mentions.with_columns(pl.lit(now).alias("loaded_at"))
    row = {**document, "status": "loaded", "duplicate_of": None, "mention_count": mentions.height,
           "loaded_at": now, "last_seen_at": now, "is_present": True}
    columns = ", ".join([*MENTION_SCHEMA, "loaded_at"])
    con.register("parsed_mentions", frame)
    try:
        with transaction(con):
            delete_file(con, document["source_file"])
            con.execute(f"insert into raw.indicator_mentions ({columns}) select {columns} from parsed_mentions")
            insert_document(con, row)
    finally:
        con.unregister("parsed_mentions")


def record_duplicate(con, f: InboxFile, content_hash: str, twin: str, now: datetime) -> None:
    row = {column: None for column in DOCUMENT_COLUMNS}
    row.update(document_id=document_id_of(f.source_file), source_file=f.source_file, content_hash=content_hash,
               size_bytes=f.size, extractor_version=EXTRACTOR_VERSION, status="duplicate", duplicate_of=twin,
               mention_count=0, loaded_at=now, last_seen_at=now, is_present=True)
    with transaction(con):
        delete_file(con, f.source_file)
        insert_document(con, row)


def reject(con, source_file: str, reason: str, content_hash, size, now, summary: IngestSummary, log) -> None:
    with transaction(con):
        delete_file(con, source_file)
        con.execute(
            "insert into raw.rejected_files values (?, ?, ?, ?, ?)", [source_file, reason, content_hash, size, now]
        )
    summary.rejected.append((source_file, reason))
    log(f"{source_file}: rejected, {reason}")


def delete_file(con, source_file: str) -> None:
    for table in ("raw.indicator_mentions", "raw.documents", "raw.rejected_files"):
        con.execute(f"delete from {table} where source_file = ?", [source_file])


def insert_document(con, row: dict) -> None:
    placeholders = ", ".join("?" for _ in DOCUMENT_COLUMNS)
    con.execute(
        f"insert into raw.documents ({', '.join(DOCUMENT_COLUMNS)}) values ({placeholders})",
        [row[c] for c in DOCUMENT_COLUMNS],
    )


def mark_missing(con, present: set[str], now: datetime, prune: bool, summary: IngestSummary) -> None:
    """Files gone from the folder keep their rows (the warehouse is a record) unless pruning is on."""
    known = [r[0] for r in con.execute("select source_file from raw.documents").fetchall()]
    gone = [name for name in known if name not in present]
    summary.missing = gone
    with transaction(con):
        for name in gone:
            if prune:
                delete_file(con, name)
            else:
                con.execute("update raw.documents set is_present = false where source_file = ?", [name])
        rejected = [r[0] for r in con.execute("select source_file from raw.rejected_files").fetchall()]
        for name in rejected:
            if name not in present:
                con.execute("delete from raw.rejected_files where source_file = ?", [name])


class transaction:
    def __init__(self, con):
        self.con = con

    def __enter__(self):
        self.con.execute("begin transaction")

    def __exit__(self, kind, value, tb):
        self.con.execute("rollback" if kind else "commit")
        return False
