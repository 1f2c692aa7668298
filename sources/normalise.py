"""Text clean-up before anything is read from it: one canonical form for every report."""

from __future__ import annotations

import html
import re
import statistics
import unicodedata

from sources.segment import token_spans

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
HAN = re.compile(r"[\u4e00-\u9fff]")
# A space a PDF export left between a number and its magnitude: 39.8 万亿元.
SPACED_MAGNITUDE = re.compile(r"(?<=\d)[ \t](?=[万亿千百%‰])")
# Fullwidth ASCII (，：％５) and the wide spaces of web pages, as NFKC writes them.
PLAIN_FORMS = {chr(code): unicodedata.normalize("NFKC", chr(code))
               for code in (0x00A0, *range(0x2000, 0x200B), 0x3000, *range(0xFF01, 0xFF5F))}
WIDE_FORM = re.compile(f"[{re.escape(''.join(PLAIN_FORMS))}]")
# Characters either side of a line break read to tell whether it splits a word.
WORD_REACH = 3


def normalise(text: str) -> str:
    """NFKC, one kind of line break, no HTML, and paragraphs rejoined where a column broke them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = html.unescape(TAG.sub("", text))
    text = nfkc(text)
    text = INVISIBLE.sub("", text)  # zero-width spaces and stray BOMs from web copies split numbers
    text = BOLD.sub(r"\1", text)  # **一、2023年工作回顾** is a heading in markdown exports
    text = SPACED_MAGNITUDE.sub("", text)
    lines = [line.strip() for line in text.split("\n")]
    return "\n".join(join_broken_lines(lines))


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, made quick. Python returns a string at once when a
    check finds nothing to change, but fullwidth punctuation (，：％) fails that check on nearly
    every line, and the full algorithm took 5% of parsing. Those characters are mapped to their
    NFKC form first, which changes no result, and lines are normalised one at a time, so that a
    line with a ① left in pays alone (nothing composes across a line break). The few wide forms a
    report uses are replaced one by one: ``str.translate`` looks up every character of the text."""
    for wide in set(WIDE_FORM.findall(text)):
        text = text.replace(wide, PLAIN_FORMS[wide])
    return "\n".join(unicodedata.normalize("NFKC", line) for line in text.split("\n"))


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
    blank_after_pending = False
    first = next(i for i, line in enumerate(lines) if line)
    out.extend(lines[: first + 1])  # the first line is the title, even a long one
    for line in lines[first + 1:]:
        if not line:
            if pending is None:
                out.append("")
            blank_after_pending = pending is not None
            continue
        if pending is not None:
            if not stands_alone(line) and (len(pending) >= min_broken or splits_word(pending, line)):
                line = pending + line
            else:
                out.extend([pending, ""] if blank_after_pending else [pending])
            pending = None
        if is_unfinished(line):
            pending, blank_after_pending = line, False
        else:
            out.append(line)
    if pending is not None:
        out.append(pending)
    return collapse_blank_runs(out)


def splits_word(line: str, following: str) -> bool:
    """Whether the break between two lines falls inside a word (增加值同 / 比增长): a short line
    broken mid-word is part of a paragraph, not a heading."""
    if not (HAN.match(line[-1]) and HAN.match(following[0])):
        return False
    tail = line[-WORD_REACH:]
    return any(start < len(tail) < end for start, end in token_spans(tail + following[:WORD_REACH]))


def stands_alone(line: str) -> bool:
    return bool(PARAGRAPH_START.match(line) or YEAR_LED.match(line))


def is_unfinished(line: str) -> bool:
    """A line that does not end a sentence: joined to the next if it is long or broken mid-word."""
    if stands_alone(line) or line.endswith(SENTENCE_END):
        return False
    return not (line.endswith(("”", "’", ")", "」")) and line[:-1].endswith(SENTENCE_END))


def collapse_blank_runs(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return out
