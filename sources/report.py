"""One report file in, its document record and indicator mentions out (a polars frame)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from sources import mentions, segment, structure, years
from sources.decode import decode_report
from sources.normalise import normalise
from sources.rules import RULES_DIR, SEEDS_DIR


def extractor_version() -> str:
    """A fingerprint of the extraction code and rule tables: when it changes, loaded files are parsed again."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted([*package.glob("*.py"), *RULES_DIR.glob("*.csv"), *SEEDS_DIR.glob("*.csv")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


EXTRACTOR_VERSION = extractor_version()

MENTION_SCHEMA = {
    "document_id": pl.String,
    "source_file": pl.String,
    "mention_index": pl.Int32,
    "domain_id": pl.String,
    "section_title": pl.String,
    "indicator_name": pl.String,
    "metric": pl.String,
    "value": pl.Float64,
    "value_high": pl.Float64,
    "unit": pl.String,
    "qualifier": pl.String,
    "period_year": pl.Int32,
    "is_target": pl.Boolean,
    "mention_text": pl.String,
    "sentence": pl.String,
    "paragraph_index": pl.Int32,
}


@dataclass(frozen=True)
class ParsedReport:
    document: dict
    mentions: pl.DataFrame


def document_id_of(file_name: str) -> str:
    return hashlib.sha256(file_name.encode("utf-8")).hexdigest()[:16]


def content_hash_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_report(data: bytes, file_name: str) -> ParsedReport:
    """Decode, normalise, structure and extract one report; raises ``RejectedFile`` for non-reports."""
    raw_text, encoding = decode_report(data)
    text = normalise(raw_text)
    lines = [line for line in text.split("\n") if line.strip()]
    title = structure.title_of(lines)
    head = "\n".join(lines[:6])
    report_year, year_source = years.report_year(head, file_name, text)
    document = {
        "document_id": document_id_of(file_name),
        "source_file": file_name,
        "content_hash": content_hash_of(data),
        "title": title,
        "region": structure.region_of(title, file_name, text),
        "report_year": report_year,
        "report_year_source": year_source,
        "encoding": encoding,
        "size_bytes": len(data),
        "char_count": len(text),
        "extractor_version": EXTRACTOR_VERSION,
    }
    return ParsedReport(document, extract_mentions(text, report_year, document["document_id"], file_name))


def extract_mentions(text: str, report_year: int | None, document_id: str, file_name: str) -> pl.DataFrame:
    paragraph_frame = structure.paragraphs(text, report_year)
    sentence_frame = structure.sentences(paragraph_frame)
    if sentence_frame.is_empty():
        return pl.DataFrame(schema=MENTION_SCHEMA)
    found = mentions.interpret(mentions.scan(sentence_frame))
    if found.is_empty():
        return pl.DataFrame(schema=MENTION_SCHEMA)
    joined = found.join(sentence_frame, on="sentence_index", how="left").sort("sentence_index", "core_start")
    paragraph_text = dict(zip(paragraph_frame["paragraph_index"], paragraph_frame["paragraph"]))
    rows = []
    previous: dict | None = None  # the mention before, for a clause that names only a measure
    for index, m in enumerate(joined.iter_rows(named=True)):
        same_sentence = previous is not None and previous["sentence_index"] == m["sentence_index"]
        name = segment.indicator_name(m["before"], m["after"], previous["name"] if same_sentence else None)
        if same_sentence and LISTED.match(m["before"][previous["core_start"] + len(previous["mention_text"]):]):
            # 分别增长5.3%和7.1%: the second figure moves like the first.
            m = {**m, "metric": previous["metric"], "value": abs(m["value"]) * sign_of(previous["value"])}
        same_paragraph = previous is not None and previous["paragraph_index"] == m["paragraph_index"]
        previous_domain = previous["domain_id"] if same_paragraph else None
        is_target = target_of(m, report_year)
        rows.append({
            "document_id": document_id,
            "source_file": file_name,
            "mention_index": index,
            "domain_id": domain_of(m, name, previous_domain, paragraph_text[m["paragraph_index"]]),
            "section_title": m["section_title"],
            "indicator_name": name,
            "metric": m["metric"],
            "value": m["value"],
            "value_high": m["value_high"],
            "unit": m["unit"],
            "qualifier": m["qualifier"],
            "period_year": year_of(m, report_year, is_target),
            "is_target": is_target,
            "mention_text": m["mention_text"],
            "sentence": m["sentence"],
            "paragraph_index": m["paragraph_index"],
        })
        previous = {**m, "name": name, "domain_id": rows[-1]["domain_id"]}
    return pl.DataFrame(rows, schema=MENTION_SCHEMA)


def domain_of(m: dict, name: str, previous_domain: str | None, paragraph: str) -> str:
    """Headings that name a domain first; then the mention's words, widening to its paragraph."""
    found = segment.heading_domain(m["subsection_title"]) or segment.heading_domain(m["section_title"])
    found = found or segment.word_domain(name, segment.clause_before(m["before"]), m["sentence"], head_first=True)
    return found or previous_domain or segment.word_domain(paragraph) or "general"


LISTED = re.compile(r"^\s*(?:和|及|与|、|,|，)\s*$")


def sign_of(value: float) -> int:
    return -1 if value < 0 else 1


def target_of(m: dict, report_year: int | None) -> bool:
    """Goal or achievement: cue words first, then an explicit year, then the passage's context."""
    before = m["before"]
    context = m["context_kind"] or m["section_kind"]
    # A review says "完成全年目标任务，增长5.2%": there a goal word counts only in the number's own clause.
    cue_scope = segment.clause_before(before) if context == "review" else segment.segment_before(before)
    if segment.has_cue(cue_scope, "target_strong"):
        return True
    named = years.named_year(before, report_year)
    if named is not None and named[1] and report_year is not None:
        return named[0] >= report_year
    if context is not None:
        return context == "plan"
    if segment.has_cue(segment.clause_before(before), "achieved"):
        return False
    return segment.has_cue(before, "target_weak")


def year_of(m: dict, report_year: int | None, is_target: bool) -> int | None:
    named = years.year_in(m["before"], report_year)
    if named is not None:
        return named
    for year in (m["context_year"], m["section_year"]):
        if year is not None:
            return year
    if report_year is None:
        return None
    return report_year if is_target else report_year - 1

