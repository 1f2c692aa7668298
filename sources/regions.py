"""Which government a report is from: a division of the official gazetteer, never a fragment of text.

The gazetteer is ``rules/divisions.csv`` (the National Bureau of Statistics' division codes, see its
header) plus ``rules/region_aliases.csv`` (names reports use that the table no longer has, such as
光明新区). A report names its region in a few places, tried strongest first:

1. its title lines (``深圳市南山区2016年政府工作报告``, ``上海市市长 应勇``);
2. the delegate's opening (``我代表南山区人民政府``) or the session (``在深圳市第六届人民代表大会``);
3. the file name;
4. for a news write-up, the government whose report it describes (``广东省政府工作报告提出``).

Reports often say only ``我代表省人民政府`` or ``我代表本届政府``. The word left (省, 市, 区, 自治区)
still says which level to look for, and the division of that level the text names most often is
the region.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache

from sources.pattern import WordList
from sources.rules import RULES_DIR, read_table

# Where a report names itself; group 1 is the name as written (it may be empty: 我代表政府).
STATEMENTS = [
    # A new district's report is given by its 管理委员会 (我代表大鹏新区管理委员会).
    ("delegate", re.compile(r"代表([\u4e00-\u9fff]{0,14}?)(?:人民政府|政府|管理委员会|管委会)")),
    ("session", re.compile(r"在([\u4e00-\u9fff]{1,14}?)第[一二三四五六七八九十]{1,3}届人民代表大会")),
    ("report", re.compile(r"([\u4e00-\u9fff]{2,14}?)(?:(?:19|20)\d{2}年)?(?:人民)?政府工作报告")),
]
REPORT_TITLE = STATEMENTS[-1][1]
TITLE_GOVERNMENT = re.compile(r"([\u4e00-\u9fff]{2,14}?)人民政府")
NATIONAL_SESSION = re.compile(r"全国人民代表大会第[一二三四五六七八九十]{1,3}次会议")
# What is left of a name that only points back at the document's own government, and the level
# (and name ending) it implies: 我代表市人民政府 is a city's report, whichever city it is.
SELF_WORDS = re.compile(r"^(?:本届|本|全|我)?(省|市|自治区|区|县|州|旗|盟)?$")
LEVEL_OF_WORD = {
    "省": ("province", "省"), "自治区": ("province", "自治区"), "市": (None, "市"), "州": ("prefecture", "州"),
    "盟": ("prefecture", "盟"), "区": ("county", "区"), "县": ("county", "县"), "旗": ("county", "旗"),
}
PLACE_NAME = re.compile(r"[\u4e00-\u9fff]{2,10}(?:省|市|自治区|区|县|自治州|州|旗|盟)$")
LEVELS = ("national", "province", "prefecture", "county")
TITLE_CHARS = 60
# How much of a long text the frequency vote reads: a report names its own region early and often.
VOTE_CHARS = 60_000


@dataclass(frozen=True)
class Division:
    code: str  # 6-digit administrative division code (national: 100000, as map services use)
    name: str  # official name at its own level: 南山区
    level: str  # national | province | prefecture | county
    parent_code: str
    province: str
    full_name: str  # as a report's title would give it: 深圳市南山区


NATIONAL = Division("100000", "全国", "national", "", "", "全国")


@dataclass(frozen=True)
class Region:
    division: Division | None
    as_written: str | None  # the words the report used: 南山区, 光明新区, 省
    source: str | None  # title | delegate | session | report | file_name | text
    note: str | None = None  # why there is no region, or how an ambiguous name was settled


@dataclass(frozen=True)
class Gazetteer:
    by_code: dict[str, Division]
    by_name: dict[str, tuple[Division, ...]]  # every name a division goes by -> divisions
    vote_names: frozenset[str]  # names distinctive enough to count in running text
    county_short: dict[str, tuple[Division, ...]]  # 罗湖 -> 罗湖区: counted only under a named city
    county_short_list: WordList
    name_list: WordList  # every name, longest first

    def names_of(self, division: Division) -> tuple[str, ...]:
        return self.names_by_code.get(division.code, ())

    @cached_property
    def names_by_code(self) -> dict[str, tuple[str, ...]]:
        found: dict[str, list[str]] = {}
        for name, divisions in self.by_name.items():
            for division in divisions:
                found.setdefault(division.code, []).append(name)
        return {code: tuple(names) for code, names in found.items()}

    def ancestors(self, division: Division) -> list[Division]:
        out = []
        while division.parent_code:
            division = self.by_code[division.parent_code]
            out.append(division)
        return out


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    by_code: dict[str, Division] = {}
    names: dict[str, set[str]] = {}
    vote: set[str] = set()
    county_short: dict[str, set[str]] = {}
    for row in read_table(RULES_DIR / "divisions.csv"):
        division = Division(row["code"], row["name"], row["level"], row["parent_code"], row["province"],
                            row["full_name"])
        by_code[division.code] = division
        forms = {division.name, division.full_name}
        # A bare short form (深圳, 广东) is a name only above county level: 朝阳, 南山 and 中山 are
        # words or places of many kinds.
        if row["short_name"] and division.level != "county":
            forms.add(row["short_name"])
        elif len(row["short_name"]) >= 2:
            county_short.setdefault(row["short_name"], set()).add(division.code)
        for form in forms:
            names.setdefault(form, set()).add(division.code)
        vote |= forms
    for row in read_table(RULES_DIR / "region_aliases.csv"):
        names.setdefault(row["alias"], set()).add(row["code"])
        vote.add(row["alias"])
    by_name = {name: tuple(sorted((by_code[c] for c in codes), key=lambda d: d.code)) for name, codes in names.items()}
    shorts = {name: tuple(by_code[c] for c in sorted(codes)) for name, codes in county_short.items()}
    return Gazetteer(by_code, by_name, frozenset(vote), shorts, WordList(shorts), WordList(by_name))


@lru_cache(maxsize=4096)
def names_of(code: str | None) -> tuple[str, ...]:
    """Every name the gazetteer knows for one division (深圳市, 深圳, 南山), longest first."""
    g = gazetteer()
    division = g.by_code.get(code or "") or (NATIONAL if code == NATIONAL.code else None)
    if division is None:
        return ()
    names = set(g.names_of(division)) | {division.name}
    names |= {n for n, divisions in g.county_short.items() if division in divisions}
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


def region_of(title_lines: list[str], file_name: str, text: str) -> Region:
    """The report's region from its title lines, its own statements, its file name and its text."""
    head = text[:3000]
    if "代表国务院" in head:
        return Region(NATIONAL, "国务院", "delegate")
    # A title is a short line without sentence punctuation; an opening sentence or a whole report
    # on one line (some web copies) is not one.
    title_lines = [line for line in title_lines if len(line) <= TITLE_CHARS and not re.search("[，。；]", line)]
    hint: tuple[str | None, str] | None = None
    hint_written: str | None = None
    unknown: tuple[str, str] | None = None  # (name, source): a place the gazetteer does not have
    passages = [("title", "\n".join(title_lines), [REPORT_TITLE, TITLE_GOVERNMENT])]
    passages += [(name, head, [pattern]) for name, pattern in STATEMENTS]
    for source, passage, patterns in passages:
        for pattern in patterns:
            for m in pattern.finditer(passage):
                written = m.group(1)
                division, note = resolve(written, text)
                if division:
                    return Region(division, names_written(written), source, note)
                level_word = SELF_WORDS.match(trailing_self_word(written))
                if level_word and level_word.group(1) and hint is None:
                    hint, hint_written = LEVEL_OF_WORD[level_word.group(1)], level_word.group(0)
                elif unknown is None and (name := PLACE_NAME.search(written)):
                    unknown = name.group(0), source
    division, note = resolve(file_name, text)
    if division:
        return Region(division, names_written(file_name), "file_name", note)
    if NATIONAL_SESSION.search(head):
        return Region(NATIONAL, "全国人民代表大会", "session")
    if unknown:
        return Region(None, unknown[0], unknown[1], f"“{unknown[0]}” is not a place in the gazetteer "
                                                    "(divisions.csv, region_aliases.csv)")
    voted = vote(text, hint)
    if voted:
        level = f" among the places called “…{hint[1]}”, as “{hint_written}” in its opening says" if hint else ""
        return Region(voted, hint_written, "text", f"the place the text names most often{level}")
    return Region(None, hint_written, None, "no place of the gazetteer is named in the title, the opening, "
                                            "the file name or the text")


