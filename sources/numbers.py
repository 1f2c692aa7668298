"""Numbers as written in Chinese text: Arabic with grouping, Chinese numerals, magnitudes."""

from __future__ import annotations

CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL_UNIT = {"十": 10, "百": 100, "千": 1000}
CN_BIG_UNIT = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "".join(CN_DIGIT) + "".join(CN_SMALL_UNIT) + "".join(CN_BIG_UNIT)


def parse_arabic(token: str) -> float:
    return float(token.replace(",", ""))


def parse_chinese(token: str) -> float | None:
    """Chinese numeral to a number: 三十亿 → 3e9, 百万 → 1e6, 一百二十 → 120, 三万亿 → 3e12.

    A magnitude with no digit before it counts as one of it (百万 = 一百万).
    Returns None for strings that are not a well-formed numeral.
    """
    if not token or any(ch not in CN_NUMERAL_CHARS for ch in token):
        return None
    result = 0.0  # whole 亿 sections
    below_yi = 0.0  # whole 万 sections below the current 亿
    section = 0.0  # below the current 万
    digit: float | None = None
    for ch in token:
        if ch in CN_DIGIT:
            if digit is not None and digit != 0:
                return None  # two digits in a row (十四五) is not a quantity
            digit = CN_DIGIT[ch]
        elif ch in CN_SMALL_UNIT:
            section += (1 if digit is None else digit) * CN_SMALL_UNIT[ch]
            digit = None
        elif ch == "万":
            below_yi += (section + (digit or 0) or 1) * 10_000
            section, digit = 0.0, None
        else:  # 亿
            result = (result + below_yi + section + (digit or 0) or 1) * 100_000_000
            below_yi, section, digit = 0.0, 0.0, None
    return result + below_yi + section + (digit or 0)
