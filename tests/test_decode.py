import os

import pytest

from sources.decode import RejectedFile, decode_report
from sources.formats import read_text

TEXT = "新增城镇就业13.1万人，增长5.2%。"


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("gb18030", "gb18030"),
    ("utf-16", "utf-16"),
    ("utf-16-le", "utf-16-le"),
])
def test_every_encoding_decodes_to_the_same_text(encoding, expected):
    text, used = decode_report(TEXT.encode(encoding))
    assert text == TEXT
    assert used == expected


@pytest.mark.parametrize("data, words", [
    (b"", "empty"),
    (b"  \n\n ", "empty"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "ZIP"),
    (os.urandom(4096), "binary"),
    (b"\x00\x01\x02\x03" * 100, "binary"),
])
def test_non_reports_are_rejected_with_a_reason(data, words):
    with pytest.raises(RejectedFile) as err:
        read_text(data, "report.txt")
    assert words.lower() in err.value.reason.lower()


def test_undecodable_text_names_the_encodings_tried():
    data = "正文".encode("utf-8") + b"\x80\x80\xff\xfe\x81" * 3 + "正文".encode("utf-8")
    with pytest.raises(RejectedFile) as err:
        decode_report(data)
    assert "UTF-8" in err.value.reason or "binary" in err.value.reason


def test_zero_width_characters_do_not_make_text_binary():
    text = "\u200b".join("新增城镇就业13.1万人。")
    assert decode_report(text.encode("utf-8"))[0] == text
