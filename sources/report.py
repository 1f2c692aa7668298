"""One report file in, its document record and indicator mentions out (a polars frame)."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

import polars as pl

from sources import indicators, masthead, mentions, names, regions, segment, structure, years
from sources.mentions import ROWS_PER_CHUNK
from sources.budget import Budget, Meter
from sources.decode import RejectedFile
from sources.formats import read_text
from sources.normalise import normalise
from sources.pattern import CHANGE_START, SEGMENT_SEPARATORS, last_part
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
    "indicator_code": pl.String,
    "metric": pl.String,
    "value": pl.Float64,
    "value_high": pl.Float64,
    "unit": pl.String,
    "qualifier": pl.String,
    "period_year": pl.Int32,
    "is_target": pl.Boolean,
    "mention_text": pl.String,
    "sentence": pl.String,
    "sentence_index": pl.Int32,
    "paragraph_index": pl.Int32,
}
LONG_SENTENCE_SCHEMA = {"document_id": pl.String, "sentence_index": pl.Int32, "sentence": pl.String}
# A paragraph's words decide a mention's domain only when nothing closer does; past this length a
# "paragraph" is a whole flattened file, and reading all of it would cost more than it tells.
PARAGRAPH_DOMAIN_CHARS = 20_000
HEAD_LINES = 12
HEAD_LINE_CHARS = 80
WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class ParsedReport:
    document: dict
    mentions: pl.DataFrame
    long_sentences: pl.DataFrame  # sentences too long to keep per mention, each kept once


def document_id_of(name: str | bytes) -> str:
    """A file's identity: the bytes of its name (see ``orchestration.inbox``)."""
    return hashlib.sha256(name.encode("utf-8") if isinstance(name, str) else name).hexdigest()[:16]


def file_hash_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_hash_of(found: pl.DataFrame, text: str) -> str:
    """The report's identity whatever file it came in: the sentences that carry its figures, in
    order (the whole text when it has none). The same report as .txt, web page, PDF or Word gives
    the same hash even where the copies differ in what carries no figure: a page's 发布时间 line,
    a table's header row, a hand-made copy without the title. Whitespace is left out because line
    breaks and indentation are the format's, not the report's."""
    sentences = found["sentence"].drop_nulls().unique(maintain_order=True).to_list()
    body = "\n".join(sentences) if sentences else text
    return hashlib.sha256(WHITESPACE.sub("", body).encode("utf-8")).hexdigest()


def read_document(data: bytes, file_name: str, document_id: str | None = None) -> tuple[dict, str]:
    """The document record of one report (who, when, what it is called) and its normalised text;
    raises ``RejectedFile`` for files that hold no readable report."""
    raw_text, encoding, file_format = read_text(data, file_name)
    text = normalise(raw_text)
    lines = [line for line in text.split("\n") if line.strip()]
    # Web copies put a menu (下载, 打印, 【字号…】) above the title: the head is the first short lines,
    # down to the opening 各位代表 (a date below it, 2009年6月30日，坪山新区正式成立, is the body's).
    head = masthead.masthead("\n".join(line[:HEAD_LINE_CHARS] for line in lines[:HEAD_LINES]))
    report_year, year_source = years.report_year(head, file_name, text)
    region = regions.region_of(masthead.head_lines(lines, HEAD_LINES), file_name, text)
    division = region.division
    document = {
        "document_id": document_id or document_id_of(file_name),
        "source_file": file_name,
        "file_hash": file_hash_of(data),
        "title": masthead.title_of(lines) or masthead.composed_title(division and division.full_name, report_year),
        "region": division.full_name if division else None,
        "region_level": division.level if division else None,
        "region_code": division.code if division else None,
        "province": division.province or None if division else None,
        "region_as_written": region.as_written,
        "region_source": region.source,
        "region_note": region.note,
        "report_year": report_year,
        "report_year_source": year_source,
        "delivered_on": masthead.delivered_on(text),
        **dict(zip(("targets_not_set", "targets_not_set_sentence"), indicators.targets_not_set(text))),
        "speaker": masthead.speaker_of(text),
        "encoding": encoding,
        "format": file_format,
        "size_bytes": len(data),
        "char_count": len(text),
        "extractor_version": EXTRACTOR_VERSION,
    }
    return document, text


