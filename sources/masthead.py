"""What a report says about itself at its top: its title, the day it was delivered and who gave it."""

from __future__ import annotations

import datetime as dt
import re

from sources import years
from sources.numbers import parse_chinese
from sources.structure import DECORATION

# A title is a short line without sentence punctuation (an opening sentence is not a title).
TITLE_CHARS = 60
SENTENCE_MARKS = re.compile(r"[，。；]")
DAY = r"[0-9]{1,2}|[一二三四五六七八九十]{1,3}"
# ——2024年1月15日在深圳市第七届人民代表大会第五次会议上: the session's date, not a web page's
# (a web copy may break the line: …在广东省第十四届 / 人民代表大会…).
SESSION_DATE = re.compile(rf"({years.YEAR})年({DAY})月({DAY})日\s*在[^。]{{0,40}}人民代表大会")
# 四川省人民政府省长 施小琳 / 上海市市长　龚正 / 自治区主席 韦 韬 / 艾尔肯·吐尼亚孜: a name after a space, of two to
# four characters (a two-character one may be spaced out) or parts joined by ·, and nothing run on after it (a
# web copy that joined the next line onto it gives no speaker rather than a wrong one); 受市长李鸿忠委托 is
# not the speaker.
SPEAKER = re.compile(r"(?<!受)(?:省长|市长|区长|县长|州长|旗长|盟长|主席|总理)[ \t\u3000]+"
                     r"([\u4e00-\u9fff]{2,4}(?:·[\u4e00-\u9fff]{1,8})*|[\u4e00-\u9fff][ \u3000][\u4e00-\u9fff])"
                     r"(?![\u4e00-\u9fff·])")
OPENING = "各位代表"


def head_lines(lines: list[str], count: int = 6) -> list[str]:
    """The first lines with their decoration (■, #, *) taken off."""
    return [text for line in lines[:count] if (text := DECORATION.sub("", line))]


def title_of(lines: list[str]) -> str | None:
    """The report's own title (政府工作报告, 2024年深圳市政府工作报告), if its first lines have one."""
    for line in head_lines(lines):
        if "政府工作报告" in line and len(line) <= TITLE_CHARS and not SENTENCE_MARKS.search(line):
            return line
    return None


def composed_title(region: str | None, report_year: int | None) -> str | None:
    if region and report_year:
        return f"{region}{report_year}年政府工作报告"
    return None


def masthead(text: str) -> str:
    """The text above the opening 各位代表 (or the first 1,500 characters)."""
    end = text.find(OPENING, 0, 1500)
    return text[:end if end >= 0 else 1500]


def delivered_on(text: str) -> dt.date | None:
    m = SESSION_DATE.search(text[:3000])
    if not m:
        return None
    year = years.to_year(m.group(1))
    month, day = (number(g) for g in m.groups()[1:])
    try:
        return dt.date(year, month, day) if year and month and day else None
    except ValueError:
        return None


def speaker_of(text: str) -> str | None:
    m = SPEAKER.search(masthead(text))
    return re.sub(r"[ \u3000]", "", m.group(1)) if m else None


def number(token: str) -> int | None:
    value = int(token) if token.isdigit() else parse_chinese(token)
    return int(value) if value is not None else None
