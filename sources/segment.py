"""jieba, loaded once with zhibiao's own words: indicator names, cue words and domains."""

from __future__ import annotations

import os
import re
import tempfile
from collections import Counter
from functools import lru_cache

import jieba

from sources.pattern import CLAUSE_SEPARATORS, SEGMENT_SEPARATORS, alternation, first_part, last_part
from sources.rules import load_rules

# Words that end an indicator name when read backwards from the number (郑州/全市/累计 …).
NAME_STOPS = {
    "全市", "全省", "全国", "全区", "全县", "我市", "我省", "其中", "累计", "共", "共计", "合计", "总计",
    "实现", "完成", "达到", "达", "为", "是", "有", "和", "与", "及", "等", "并", "的", "在", "到", "至", "将",
    "力争", "确保", "争取", "全年", "今年", "去年", "年", "以上", "左右", "上年",
    "持续", "进一步", "稳定", "保持", "预计", "计划", "目标", "主要", "已", "已经", "超过", "超", "突破", "近",
}
# Trailing words dropped from a name (达到5800家 → the name stops before 达到).
NAME_TRAIL = re.compile(r"(?:预期目标|目标)?(?:为|是)?(?:分别|实际|平均|拟安排|安排|拟按|按|拟|累计|共|达到了|达到|达|增至|增加到|为|超过|超|突破|接近|近|约|提高到|提升到|上升到|下降到|下降至|降至|降到|控制在|稳定在|保持在|了)+$")
DATES = re.compile(
    r"(?:19|20)\d{2}年(?:\d{1,2}(?:[~\-—至]\d{1,2})?月(?:份)?)?|(?:前)?\d{1,2}(?:[~\-—至]\d{1,2})?(?:个)?月(?:份)?"
    r"|过去一年|过去五年|去年|今年|上年|全年|“十[一二三四五六七八九]五”(?:期间|时期)?"
    r"|连续(?:\d+|[一二三四五六七八九十两多]+)年"
)
MAX_NAME = 16
# Characters on each side of a cue word that jieba reads to tell a word from part of a longer one.
CUE_WINDOW = 4
NOT_A_NAME_WORD = re.compile(r"[\d.%]+|[、“”\"'()（）《》]")
HAN_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}")
# Goal words leading a name (拟安排地方政府专项债券3.9万亿元 names 地方政府专项债券).
NAME_LEAD = re.compile(r"^(?:拟安排|拟|力争|确保|争取|计划)")
LIST_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+是|其[一二三四五六七八九十]|首先|其次|此外|同时|另外)")
MEASURE_TAIL = re.compile(r"(?:同比|同口径|比上年|较上年)?(?:增长|增速|增幅|涨幅|上涨|下降|降低|减少|增加|提高|回落)了?$")
# A clause that names only how the figure moves (增长6.1%, 同口径下降0.6%) measures the subject before it.
MEASURE_ONLY = re.compile(r"^(?:分别|全年|同比|同口径|比上年|较上年|比|较|实际|名义|年均|平均|连续|其中)*(?:增长|增速|增幅|涨幅|下降|降低|减少|增加|净增|提高|提升|回落|扩大|缩小)?(?:了|为|达到|达)?$")


@lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    """A private jieba with zhibiao's words added; its cache lives in a per-user folder, since a
    /tmp/jieba.cache left by another user cannot be replaced (jieba#26)."""
    cache_dir = os.path.join(tempfile.gettempdir(), f"zhibiao-jieba-{os.getuid()}")
    os.makedirs(cache_dir, exist_ok=True)
    tk = jieba.Tokenizer()
    tk.tmp_dir = cache_dir
    jieba.setLogLevel(60)
    rules = load_rules()
    words = set(rules.domain_keywords) | set(rules.heading_domains) | set(rules.implied_units) | set(rules.indicator_words)
    for cue_words in rules.cues.values():
        words |= set(cue_words)
    for word in sorted(words):
        tk.add_word(word, freq=200_000)
    return tk


@lru_cache(maxsize=65536)
def tokens(text: str) -> tuple[str, ...]:
    return tuple(t for t in tokenizer().lcut(text) if t.strip())


def clause_before(before: str) -> str:
    return last_part(before)