@dataclass(frozen=True)
class ReportFile:
    """One file to parse: its bytes, the name it came under and, if known, its document id."""
    data: bytes
    file_name: str
    document_id: str | None = None


def parse_report(data: bytes, file_name: str, document_id: str | None = None,
                 budget: Budget = Budget()) -> ParsedReport:
    """Decode, normalise, structure and extract one report; raises ``RejectedFile`` for non-reports
    and for files over the time or size ``budget``."""
    (outcome,) = parse_reports([ReportFile(data, file_name, document_id)], budget)
    if isinstance(outcome, RejectedFile):
        raise outcome
    return outcome


def parse_reports(files: Sequence[ReportFile], budget: Budget = Budget()) -> list[ParsedReport | RejectedFile]:
    """Each file parsed as :func:`parse_report` would, or the ``RejectedFile`` that says why not.

    The files' sentences and candidate figures are found by one polars query for them all: a query
    over one short report cost as much as the report's own text (it compiles the mention pattern
    and warms its automaton anew), which made it a fifth of parsing a folder of reports."""
    outcomes: list[ParsedReport | RejectedFile | None] = [None] * len(files)
    read: dict[int, tuple[dict, str, Meter]] = {}
    paragraph_frames = []
    for key, f in enumerate(files):
        meter = Meter(budget)
        try:
            document, text = read_document(f.data, f.file_name, f.document_id)
        except RejectedFile as err:
            outcomes[key] = err
            continue
        read[key] = (document, text, meter)
        paragraph_frames.append(structure.paragraphs(text, document["report_year"], key))
    if read:
        batch = Batch(pl.concat(paragraph_frames))
        for key, (document, text, meter) in read.items():
            try:
                outcomes[key] = batch.report(key, document, text, meter)
            except RejectedFile as err:
                outcomes[key] = err
    return outcomes


class Batch:
    """The sentences, pieces and candidate figures of reports read together (``document`` tells
    them apart), and each report's mentions from them."""

    def __init__(self, paragraph_frame: pl.DataFrame):
        sentence_frame = structure.sentences(paragraph_frame)
        piece_frame = structure.pieces(sentence_frame)
        # The figures found stay Python objects, and each reads its piece's context from these
        # lists: a frame of them, joined to the pieces and read back row by row, cost a tenth
        # of parsing in conversions.
        self.pieces = PieceContext(piece_frame)
        found = mentions.interpret(mentions.scan(piece_frame)) if not piece_frame.is_empty() else []
        self.found: dict[int, list[mentions.Reading]] = {}
        for reading in sorted(found, key=attrgetter("piece_index", "core_start")):
            self.found.setdefault(self.pieces.document[reading.piece_index], []).append(reading)
        self.long = dict(by_document(structure.long_sentences(sentence_frame)))
        self.paragraph_domain = ParagraphDomains(paragraph_frame, self.pieces)

    def report(self, key: int, document: dict, text: str, meter: Meter) -> ParsedReport:
        meter.check()
        found = self.mentions(key, document["report_year"], document["document_id"], document["source_file"], meter,
                              regions.names_of(document["region_code"]))
        long = self.long.get(key, EMPTY_LONG).select(
            pl.lit(document["document_id"]).alias("document_id"), "sentence_index", "sentence")
        return ParsedReport({**document, "content_hash": content_hash_of(found, text)}, found, long)

    def mentions(self, key: int, report_year: int | None, document_id: str, file_name: str, meter: Meter,
                 own_names: tuple[str, ...] = ()) -> pl.DataFrame:
        """The mentions of one report; ``own_names`` are its region's names (深圳市, 深圳), which a
        canonical indicator's name may open with."""
        readings = self.found.get(key, [])
        if not readings:
            return pl.DataFrame(schema=MENTION_SCHEMA)
        meter.check(len(readings))
        piece_text = self.pieces.text
        indicator_names = names_of(readings, piece_text)
        chunks: list[pl.DataFrame] = []
        rows: list[dict] = []
        previous: Earlier | None = None
        for index, (reading, name) in enumerate(zip(readings, indicator_names)):
            m = {**reading._asdict(), **self.pieces.context(reading.piece_index)}
            same_piece = previous is not None and previous.piece_index == m["piece_index"]
            if same_piece and moves_like(m["before"][previous.end:], m["unit"], previous.unit):
                # 分别增长5.3%和7.1%: the second figure moves like the first.
                m = {**m, "metric": previous.metric, "value": abs(m["value"]) * sign_of(previous.value)}
            same_paragraph = previous is not None and previous.paragraph_index == m["paragraph_index"]
            is_target = target_of(m, report_year)
            domain_id = (domain_of(m, name, previous.domain_id if same_paragraph else None)
                         or self.paragraph_domain(key, m["paragraph_index"]) or "general")
            rows.append({
                "document_id": document_id,
                "source_file": file_name,
                "mention_index": index,
                "domain_id": domain_id,
                "section_title": m["section_title"],
                "indicator_name": name,
                "indicator_code": indicators.indicator_code(name, m["metric"], m["unit"], m["before"], own_names),
                "metric": m["metric"],
                "value": m["value"],
                "value_high": m["value_high"],
                "unit": m["unit"],
                "qualifier": m["qualifier"],
                "period_year": year_of(m, report_year, is_target),
                "is_target": is_target,
                "mention_text": m["mention_text"],
                "sentence": m["sentence"],
                "sentence_index": m["sentence_index"],
                "paragraph_index": m["paragraph_index"],
            })
            previous = Earlier(m["piece_index"], m["core_start"] + len(m["mention_text"]), m["metric"], m["value"],
                               m["unit"], m["paragraph_index"], domain_id)
            if len(rows) == ROWS_PER_CHUNK:
                chunks.append(pl.DataFrame(rows, schema=MENTION_SCHEMA))
                rows = []
                meter.check()
        chunks.append(pl.DataFrame(rows, schema=MENTION_SCHEMA))
        return pl.concat(chunks)


