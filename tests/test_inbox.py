"""Listing the reports folder: names in any encoding, and entries that can never be read."""

import os

from orchestration.inbox import list_inbox, readable_name
from tests.conftest import age


def make(folder, name: bytes, data: bytes = "新增城镇就业13.1万人。".encode("utf-8")):
    path = os.path.join(os.fsencode(folder), name)
    with open(path, "wb") as fh:
        fh.write(data)
    age(os.fsdecode(path))
    return path


def test_readable_names():
    assert readable_name("报告.txt".encode("utf-8")) == "报告.txt"
    assert readable_name("深圳市2024年政府工作报告.txt".encode("gb18030")) == "深圳市2024年政府工作报告.txt"
    assert readable_name(b"bad\xff\xfename.txt") == "bad\\xff\\xfename.txt"


def test_names_that_are_not_utf8_are_listed_with_their_bytes(tmp_path):
    gbk = "罗湖区报告.txt".encode("gb18030")
    make(tmp_path, gbk)
    make(tmp_path, b"bad\xff\xfename.txt")
    listed = {f.source_file: f for f in list_inbox(tmp_path)}
    assert set(listed) == {"罗湖区报告.txt", "bad\\xff\\xfename.txt"}
    assert listed["罗湖区报告.txt"].name_bytes == gbk
    assert listed["bad\\xff\\xfename.txt"].path.read_bytes().decode("utf-8").startswith("新增")
    assert len({f.document_id for f in listed.values()}) == 2


def test_a_gb18030_name_that_reads_like_a_utf8_neighbour_shows_its_bytes(tmp_path):
    make(tmp_path, "报告.txt".encode("utf-8"))
    make(tmp_path, "报告.txt".encode("gb18030"))
    names = sorted(f.source_file for f in list_inbox(tmp_path))
    assert names == ["\\xb1\\xa8\\xb8\\xe6.txt", "报告.txt"]


def test_entries_that_cannot_be_read_are_listed_with_the_reason(tmp_path):
    make(tmp_path, b"good.txt")
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "dangling.txt")
    os.symlink(tmp_path / "loop.txt", tmp_path / "loop.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    os.symlink(tmp_path / "good.txt", tmp_path / "link to good.txt")
    problems = {f.source_file: f.problem for f in list_inbox(tmp_path)}
    assert problems["good.txt"] is None and problems["link to good.txt"] is None
    assert problems["dangling.txt"].startswith("a broken symbolic link") and "nowhere.txt" in problems["dangling.txt"]
    assert problems["loop.txt"].startswith("a symbolic link loop")
    assert "named pipe" in problems["pipe.txt"]
