"""jieba, loaded once with zhibiao's own words: indicator names, cue words and domains."""

from __future__ import annotations

import os
import re
import tempfile
from collections import Counter
from functools import lru_cache

import jieba

from sources.pattern import CLAUSE_SEPARATORS
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
    return re.split(f"[{re.escape(CLAUSE_SEPARATORS)}]", before)[-1]


def indicator_name(before: str, after: str, previous_name: str | None) -> str:
    """What is measured: the noun phrase just before the number, read back to a stop word.

    ``X等5个直达站点`` names the thing after the number; a clause holding only a measure
    word (``、增速112.9%``) takes its subject from the mention before it (``previous_name``).
    """
    clause = LIST_MARKER.sub("", DATES.sub("", clause_before(before)).strip(" 、，,"))
    if clause.endswith("等") or not clause:
        following = re.split(f"[{re.escape(CLAUSE_SEPARATORS)}]", after)[0]
        if following:
            return following[:MAX_NAME]
    clause = NAME_LEAD.sub("", NAME_TRAIL.sub("", clause))
    words = tokens(clause)
    picked: list[str] = []
    length = 0
    for word in reversed(words):
        if word in NAME_STOPS or re.fullmatch(r"[\d.%]+|[、“”\"'()（）《》]", word):
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
    following = re.split(f"[{re.escape(CLAUSE_SEPARATORS)}、]", after)[0]
    if len(name) <= 2 and re.match(r"^[\u4e00-\u9fff]{2,}", following):
        return (name + following)[:MAX_NAME]  # 发行1万亿元超长期特别国债: the thing follows the number
    return name


def segment_before(before: str) -> str:
    """The part of a sentence since its last semicolon: the reach of a cue word."""
    return re.split(r"[;；]", before)[-1]


def has_cue(text: str, meaning: str) -> bool:
    words = set(load_rules().cues.get(meaning, []))
    return any(t in words for t in tokens(text))


def heading_domain(title: str | None) -> str | None:
    """The domain a heading names (关键词 创新发展 → innovation), if it names one."""
    if not title:
        return None
    # The word a heading names first is its topic (深入实施科教兴国战略，强化高质量发展基础支撑 → 科教).
    found = [(title.find(word), -len(word), domain) for word, domain in load_rules().heading_domains.items()
             if word in title]
    return min(found)[2] if found else None


@lru_cache(maxsize=65536)
def lexicon_words_in(token: str) -> tuple[str, ...]:
    """Domain lexicon words inside one jieba token, in reading order (空气质量优良天数 → 优良天数)."""
    keywords = load_rules().domain_keywords
    if token in keywords:
        return (token,)
    found = sorted((token.find(k), -len(k), k) for k in keywords if len(k) < len(token) and k in token)
    return tuple(k for _, _, k in found)


def word_domain(*texts: str, head_first: bool = False) -> str | None:
    """The domain the lexicon words of the first text that has any point to most.

    With ``head_first`` the text is a noun phrase, whose last lexicon word is its head
    (单位地区生产总值能耗 is about 能耗), and that word decides.
    """
    keywords = load_rules().domain_keywords
    if head_first and texts:
        heads = [k for t in tokens(texts[0]) for k in lexicon_words_in(t)]
        if heads:
            return keywords[heads[-1]]
        texts = texts[1:]
    for text in texts:
        # Longer lexicon words are more specific (研发投入 over 投入), so they weigh more.
        votes: Counter[str] = Counter()
        for t in tokens(text):
            for k in lexicon_words_in(t):
                votes[keywords[k]] += len(k)
        if votes:
            return votes.most_common(1)[0][0]
    return None
