"""``jieba.posseg``, imported with its word tags read in one pass.

Importing ``jieba.posseg`` builds the tagger ``jieba.posseg.dt``, which reads the tag of each of
the 349,045 words of jieba's dictionary a line at a time: 0.6 s of every parsing process's start
(the helper of a one-file run, each worker of a pool). Here the import gets an empty file for that
read, and the same table is then filled from the whole file at once (0.17 s).
"""

from __future__ import annotations

import io
import sys
from functools import lru_cache


@lru_cache(maxsize=1)
def posseg():
    """The ``jieba.posseg`` module, its default tagger's word tags loaded."""
    import jieba

    if "jieba.posseg" in sys.modules:  # imported already, the usual way
        return sys.modules["jieba.posseg"]
    dictionary = jieba.dt.get_dict_file
    jieba.dt.get_dict_file = lambda: io.BytesIO()
    try:
        import jieba.posseg
    finally:
        del jieba.dt.get_dict_file  # the Tokenizer's own method again
    jieba.posseg.dt.word_tag_tab = word_tags(dictionary())
    return jieba.posseg


def word_tags(dictionary: io.BufferedIOBase) -> dict[str, str]:
    """word → tag of a jieba dictionary file (lines ``word frequency tag``), as
    ``POSTokenizer.load_word_tag`` reads it."""
    with dictionary:
        fields = dictionary.read().decode("utf-8").split()
    if len(fields) % 3:
        raise ValueError("a jieba dictionary line without its three fields (word frequency tag)")
    return dict(zip(fields[0::3], fields[2::3]))