def indicator_name(before: str, after: str, previous_name: str | None) -> str:
    """What is measured: the noun phrase just before the number, read back to a stop word.

    ``X等5个直达站点`` names the thing after the number; a clause holding only a measure
    word (``、增速112.9%``) takes its subject from the mention before it (``previous_name``).
    """
    clause = LIST_MARKER.sub("", DATES.sub("", clause_before(before)).strip(" 、，,"))
    if clause.endswith("等") or not clause:
        following = first_part(after)
        if following:
            return following[:MAX_NAME]
    clause = NAME_LEAD.sub("", NAME_TRAIL.sub("", clause))
    words = tokens(clause)
    picked: list[str] = []
    length = 0
    for word in reversed(words):
        if word in NAME_STOPS or NOT_A_NAME_WORD.fullmatch(word):
            if picked:
                break
            continue
        if length + len(word) > MAX_NAME and picked:
            break
        picked.insert(0, word)
        length += len(word)
    name = "".join(picked).strip("、 “”")
    measure = MEASURE_TAIL.search(name)
    if measure and measure.start() > 0:
        name = NAME_TRAIL.sub("", name[:measure.start()])  # 规上工业增加值增长4.6% names 规上工业增加值
    if previous_name and MEASURE_ONLY.match(name):
        return previous_name  # 52.9万辆、增速112.9%: the 增速 of the thing just measured
    following = first_part(after, CLAUSE_SEPARATORS + "、")
    if len(name) <= 2 and HAN_WORD.match(following):
        return (name + following)[:MAX_NAME]  # 发行1万亿元超长期特别国债: the thing follows the number
    return name


def segment_before(before: str) -> str:
    """The part of a sentence since its last semicolon: the reach of a cue word."""
    return last_part(before, SEGMENT_SEPARATORS)


def has_cue(text: str, meaning: str) -> bool:
    return not cue_words(meaning).isdisjoint(tokens(text))


def has_cue_in(piece: str, start: int, end: int, meaning: str) -> bool:
    """Whether a cue word of ``meaning`` stands in ``piece[start:end]`` as a word of its own."""
    words = cue_words(meaning)
    return any(s >= start and e <= end and w in words for w, s, e in cue_tokens(piece))


@lru_cache(maxsize=None)
def cue_words(meaning: str) -> frozenset[str]:
    return frozenset(load_rules().cues.get(meaning, []))


@lru_cache(maxsize=1)
def cue_pattern() -> re.Pattern[str]:
    return re.compile(alternation(w for words in load_rules().cues.values() for w in words))


@lru_cache(maxsize=16384)
def cue_tokens(piece: str) -> tuple[tuple[str, int, int], ...]:
    """Cue words in a piece, with offsets: found by pattern, kept where jieba, reading the few
    characters around, takes them as a word (要 in 主要 or 计划 in 计划生育 is not a cue).
    Segmenting only these windows, not whole sentences, keeps jieba off the hot path."""
    found = []
    for m in cue_pattern().finditer(piece):
        low, high = max(0, m.start() - CUE_WINDOW), min(len(piece), m.end() + CUE_WINDOW)
        if (m.start() - low, m.end() - low) in token_spans(piece[low:high]):
            found.append((m.group(), m.start(), m.end()))
    return tuple(found)


@lru_cache(maxsize=65536)
def token_spans(text: str) -> frozenset[tuple[int, int]]:
    return frozenset((start, end) for _, start, end in tokenizer().tokenize(text))


def heading_domain(title: str | None) -> str | None:
    """The domain a heading names (关键词 创新发展 → innovation), if it names one."""
    if not title:
        return None
    # The word a heading names first is its topic (深入实施科教兴国战略，强化高质量发展基础支撑 → 科教).
    found = [(title.find(word), -len(word), domain) for word, domain in load_rules().heading_domains.items()
             if word in title]
    return min(found)[2] if found else None


@lru_cache(maxsize=1)
def lexicon_pattern() -> re.Pattern[str]:
    return re.compile(alternation(load_rules().domain_keywords))


def lexicon_words(text: str) -> list[str]:
    """Domain lexicon words in reading order, longest first where they overlap (研发投入, not 投入)."""
    return lexicon_pattern().findall(text)


def name_domain(name: str) -> str | None:
    """The domain of a noun phrase: its last lexicon word is its head (单位地区生产总值能耗 is about 能耗)."""
    heads = lexicon_words(name)
    return load_rules().domain_keywords[heads[-1]] if heads else None


def domain_votes(text: str) -> Counter[str]:
    """Votes of the lexicon words in ``text``: longer words are more specific (研发投入 over 投入),
    so they weigh more."""
    keywords = load_rules().domain_keywords
    votes: Counter[str] = Counter()
    for k in lexicon_words(text):
        votes[keywords[k]] += len(k)
    return votes


@lru_cache(maxsize=4096)
def piece_votes(piece: str) -> Counter[str]:
    """Domain votes of a whole piece (shared: callers add them up, never change them)."""
    return domain_votes(piece)


def voted_domain(votes: Counter[str]) -> str | None:
    return votes.most_common(1)[0][0] if votes else None
