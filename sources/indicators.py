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

from sources.pattern import SEGMENT_SEPARATORS, alternation, last_part
from sources.rules import load_rules

# The first figure of 从A增加到B, undated: the start of a period of unknown length.
BASELINE = re.compile(r"(?:从|由)(?:每年|每月|的)?$")
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
    if span_pattern().search(last_part(before, SEGMENT_SEPARATORS)):
        return None  # 五年来城镇新增就业6000万人, 年均增长5.9%
    if BASELINE.search(before):
        return None  # 国内生产总值从26.6万亿元增加到51.9万亿元: the first figure is where a period started
    return code


def without_own_region(name: str, own_names: tuple[str, ...]) -> str:
    """本市生产总值 → 生产总值; 深圳市全市生产总值 → 生产总值."""
    words = own_region_words(own_names)
    changed = True
    while changed and name:
        changed = False
        for word in words:
            if word and name.startswith(word) and len(name) > len(word):
                name, changed = name[len(word):], True
                break
    return name


@lru_cache(maxsize=4096)
def own_region_words(own_names: tuple[str, ...]) -> tuple[str, ...]:
    """What a name may open with for its own region: 本市, 全省 … and the region's names, longest first."""
    return tuple(load_rules().name_words.get("self", ())) + tuple(sorted(own_names, key=len, reverse=True))


def unit_fits(indicator, metric: str, unit: str) -> bool:
    """Growth is in % (a change in 百分点); a level or share is in the indicator's own units."""
    if metric == "growth":
        return unit == "%"
    if metric == "change":
        return unit in ("百分点",) + indicator.units
    return unit in indicator.units


@lru_cache(maxsize=1)
def span_pattern() -> re.Pattern[str]:
    return re.compile(alternation(load_rules().span_words))


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
