"""What is in the reports folder: which files are reports to read, and which to leave alone.

The folder is listed as bytes: a name that is not UTF-8 (a GBK zip unpacked on Linux) is a file
like any other. Its readable form is ``source_file``; its bytes are its identity.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import re
import stat
import time
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from sources.report import document_id_of

# Editors, office suites and downloads write these while a file is on its way; they are never reports.
TEMPORARY_PATTERNS = ("~$*", ".~lock*", "*.part", "*.partial", "*.tmp", "*.temp", "*.crdownload", "*.swp", "*~")
SPECIAL_FILES = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


@dataclass(frozen=True)
class InboxFile:
    full_path: bytes  # where it is, as the file system names it
    source_file: str  # the name as it arrived, relative to the folder, in readable form
    name_bytes: bytes  # the same name as the file system holds it
    size: int
    mtime_ns: int
    problem: str | None = None  # why it cannot be read at all (a broken link, a pipe), found by listing

    # Made when first asked for: a folder of 20,000 files is listed a few times a run, and
    # making each one's Path took half the listing.
    @cached_property
    def path(self) -> Path:
        return Path(os.fsdecode(self.full_path))

    @cached_property
    def document_id(self) -> str:
        return document_id_of(self.name_bytes)


def readable_name(name_bytes: bytes) -> str:
    """UTF-8 as it is; else GB18030 (Chinese names from a GBK zip); else UTF-8 with ``\\xff`` escapes."""
    try:
        return name_bytes.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        name = name_bytes.decode("gb18030")
        if name.isprintable():
            return name
    except UnicodeDecodeError:
        pass
    return name_bytes.decode("utf-8", "backslashreplace")


# One regex for all the patterns: the folder is listed on every sensor tick, file by file.
TEMPORARY = re.compile("|".join(fnmatch.translate(p) for p in TEMPORARY_PATTERNS))


def is_ignored(parts: list[str]) -> bool:
    if any(part.startswith(".") for part in parts):
        return True
    return TEMPORARY.match(parts[-1]) is not None


def list_inbox(folder: Path) -> list[InboxFile]:
    """Report candidates under ``folder`` (recursively), hidden and temporary files left out.

    Only ``lstat``/``stat`` is called, so the sensor can list often. Entries that can never be read
    (broken links, pipes, sockets) are listed with their ``problem``, so a run can say why.
    """
    if not folder.is_dir():
        return []
    top = os.fsencode(folder)
    prefix = len(os.path.join(top, b""))
    found = []
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith(b"."))
        for name in sorted(files):
            full = os.path.join(root, name)
            name_bytes = full[prefix:]
            source_file = readable_name(name_bytes)
            if is_ignored(source_file.split("/")):
                continue
            entry = describe(full)
            if entry is None:
                continue  # vanished between listing and stat
            size, mtime_ns, problem = entry
            found.append(InboxFile(full, source_file, name_bytes, size, mtime_ns, problem))
    return with_unique_names(found)


def with_unique_names(files: list[InboxFile]) -> list[InboxFile]:
    """A GB18030 name that reads the same as a UTF-8 name beside it shows its bytes escaped instead."""
    taken = {f.source_file for f in files if f.source_file.encode("utf-8") == f.name_bytes}
    return [
        replace(f, source_file=f.name_bytes.decode("utf-8", "backslashreplace"))
        if f.source_file in taken and f.source_file.encode("utf-8") != f.name_bytes else f
        for f in files
    ]


def describe(full: bytes) -> tuple[int, int, str | None] | None:
    try:
        link = os.lstat(full)
    except FileNotFoundError:
        return None
    try:
        st = os.stat(full) if stat.S_ISLNK(link.st_mode) else link
    except OSError as err:
        if stat.S_ISLNK(link.st_mode):
            target = os.fsdecode(os.readlink(full))
            why = "a symbolic link loop" if err.errno == errno.ELOOP else "a broken symbolic link"
            return link.st_size, link.st_mtime_ns, f"{why}: it points to {target}, which cannot be opened"
        return link.st_size, link.st_mtime_ns, f"cannot be opened: {err.strerror or err}"
    kind = SPECIAL_FILES.get(stat.S_IFMT(st.st_mode))
    if kind:
        return 0, st.st_mtime_ns, f"not a regular file but {kind}: only report files are read"
    return st.st_size, st.st_mtime_ns, None


def is_settled(f: InboxFile, settle_seconds: float, now: float | None = None) -> bool:
    """A file modified in the last ``settle_seconds`` may still be being written."""
    now = time.time() if now is None else now
    return now - f.mtime_ns / 1e9 >= settle_seconds
