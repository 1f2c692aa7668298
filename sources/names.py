"""Indicator names: the measured thing as a reader would search for it, read around each number.

A name is read backwards from its number to a stop word (``郑州市新能源汽车实际下线52.9万辆`` →
``新能源汽车实际下线``). Where that says nothing, the name comes from around it:
- a list with 分别 pairs each figure with its item (``智能电视、工业机器人产量分别增长17%、28%``);
- a share keeps its subject and base (``出口3.95万亿元，占全国的28.5%`` → ``出口占全国``);
- a verb alone takes the noun after the number (``新筹建9家省级制造业创新中心``);
- a generic word reaches back for its subject (``重大工程完成投资``, ``签约项目168个、总投资…``).
The words these rules read are in ``rules/name_words.csv``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from sources.pattern import ARABIC, ASIDE, CHANGE_START, CLAUSE_SEPARATORS, alternation, first_part, last_part
from sources.pos_hmm import tagged_words
from sources.rules import load_rules
from sources.segment import token_spans, tokenizer, tokens
from sources.years import year_marks

DATES = (
    r"(?:比|较)?(?:19|20)\d{2}年(?:\d{1,2}(?:[~\-—至]\d{1,2})?月(?:份)?|底|末|初)?|(?:前)?\d{1,2}(?:[~\-—至]\d{1,2})?(?:个)?月(?:份)?"
    r"|全年|“十[一二三四五六七八九]五”(?:期间|时期)?"
    r"|连续(?:\d+|[一二三四五六七八九十两多]+)年"
    r"|(?:比|较|为)?(?:\d+|[一二三四五六七八九十两]+)年(?:以)?前(?:的)?"
    r"|(?:这|近|多|\d+|[一二三四五六七八九十两]+)年(?:以来|来|间)"
)
MAX_NAME = 16
# The last item of a 分别 list carries what all items measure, so it may be longer than a name.
MAX_ITEM = 24
# A Chinese number that counts (三个, 超百亿): a lone magnitude qualifies a name instead (万元GDP能耗).
CN_COUNTED = r"[零〇一二两三四五六七八九十]+[百千万亿]*|[百千万亿]{2,}"
NOT_A_NAME_WORD = re.compile(r"[\d.%]+|[、\"'()（）《》]")
HAN_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}")
# An aside just before the number (同比增长(下同)13%) is no part of the name, nor is a Latin gloss
# within it: 细颗粒物(PM2.5)平均浓度 is 细颗粒物平均浓度.
TRAILING_ASIDE = re.compile(f"(?:{ASIDE.pattern})\\s*$")
GLOSS = re.compile(r"[(（][A-Za-z0-9.+\-]{1,12}[)）]")
# A web page's footnote mark (限额以上批零企业[1]商品销售额).
FOOTNOTE = re.compile(r"\[\d{1,2}\]")
# Letters said twice running (项目项目), where a name may repeat a word: see without_repeats.
REPEATED = re.compile(r"(.{2,}?)\1")
ORDINAL_LIST_MARKER = r"[一二三四五六七八九十]+是|其[一二三四五六七八九十]"
# Between two figures of one list: 52.9万辆、增速112.9% / 5.3%和7.1%.
LIST_WORDS = ("以及", "、", "和", "及", "与")
LIST_GAP = re.compile(rf"^\s*(?:{'|'.join(LIST_WORDS)})\s*$")
# The items a 分别 list names: 城镇、农村居民 / 跨国公司地区总部、外资研发中心.
ITEM_SEPARATORS = re.compile("|".join(LIST_WORDS))
# Words after a number that end the thing it counts: the next item or clause begins.
ITEM_WORDS = frozenset(LIST_WORDS) | {"并", "或"}
# A share: subject 占 base (的) 比重 — 第三产业增加值占全市生产总值的比重达到72.7%.
# 所占比重 has no subject of its own: it is the share of the thing before.
SHARE = re.compile(r"^(?P<subject>.*?)所?(?P<link>占|相当于)到?(?P<base>[^、]{0,20}?)(?:的)?(?P<word>比重|比例|份额)?"
                   r"(?:达到|达|为|提高到|提升到|保持在|超过|超)?$")
# From one figure to another: 人均预期寿命从76.5岁提高到(78岁).
FROM_TO = re.compile(r"^(.*?)(?:从|由)[^从由]{1,30}?(?:增加|提高|提升|上升|下降|减少|降低|扩大|增长|缩小|缩短|延长)?(?:到|至)$")
# Parts of speech that make a name a verb alone (筹建, 新开工): the noun after the number is the thing.
VERB_TAGS = {"v", "vd", "d", "a", "ad"}
VERB, PLACE = "verb", "place"


@dataclass(frozen=True)
class Figure:
    """What naming reads of one mention: where it stands in its piece and how it moves."""
    start: int
    end: int
    before: str
    after: str


def name_words(role: str) -> list[str]:
    return load_rules().name_words.get(role, [])


@dataclass(frozen=True)
class NamePatterns:
    stops: frozenset[str]
    generic: frozenset[str]
    quantity: re.Pattern[str]
    dates: re.Pattern[str]
    date_marks: re.Pattern[str]  # a letter every date holds (年, 月, 五): a clause without one has none
    trail: re.Pattern[str]
    trail_ends: tuple[str, ...]  # what a clause ends with for ``trail`` to match
    lead: re.Pattern[str]
    list_marker: re.Pattern[str]
    measure_tail: re.Pattern[str]
    measure_ends: tuple[str, ...]  # what a clause ends with for ``measure_tail`` to match
    measure_only: re.Pattern[str]


@lru_cache(maxsize=1)
def patterns() -> NamePatterns:
    """The regexes that trim a name, built from ``name_words.csv``, ``growth_words.csv`` and the units."""
    rules = load_rules()
    movement = alternation(rules.change_words)
    comparison = alternation(name_words("comparison"))
    return NamePatterns(
        stops=frozenset(name_words("stop")),
        generic=frozenset(name_words("generic")),
        # An earlier figure in the clause (32148元、 / 超百亿元的): never part of a name, unlike a unit
        # that qualifies one (万元GDP能耗) or a number that names a kind (5G基站).
        # With the bound it takes (3岁以下婴幼儿), but not a word it begins (一次性补贴).
        quantity=re.compile(rf"(?<![第A-Za-z.\d])(?:(?:{ARABIC}|{CN_COUNTED})(?:多|余)?(?:{alternation(rules.magnitudes)})?"
                            rf"(?:{alternation(rules.unit_words)})(?!性)(?:及?以上|以下|以内)?|(?:{ARABIC})%?(?![A-Za-z]))"),
        dates=re.compile(f"{DATES}|{alternation(rules.relative_years)}"),
        date_marks=re.compile(f"[{re.escape(''.join(('月', *year_marks())))}]"),
        # Trailing words dropped from a name (达到5800家 → the name stops before 达到).
        trail=re.compile(rf"(?:预期目标|目标)?(?:为|是)?(?:{alternation(name_words('trail'))})+$"),
        trail_ends=tuple(name_words("trail")),
        # Goal words leading a name (拟安排地方政府专项债券3.9万亿元 names 地方政府专项债券).
        lead=re.compile(rf"^(?:{alternation(name_words('lead'))})"),
        list_marker=re.compile(rf"^(?:{ORDINAL_LIST_MARKER}|{alternation(name_words('list_marker'))})"),
        measure_tail=re.compile(rf"(?:{comparison})?(?:{movement})了?$"),
        measure_ends=(*rules.change_words, "了"),
        # A clause that names only how the figure moves (增长6.1%, 同口径下降0.6%) measures the subject before it.
        measure_only=re.compile(
            rf"^(?:{comparison}|{alternation(name_words('measure_prefix'))})*(?:{movement})?(?:了|为|达到|达)?$"),
    )


def names_in_piece(piece: str, figures: Sequence[Figure]) -> list[str]:
    """The name of each figure of one piece of text, in order."""
    names: list[str] = []
    for i, f in enumerate(figures):
        gap = piece[figures[i - 1].end:f.start] if i > 0 else None
        names.append(indicator_name(f.before, f.after, names[-1] if i > 0 else None, gap))
    paired: list[str] | None = None
    previous_end = -1
    for run in list_runs(piece, figures):
        items = list_items(figures[run[0]].before)
        follows = run[0] == previous_end + 1
        previous_end = run[-1]
        if items and len(items) == len(run):
            paired = items
        elif not (follows and paired and len(paired) == len(run)):
            paired = None
            continue
        else:
            # 城镇、农村居民收入分别达A、B，增长C、D: the second list moves the first one's items;
            # 能耗、水耗分别为A、B，相当于全国的1/2和1/10: or compares them.
            clause = clause_of(figures[run[0]].before)
            share = SHARE.match(clause)
            if share and not share.group("subject"):
                paired = [share_name(share, item) for item in paired]
            elif not measure_only(clause):
                paired = None
                continue
        for index, item in zip(run, paired):
            names[index] = item
    return [without_repeats(name) if REPEATED.search(name) else name for name in names]


def without_repeats(name: str) -> str:
    """``name`` with words said twice running said once: a list of tiers (百亿级项目2个、十亿级项目3个)
    or two moves of one share left 项目项目 and 占全市比重占全市比重. Only whole words count:
    一村一品 and 创业创新 repeat letters, not words."""
    words = list(tokens(name))
    if "".join(words) != name:
        return name  # (tokens leave out spaces, which a name keeps)
    at = 0
    while at < len(words):
        for size in range(1, (len(words) - at) // 2 + 1):
            run = words[at:at + size]
            if len("".join(run)) >= 2 and words[at + size:at + 2 * size] == run:
                del words[at + size:at + 2 * size]
                break
        else:
            at += 1
    return "".join(words)


def list_runs(piece: str, figures: Sequence[Figure]) -> list[list[int]]:
    """Indexes of figures that form lists (two or more joined by 、/和 only)."""
    runs: list[list[int]] = []
    for i in range(len(figures)):
        if i > 0 and LIST_GAP.match(piece[figures[i - 1].end:figures[i].start]):
            runs[-1].append(i)
        else:
            runs.append([i])
    return [run for run in runs if len(run) > 1]


def list_items(before: str) -> list[str] | None:
    """The items a 分别 list pairs with its figures: 城镇、农村居民人均可支配收入分别达 →
    城镇居民人均可支配收入, 农村居民人均可支配收入."""
    p = patterns()
    clause = last_part(before)
    at = clause.rfind("分别")
    if at < 0:
        return None
    subject = p.list_marker.sub("", p.dates.sub("", clause[:at]).strip(" 、，,"))
    if subject:
        items = completed_items(split_items(subject))
    else:
        # 游客3.23亿人次、花费3700亿元，分别增长8%、8.4%: the items are the clause before, each
        # with its own figure (or, with none, a list as above: 城镇、农村低保标准，分别从…提高到…).
        previous = p.dates.sub("", last_part(before[:len(before) - len(clause)].rstrip(CLAUSE_SEPARATORS)))
        counted = p.quantity.sub("、", previous)
        items = split_items(counted) if counted != previous else completed_items(split_items(previous))
    if items is None:
        return None
    # 分别占全市的65%和50%: each item's share.
    share = SHARE.match(clause_of(clause[at + len("分别"):]))
    return [share_name(share, item) for item in items] if share and not share.group("subject") else items


def split_items(subject: str) -> list[str] | None:
    items = [without_trail(picked_name(i, limit=MAX_ITEM) or i) for i in ITEM_SEPARATORS.split(subject.strip(" 、，,")) if i]
    return items if len(items) >= 2 and all(len(i) <= MAX_ITEM for i in items) else None


def completed_items(items: list[str] | None) -> list[str] | None:
    """Items written short carry the words their list shares."""
    if items is None:
        return None
    # The last item carries what all of them measure: 城镇、农村居民人均可支配收入 / 智能电视、新能源汽车产量.
    head = shared_head(items[0], items[-1])
    items = [(item + head if head and not item.endswith(head) else item) for item in items[:-1]] + [items[-1]]
    # The first item carries what the short ones qualify: 万元GDP能耗、水耗 → 万元GDP水耗.
    lead = shared_lead(items[0])
    return [items[0]] + [lead + item if lead and len(item) <= 3 else item for item in items[1:]]


def shared_lead(first: str) -> str:
    words = tokens(first)
    return first[:-len(words[-1])] if len(first) > 3 and len(words) > 1 else ""


def shared_head(first: str, last: str) -> str:
    """What the last item of a list adds that the first lacks: the measure they share."""
    if len(last) <= len(first) + 1:
        return ""
    words = tokens(last)
    if len(first) <= 3:
        # 城镇、农村常住居民人均可支配收入: 农村 is the item, the rest is shared.
        return last[len(words[0]) if len(words) > 1 and len(words[0]) <= 3 else len(first):]
    tail = words[-1] if words else ""
    return tail if tail in name_words("measure_noun") else ""


def indicator_name(before: str, after: str, previous_name: str | None = None, gap: str | None = None) -> str:
    """What is measured: the noun phrase just before the number, read back to a stop word.

    ``X等5个直达站点`` names the thing after the number; a clause holding only a measure
    word (``、增速112.9%``) takes its subject from the mention before it in the same piece
    (``previous_name``; ``gap`` is the text between the two).
    """
    p = patterns()
    listed = gap is not None and LIST_GAP.match(gap) is not None
    # 签约项目168个、总投资821.9亿元: a generic word continues the item before it.
    chained = gap is not None and gap.startswith("、") and not any(c in gap for c in CLAUSE_SEPARATORS)
    clause = clause_of(before)
    following = noun_after(after)
    # 设立29个人才服务站和112个人才服务点: after 和 comes a new item, named after its number.
    new_item = last_part(before).rstrip().endswith(tuple(ITEM_WORDS)) and is_noun_phrase(following)
    if (clause.endswith("等") or not clause or new_item) and HAN_WORD.match(following) and not listed:
        return following
    # 出口占比提高3个百分点: how a share moves is its metric, not its name.
    share = SHARE.match(without_measure(clause))
    if share:
        return share_name(share, previous_name if listed or not share.group("subject") else None)
    name = picked_name(clause)
    rest = clause[:-len(name)] if name and clause.endswith(name) else ""
    if measure_only(name) and rest and "、" not in clause and not rest.endswith((")", "）")):
        # 单位生产总值能耗累计下降14%: a stop word stands between the subject and how it moves. (A
        # clause that held an earlier figure, 投资1708亿元、增长16.8%, or that says how it compares,
        # 同比(下同)增长8.5%, moves the subject before it.)
        name = picked_name(rest) or name
    measured = without_measure(name)
    if measured != name:
        name = without_trail(measured)  # 规上工业增加值增长4.6% names 规上工业增加值
    if not name and not listed and is_noun_phrase(following):
        return following  # 新增学位4650个，完成8所校园环境品质提升工程: 完成 alone names nothing
    if previous_name and (measure_only(name) or (listed and not name)):
        return previous_name  # 52.9万辆、增速112.9%: the 增速 of the thing just measured
    if name in p.generic:
        # 新增高新技术企业582家，总数达2223家: a clause of a generic word alone continues the one before.
        return generic_name(clause, name, previous_name if chained or clause == name else None)
    if is_noun_phrase(following) and name_kind(name):
        return following  # 新筹建9家省级制造业创新中心 / 围绕郑州市20条重点产业链: the thing follows the number
    if not HAN_WORD.match(following) and name_kind(name) == VERB:
        # 免签政策获批并延长至240小时: a verb with nothing after the number measures its subject.
        return generic_name(clause, name, previous_name if chained else None)
    if not name and not listed and HAN_WORD.match(following):
        return following  # 全市38个县(市)开展…
    if len(name) <= 2 and name not in load_rules().indicator_words and HAN_WORD.match(following):
        return (name + following)[:MAX_NAME]
    return name


def noun_after(after: str) -> str:
    """The thing named after a number, up to the next figure or item: 5个城市更新计划审批和6个…
    → 城市更新计划审批."""
    text = first_part(ASIDE.sub("", after), CLAUSE_SEPARATORS + "、").lstrip("(（)）户套个“的")
    picked: list[str] = []
    for word in tokens(text):
        if word in ITEM_WORDS or NOT_A_NAME_WORD.match(word) or sum(map(len, picked)) + len(word) > MAX_NAME:
            break
        picked.append(word)
    return balanced_quotes("".join(picked))


def clause_of(before: str) -> str:
    p = patterns()
    clause = last_part(before)
    # Each rewrite is tried only where its letters are (a clause is read for every figure).
    starts_a_change = "从" in clause or "由" in clause
    moved = FROM_TO.match(clause) if starts_a_change and clause.endswith(("到", "至")) else None
    if moved:
        clause = moved.group(1)  # 人均预期寿命从76.5岁提高到78岁: both figures are of 人均预期寿命
    if ")" in clause or "）" in clause:
        clause = GLOSS.sub("", TRAILING_ASIDE.sub("", clause))
    if "]" in clause:
        clause = FOOTNOTE.sub("", clause)
    if p.date_marks.search(clause):
        clause = p.dates.sub("", clause)
    clause = p.quantity.sub("、", clause).strip(" 、，,")
    clause = p.list_marker.sub("", clause)
    if starts_a_change:
        clause = CHANGE_START.sub("", clause)
    return without_lead(without_trail(clause))


def without_lead(clause: str) -> str:
    """``clause`` less a leading goal word or preposition (力争, 对), where it is a word of its own:
    对外贸易 and 计划生育 keep theirs."""
    lead = patterns().lead.match(clause)
    if lead is None or not starts_a_word(clause, lead.end()):
        return clause
    return clause[lead.end():]


def without_measure(text: str) -> str:
    """``text`` less the words that say how its figure moves (比上年增长), unless that is all it says."""
    p = patterns()
    measure = p.measure_tail.search(text) if text.endswith(p.measure_ends) else None
    return text[:measure.start()] if measure and measure.start() > 0 else text


# How the name of a measure ends (覆盖率, 托位数, 销售额): jieba reads a trailing word glued to one
# as a word of its own (管理率达 is 管理/率达), yet it is no part of the name.
MEASURE_ENDINGS = tuple("率数量额值比")


def without_trail(clause: str) -> str:
    """``clause`` less its trailing words (达到, 约), where they are words: 签约 keeps its 约."""
    p = patterns()
    trail = p.trail.search(clause) if clause.endswith(p.trail_ends) else None
    if trail is None or (trail.start() > 0 and not starts_a_word(clause, trail.start())
                         and not clause[:trail.start()].endswith(MEASURE_ENDINGS)):
        return clause
    return clause[:trail.start()]


def starts_a_word(text: str, offset: int) -> bool:
    """Whether jieba reads a word of ``text`` as starting at ``offset``."""
    return any(start == offset for start, _ in token_spans(text))


def picked_name(clause: str, through_stops: int = 0, limit: int = MAX_NAME) -> str:
    """The words at the end of ``clause`` back to a stop word (``through_stops`` stop words are
    read through, for a generic word that needs its subject)."""
    p = patterns()
    picked: list[str] = []
    length = 0
    for word in reversed(tokens(clause)):
        if word in p.stops or NOT_A_NAME_WORD.fullmatch(word):
            if picked and through_stops and not NOT_A_NAME_WORD.fullmatch(word):
                through_stops -= 1
                if word != "的":
                    picked.insert(0, word)
                continue
            if picked:
                break
            continue
        if length + len(word) > limit and picked:
            break
        picked.insert(0, word)
        length += len(word)
    # (A dash or sign at either end opens a list item, ——本地生产总值, or joined a figure that went,
    # 3-5家, 7×24小时: 梅林山—银湖山 keeps its own.)
    return balanced_quotes("".join(picked).strip("、 —–－-+×·"))


def balanced_quotes(name: str) -> str:
    """A name keeps a quoted part whole (专精特新“小巨人”企业) and loses a stray quote mark."""
    while name.count("“") != name.count("”"):
        name = name.replace("”", "", 1) if name.count("”") > name.count("“") else name[::-1].replace("“", "", 1)[::-1]
    return name.strip("“”") if name.startswith("“") and name.endswith("”") else name


def measure_only(name: str) -> bool:
    return patterns().measure_only.match(name) is not None


def generic_name(clause: str, name: str, previous_name: str | None) -> str:
    """重大工程完成投资1708亿元 → 重大工程完成投资; 签约项目168个、总投资821.9亿元 → 签约项目总投资."""
    wider = without_trail(without_measure(picked_name(clause, through_stops=1)))  # 就业支出增长44%: 就业支出
    if wider and wider != name:
        return wider
    if previous_name:
        return previous_name + name
    return name


def share_name(share: re.Match, previous_name: str | None) -> str:
    """subject 占 base 比重, without 的: 第三产业增加值占全市生产总值比重."""
    subject = picked_name(share.group("subject")) if share.group("subject") else ""
    subject = subject or previous_name or ""
    if not share.group("base"):
        return f"{subject}占比"  # 其中具有自主知识产权的占58.9%
    return f"{subject}{share.group('link')}{share.group('base')}{share.group('word') or ''}"


@lru_cache(maxsize=1)
def part_of_speech() -> "jieba.posseg.POSTokenizer":
    # Loaded on first use: its tables take half a second to load, which a run with no file
    # to parse (or `zhibiao status`) should not pay.
    import jieba

    from sources.posseg import posseg

    class SharedTags(posseg().POSTokenizer):
        """jieba.posseg's own tagger holds the tags of jieba's dictionary (:mod:`sources.posseg`):
        a tokenizer on the same dictionary takes a copy rather than reading them again."""

        def load_word_tag(self, f):
            if self.tokenizer.dictionary != jieba.dt.dictionary:
                return super().load_word_tag(f)
            f.close()
            self.word_tag_tab = dict(jieba.posseg.dt.word_tag_tab)

        def _POSTokenizer__cut_DAG(self, sentence: str) -> Iterator:  # noqa: N802 (jieba's name)
            # jieba's walk of the path, on the tokenizer's faster path (:class:`sources.segment.Tokenizer`).
            for word, unknown in self.tokenizer.route_words(sentence):
                if unknown:
                    yield from self._POSTokenizer__cut_detail(word)
                else:
                    yield jieba.posseg.pair(word, self.word_tag_tab.get(word, "x"))

        @lru_cache(maxsize=16384)
        def _POSTokenizer__cut(self, run: str) -> tuple:
            # The HMM that guesses the tags of a run of letters jieba has no word for is the dearest
            # step of tagging (the same HMM, computed faster), and names repeat their unknown runs
            # (规上, 专精特新).
            return tuple(jieba.posseg.pair(word, tag) for word, tag in tagged_words(run))

    return SharedTags(tokenizer())


@lru_cache(maxsize=16384)
def name_kind(name: str) -> str | None:
    """``VERB`` for a name that is only a verb (筹建, 新开工, 新增): it names an action, not a thing;
    ``PLACE`` for one that is only a place, or an action at one (围绕郑州市): what either counts
    follows the number. The tags are read one word at a time: the first word of another kind
    settles it, before jieba's tagger reads the rest."""
    tags: set[str] = set()
    for word in part_of_speech().cut(name):
        if word.flag not in VERB_TAGS and word.flag != "ns":
            return None
        tags.add(word.flag)
    if "ns" in tags:
        return PLACE
    return VERB if "v" in tags else None


@lru_cache(maxsize=16384)
def is_noun_phrase(text: str) -> bool:
    """Whether ``text`` opens with a thing (省级制造业创新中心), not an action (用于…)."""
    if not HAN_WORD.match(text):
        return False
    first = next(iter(part_of_speech().cut(text)), None)  # the tagger reads no further than the first word
    return first is not None and (first.flag[:1] in ("n", "b", "a", "x") or first.word in load_rules().indicator_words)
