"""A whole report of the usual shape, written for these tests: GB18030, CRLF, full-width indents,
title and date line, 一、/（一） headings, ASCII punctuation in places."""

from pathlib import Path

import pytest

from sources import parse_report

DATA = Path(__file__).with_name("data") / "city_report_gb18030.txt"


@pytest.fixture(scope="module")
def report():
    return parse_report(DATA.read_bytes(), DATA.name)


def test_document(report):
    doc = report.document
    assert (doc["encoding"], doc["report_year"], doc["title"]) == ("gb18030", 2024, "政府工作报告")
    # The team's made-up city is no place in the gazetteer: no region, and the name it gave kept.
    assert (doc["region"], doc["region_code"], doc["region_as_written"]) == (None, None, "临川市")
    assert "not a place in the gazetteer" in doc["region_note"]


def row(report, text):
    rows = report.mentions.filter(mention_text=text).to_dicts()
    assert len(rows) == 1, text
    return rows[0]


@pytest.mark.parametrize("text, value, unit, metric, year, target, domain", [
    ("8650亿元", 8.65e11, "元", "level", 2023, False, "economy"),
    ("4.8%", 4.8, "%", "growth", 2023, False, "economy"),
    ("0.3个百分点", 0.3, "百分点", "change", 2023, False, "innovation"),
    ("三成", 30, "%", "growth", 2023, False, "innovation"),
    ("15.6亿美元", 1.56e9, "美元", "level", 2023, False, "opening_up"),
    ("5.5%以内", 5.5, "%", "level", 2023, False, "livelihood"),
    ("287天", 287, "天", "level", 2023, False, "ecology"),
    ("68.5%", 68.5, "%", "share", 2023, False, "regional"),
    ("6%左右", 6, "%", "growth", 2024, True, "economy"),
    ("2.5%左右", -2.5, "%", "growth", 2024, True, "ecology"),
    ("300家以上", 300, "家", "level", 2024, True, "industry"),
    ("2万亩", 20000, "亩", "level", 2024, True, "ecology"),
])
def test_rows(report, text, value, unit, metric, year, target, domain):
    r = row(report, text)
    assert (r["value"], r["unit"], r["metric"], r["period_year"], r["is_target"], r["domain_id"]) == pytest.approx(
        (value, unit, metric, year, target, domain))


def test_no_date_session_or_slogan_numbers(report):
    texts = set(report.mentions["mention_text"])
    assert not {t for t in texts if "年" in t or "月" in t or "届" in t or "次" in t}


def test_every_mention_has_a_domain(report):
    assert report.mentions.filter(domain_id="general").height == 0