class PieceContext:
    """Each piece's text and the context it is read in (its section, the year and kind its
    paragraph sets), as lists indexed by ``piece_index``."""

    COLUMNS = ("paragraph_index", "section_title", "subsection_title", "section_year", "section_kind",
               "context_year", "context_kind", "sentence_index")

    def __init__(self, piece_frame: pl.DataFrame):
        self.text: list[str] = piece_frame["sentence"].to_list()
        self.document: list[int] = piece_frame["document"].to_list()
        self.columns = [piece_frame[column].to_list() for column in self.COLUMNS]
        self.paragraph: list[int] = self.columns[self.COLUMNS.index("paragraph_index")]
        self.contexts: dict[int, dict] = {}

    def context(self, piece_index: int) -> dict:
        """The piece's context and text, as a mention reads them (made once per piece)."""
        found = self.contexts.get(piece_index)
        if found is None:
            found = dict(zip(self.COLUMNS, (column[piece_index] for column in self.columns)))
            found["sentence"] = self.text[piece_index]
            self.contexts[piece_index] = found
        return found


EMPTY_LONG = pl.DataFrame(schema={"sentence_index": pl.Int32, "sentence": pl.String})


def by_document(frame: pl.DataFrame) -> Iterator[tuple[int, pl.DataFrame]]:
    """Each report's rows of a batch frame, keyed by its ``document``."""
    for (key,), part in frame.partition_by("document", as_dict=True, maintain_order=True).items():
        yield key, part


# A report in miniature: parsing it loads what the first real report would (jieba's dictionary and
# tagger, the gazetteer, the compiled patterns), in a process that has time to spare for it.
WARM_UP_REPORT = "某市人民政府工作报告\n各位代表：\n2025年，全市地区生产总值增长5%左右，新增城镇就业10万人以上。\n"


def warm_up() -> None:
    """Load what parsing needs, so the next report parses at full speed."""
    parse_report(WARM_UP_REPORT.encode(), "warm-up.txt")


def extract_mentions(text: str, report_year: int | None, document_id: str, file_name: str) -> pl.DataFrame:
    """The mentions of an already normalised text (what the rule tests call)."""
    batch = Batch(structure.paragraphs(text, report_year))
    return batch.mentions(0, report_year, document_id, file_name, Meter(Budget()))


class Earlier(NamedTuple):
    """What the next mention reads of the one before it."""
    piece_index: int
    end: int  # offset in the piece where the mention ends
    metric: str
    value: float
    unit: str
    paragraph_index: int
    domain_id: str


def names_of(readings: list[mentions.Reading], piece_text: list[str]) -> list[str]:
    """The indicator name of every mention, read a piece at a time (a list pairs across its figures)."""
    found: list[str] = []
    for piece_index, group in groupby(readings, key=attrgetter("piece_index")):
        figures = [names.Figure(r.core_start, r.core_start + len(r.mention_text), r.before, r.after) for r in group]
        found += names.names_in_piece(piece_text[piece_index], figures)
    return found


