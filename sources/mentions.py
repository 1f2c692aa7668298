"""Candidate quantities in sentences: scanned with polars regex, then kept or dropped by rule."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

import polars as pl

from sources.numbers import parse_arabic, parse_chinese
from sources.pattern import ARABIC, ASIDE, alternation, last_part, mention_pattern
from sources.rules import load_rules

# Words that make a year-like unit a duration worth keeping (人均预期寿命78.6岁 is a 岁; 年限 a 年).
DURATION_NAMES = ("年限", "寿命", "期限", "学制", "工龄", "缩短", "延长", "提前")
# Followers that turn a number into a label or tier (千亿级, 世界500强, 3号线).
LABEL_FOLLOWERS = re.compile(r"^(?:级|强|号|台阶|周年|连冠|代|版|届|[\u4e00-\u9fff]{0,4}圈)")
# Words that end a text are looked for in its last characters only, whatever its length.
TAIL_CHARS = 24
# Characters after a number read for its unit, label or name (分别提高2.2、0.7、1.8个百分点 needs the list).
AFTER_CHARS = 24
# Rows handled as Python objects at a time: enough to be fast, few enough to cost little memory.
ROWS_PER_CHUNK = 20_000


def scan(piece_frame: pl.DataFrame) -> pl.DataFrame:
    """Every candidate quantity with its offsets in the sentence and the raw regex groups."""
    pattern = mention_pattern()
    # One lazy query: per-step overhead is a large part of parsing a short file.
    matches = (
        piece_frame.lazy().select("piece_index", "sentence")
        .with_columns(
            pl.col("sentence").str.extract_all(pattern).alias("match"),
            # The same candidates, each with the text since the one before: their lengths add up to
            # where each ends. (The parts are read from the candidate alone: read from this longer
            # text, they took three times as long.)
            pl.col("sentence").str.extract_all(f"(?s:.)*?{pattern}").alias("reach"),
        )
        .explode("match", "reach")
        .drop_nulls("match")
        .with_columns(pl.col("reach").str.len_chars().cum_sum().over("piece_index").alias("core_end"))
        .with_columns(pl.col("match").str.extract_groups(f"^{pattern}$").alias("parts"))
        .unnest("parts")
        .with_columns(pl.coalesce("cnu", "cn").alias("cn"), pl.coalesce("unitcn", "unit0").alias("unit0"))
    )
    return (
        matches.with_columns((pl.col("core_end") - pl.col("core").str.len_chars()).alias("core_start"))
        .filter(pl.col("num").is_not_null() | pl.col("cn").is_not_null() | pl.col("cns").is_not_null()
                | pl.col("frac").is_not_null())
        .with_columns(
            pl.col("sentence").str.slice(0, pl.col("core_start")).alias("before"),
            pl.col("sentence").str.slice(pl.col("core_end"), AFTER_CHARS).alias("after"),
        )
        .filter(~never_a_mention())
        .drop("match", "reach", "dash", "cnu", "unitcn", "core_end", "sentence")
        .collect()
    )


def never_a_mention() -> pl.Expr:
    """Candidates that ``read_candidate`` drops by their shape alone, dropped in the query so they
    never become Python objects (two in three candidates): a small Chinese numeral without a unit
    (一 of 进一步, 三 of 三是), an Arabic number without a unit, magnitude or list after it that
    could lend it one (2024, C919), a unit that is no measure (第3期, 5号), and years that are no
    duration (2024年)."""
    no_unit = pl.col("unit0").is_null() & pl.col("unit").is_null()
    lends_unit = pl.col("after").str.contains(r"^\s*[、和及与]")
    units = load_rules().units
    surface = pl.coalesce("unit0", "unit")
    unmeasured = surface.is_in([s for s, unit in units.items() if unit.kind != "measure"]).fill_null(False)
    # (A qualifier's letter read into the word before, as in 签约, may change what that word ends with.)
    years = (surface.is_in([s for s, unit in units.items() if unit.unit == "年"]).fill_null(False)
             & pl.col("q1").is_null() & ~pl.col("before").str.contains(f"(?:{'|'.join(DURATION_NAMES)})$"))
    return unmeasured | years | no_unit & (
        pl.col("cns").is_not_null()
        | (pl.col("num").is_not_null() & (pl.col("mag").is_null() | (pl.col("mag") == "千")) & ~lends_unit)
    )


def interpret(candidates: pl.DataFrame) -> list[Reading]:
    """Keep the candidates that are indicator mentions; give each its value, unit and qualifier."""
    found: list[Reading] = []
    # A slice at a time, so the candidates a file's mentions are read from are never all Python objects.
    for chunk in candidates.iter_slices(ROWS_PER_CHUNK):
        found += [r for r in map(read_candidate, chunk.iter_rows(named=True)) if r is not None]
    return found


class Reading(NamedTuple):
    """A candidate kept as a mention: where it stands in its piece and what it says."""
    piece_index: int
    core_start: int  # offset of mention_text in the piece
    mention_text: str
    before: str  # the piece's text before the mention
    after: str  # a few characters after it
    value: float
    value_high: float | None
    unit: str
    qualifier: str
    metric: str


MINUS_AFTER_WORD = re.compile(r"[\u4e00-\u9fff][-−－]$")
# A distance that marks out a kind (500米范围公交站点覆盖率, 500米服务半径): no figure of its own.
SCOPE_WORDS = ("范围", "服务半径")
DISTANCE_UNITS = ("米", "公里")
# The day of a date written with dashes or dots (成文日期：2021-02-02名称): no figure.
DATE_DAY = re.compile(r"(?:19|20)\d{2}[-/.]\d{1,2}[-/.]$")


def read_candidate(c: dict) -> Reading | None:
    """The mention a regex candidate is (``c`` holds the pattern's groups), or None if it is not one."""
    rules = load_rules()
    before, after = c["before"] or "", c["after"] or ""
    if c["q1"] and in_word_before(before, c["q1"]):
        # 签约43.5万人: the qualifier's character belongs to the word before it.
        q1 = c["q1"]
        c = {**c, "q1": None, "core": c["core"][len(q1):], "core_start": c["core_start"] + len(q1)}
        before += q1
    unit_surface = c["unit0"] or c["unit"]
    unit = rules.units.get(unit_surface) if unit_surface else None
    magnitude = rules.magnitudes.get(c["mag"], 1.0) if c["mag"] else 1.0
    if unit is None and c["num"] is not None and not c["mag"] and not c["num2"]:
        # 分别提高2.2、0.7、1.8个百分点: a figure of a list takes the unit written after the last one.
        listed = list_unit().match(after)
        if listed:
            unit = rules.units[listed.group("unit")]
            magnitude = rules.magnitudes.get(listed.group("mag"), 1.0) if listed.group("mag") else 1.0

    if unit is not None and unit.kind != "measure":
        return None
    # (A unit read with a Chinese numeral leaves what follows it in the candidate: 千万千瓦级.)
    follows = (c["unit"] or "") + after if c["unit0"] else after
    if LABEL_FOLLOWERS.match(follows) or before.endswith(("第", "前")):
        return None  # tiers, ordinals and ranks: 千亿级, 第11代, 全国第3位, 前10位
    if is_glued(before, after, unit) or in_slogan(before, c["core"], after):
        return None
    if unit is not None and unit.unit in DISTANCE_UNITS and after.startswith(SCOPE_WORDS):
        return None
    if DATE_DAY.search(before):
        return None
    number = c["cn"] or c["cns"] or ""
    if number in rules.vague_quantities or number + (unit_surface or "") in rules.vague_quantities:
        return None  # 一批, 亿万
    if unit is None and c["num"] is None and programme_name().match(after):
        return None  # 百万学位建设计划
    if unit is not None and unit.unit == "年" and not before.endswith(DURATION_NAMES):
        return None
    if unit is not None and unit.unit == "岁" and c["q2"] in ("以上", "及以上", "以下"):
        return None  # 60岁以上老人 describes a group of people, not a quantity

    if c["frac"] is not None:
        return read_fraction(c, before, after)
    if c["num"] is not None:
        value = parse_arabic(c["num"])
        if unit is None and c["mag"] in (None, "千"):
            return None  # a bare number (2024, C919, “1+1+10”, 500千伏) measures nothing
        if c["u1"] and (unit is None or unit.unit != "%"):
            return None
    elif c["cn"] is not None:
        value = parse_chinese(c["cn"])
        if value is None or not chinese_magnitude_ok(c["cn"], c["q1"], unit):
            return None
        if unit is None and not c["q1"] and not reads_as_level(c["cn"], before, after):
            return None  # 千亿产业园, 万亿城区: a size class
    else:
        value = parse_chinese(c["cns"])
        share = unit is not None and unit.surface == "成" and c["cns"] != "一"  # 三成, 近七成
        if value is None or unit is None or not (share or ends_with_count_verb(before)):
            return None
    if unit is not None and unit.surface == "成" and (value > 10 or magnitude != 1):
        return None  # 成 counts tenths (三成, 近七成): 百亿成群 is no share
    factor = Decimal(str(magnitude)) * Decimal(str(unit.factor if unit else 1.0))
    value = scaled(value, factor)
    value_high = scaled(parse_arabic(c["num2"]), factor) if c["num2"] is not None else None

    text, start = c["core"], c["core_start"]
    if MINUS_AFTER_WORD.search(before) and c["num"] is not None and not c["q1"]:
        # 增长-1.2%: a signed figure after a word (a dash after a digit is a range, read above).
        value, value_high = -value, None if value_high is None else -value_high
        text, start, before = before[-1] + text, start - 1, before[:-1]
    unit_name = unit.unit if unit else implied_unit(before, after, money_only=is_sum_of_money(c, value))
    if not unit_name and c["cn"] is not None and not c["q1"] and is_figure_of_speech(before, after):
        return None
    metric, sign = metric_of(before, unit_name, after)
    qualifier = qualifier_of(c)
    if qualifier == "eq" and not c["q1"]:
        pattern, reach = bound_before()
        bound = pattern.search(before[-reach:])
        if bound:
            qualifier = rules.qualifiers[("before", bound.group(1))]  # 不低于当地上年度收入的60%
    if c["q1"] and load_rules().qualifiers[("before", c["q1"])] == "eq":
        # 达到/增至 say "equals"; the span is the quantity itself (增至18家 → 18家).
        text, start, before = text[len(c["q1"]):], start + len(c["q1"]), before + c["q1"]
    return Reading(
        c["piece_index"], start, text, before, after,
        sign * value, None if value_high is None else sign * value_high,
        unit_name, qualifier, metric,
    )


def read_fraction(c: dict, before: str, after: str) -> Reading | None:
    """1/4 and 三分之一 are shares in % (25, 33.33); 一半 is 50%; 翻一番 doubles (2倍)."""
    text = c["frac"]
    if c["unit"] or c["unit0"] or c["mag"] or GLUED_BEFORE.match(before[-1:]) or before.endswith("第"):
        return None  # 1/4决赛, 第1/2: not a part of anything
    if text.startswith("翻"):
        value, unit, metric = 2.0 ** parse_chinese(text[1]), "倍", "growth"
    elif text == "一半":
        value, unit, metric = 50.0, "%", "share"
    else:
        part, whole = (text.split("/") if "/" in text else reversed(text.split("分之")))
        part_value, whole_value = (parse_arabic(x) if x[0].isdigit() else parse_chinese(x) for x in (part, whole))
        if not whole_value or part_value is None or part_value > whole_value:
            return None
        value, unit, metric = round(100 * part_value / whole_value, 2), "%", "share"
    if unit == "%":
        moved, sign = metric_of(before, unit, after)
        if moved == "growth":
            value, metric = sign * value, moved  # 减少一半: -50%
    return Reading(c["piece_index"], c["core_start"], c["core"], before, after, value, None, unit,
                   qualifier_of(c), metric)


def scaled(value: float, factor: Decimal) -> float:
    """value × factor without binary noise (303.6亿 is 30360000000, not …000004)."""
    return float(Decimal(repr(value)) * factor)


GLUED_BEFORE = re.compile(r"[A-Za-z+./]")  # after / is a denominator: 0.6人/百亿元
GLUED_AFTER = re.compile(r"[A-Za-z+]")
ABBREVIATION_BEFORE = re.compile(r"(?<![A-Za-z])[A-Z]{2,3}$")
QUOTE_OPENED = re.compile(r"“([^“”]*)$")
QUOTE_CLOSED = re.compile(r"([^“”]*)”")
COUNT_VERB_TAIL = re.compile(r"(了|共|累计|等)$")


def in_word_before(before: str, qualifier: str) -> bool:
    """Whether ``qualifier`` ends a word that starts before it (签约, 最近: rules/qualifier_lookalikes.csv)."""
    return any(word.endswith(qualifier) and before.endswith(word[:-len(qualifier)])
               for word in load_rules().qualifier_lookalikes)


def is_glued(before: str, after: str, unit) -> bool:
    """Numbers stuck to Latin letters or '+' are names and versions (5.5G, PM2.5, C919, 1+1+10);
    an abbreviation before a measured amount is a name (GDP3464.09亿元)."""
    if GLUED_AFTER.match(after[:1]):
        return True
    if ABBREVIATION_BEFORE.search(before[-4:]) and unit is not None and unit.unit != "%":
        return False
    return bool(GLUED_BEFORE.match(before[-1:]))


def in_slogan(before: str, core: str, after: str) -> bool:
    """A number inside a short quoted phrase is part of a slogan (“三合一”, “3个100”)."""
    open_part = QUOTE_OPENED.search(before[-TAIL_CHARS:])
    close_part = QUOTE_CLOSED.match(after)
    if not open_part or not close_part:
        return False
    quoted = open_part.group(1) + core + close_part.group(1)
    return len(quoted) <= 12 or "+" in quoted


# The digits of a Chinese numeral, as against its magnitudes (三 of 三千亿).
CN_DIGITS = frozenset("一二两三四五六七八九")


def is_bare_magnitude(number: str) -> bool:
    """A Chinese numeral of magnitudes alone (千亿, 百万), without a digit."""
    return CN_DIGITS.isdisjoint(number)


def chinese_magnitude_ok(token: str, q1: str | None, unit) -> bool:
    """千家万户 is an idiom, 超千亿元 and 百万大关 are quantities."""
    magnitudes = sum(ch in "百千万亿" for ch in token)
    has_digit = not is_bare_magnitude(token)
    if has_digit or magnitudes >= 2:
        return True
    return q1 is not None and unit is not None


def reads_as_level(number: str, before: str, after: str) -> bool:
    """Whether a Chinese numeral without a unit is a level reached: one with a digit (三千亿), or a
    bare magnitude after or before a word of ``level_words.csv`` (破千亿, 千亿大关)."""
    if not is_bare_magnitude(number):
        return True
    words = load_rules().level_words
    return before.endswith(words.get("before", ())) or after.startswith(words.get("after", ()))


def is_figure_of_speech(before: str, after: str) -> bool:
    """A Chinese numeral that counts nothing named and qualifies a noun (用一万的努力): not a level
    reached (达到一万的规模), which a word of ``level_words.csv`` before it says."""
    return after.startswith("的") and not before.endswith(load_rules().level_words.get("before", ()))


def ends_with_count_verb(before: str) -> bool:
    verbs = load_rules().cues["count_verb"]
    tail = COUNT_VERB_TAIL.sub("", before[-TAIL_CHARS:])
    return tail.endswith(tuple(verbs))


# The unit a sum of money is in.
MONEY = "元"


def is_sum_of_money(c: dict, value: float) -> bool:
    """A bare magnitude of 亿 or more (突破千亿大关, 超千亿大型骨干企业) is a sum of money: it counts
    none of the people or firms named beside it."""
    return bool(c["cn"]) and is_bare_magnitude(c["cn"]) and value >= 1e8


def implied_unit(before: str, after: str, money_only: bool = False) -> str:
    """The unit of a figure written without one, from the noun after it or in its clause: what it
    counts (``implied_units.csv``), unless ``money_only``, else 元 for a sum of money
    (``money_nouns.csv``), else none."""
    rules = load_rules()
    clause = last_part(before)
    if not money_only:
        for pattern, unit in implied_unit_patterns():
            if pattern.match(after):
                return unit
        for word, unit in rules.implied_units.items():
            if word in clause:
                return unit
    return MONEY if any(word in clause for word in rules.money_nouns) else ""


def qualifier_of(c: dict) -> str:
    q = load_rules().qualifiers
    if c["num2"] is not None:
        return "range"
    if c["q2"]:
        return q[("after", c["q2"])]
    if c["many"] or c["many2"]:
        return "gt"
    if c["q1"]:
        return q[("before", c["q1"])]
    return "eq"


# 实现5.5%的增长 / 140%的高速增长: the movement word follows the figure.
GROWTH_AFTER = re.compile(r"^的?[\u4e00-\u9fff]{0,2}?(?:增长|增速|增幅|涨幅)")


@lru_cache(maxsize=1)
def change_word_at_end() -> re.Pattern[str]:
    words = load_rules().change_words
    # 居民消费价格涨幅控制在3.3%: a bound between the movement word and its figure; 同比增长(下同)13%: an aside;
    # 增速分别为8.9%和12.1%, 年均增长分别高达22% (its 达 read as the figure's qualifier).
    return re.compile(rf"({alternation(words)})(?:预期目标|目标|预期)?(?:分别)?(?:了|为|是|达到|达|高达|高|控制在|保持在)?\s*"
                      rf"(?:{ASIDE.pattern})?$")


# How many letters may stand between a bare figure and the noun that says what it counts
# (1000万以上农村贫困人口).
COUNTED_NOUN_REACH = 4


@lru_cache(maxsize=1)
def implied_unit_patterns() -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(rf"^[\u4e00-\u9fff]{{0,{COUNTED_NOUN_REACH}}}{re.escape(word)}"), unit)
            for word, unit in load_rules().implied_units.items()]


