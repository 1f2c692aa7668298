"""Rule tables kept as data (``sources/rules/*.csv`` and the dbt seeds), loaded once.

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
class Rules:
    units: dict[str, Unit]
    magnitudes: dict[str, float]
    qualifiers: dict[tuple[str, str], str]  # (position, word) -> qualifier
    cues: dict[str, list[str]]  # meaning -> words
    change_words: dict[str, tuple[int, str]]  # word -> (sign, growth|change)
    implied_units: dict[str, str]
    indicator_words: list[str]
    domain_keywords: dict[str, str]
    heading_domains: dict[str, str]
    domains: dict[str, str]

    def qualifier_words(self, position: str) -> list[str]:
        return longest_first(w for (p, w) in self.qualifiers if p == position)

    @property
    def canonical_units(self) -> list[str]:
        return sorted({u.unit for u in self.units.values() if u.kind == "measure"})


def longest_first(words) -> list[str]:
    return sorted(set(words), key=lambda w: (-len(w), w))


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    units = {
        r["surface"]: Unit(r["surface"], r["unit"], float(r["factor"]), r["kind"])
        for r in read_table(RULES_DIR / "units.csv")
    }
    cues: dict[str, list[str]] = {}
    for r in read_table(RULES_DIR / "cues.csv"):
        cues.setdefault(r["meaning"], []).append(r["word"])
    return Rules(
        units=units,
        magnitudes={r["surface"]: float(r["factor"]) for r in read_table(RULES_DIR / "magnitudes.csv")},
        qualifiers={(r["position"], r["word"]): r["qualifier"] for r in read_table(RULES_DIR / "qualifiers.csv")},
        cues={k: longest_first(v) for k, v in cues.items()},
        change_words={
            r["word"]: (int(r["sign"]), r["kind"]) for r in read_table(RULES_DIR / "growth_words.csv")
        },
        implied_units={r["word"]: r["unit"] for r in read_table(RULES_DIR / "implied_units.csv")},
        indicator_words=[r["word"] for r in read_table(RULES_DIR / "indicator_words.csv")],
        domain_keywords={r["keyword"]: r["domain_id"] for r in read_table(SEEDS_DIR / "domain_keywords.csv")},
        heading_domains={r["heading_word"]: r["domain_id"] for r in read_table(SEEDS_DIR / "heading_domains.csv")},
        domains={r["domain_id"]: r["domain_name"] for r in read_table(SEEDS_DIR / "domains.csv")},
    )
