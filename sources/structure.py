"""Report structure: title, report year, headings and the context each paragraph is read in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import polars as pl

from sources import years
from sources.pattern import alternation
from sources.rules import load_rules
from sources.segment import PART_HEADING

CN_ORDINAL = "[一二三四五六七八九十]{1,3}"
# Heading shapes, highest rank first. The section heading of a report is the highest-ranked
# shape that occurs at least twice; a shape seen once at the top (a markdown "# …") is its title.
HEADING_SHAPES: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(rf"^第{CN_ORDINAL}(?:部分|章|篇|部)\s*(.{{0,40}})$")),
    *[(f"md{n}", re.compile(rf"^#{{{n}}}(?!#)\s*(.+)$")) for n in range(1, 5)],
    ("keyword", re.compile(r"^关键词\s*[:：]?\s*(.{1,30})$")),
    ("numbered", re.compile(rf"^{CN_ORDINAL}、\s*([^。]{{1,40}}?)。?$")),
    ("sub_numbered", re.compile(rf"^\({CN_ORDINAL}\)\s*([^。]{{1,40}}?)。?$")),
    ("bracket", re.compile(r"^【([^】]{1,30})】$")),
    ("arabic", re.compile(r"^\d{1,2}(?:、|\.(?!\d))\s*([^。]{1,40}?)。?$")),
    *[(f"md{n}", re.compile(rf"^#{{{n}}}(?!#)\s*(.+)$")) for n in range(5, 7)],
]
SHAPE_RANK = {name: rank for rank, (name, _) in enumerate(HEADING_SHAPES)}
DECORATION = re.compile(r"^[\s■●◆▲★☆#*]+|[\s*]+$")
YEAR_LED = re.compile(r"^((?:19|20)\d{2})(?:年)?\s+(.*)$")
SENTENCE = r"[^。!?]+[。!?]*"
# No sentence of a real report is longer than this (the longest in the development corpus has 448
# characters). Longer ones are flattened tables, lists or text that lost its full stops: each is
# read in pieces, so the work per mention stays bounded whatever the punctuation.
MAX_SENTENCE_CHARS = 500
# The piece of an overlong sentence a mention is read in and keeps as its sentence.
PIECE_CHARS = 200
# Where an overlong sentence may be cut, most natural first: semicolons, then commas, list breaks
# and the runs of spaces a flattened table leaves.
PIECE_BREAKS = [
    re.compile(r"(?<=[;；])"),
    re.compile(r"(?<=[,，、:：])|(?=\([一二三四五六七八九十]{1,3}\))|(?=[①-⑳])|\s{2,}|\t"),
]


@dataclass(frozen=True)
class Heading:
    shape: str
    title: str


def heading_of(line: str) -> Heading | None:
    for shape, pattern in HEADING_SHAPES:
        m = pattern.match(line)
        if m:
            title = clean_title(m.group(1))
            return Heading(shape, title) if title else None
    return None


def clean_title(raw: str) -> str:
    title = re.sub(r"^关键词\s*[:：]?\s*", "", raw.strip())
    title = title.strip("【】[]「」 *#")
    return DECORATION.sub("", title)


def section_kind(title: str | None, heading_year: int | None, report_year: int | None,
                 inherited: str | None = None) -> str | None:
    """review (a past year), plan (this year's work) or None, from a heading's words and year, else
    the part it sits in (``inherited``): under 未来五年工作思路和任务, 一、奋力推动经济发展取得新成效
    is a plan, whatever its 成效 says."""
    if not title:
        return None
    cues = load_rules().cues
    if any(w in title for w in cues["review"]):
        return "review"
    if any(w in title for w in cues["plan"]) or any(w in title for w in cues["target_strong"]):
        return "plan"
    if heading_year is not None and report_year is not None:
        return "review" if heading_year < report_year else "plan"
    if inherited is not None:
        return inherited
    if any(w in title for w in cues["review_weak"]):
        return "review"
    return None


def subsection_kind(title: str, section: str | None, report_year: int | None) -> str | None:
    """The kind a subheading sets for its own paragraphs. Under a review or plan section, only a
    subheading that names its year turns the other way: a review's (二)聚力落实国家重大战略任务
    and (五)…重点任务取得积极进展 hold the word 任务 but report what was done."""
    year, kind = heading_context(title, report_year)
    return kind if section is None or year is not None else None


# A paragraph this long that comes again word for word is a copy, not a second statement (a
# restated figure, in an appendix say, is the same fact).
REPEAT_CHARS = 12
# A part heading is a line of its own, short and without a sentence's or a table's marks.
PART_HEADING_CHARS = 30
CLAUSE_MARKS = re.compile(r"[，。；：！？,;:!?]")
NOT_A_HEADING = re.compile(rf"{CLAUSE_MARKS.pattern}|\t|\s{{2,}}")
# A sentence going on across the line: the line before ends on a particle, the line after opens with 是
# or a mark (为 often opens a paragraph of its own: 为实现上述目标，…).
BROKEN_BEFORE = re.compile(r"[的和及与、，,]\s*$")
BROKEN_AFTER = re.compile(r"\s*[是：:，,、；;)）]")


@lru_cache(maxsize=1)
def part_heading_end() -> re.Pattern[str]:
    return re.compile(f"(?:{alternation(load_rules().cues[PART_HEADING])})$")


def part_heading(line: str, report_year: int | None, previous: str = "",
                 following: str = "") -> tuple[str, int | None, str] | None:
    """(title, year, kind) of a bare line heading a whole part of a report: 2013年工作回顾 above
    sections numbered 一、经济发展, or “十四五”时期工作回顾 above (一), (二). A line a web page broke
    out of a sentence (…发展的 / 主要目标 / 是：…) is none."""
    if CLAUSE_MARKS.search(line):
        return None  # a paragraph (the marks are no decoration, so they are the title's too): said at once
    title = DECORATION.sub("", line)
    if len(title) > PART_HEADING_CHARS or NOT_A_HEADING.search(title) or not part_heading_end().search(title):
        return None
    if BROKEN_BEFORE.search(previous) or BROKEN_AFTER.match(following):
        return None
    year, kind = heading_context(title, report_year)
    return (title, year, kind) if kind else None


def heading_context(title: str, report_year: int | None, inherited: str | None = None) -> tuple[int | None, str | None]:
    """The year and kind (review, plan) a section's heading sets."""
    year = years.year_in(title, report_year)
    kind = section_kind(title, year, report_year, inherited)
    if kind == "review" and report_year is not None and year is not None and year >= report_year:
        # 2019年和今年以来工作回顾: a review is about the year before, whatever else it names.
        year = report_year - 1
    return year, kind


def paragraphs(text: str, report_year: int | None, document: int = 0) -> pl.DataFrame:
    """One row per paragraph with its section title and the year and kind it is read in;
    ``document`` tells the paragraphs of several reports apart when they are read together."""
    lines = [line for line in text.split("\n") if line.strip()]
    headings = [heading_of(line) for line in lines]
    counts: dict[str, int] = {}
    for h in headings:
        if h:
            counts[h.shape] = counts.get(h.shape, 0) + 1
    repeated = [s for s in counts if counts[s] >= 2] or list(counts)
    section_shape = min(repeated, key=SHAPE_RANK.__getitem__) if repeated else None

    rows = []
    section = subsection = None
    section_year = kind = context_year = context_kind = None
    part_year = part_kind = None
    seen: set[str] = set()
    for number, (line, heading) in enumerate(zip(lines, headings)):
        previous, following = lines[number - 1] if number else "", lines[number + 1] if number + 1 < len(lines) else ""
        part = None if heading is not None else part_heading(line, report_year, previous, following)
        if part is not None:
            # The part's year and kind hold for the sections below it that name none of their own.
            section, part_year, part_kind = part
            subsection, section_year, kind = section, part_year, part_kind
            context_year = context_kind = None
            rows.append(ParagraphRow(document, report_year, number, line, section, subsection, True, section_year, kind,
                                     None, None))
            continue
        if heading is not None:
            subsection = heading.title
            if heading.shape == section_shape:
                section = heading.title
                section_year, kind = heading_context(heading.title, report_year, part_kind)
                if kind == part_kind and section_year is None:
                    section_year = part_year
                context_year = context_kind = None
            else:
                context_year, context_kind = None, subsection_kind(heading.title, kind, report_year)
            rows.append(ParagraphRow(document, report_year, number, line, section, subsection, True, section_year, kind,
                                     None, None))
            continue
        body = line
        led = YEAR_LED.match(line)
        if led and int(led.group(1)) in years.PLAUSIBLE:
            context_year = int(led.group(1))
            context_kind = None if report_year is None else ("review" if context_year < report_year else "plan")
            body = led.group(2)
        if len(body) >= REPEAT_CHARS:
            if body in seen:
                body = ""  # a web copy that holds its report twice: the second copy adds no figures
            seen.add(body)
        lead_year, lead_kind = paragraph_lead(body, report_year)
        rows.append(ParagraphRow(document, report_year, number, body, section, subsection, False, section_year, kind,
                                 context_year or lead_year, context_kind or lead_kind))
    return pl.DataFrame(rows, schema=PARAGRAPH_SCHEMA, orient="row")


LEAD = re.compile(r"^([^,，:：;；。]{1,12})[,，:：]")
PLAN_PARAGRAPH = re.compile(r"主要预期目标|预期目标是|主要目标是")


def paragraph_lead(text: str, report_year: int | None) -> tuple[int | None, str | None]:
    """Year and kind a paragraph sets with its opening words (过去一年，… / 今年，… / 2023年，…)."""
    kind = "plan" if "目标" in text and PLAN_PARAGRAPH.search(text) else None  # each phrase holds 目标
    m = LEAD.match(text)
    named = years.named_year(m.group(1), report_year) if m else None
    if named is None:
        return None, kind
    year, dated = named
    if dated and report_year is not None and kind is None:
        kind = "review" if year < report_year else "plan"
    return year, kind


class ParagraphRow(NamedTuple):
    """One paragraph (or heading line) and the context its figures are read in."""
    document: int  # which of the reports read together it belongs to
    report_year: int | None
    paragraph_index: int
    paragraph: str
    section_title: str | None
    subsection_title: str | None
    is_heading: bool
    section_year: int | None  # the year the section heading names
    section_kind: str | None  # review | plan, from the section heading
    context_year: int | None  # the year the paragraph's own lead (去年，… / 2023年，…) sets
    context_kind: str | None


PARAGRAPH_SCHEMA = dict(zip(ParagraphRow._fields, [
    pl.Int32, pl.Int32, pl.Int32, pl.String, pl.String, pl.String, pl.Boolean, pl.Int32, pl.String, pl.Int32, pl.String,
]))


NO_YEAR = -1
# A sentence that opens with a day (1990年1月4日，南山区正式成立) tells of an event, not the year it reviews.
EVENT_DATE = re.compile(r"^[^,，]{0,8}年[0-9一二三四五六七八九十]{1,2}月")


def sentences(paragraph_frame: pl.DataFrame) -> pl.DataFrame:
    """Explode paragraphs into sentences, keeping each paragraph's context; ``sentence_index``
    counts a report's sentences. Heading lines are read too: a short list item can look like one
    (（一）城镇新增就业1200万人以上).

    A sentence that opens with a year (过去一年，我们… / 今年，…) sets the context of the rest of its
    paragraph, as a paragraph's own opening does for the paragraph."""
    # Lazy, so the chain runs as one query: a document's many small frames made per-step
    # overhead a large part of parsing a short file.
    frame = (
        paragraph_frame.lazy()
        .with_columns(pl.col("paragraph").str.extract_all(SENTENCE).alias("sentence"))
        .explode("sentence")
        .drop_nulls("sentence")
        .with_columns(pl.col("sentence").str.strip_chars())
        .filter(pl.col("sentence").str.len_chars() > 0)
        .with_columns(pl.int_range(pl.len(), dtype=pl.Int32).over("document").alias("sentence_index"))
        .drop("paragraph", "is_heading")
        .collect()
    )
    if frame.is_empty():
        return frame
    opens = frame.select(pl.struct("document", "paragraph_index").is_first_distinct()).to_series().to_list()
    leads = [paragraph_lead(text, report_year) if not first and not EVENT_DATE.match(text) else (None, None)
             for text, report_year, first in zip(frame["sentence"].to_list(), frame["report_year"].to_list(), opens)]
    paragraph = ("document", "paragraph_index")
    return (
        frame.with_columns(
            pl.Series("lead_year", [y for y, _ in leads], dtype=pl.Int32),
            pl.Series("lead_kind", [k for _, k in leads], dtype=pl.String),
        )
        .lazy()
        .with_columns(
            # Both carried from the same sentence: a kind without a year (主要预期目标) clears the year.
            pl.when(pl.col("lead_kind").is_not_null()).then(pl.col("lead_year").fill_null(NO_YEAR)).forward_fill()
            .over(paragraph).replace(NO_YEAR, None).alias("lead_year"),
            pl.col("lead_kind").forward_fill().over(paragraph),
        )
        .with_columns(
            pl.when(pl.col("lead_kind").is_not_null()).then(pl.col("lead_year")).otherwise(pl.col("context_year"))
            .alias("context_year"),
            pl.coalesce("lead_kind", "context_kind").alias("context_kind"),
        )
        .drop("lead_year", "lead_kind")
        .collect()
    )


def long_sentences(sentence_frame: pl.DataFrame) -> pl.DataFrame:
    """The sentences too long to be read whole (kept once, so each mention can keep only its piece)."""
    return sentence_frame.filter(pl.col("sentence").str.len_chars() > MAX_SENTENCE_CHARS).select(
        "document", "sentence_index", "sentence"
    )


def pieces(sentence_frame: pl.DataFrame) -> pl.DataFrame:
    """The units mentions are read in: each sentence, or the pieces of an overlong one.

    ``piece_index`` numbers the units; ``sentence_index`` still names the whole sentence.
    """
    long = pl.col("sentence").str.len_chars() > MAX_SENTENCE_CHARS
    cut = sentence_frame.filter(long)
    if not cut.is_empty():
        cut = cut.with_columns(
            pl.col("sentence").map_elements(cut_sentence, return_dtype=pl.List(pl.String))
        ).explode("sentence")
        sentence_frame = pl.concat([sentence_frame.filter(~long), cut]).sort("document", "sentence_index",
                                                                             maintain_order=True)
    return sentence_frame.with_row_index("piece_index")


def cut_sentence(sentence: str, limit: int = PIECE_CHARS) -> list[str]:
    """Cut at the most natural breaks that bring every part within ``limit``, then pack neighbours."""
    parts = [sentence]
    for brk in PIECE_BREAKS:
        parts = [p for part in parts for p in (brk.split(part) if len(part) > limit else [part]) if p]
    parts = [chunk for part in parts for chunk in hard_cut(part, limit)]
    packed: list[str] = []
    for part in parts:
        if packed and len(packed[-1]) + len(part) <= limit:
            packed[-1] += part
        else:
            packed.append(part)
    return packed


def hard_cut(text: str, limit: int) -> list[str]:
    """Fixed-size chunks for text with no break at all, never cutting through a number."""
    chunks = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        while end > start + limit // 2 and (text[end - 1].isdigit() or text[end].isdigit() or text[end] in ".%"):
            end -= 1
        chunks.append(text[start:end])
        start = end
    chunks.append(text[start:])
    return chunks
