"""Shared helpers for the extraction tests."""

import polars as pl

from sources.normalise import normalise
from sources.report import extract_mentions, parse_report


def extract(text: str, report_year: int | None = 2024) -> pl.DataFrame:
    return extract_mentions(normalise(text), report_year, "doc", "report.txt")


def only(text: str, report_year: int | None = 2024) -> dict:
    rows = extract(text, report_year).to_dicts()
    assert len(rows) == 1, [r["mention_text"] for r in rows]
    return rows[0]


def parse(text: str, file_name: str = "report.txt"):
    return parse_report(text.encode("utf-8"), file_name)
