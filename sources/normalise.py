"""Text clean-up before anything is read from it: one canonical form for every report."""

from __future__ import annotations

import html
import re
import statistics
import unicodedata

INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")
BOLD = re.compile(r"\*\*(.+?)\*\*")
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]{0,200})?/?>")
# A line ending in one of these ends a sentence; any other line was broken by the layout.
SENTENCE_END = tuple("。!?;:…")
# Lines of these shapes start a paragraph of their own (headings, bullets, year-led paragraphs).
PARAGRAPH_START = re.compile(
    r"^(?:#{1,6}\s*\S"
    r"|关键词"
    r"|[一二三四五六七八九十]{1,3}、"
    r"|\([一二三四五六七八九十]{1,3}\)"
    r"|【[^】]{1,30}】$"
    r"|第[一二三四五六七八九十]{1,3}[章部节篇]"
    r"|\d{1,2}(?:、|\.(?!\d))"
    r"|——"
    r"|■|●|◆|▲"
    r")"
)
YEAR_LED = re.compile(r"^(?:19|20)\d{2}(?:年)?\s")


def normalise(text: str) -> str:
    """NFKC, one kind of line break, no HTML, and paragraphs rejoined where a column broke them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = html.unescape(TAG.sub("", text))
    text = unicodedata.normalize("NFKC", text)
    text = INVISIBLE.sub("", text)  # zero-width spaces and stray BOMs from web copies split numbers
    text = BOLD.sub(r"\1", text)  # **一、2023年工作回顾** is a heading in markdown exports
    lines = [line.strip() for line in text.split("\n")]
    return "\n".join(join_broken_lines(lines))


def join_broken_lines(lines: list[str]) -> list[str]:
    """Join a line that does not end a sentence to the next non-blank line.

    Newspaper columns break lines mid-word (``全国统一大`` / ``市场建设``), often with a blank
    line between. Short unpunctuated lines are titles, captions and bylines, and stay.
    """
    filled = [line for line in lines if line]
    if not filled:
        return []
    typical = statistics.median(len(line) for line in filled)
    min_broken = min(20, max(6, int(typical * 0.6)))
    out: list[str] = []
    pending: str | None = None
    first = next(i for i, line in enumerate(lines) if line)
    out.extend(lines[: first + 1])  # the first line is the title, even a long one
    for line in lines[first + 1:]:
        if not line:
            if pending is None:
                out.append("")
            continue
        if pending is not None:
            if not stands_alone(line):
                line = pending + line
            else:
                out.append(pending)
            pending = None
        if is_broken(line, min_broken):
            pending = line
        else:
            out.append(line)
    if pending is not None:
        out.append(pending)
    return collapse_blank_runs(out)


def stands_alone(line: str) -> bool:
    return bool(PARAGRAPH_START.match(line) or YEAR_LED.match(line))


def is_broken(line: str, min_broken: int) -> bool:
    if stands_alone(line) or line.endswith(SENTENCE_END):
        return False
    if line.endswith(("”", "’", ")", "」")) and line[:-1].endswith(SENTENCE_END):
        return False
    return len(line) >= min_broken


def collapse_blank_runs(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return out
