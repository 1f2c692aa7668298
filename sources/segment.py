"""jieba, loaded once with zhibiao's own words, and what it reads: cue words and domain words."""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from math import log

from sources.pattern import SEGMENT_SEPARATORS, alternation, last_part
from sources.rules import load_rules


def import_jieba():
    """jieba, which finds its dictionary through pkg_resources when that imports: 0.07 s of every
    process that parses, the command's first second among them (nothing else here uses it). Without
    it jieba opens the same file beside its module."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba
        return jieba
    sys.modules["pkg_resources"] = None  # makes `import pkg_resources` raise ImportError
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]
    return jieba


jieba = import_jieba()

# The cues that end a bare heading line (cues.csv): matched against whole lines, not segmented.
PART_HEADING = "part_heading"
# Characters on each side of a cue word that jieba reads to tell a word from part of a longer one.
CUE_WINDOW = 4


# How often jieba counts each of zhibiao's own words: enough that it reads them whole.
OWN_WORD_FREQ = 200_000


class Tokenizer(jieba.Tokenizer):
    """jieba's tokenizer, finding a run's likeliest path in one loop: jieba lists every word the
    dictionary has at each letter (its DAG), then scores the paths through them, looking each word
    up twice; here each word is looked up once and scored as it is found. The same path, in
    two-thirds of the time, and those loops were a tenth of parsing."""

    def route(self, sentence: str) -> dict[int, tuple[float, int]]:
        """As jieba's ``calc`` fills it: at each letter, the best path's score from there and the
        last letter of its first word."""
        self.check_initialized()
        freq = self.FREQ.get
        log_total = log(self.total)
        size = len(sentence)
        route = {size: (0, 0)}
        for start in range(size - 1, -1, -1):
            best = None
            end = start
            fragment = sentence[start]
            while True:
                count = freq(fragment)
                if count is None:  # no word goes on with these letters
                    break
                if count:  # as jieba's max() over the same tuples: the likelier path, then the longer word
                    path = (log(count) - log_total + route[end + 1][0], end)
                    if best is None or path > best:
                        best = path
                end += 1
                if end == size:
                    break
                fragment = sentence[start:end + 1]
            if best is None:  # no word starts here: the letter alone
                best = (log(freq(sentence[start]) or 1) - log_total + route[start + 1][0], start)
            route[start] = best
        return route

    def route_words(self, sentence: str) -> Iterator[tuple[str, bool]]:
        """The words of the likeliest path, as jieba walks it: ``(word, False)`` for a word of the
        dictionary or a letter alone, ``(run, True)`` for a run of letters the dictionary has no
        word for, which jieba's HMM cuts."""
        route = self.route(sentence)
        start, size, letters = 0, len(sentence), ""
        while start < size:
            end = route[start][1] + 1
            if end - start == 1:
                letters += sentence[start]
            else:
                if letters:
                    yield from self.letters_alone(letters)
                    letters = ""
                yield sentence[start:end], False
            start = end
        if letters:
            yield from self.letters_alone(letters)

    def letters_alone(self, letters: str) -> Iterator[tuple[str, bool]]:
        """Letters the path takes one by one: a run the dictionary lacks is cut by the HMM."""
        if len(letters) == 1:
            yield letters, False
        elif not self.FREQ.get(letters):
            yield letters, True
        else:
            for letter in letters:
                yield letter, False

    def _Tokenizer__cut_DAG(self, sentence: str) -> Iterator[str]:  # noqa: N802 (jieba's name)
        for word, unknown in self.route_words(sentence):
            if unknown:
                yield from jieba.finalseg.cut(word)
            else:
                yield word

    def cut_run(self, run: str) -> Iterator[str]:
        """The words of a run of Han letters and digits, as ``cut`` gives them (with the HMM)."""
        return self._Tokenizer__cut_DAG(run)


