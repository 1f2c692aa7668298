"""Rule tables kept as data (``sources/rules/*.csv``, and the domain and indicator taxonomy seeds), loaded once.

A new unit, qualifier word, cue or domain word is one CSV line; nothing here
needs to change for it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

RULES_DIR = Path(__file__).with_name("rules")
SEEDS_DIR = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"


def read_table(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file; lines starting with ``#`` are comments."""
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines))


@dataclass(frozen=True)
class Unit:
    surface: str
    unit: str
    factor: float
    kind: str  # measure | period | label


@dataclass(frozen=True)
class Indicator:
    """A canonical indicator of the taxonomy (dbt seed ``indicators.csv``), as extraction needs it."""
    code: str
    units: tuple[str, ...]  # base units a level is given in
    metrics: tuple[str, ...]
    better: str  # higher | lower


@dataclass(frozen=True)
class Rules:
    units: dict[str, Unit]
    magnitudes: dict[str, float]
    qualifiers: dict[tuple[str, str], str]  # (position, word) -> qualifier
    qualifier_lookalikes: tuple[str, ...]  # 签约: ends in 约 but is no qualifier
    cues: dict[str, list[str]]  # meaning -> words
    change_words: dict[str, tuple[int, str]]  # word -> (sign, growth|change)
    implied_units: dict[str, str]
    money_nouns: tuple[str, ...]  # what names a sum of money written without a unit (营收, 产值)
    indicator_words: list[str]
    share_words: dict[str, tuple[str, str]]  # word -> (share | level, anywhere | end)
    vague_quantities: frozenset[str]
    programme_words: list[str]
    level_words: dict[str, tuple[str, ...]]  # before | after -> words that make a bare magnitude a level (破千亿)
    name_words: dict[str, list[str]]  # role -> words (stop, trail, lead, …)
    relative_years: dict[str, int]  # word -> offset from the report year
    domain_keywords: dict[str, str]  # words read in sentences -> domain
    heading_domains: dict[str, str]  # words read in headings -> domain
    domains: dict[str, str]
    indicators: dict[str, Indicator]
    indicator_names: dict[str, tuple[str, str]]  # name -> (indicator_code, the only metric it names or "")
    span_words: list[str]  # words of a span of several years (五年来, 年均)
    span_lookalikes: list[str]  # words that hold a span word but name no span (五年行动计划)
    part_year_words: list[str]  # words of a part of one year (一季度, 上半年)
    span_years: dict[str, int]  # span word -> the years it covers (五年来 → 5), where it says
    page_furniture: dict[str, list[str]]  # element | line -> markers of what surrounds a report

    def qualifier_words(self, position: str) -> list[str]:
        return longest_first(w for (p, w) in self.qualifiers if p == position)

    @property
    def unit_words(self) -> frozenset[str]:
        """Every way a unit is written, and its base unit (亿元 is 元)."""
        return frozenset(u for u in set(self.units) | {u.unit for u in self.units.values()} if u)

    @property
    def canonical_units(self) -> list[str]:
        return sorted({u.unit for u in self.units.values() if u.kind == "measure"})


def longest_first(words) -> list[str]:
    return sorted(set(words), key=lambda w: (-len(w), w))


def grouped(rows: list[dict[str, str]], key: str, value: str = "word") -> dict[str, list[str]]:
    """One column of a table (``word`` unless told), grouped by another column."""
    groups: dict[str, list[str]] = {}
    for r in rows:
        groups.setdefault(r[key], []).append(r[value])
    return groups


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    units = {
        r["surface"]: Unit(r["surface"], r["unit"], float(r["factor"]), r["kind"])
        for r in read_table(RULES_DIR / "units.csv")
    }
    cues = grouped(read_table(RULES_DIR / "cues.csv"), "meaning")
    domain_words = read_table(RULES_DIR / "domain_words.csv")
    spans = read_table(RULES_DIR / "span_words.csv")
    return Rules(
        units=units,
        magnitudes={r["surface"]: float(r["factor"]) for r in read_table(RULES_DIR / "magnitudes.csv")},
        qualifiers={(r["position"], r["word"]): r["qualifier"] for r in read_table(RULES_DIR / "qualifiers.csv")},
        qualifier_lookalikes=tuple(r["word"] for r in read_table(RULES_DIR / "qualifier_lookalikes.csv")),
        cues={k: longest_first(v) for k, v in cues.items()},
        change_words={
            r["word"]: (int(r["sign"]), r["kind"]) for r in read_table(RULES_DIR / "growth_words.csv")
        },
        implied_units={r["word"]: r["unit"] for r in read_table(RULES_DIR / "implied_units.csv")},
        money_nouns=tuple(r["word"] for r in read_table(RULES_DIR / "money_nouns.csv")),
        indicator_words=[r["word"] for r in read_table(RULES_DIR / "indicator_words.csv")],
        share_words={r["word"]: (r["reads_as"], r["where"]) for r in read_table(RULES_DIR / "share_words.csv")},
        vague_quantities=frozenset(r["text"] for r in read_table(RULES_DIR / "vague_quantities.csv")),
        programme_words=[r["word"] for r in read_table(RULES_DIR / "programme_words.csv")],
        level_words={k: tuple(longest_first(v))
                     for k, v in grouped(read_table(RULES_DIR / "level_words.csv"), "position").items()},
        name_words={k: longest_first(v) for k, v in grouped(read_table(RULES_DIR / "name_words.csv"), "role").items()},
        relative_years={r["word"]: int(r["offset"]) for r in read_table(RULES_DIR / "relative_years.csv")},
        domain_keywords={r["word"]: r["domain_id"] for r in domain_words if r["read_in"] in ("text", "both")},
        heading_domains={r["word"]: r["domain_id"] for r in domain_words if r["read_in"] in ("heading", "both")},
        domains={r["domain_id"]: r["domain_name"] for r in read_table(SEEDS_DIR / "domains.csv")},
        indicators={
            r["indicator_code"]: Indicator(r["indicator_code"], tuple(r["unit_family"].split("|")),
                                           tuple(r["metrics"].split("|")), r["better"])
            for r in read_table(SEEDS_DIR / "indicators.csv")
        },
        indicator_names={r["name"]: (r["indicator_code"], r["metric"] or "")
                         for r in read_table(RULES_DIR / "indicator_names.csv")},
        span_words=longest_first(r["word"] for r in spans if r["kind"] == "years"),
        span_lookalikes=longest_first(r["word"] for r in spans if r["kind"] == "lookalike"),
        part_year_words=longest_first(r["word"] for r in spans if r["kind"] == "part"),
        span_years={r["word"]: int(r["years"]) for r in spans if r["years"]},
        page_furniture=grouped(read_table(RULES_DIR / "page_furniture.csv"), "kind", "pattern"),
    )
