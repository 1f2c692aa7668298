import pytest

from sources.numbers import parse_arabic, parse_chinese


@pytest.mark.parametrize("token, value", [
    ("三十亿", 3e9), ("百万", 1e6), ("千亿", 1e11), ("三万亿", 3e12), ("一百二十", 120), ("四", 4), ("两", 2),
    ("十", 10), ("十二", 12), ("二十五", 25), ("一万二千", 12000), ("千万", 1e7), ("一亿五千万", 1.5e8),
])
def test_chinese_numerals(token, value):
    assert parse_chinese(token) == value


@pytest.mark.parametrize("token", ["十四五", "一一", "亿x", ""])
def test_strings_that_are_not_numerals(token):
    assert parse_chinese(token) is None


def test_arabic_with_grouping():
    assert parse_arabic("1,234.5") == 1234.5