def metric_of(before: str, unit: str, after: str = "") -> tuple[str, int]:
    """growth / change (signed) from the words just before the number; share or level otherwise."""
    if unit == "%" and GROWTH_AFTER.match(after):
        return "growth", 1  # 实现5.5%的增长
    words = load_rules().change_words
    m = change_word_at_end().search(before[-TAIL_CHARS:])
    if m:
        sign, kind = words[m.group(1)]
        if unit in ("%", "倍"):
            return "growth", sign
        if unit == "百分点" or kind == "change" or unit:
            return "change", sign
    if unit == "百分点":
        return "change", 1
    if unit == "%":
        clause = last_part(before)
        found = [(m.group(1), m.end() == len(clause)) for m in share_word_pattern().finditer(clause)]
        if found:
            word, at_end = found[-1]
            reads_as, where = load_rules().share_words[word]
            if reads_as == "share" and (where == "anywhere" or at_end):
                return "share", 1
    return "level", 1


@lru_cache(maxsize=1)
def programme_name() -> re.Pattern[str]:
    return re.compile(rf"^[\u4e00-\u9fff]{{0,6}}(?:{alternation(load_rules().programme_words)})")


# How far before a figure a bound word still governs it, in characters between them.
BOUND_GAP = 15


@lru_cache(maxsize=1)
def bound_before() -> tuple[re.Pattern[str], int]:
    """An at-least / at-most word that governs a figure from a few words away (不低于…的60%), and
    how many characters before the figure it can start (only those are searched)."""
    words = [w for (position, w), q in load_rules().qualifiers.items()
             if position == "before" and q in ("ge", "le") and len(w) > 1]
    return (re.compile(rf"({alternation(words)})[^，,。；;:：\d%]{{1,{BOUND_GAP}}}$"),
            BOUND_GAP + max(map(len, words)))


@lru_cache(maxsize=1)
def list_unit() -> re.Pattern[str]:
    rules = load_rules()
    measures = [u for u, unit in rules.units.items() if unit.kind == "measure"]
    return re.compile(rf"^(?:\s*[、和及与]\s*(?:{ARABIC}))+\s*(?P<mag>{alternation(rules.magnitudes)})?"
                      rf"(?P<unit>{alternation(measures)})")


@lru_cache(maxsize=1)
def share_word_pattern() -> re.Pattern[str]:
    """The share words of a clause; one at the end may be followed by a linking verb (比重达到)."""
    return re.compile(rf"({alternation(load_rules().share_words)})(?:达到|达|为|提高到|保持在)?")
