"""What surrounds a report on a web page or a printed page: the markers of sources/rules/page_furniture.csv."""

from __future__ import annotations

import re
from functools import lru_cache

from sources.rules import load_rules


@lru_cache(maxsize=1)
def furniture_line() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in load_rules().page_furniture["line"]))


def is_furniture_line(line: str) -> bool:
    """A licence number, counter, contact line, page number or the like, not report text."""
    return furniture_line().match(line.strip()) is not None


@lru_cache(maxsize=1)
def furniture_words() -> frozenset[str]:
    return frozenset(load_rules().page_furniture["element"])


# An element's class and id split into words: "top-nav_bar" is top, nav, bar.
MARKER_WORDS = re.compile(r"[A-Za-z]+")


def is_furniture_marker(marker: str) -> bool:
    """Whether a class or id names site furniture (nav, footer, breadcrumb, share …)."""
    return any(word.lower() in furniture_words() for word in MARKER_WORDS.findall(marker))
