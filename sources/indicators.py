"""Canonical indicators: which mentions measure a region's own GDP, jobs, CPI … (``indicator_code``).

A name matches a canonical indicator only whole, once the words a report uses for its own region
are dropped (``本市生产总值`` → ``生产总值`` → ``gdp``). Sub-areas (``前海地区生产总值``), derived
measures (``人均地区生产总值``) and multi-year figures (``年均增长``, ``五年来``) keep their names and
get no code. The names are ``rules/indicator_names.csv``; the taxonomy is the dbt seed
``indicators.csv``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sources.pattern import CHANGE_START, CLAUSE_SEPARATORS, SEGMENT_SEPARATORS, alternation, last_part, separator_class
from sources.rules import load_rules

# Months so far in a year (1-10月, 1至11月, 前11个月): a part of the year, like the words in span_words.csv.
MONTHS_SO_FAR = re.compile(r"(?:1|一)\s*[-—–~～至到]\s*(?:[2-9]|1[01]|[二三四五六七八九十]|十一)\s*月|前(?:[2-9]|1[01]|[两二三四五六七八九十]|十一)个月")
# A change measured from a named year covers more than the one year: 比2005年增长173.9% in its own
# clause, 与2009年新区成立时相比，地区生产总值增长108.3% for the rest of its segment.
BASE_YEAR = re.compile(r"(?:比|较)(?:19|20)\d{2}年")
BASE_YEAR_LED = re.compile(r"(?:与|同)(?:19|20)\d{2}年[^，,。；;]{0,12}相比")
# Dashes and list marks a name may open with in a table-like passage (——本地生产总值).
LEADING_MARKS = re.compile(r"^[-—–·•、\s]+")


def indicator_code(name: str | None, metric: str, unit: str, before: str, own_names: tuple[str, ...] = ()) -> str | None:
    """The canonical indicator a mention measures for its document's region, or None.

    ``before`` is the sentence before the figure; ``own_names`` are the names of the document's
    region (深圳市, 深圳).
    """
    if not name:
        return None
    rules = load_rules()
    key = without_own_region(LEADING_MARKS.sub("", name), own_names)
    found = rules.indicator_names.get(key)
    if found is None:
        return None
    code, only_metric = found
    if only_metric and metric != only_metric:
        return None
    if not unit_fits(rules.indicators[code], metric, unit):
        return None
    if not whole_year(before):
        return None  # 五年来城镇新增就业6000万人, 年均增长5.9%, 一季度GDP下降7.4%
    if CHANGE_START.search(before):
        return None  # 国内生产总值从26.6万亿元增加到51.9万亿元: the first figure is where a period started
    return code


def without_own_region(name: str, own_names: tuple[str, ...]) -> str:
    """本市生产总值 → 生产总值; 深圳市全市生产总值 → 生产总值."""
    words = own_region_words(own_names)
    changed = True
    while changed and name.startswith(words):
        changed = False
        for word in words:
            if name.startswith(word) and len(name) > len(word):
                name, changed = name[len(word):], True
                break
    return name


@lru_cache(maxsize=4096)
def own_region_words(own_names: tuple[str, ...]) -> tuple[str, ...]:
    """What a name may open with for its own region: 本市, 全省 … and the region's names, longest first."""
    words = (*load_rules().name_words.get("self", ()), *sorted(own_names, key=len, reverse=True))
    return tuple(word for word in words if word)


def unit_fits(indicator, metric: str, unit: str) -> bool:
    """Growth is in % (a change in 百分点); a level or share is in the indicator's own units."""
    if metric == "growth":
        return unit == "%"
    if metric == "change":
        return unit in ("百分点",) + indicator.units
    return unit in indicator.units


def whole_year(before: str) -> bool:
    """Whether the figure after ``before`` is one whole year's: no span of years or change since a
    named year in its segment, no part of a year or named base year in its clause, and no part of a
    year in a clause before it that holds no figure of its own, since the last 全年
    (上半年增长4%，全年增长5%: the 5% is the year's)."""
    segment = last_part(before, SEGMENT_SEPARATORS)
    segment = segment[max(segment.rfind("全年"), 0):]
    if span_pattern().search(span_named().sub("", segment)) or BASE_YEAR_LED.search(segment):
        return False
    clauses = separator_class(CLAUSE_SEPARATORS).split(segment)
    own, earlier = clauses[-1], clauses[-2] if len(clauses) > 1 else ""
    if is_part_of_year(own) or BASE_YEAR.search(own):
        return False
    # 全区经济在一季度跌入谷底，GDP下降7.4% is the quarter's; 降幅由一季度的-23.1%收窄，其中出口增长1.5% is not.
    return not (is_part_of_year(earlier) and not has_figure(earlier))


def has_figure(clause: str) -> bool:
    """Whether a clause holds a figure beside its months and quarters (1-10月 is no figure)."""
    return re.search(r"\d", part_year_pattern().sub("", MONTHS_SO_FAR.sub("", clause))) is not None


def is_part_of_year(text: str) -> bool:
    return bool(part_year_pattern().search(text) or MONTHS_SO_FAR.search(text))


@lru_cache(maxsize=1)
def part_year_pattern() -> re.Pattern[str]:
    return re.compile(alternation(load_rules().part_year_words))


@lru_cache(maxsize=1)
def span_pattern() -> re.Pattern[str]:
    return re.compile(alternation(load_rules().span_words))


@lru_cache(maxsize=1)
def span_named() -> re.Pattern[str]:
    """Words that hold a span word but name no span: indicator names (年均 in PM2.5年均浓度 is the
    year's mean, not an average over years) and programmes (五年行动计划)."""
    rules = load_rules()
    named = [name for name in rules.indicator_names if span_pattern().search(name)] + rules.span_lookalikes
    return re.compile(alternation(named) if named else r"(?!)")


# 我们没有提出全年经济增速具体目标: the words between the cue and 目标 name the indicator.
NOT_SET_REACH = 30


def targets_not_set(text: str) -> tuple[str | None, str | None]:
    """Indicators a report says outright it sets no target for (comma-separated codes), and the
    sentence that says so; (None, None) when it says no such thing."""
    codes: list[str] = []
    said: str | None = None
    for m in not_set_pattern().finditer(text):
        named = [name for name in load_rules().indicator_names if name in m.group("what")]
        if not named:
            continue
        code = load_rules().indicator_names[max(named, key=len)][0]
        if code not in codes:
            codes.append(code)
        said = said or sentence_around(text, m.start(), m.end())
    return (",".join(codes) or None), said


SENTENCE_ENDS = "。；;!?\n"


def sentence_around(text: str, start: int, end: int) -> str:
    # Found from the cue outwards: a pattern that starts at every character is quadratic on a file
    # with no full stops.
    opening = max(text.rfind(mark, 0, start) for mark in SENTENCE_ENDS) + 1
    closings = [i for i in (text.find(mark, end) for mark in SENTENCE_ENDS) if i >= 0]
    return text[opening:min(closings, default=len(text))]


@lru_cache(maxsize=1)
def not_set_pattern() -> re.Pattern[str]:
    cues = alternation(load_rules().cues.get("no_target", []))
    return re.compile(rf"(?:{cues})(?P<what>[^{SENTENCE_ENDS}]{{0,{NOT_SET_REACH}}}?)目标")
