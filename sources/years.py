"""Years in report text: explicit (2024年, 二〇二四年), relative (去年, 今年) and plan periods (“十四五”)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from sources.numbers import parse_chinese
from sources.pattern import alternation
from sources.rules import load_rules

CN_YEAR_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
YEAR = r"(?:19|20)\d{2}|[〇零一二三四五六七八九]{4}"
EXPLICIT_YEAR = re.compile(rf"({YEAR})年")
# A year named as a far horizon (到2035年, 2035年远景目标) says nothing about when the report was given.
HORIZON_YEAR = re.compile(rf"(?:到|至)({YEAR})年|({YEAR})年远景")
FIVE_YEAR_PLAN = re.compile(r"(“?十[一二三四五六七八九]五”?|“九五”|“十五”)(?:规划)?(?:期间|时期|以来|末|收官)?")
TITLE_DATE = re.compile(rf"({YEAR})年[0-9一二三四五六七八九十]{{1,2}}月[0-9一二三四五六七八九十]{{1,3}}日")
TITLE_REPORT = re.compile(rf"({YEAR})年?.{{0,12}}政府工作报告|政府工作报告.{{0,12}}?({YEAR})")
# Headings and phrases that say which year a report is given in: it reviews the year before
# (2019年工作回顾) and plans its own (2020年主要任务, 今年是“十三五”规划收官之年).
REVIEW_OF_LAST_YEAR = re.compile(rf"({YEAR})年(?:的|和今年以来)?(?:工作)?回顾")
PLAN_OF_THIS_YEAR = re.compile(
    rf"({YEAR})年(?:的)?(?:工作安排|政府工作|主要任务|工作任务|的工作(?!回顾)|(?:经济社会)?(?:发展)?(?:的)?主要(?:预期)?目标)")
PLAN_YEAR_OF_THIS_YEAR = re.compile(r"今年是[^，。]{0,20}?“?(十[一二三四五六七八九]五)”?(?:规划)?(?:的)?(开局|起步|第一年|收官|决胜|最后一年)")
# 关于2021年度法治政府建设情况的报告: an account of a year, given the year after.
ACCOUNT_OF_YEAR = re.compile(rf"({YEAR})年度[^，。\n]{{0,24}}?情况的?报告")
CUE_CHARS = 30_000
FILE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
PLAUSIBLE = range(1949, 2101)


def to_year(token: str) -> int | None:
    year = int(token.translate(CN_YEAR_DIGITS))
    return year if year in PLAUSIBLE else None


def plan_end_year(name: str) -> int:
    """Last year of a five-year plan: “九五” → 2000, “十五” → 2005, 十四五 → 2025."""
    name = name.strip("“”")
    if name == "九五":
        return 2000
    if name == "十五":
        return 2005
    return 1955 + 5 * (10 + "一二三四五六七八九".index(name[1]) + 1)


def report_year(head: str, file_name: str, text: str) -> tuple[int | None, str]:
    """The year the report was given, and where it was read from (title, file_name, text)."""
    for pattern, after in ((TITLE_DATE, 0), (ACCOUNT_OF_YEAR, 1), (TITLE_REPORT, 0)):
        m = pattern.search(head)
        if m:
            year = to_year(next(g for g in m.groups() if g))
            if year:
                return year + after, "title"
    m = ACCOUNT_OF_YEAR.search(file_name)
    if m and to_year(m.group(1)):
        return to_year(m.group(1)) + 1, "file_name"
    m = FILE_YEAR.search(file_name)
    if m and to_year(m.group(1)):
        return int(m.group(1)), "file_name"
    cued = year_from_cues(text[:CUE_CHARS])
    if cued:
        return cued, "text"
    horizon = {m.start() for m in HORIZON_YEAR.finditer(text)}
    years = [
        to_year(m.group(1)) for m in EXPLICIT_YEAR.finditer(text)
        if not any(abs(m.start() - h) <= 1 for h in horizon)
    ]
    years += [to_year(m.group(0)[:4]) for m in re.finditer(r"(?m)^(?:19|20)\d{2}\s", text)]
    years = sorted(y for y in years if y)
    if not years:
        return None, "none"
    # Far horizons named without 到 (2035年基本实现现代化) sit well above most years a report names.
    typical = years[len(years) // 2]
    return max(y for y in years if y <= typical + 2), "text"


def year_from_cues(text: str) -> int | None:
    """The year the review and plan headings point to, the most common when they disagree."""
    votes = [y + 1 for m in REVIEW_OF_LAST_YEAR.finditer(text) if (y := to_year(m.group(1)))]
    votes += [y for m in PLAN_OF_THIS_YEAR.finditer(text) if (y := to_year(m.group(1)))]
    for m in PLAN_YEAR_OF_THIS_YEAR.finditer(text):
        end = plan_end_year(m.group(1))
        votes.append(end - 4 if m.group(2) in ("开局", "起步", "第一年") else end)
    if not votes:
        return None
    counts = Counter(votes)
    return max(counts, key=lambda y: (counts[y], -votes.index(y)))


def year_in(text: str, report: int | None) -> int | None:
    """The last year a passage names, reading relative words against the report year."""
    named = named_year(text, report)
    return named[0] if named else None


# The words before a year that compare a figure with it (比2020年, 较“十三五”末期, 与2022年相比).
COMPARED_WITH = ("比", "较", "与")


def letter_before(text: str, m: re.Match) -> str:
    return text[max(0, m.start() - 1):m.start()]


def is_comparison_base(text: str, m: re.Match) -> bool:
    """比上年增加1800亿元 / 与2022年相比 / (1990年不变价) / 1985年以来最高 / 从2018年的A提高到B /
    是“十一五”的3倍: the year is what the figure is compared with, priced in or changed from, not its own."""
    return (letter_before(text, m) in (*COMPARED_WITH, "同")
            or text[m.end():].startswith(("相比", "同期", "不变价", "价", "可比价", "以来"))
            or is_multiple_of(text, m)
            or is_start_of_change(text, m))


def dates_the_figure(text: str, m: re.Match) -> bool:
    """Whether the year a passage (a figure's text before it) names dates the figure: not a year it
    is compared with, unless the figure is that year's own (较“十三五”末的9323.1亿元)."""
    return not is_comparison_base(text, m) or (
        letter_before(text, m) in COMPARED_WITH and text[m.end():] == "的")


# 是“十一五”3倍以上 / 为2012年的2.1倍: the year is what the figure is a multiple of.
MULTIPLE_OF = re.compile(r"的?(?:\d+(?:\.\d+)?|[一二两三四五六七八九十]+)倍")


def is_multiple_of(text: str, m: re.Match) -> bool:
    """(The text may end where the multiple, a figure of its own, begins.)"""
    if letter_before(text, m) not in ("是", "为"):
        return False
    return text[m.end():] in ("", "的") or MULTIPLE_OF.match(text, m.end()) is not None


def base_year(text: str) -> int | None:
    """The last year a passage names as what its figures are compared with (较“十三五”末期, 比2020年,
    是“十一五”3倍): where a change it goes on to give (由66户整合至12户) started."""
    bases = [(m.start(), to_year(m.group(1))) for m in EXPLICIT_YEAR.finditer(text) if is_comparison_base(text, m)]
    bases += [(m.start(), plan_end_year(m.group(1))) for m in FIVE_YEAR_PLAN.finditer(text)
              if is_comparison_base(text, m)]
    return max((base for base in bases if base[1]), default=(-1, None))[1]


# 从2018年的76.5岁提高到78.2岁: the year dates the first figure only.
CHANGE_TO = re.compile(r"[^，,。；;]*?(?:到|至)")


def is_start_of_change(text: str, m: re.Match) -> bool:
    return letter_before(text, m) in ("从", "由") and CHANGE_TO.match(text, m.end()) is not None


# A span of years from a start: 自2018年起三年投入75亿元 is about 2018–2020, so its last year.
SPAN_FROM = re.compile(rf"(?:自|从)({YEAR})年(?:起|开始)[^，,。；;]{{0,8}}?([0-9]{{1,2}}|[一二两三四五六七八九十]{{1,2}})年")
def span_end(m: re.Match) -> int | None:
    start = to_year(m.group(1))
    count = m.group(2)
    n = int(count) if count.isdigit() else parse_chinese(count)
    return start + int(n) - 1 if start and n else None


def span_length(text: str) -> int:
    """How many years the last span ``text`` names covers (过去五年 → 5, “十二五”时期 → 5), else 1."""
    found: tuple[int, int] = (-1, 1)  # (position, years)
    for word, count in load_rules().span_years.items():
        at = text.rfind(word)
        if at > found[0]:
            found = (at, count)
    plans = list(FIVE_YEAR_PLAN.finditer(text))
    if plans and plans[-1].start() > found[0]:
        found = (plans[-1].start(), 5)
    return found[1]


@lru_cache(maxsize=1024)
def named_year(text: str, report: int | None) -> tuple[int, bool] | None:
    """(year, dated) for the last year a passage names. ``dated`` is False for a five-year plan
    named as a period (“十四五”期间): its end year dates the figure but does not make it a goal,
    unless the text looks ahead to it (到“十五五”末)."""
    if not any(mark in text for mark in year_marks()):
        return None
    best: tuple[int, int, bool] | None = None  # (position, year, dated)
    for m in EXPLICIT_YEAR.finditer(text):
        year = to_year(m.group(1))
        if year and dates_the_figure(text, m):
            best = max(best or (-1, 0, True), (m.start(), year, True))
    for m in SPAN_FROM.finditer(text):
        end = span_end(m)
        if end:
            best = max(best or (-1, 0, True), (m.end(), end, True))
    for m in FIVE_YEAR_PLAN.finditer(text):
        if not dates_the_figure(text, m):
            continue
        ahead = letter_before(text, m) in ("到", "至") or m.group(0).endswith("末")
        best = max(best or (-1, 0, True), (m.start(), plan_end_year(m.group(1)), ahead))
    if report is not None:
        offsets = load_rules().relative_years
        for m in relative_pattern().finditer(text):
            if is_comparison_base(text, m):
                continue
            best = max(best or (-1, 0, True), (m.start(), report + offsets[m.group(0)], True))
    return (best[1], best[2]) if best else None


@lru_cache(maxsize=1)
def year_marks() -> tuple[str, ...]:
    """Characters one of which every year a passage can name holds: 年 (2024年, 去年, 自2018年起三年),
    五 (“十四五”, “九五”), and the first of any relative word with neither. Most passages a figure
    is read in hold none, and are done with at once."""
    marks = ["年", "五"]
    marks += [word[0] for word in load_rules().relative_years if not any(mark in word for mark in marks)]
    return tuple(dict.fromkeys(marks))


@lru_cache(maxsize=1)
def relative_pattern() -> re.Pattern[str]:
    return re.compile(alternation(load_rules().relative_years))
