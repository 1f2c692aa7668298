"""The one regular expression that finds candidate quantities, built from the rule tables."""

from __future__ import annotations

import re
from functools import lru_cache

from sources.rules import load_rules

ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
CN_BIG = r"[零〇一二两三四五六七八九十]*[百千万亿][零〇一二两三四五六七八九十百千万亿]*"
CN_SMALL = r"[一二两三四五六七八九十]{1,3}"
DASH = r"[—–~\-至]{1,2}"
# Parts and multiples: 1/4, 三分之一, 一半, 翻一番.
FRACTION = rf"(?:{ARABIC})/(?:{ARABIC})|[一二三四五六七八九十]分之[一二三四五六七八九十]{{1,2}}|一半|翻[一两二三四]番"
# An aside in brackets: 38个县(市、区), 同比增长(下同)13%.
ASIDE = re.compile(r"[(（][^()（）]{0,12}[)）]")
# Separators that end a clause: the indicator name is read from the clause a number sits in.
CLAUSE_SEPARATORS = ",;:，；：。!?"
SEGMENT_SEPARATORS = ";；"
# The first figure of 从A增加到B ends its text so (人均预期寿命从, 比重由每人每月): where a change started.
CHANGE_START = re.compile(r"(?:从|由)(?:每人|每户|每月|每年|的)*$")


def last_part(text: str, separators: str = CLAUSE_SEPARATORS) -> str:
    """What follows the last separator (the clause, or segment, a number sits in)."""
    # The first separator of the reversed text: one pass, however long the text.
    m = separator_class(separators).search(text[::-1])
    return text[len(text) - m.start():] if m else text


def first_part(text: str, separators: str = CLAUSE_SEPARATORS) -> str:
    """What comes before the first separator."""
    m = separator_class(separators).search(text)
    return text[:m.start()] if m else text


@lru_cache(maxsize=None)
def separator_class(separators: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(separators)}]")


def alternation(words) -> str:
    """A regex matching any of ``words``, the longest where several match at one place, as a
    longest-first list would. It is written as a trie (深圳(?:市(?:南山区)?)?): Python's ``re``
    tries a flat list's words one by one at every character, which made the gazetteer's 6,600
    names a hot spot of parsing."""
    return trie_regex(word_trie(words))


def word_trie(words) -> dict:
    """Each word's letters as nested dicts; ``""`` marks where a word ends."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return trie


def trie_regex(node: dict) -> str:
    # The branches below one node start with different characters, so at most one can match;
    # a word ending here is the shorter match, tried after the branch (greedy ``?``).
    branches = [re.escape(char) + trie_regex(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return f"(?:{body})?"
    return body


class WordList:
    """A long list of words, found in text as ``re.compile(alternation(words)).findall`` finds
    them (at each place the longest word, then on past it), by walking a trie of dicts. On the
    opening 60,000 characters of a report that was eight times as fast: ``re`` tries the branches
    of a node one by one, and the gazetteer's names start with some 1,500 different letters."""

    def __init__(self, words):
        self.trie = word_trie(words)

    def findall(self, text: str) -> list[str]:
        found = []
        at, size = 0, len(text)
        while at < size:
            node, end = self.trie.get(text[at]), -1
            reach = at + 1
            while node is not None:
                if "" in node:
                    end = reach
                if reach == size:
                    break
                node = node.get(text[reach])
                reach += 1
            if end < 0:
                at += 1
            else:
                found.append(text[at:end])
                at = end
        return found


@lru_cache(maxsize=1)
def mention_pattern() -> str:
    """Regex of one candidate quantity: ``core`` is the mention, its parts named within it."""
    rules = load_rules()
    units = list(rules.units)
    magnitude_led = [u for u in units if u[0] in "百千万亿"]
    return (
        r"(?P<core>"
        rf"(?P<q1>{alternation(rules.qualifier_words('before'))})?"
        r"(?:"
        rf"(?P<frac>{FRACTION})"
        rf"|(?P<num>{ARABIC})(?:(?P<u1>%)?\s*(?P<dash>{DASH})\s*(?P<num2>{ARABIC}))?"
        # A unit that begins with a magnitude is read with the numeral before it first (千万千瓦 is
        # 千万 千瓦, not 千万千 瓦); the scan reads these groups as cn and unit0.
        rf"|(?P<cnu>{CN_BIG})(?P<unitcn>{alternation(magnitude_led)})"
        rf"|(?P<cn>{CN_BIG})"
        rf"|(?P<cns>{CN_SMALL})"
        r")"
        rf"(?P<many>{alternation(rules.qualifier_words('inside'))})?"
        r"(?:"
        rf"(?P<unit0>{alternation(magnitude_led)})"
        rf"|(?P<mag>{alternation(rules.magnitudes)})?"
        rf"(?P<many2>{alternation(rules.qualifier_words('inside'))})?"
        rf"(?P<unit>{alternation(units)})?"
        r")"
        rf"(?P<q2>{alternation(rules.qualifier_words('after'))})?"
        r")"
    )