@lru_cache(maxsize=1)
def tokenizer() -> Tokenizer:
    """A private jieba with zhibiao's words added; its cache lives in a per-user folder, since a
    /tmp/jieba.cache left by another user cannot be replaced (jieba#26)."""
    cache_dir = os.path.join(tempfile.gettempdir(), f"zhibiao-jieba-{os.getuid()}")
    os.makedirs(cache_dir, exist_ok=True)
    tk = Tokenizer()
    tk.tmp_dir = cache_dir
    jieba.setLogLevel(60)
    rules = load_rules()
    words = set(rules.domain_keywords) | set(rules.heading_domains) | set(rules.implied_units) | set(rules.indicator_words)
    for meaning, cue_words in rules.cues.items():
        if meaning != PART_HEADING:  # read as the end of a heading line, never as a word in a sentence
            words |= set(cue_words)
    words = sorted(words)
    prepared = os.path.join(cache_dir, f"zhibiao-{dictionary_key(tk, words)}.pickle")
    try:
        with open(prepared, "rb") as fh:
            tk.FREQ, tk.total = pickle.load(fh)
        tk.initialized = True
    except (OSError, pickle.UnpicklingError, EOFError, ValueError):
        for word in words:
            tk.add_word(word, freq=OWN_WORD_FREQ)
        keep_prepared(prepared, (tk.FREQ, tk.total))
    return tk


def dictionary_key(tk: jieba.Tokenizer, words: list[str]) -> str:
    """What the prepared dictionary is made from: jieba's dictionary file and zhibiao's words."""
    path = tk.dictionary or os.path.join(os.path.dirname(jieba.__file__), jieba.DEFAULT_DICT_NAME)
    stat = os.stat(path)
    digest = hashlib.sha256(f"{jieba.__version__}:{path}:{stat.st_size}:{stat.st_mtime_ns}:{OWN_WORD_FREQ}".encode())
    digest.update("\n".join(words).encode())
    return digest.hexdigest()[:16]


def keep_prepared(path: str, dictionary: tuple) -> None:
    """jieba's dictionary with zhibiao's words added, kept as a pickle for the next process: jieba's
    own cache (a marshal file) took 0.8 s to load in every process that parses, this 0.2 s."""
    try:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(dictionary, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache folder: each process prepares its own


@lru_cache(maxsize=65536)
def tokens(text: str) -> tuple[str, ...]:
    # jieba cuts each run of Han letters and digits on its own, so the runs are cut (and cached)
    # one by one: a clause read for one figure shares most of its runs with the next figure's.
    return tuple(t for block in jieba.re_han_default.split(text) if block for t in block_tokens(block))


@lru_cache(maxsize=65536)
def block_tokens(block: str) -> tuple[str, ...]:
    if jieba.re_han_default.fullmatch(block):
        # What jieba's cut does with such a run, without its checks and splitting around it.
        return tuple(t for t in tokenizer().cut_run(block) if t.strip())
    return tuple(t for t in tokenizer().lcut(block) if t.strip())


def clause_before(before: str) -> str:
    return last_part(before)


def segment_before(before: str) -> str:
    """The part of a sentence since its last semicolon: the reach of a cue word."""
    return last_part(before, SEGMENT_SEPARATORS)


def has_cue_in(piece: str, start: int, end: int, meaning: str) -> bool:
    """Whether a cue word of ``meaning`` stands in ``piece[start:end]`` as a word of its own."""
    words = cue_words(meaning)
    # 列入淘汰计划的93家企业: a goal word that qualifies a noun (计划的) sets no goal.
    modifier_ok = not meaning.startswith("target")
    # jieba is asked last, and only about the cue words that could answer.
    return any(s >= start and e <= end and w in words and (modifier_ok or piece[e:e + 1] != "的")
               and stands_alone(piece, s, e)
               for w, s, e in cue_matches(piece))


@lru_cache(maxsize=None)
def cue_words(meaning: str) -> frozenset[str]:
    return frozenset(load_rules().cues.get(meaning, []))


@lru_cache(maxsize=1)
def cue_pattern() -> re.Pattern[str]:
    return re.compile(alternation(w for words in load_rules().cues.values() for w in words))


@lru_cache(maxsize=16384)
def cue_matches(piece: str) -> tuple[tuple[str, int, int], ...]:
    """Where the cue words' letters stand in a piece, words of their own or not."""
    return tuple((m.group(), m.start(), m.end()) for m in cue_pattern().finditer(piece))


def stands_alone(piece: str, start: int, end: int) -> bool:
    """Whether jieba, reading the few characters around ``piece[start:end]``, takes it as a word
    (要 in 主要 or 计划 in 计划生育 is not a cue). Segmenting only these windows, not whole
    sentences, keeps jieba off the hot path."""
    low, high = max(0, start - CUE_WINDOW), min(len(piece), end + CUE_WINDOW)
    return (start - low, end - low) in token_spans(piece[low:high])


@lru_cache(maxsize=65536)
def token_spans(text: str) -> frozenset[tuple[int, int]]:
    return frozenset((start, end) for _, start, end in tokenizer().tokenize(text))


@lru_cache(maxsize=4096)
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