def trailing_self_word(written: str) -> str:
    """现在，我代表区 → 区: a statement may start mid-clause."""
    m = re.search(r"(?:本届|本|全|我)?(?:省|市|自治区|区|县|州|旗|盟)?$", written)
    return m.group(0) if m else ""


def resolve(written: str, text: str) -> tuple[Division | None, str | None]:
    """The division ``written`` names, using the text to settle a name several places share."""
    g = gazetteer()
    found = g.name_list.findall(written)
    if not found:
        return None, None
    candidates = {d for name in found for d in g.by_name[name]}
    deepest = max(LEVELS.index(d.level) for d in candidates)
    options = [d for d in candidates if LEVELS.index(d.level) == deepest]
    # 深圳南山区 names 深圳 and 南山区: the 南山区 of 深圳市, not of 鹤岗市.
    under_written = [d for d in options if any(a in candidates for a in g.ancestors(d))]
    options = sorted(under_written or options, key=lambda d: d.code)
    if len(options) == 1:
        return options[0], None
    counts = name_counts(text)
    best = max(options, key=lambda d: sum(counts[n] for a in g.ancestors(d) for n in g.names_of(a)))
    return best, f"“{found[-1]}” names {len(options)} places: taken as the one whose province or city the text names most"


def vote(text: str, hint: tuple[str | None, str] | None) -> Division | None:
    """The division the text names most often, at the level a word such as 省 or 区 implies."""
    g = gazetteer()
    counts = name_counts(text)
    score: Counter[str] = Counter()
    for name, n in counts.items():
        for d in g.by_name[name]:
            score[d.code] += n
    # A district report calls itself 罗湖 more often than 罗湖区; a short county name counts only
    # under a city the text names.
    named = set(score)
    for name, n in Counter(g.county_short_list.findall(text[:VOTE_CHARS])).items():
        for d in g.county_short[name]:
            if d.parent_code in named:
                score[d.code] += n
    options = [g.by_code[c] for c in score]
    if hint:
        level, ending = hint
        options = [d for d in options if d.name.endswith(ending) and (level is None or d.level == level)]
    if not options:
        return None
    return max(options, key=lambda d: (score[d.code], -LEVELS.index(d.level), d.code))


def name_counts(text: str) -> Counter[str]:
    g = gazetteer()
    return Counter(name for name in g.name_list.findall(text[:VOTE_CHARS]) if name in g.vote_names)


def names_written(passage: str) -> str:
    """The gazetteer names in a passage, as written: 年四川省 → 四川省, 深圳市_2024 → 深圳市."""
    return "".join(gazetteer().name_list.findall(passage))
