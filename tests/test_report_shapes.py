"""Two more whole documents written for these tests: a national report (一、/（一） headings, targets
paragraph, comparison bases) and a provincial news write-up (关键词【…】, 一是/二是, a long title)."""

from pathlib import Path

import pytest

from sources import parse_report

DATA = Path(__file__).with_name("data")


def load(name):
    path = DATA / name
    return parse_report(path.read_bytes(), path.name)


@pytest.fixture(scope="module")
def national():
    return load("national_report.txt")


@pytest.fixture(scope="module")
def news():
    return load("news_writeup.txt")


def rows_of(report, text):
    return report.mentions.filter(mention_text=text).to_dicts()


def test_national_document(national):
    assert (national.document["region"], national.document["report_year"]) == ("全国", 2024)
    assert national.mentions.filter(domain_id="general").height == 0


@pytest.mark.parametrize("text, value, metric, year, target, name", [
    ("超过126万亿元", 1.26e14, "level", 2023, False, "国内生产总值"),
    ("1.3万亿斤以上", 1.3e12, "level", 2023, False, "粮食产量"),
    ("0.5%", -0.5, "growth", 2023, False, "单位国内生产总值能耗"),
    ("1200万人以上", 1.2e7, "level", 2024, True, "城镇新增就业"),
    ("1800亿元", 1.8e11, "change", 2024, True, None),
    ("7000亿元", 7e11, "level", 2024, True, "中央预算内投资"),
])
def test_national_rows(national, text, value, metric, year, target, name):
    row = rows_of(national, text)[0]
    assert (row["value"], row["metric"], row["period_year"], row["is_target"]) == pytest.approx((value, metric, year, target))
    if name:
        assert row["indicator_name"] == name


def test_targets_paragraph_under_a_generic_heading_gets_sentence_domains(national):
    assert rows_of(national, "1200万人以上")[0]["domain_id"] == "livelihood"


def test_news_writeup(news):
    assert news.document["title"] == "2025年省政府工作报告解读:数说发展新成就"
    rows = news.mentions.to_dicts()
    first = rows[0]
    assert (first["mention_text"], first["period_year"], first["is_target"]) == ("突破6万亿元", 2024, False)
    target = rows_of(news, "3%—3.5%")[0]
    assert (target["value"], target["value_high"], target["qualifier"], target["is_target"]) == (3, 3.5, "range", True)
    assert rows_of(news, "超百万人")[0]["indicator_name"] == "新增城镇就业"
    assert news.mentions.filter(domain_id="general").height == 0


def test_a_web_copy_that_holds_its_report_twice_gives_each_figure_once():
    body = ("各位代表：\n一、2023年工作回顾\n过去一年，全区地区生产总值增长6.1%，新建公办幼儿园12所，新增学位5000个。\n"
            "二、2024年工作安排\n今年全区地区生产总值增长6%左右。\n")
    once = parse_report(body.encode(), "r.txt").mentions
    twice = parse_report((body + "来源：某区政府网\n" + body).encode(), "r.txt").mentions
    assert twice.select("mention_text", "period_year", "is_target").rows() == \
        once.select("mention_text", "period_year", "is_target").rows()
