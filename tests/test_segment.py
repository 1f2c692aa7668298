"""zhibiao's jieba: the prepared dictionary kept between processes, the word-finding loops it
rewrites, the part-of-speech HMM it computes faster and the word tags it reads in one pass give
what jieba itself gives."""

import hashlib
import importlib
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import jieba
import jieba.posseg

from tests.conftest import SAMPLE_FILES
from sources import pos_hmm, posseg, segment
from sources.names import part_of_speech

SENTENCES = [
    "全市地区生产总值增长5.2%，规上工业增加值增长4.6%，新培育专精特新“小巨人”企业30家。",
    "力争新培育高新技术企业1000家以上，新能源汽车实际下线52.9万辆、增速112.9%。",
    "城镇、农村居民人均可支配收入分别增长5.1%和6.8%，居民消费价格上涨0.2%。",
]


def test_the_prepared_dictionary_kept_for_the_next_process_is_the_one_built(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    built = segment.tokenizer.__wrapped__()
    kept = list((tmp_path / f"zhibiao-jieba-{os.getuid()}").glob("zhibiao-*.pickle"))
    assert len(kept) == 1
    loaded = segment.tokenizer.__wrapped__()
    assert loaded.initialized and (loaded.FREQ, loaded.total) == (built.FREQ, built.total)
    assert [loaded.lcut(s) for s in SENTENCES] == [built.lcut(s) for s in SENTENCES]


def test_the_one_loop_route_finds_the_path_and_words_jieba_finds():
    ours = segment.tokenizer()
    theirs = jieba.Tokenizer()
    theirs.FREQ, theirs.total, theirs.initialized = ours.FREQ, ours.total, True
    runs = [run for path in SAMPLE_FILES for run in jieba.re_han_default.split(path.read_text(encoding="utf-8"))
            if run and jieba.re_han_default.fullmatch(run)]
    # Letters no word starts with, runs the dictionary lacks (cut by the HMM) and one it has.
    unknown = [chr(c) for c in range(0x9FD5, 0x4E00, -1) if chr(c) not in ours.FREQ][:2]
    runs += SENTENCES + ["".join(unknown), unknown[0] + "人民", "规上工业", "专精特新", "人民"]
    assert len(runs) > 100
    their_tags = jieba.posseg.POSTokenizer(theirs)
    their_tags.word_tag_tab = jieba.posseg.dt.word_tag_tab
    our_tags = part_of_speech()
    for run in runs:
        their_route = {}
        theirs.calc(run, theirs.get_DAG(run), their_route)
        assert ours.route(run) == their_route, run
        assert list(ours.cut(run)) == list(theirs.cut(run)), run
        assert list(ours.cut_run(run)) == list(theirs.cut(run)), run
        assert list(ours.tokenize(run)) == list(theirs.tokenize(run)), run
        assert [tuple(p) for p in our_tags.cut(run)] == [tuple(p) for p in their_tags.cut(run)], run


def test_the_faster_part_of_speech_hmm_finds_jiebas_path_and_words():
    viterbi = importlib.import_module("jieba.posseg.viterbi").viterbi  # (jieba.posseg.viterbi is the function)
    tables = (jieba.posseg.char_state_tab_P, jieba.posseg.start_P, jieba.posseg.trans_P, jieba.posseg.emit_P)
    # Runs of the kind the tagger meets (the letters between dictionary words: 规上, 专精特新), of
    # common letters, rare ones and both, one letter to a dozen.
    han = [chr(c) for c in range(0x4E00, 0x9FA6)]
    common = "".join(dict.fromkeys("".join(SENTENCES) + "规上专精特新小巨人亿万元增长下降比重"))
    pick = random.Random(11)
    runs = ["规上", "专精特新", "营商", "稳岗", "两新", "双碳"] + [
        "".join(pick.choice(letters) for _ in range(pick.randint(1, 8)))
        for letters, count in ((han, 20), (common, 80), (common + "".join(pick.sample(han, 40)), 80))
        for _ in range(count)]
    tagger = jieba.posseg.POSTokenizer()
    for run in runs:
        assert pos_hmm.viterbi(run) == viterbi(run, *tables)[1], run
        assert list(pos_hmm.tagged_words(run)) == [(p.word, p.flag) for p in tagger._POSTokenizer__cut(run)], run


def test_the_word_tags_read_in_one_pass_are_the_ones_jieba_reads_a_line_at_a_time():
    # This module imported jieba.posseg the usual way: its tagger read the tags itself.
    assert posseg.word_tags(jieba.dt.get_dict_file()) == jieba.posseg.dt.word_tag_tab


def test_jieba_posseg_imported_with_the_tags_read_in_one_pass_tags_as_jieba_does():
    # A new interpreter, where posseg() makes the import (here jieba.posseg is imported already).
    script = """
import jieba
from sources.posseg import posseg
module = posseg()
assert "get_dict_file" not in vars(jieba.dt), "the tokenizer's own method is back"
reread = module.POSTokenizer.__new__(module.POSTokenizer)
reread.load_word_tag(jieba.dt.get_dict_file())
assert module.dt.word_tag_tab == reread.word_tag_tab and len(reread.word_tag_tab) > 300000
print([(p.word, p.flag) for p in module.dt.cut(%r)])
""" % SENTENCES[0]
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           cwd=Path(__file__).parents[1]).stdout
    assert found.strip() == str([(p.word, p.flag) for p in jieba.posseg.dt.cut(SENTENCES[0])])


def test_jieba_loads_without_pkg_resources_and_reads_its_own_dictionary_file():
    script = """
import hashlib, sys
from sources.segment import jieba
assert "pkg_resources" not in sys.modules
with jieba.dt.get_dict_file() as dictionary:
    print(hashlib.sha256(dictionary.read()).hexdigest())
import pkg_resources  # importable again for whatever needs it next
"""
    found = subprocess.run([sys.executable, "-W", "ignore", "-c", script], capture_output=True, text=True,
                           check=True, cwd=Path(__file__).parents[1]).stdout
    dictionary = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
    assert found.strip() == hashlib.sha256(dictionary.read_bytes()).hexdigest()
