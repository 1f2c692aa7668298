"""zhibiao's jieba: the prepared dictionary kept between processes, and the word-finding loops it
rewrites, give what jieba itself gives."""

import os
import tempfile

import jieba

from tests.conftest import SAMPLE_FILES
from sources import segment

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


def test_the_rewritten_loops_find_the_words_jieba_finds():
    ours = segment.tokenizer()
    theirs = jieba.Tokenizer()
    theirs.FREQ, theirs.total, theirs.initialized = ours.FREQ, ours.total, True
    runs = [run for path in SAMPLE_FILES for run in jieba.re_han_default.split(path.read_text(encoding="utf-8"))
            if run and jieba.re_han_default.fullmatch(run)]
    runs += SENTENCES
    assert len(runs) > 100
    for run in runs:
        dag = ours.get_DAG(run)
        assert dag == theirs.get_DAG(run)
        our_route, their_route = {}, {}
        ours.calc(run, dag, our_route)
        theirs.calc(run, dag, their_route)
        assert our_route == their_route
        assert list(ours.cut(run)) == list(theirs.cut(run))
        if jieba.re_han_default.fullmatch(run):
            assert list(ours.cut_run(run)) == list(theirs.cut(run))