def domain_of(m: dict, name: str, previous_domain: str | None) -> str | None:
    """Headings that name a domain first; then the mention's words, widening to its sentence."""
    found = segment.heading_domain(m["subsection_title"]) or segment.heading_domain(m["section_title"])
    if found:
        return found
    piece, end = m["sentence"], len(m["before"])
    clause_start = end - len(segment.clause_before(m["before"]))
    return (segment.name_domain(name)
            or segment.voted_domain(segment.domain_votes(piece[clause_start:end]))
            or segment.voted_domain(segment.piece_votes(piece))
            or previous_domain)


class ParagraphDomains:
    """The domain a paragraph's words point to, worked out the first time a mention needs it."""

    def __init__(self, paragraph_frame: pl.DataFrame, pieces: PieceContext):
        self.pieces: dict[tuple[int, int], list[str]] = {}
        for document, index, text in zip(pieces.document, pieces.paragraph, pieces.text):
            self.pieces.setdefault((document, index), []).append(text)
        self.too_long = {
            (document, index) for document, index, text in zip(
                paragraph_frame["document"].to_list(), paragraph_frame["paragraph_index"].to_list(),
                paragraph_frame["paragraph"].to_list())
            if len(text) > PARAGRAPH_DOMAIN_CHARS
        }
        self.found: dict[tuple[int, int], str | None] = {}

    def __call__(self, document: int, index: int) -> str | None:
        key = (document, index)
        if key in self.too_long:
            return None
        if key not in self.found:
            votes = sum((segment.piece_votes(p) for p in self.pieces.get(key, [])), Counter())
            self.found[key] = segment.voted_domain(votes)
        return self.found[key]


LISTED = re.compile(r"^\s*(?:和|及|与|、|,|，)\s*$")


def moves_like(gap: str, unit: str, previous_unit: str) -> bool:
    """Whether a figure continues the list of the one before it (``gap`` between them), and so moves
    as it does: after 、 or 和 always; after a comma only in the same unit (分别下降5%，3%), since a
    new clause may start with a figure of its own (时限压缩72%，111项业务实现秒批)."""
    if not LISTED.match(gap):
        return False
    return unit == previous_unit or not any(comma in gap for comma in ",，")


def sign_of(value: float) -> int:
    return -1 if value < 0 else 1


def target_of(m: dict, report_year: int | None) -> bool:
    """Goal or achievement: cue words first, then an explicit year, then the passage's context."""
    before, piece = m["before"], m["sentence"]
    end = len(before)
    clause_start = end - len(segment.clause_before(before))
    context = m["context_kind"] or m["section_kind"]
    # A review says "完成全年目标任务，增长5.2%": there a goal word counts only in the number's own clause.
    scope_start = clause_start if context == "review" else end - len(segment.segment_before(before))
    if segment.has_cue_in(piece, scope_start, end, "target_strong"):
        return True
    named = years.named_year(before, report_year)
    if named is not None and named[1] and report_year is not None:
        return named[0] >= report_year
    if context is not None:
        return context == "plan"
    if segment.has_cue_in(piece, clause_start, end, "achieved"):
        return False
    return segment.has_cue_in(piece, 0, end, "target_weak")


def year_of(m: dict, report_year: int | None, is_target: bool) -> int | None:
    year = years.year_in(m["before"], report_year)
    if year is None:
        year = next((y for y in (m["context_year"], m["section_year"]) if y is not None), None)
    if year is None and report_year is not None:
        year = report_year if is_target else report_year - 1
    if not is_target and year is not None and CHANGE_START.search(m["before"]):
        # 过去五年，国内生产总值从54万亿元增加到82.7万亿元: the first figure is where the span began;
        # 较“十三五”末期…，企业由66户整合至12户: where the passage's comparison began.
        base = years.base_year(m["before"])
        if base is not None and base < year:
            return base
        return year - years.span_length(last_part(m["before"], SEGMENT_SEPARATORS))
    if is_target and year is not None and report_year is not None and year < report_year:
        # A goal set in a report is for its year or later; an earlier year it names is a base
        # (确保不低于上年度收入的60%) or the review it sits in.
        return report_year
    return year

