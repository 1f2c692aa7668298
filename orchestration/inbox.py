"""What is in the reports folder: which files are reports to read, and which to leave alone."""

from __future__ import annotations

import fnmatch
import os
import time
from dataclasses import dataclass
from pathlib import Path

# Editors, office suites and downloads write these while a file is on its way; they are never reports.
TEMPORARY_PATTERNS = ("~$*", ".~lock*", "*.part", "*.partial", "*.tmp", "*.temp", "*.crdownload", "*.swp", "*~")


@dataclass(frozen=True)
class InboxFile:
    path: Path
    source_file: str  # the name as it arrived, relative to the folder
    size: int
    mtime_ns: int


def is_ignored(relative: Path) -> bool:
    if any(part.startswith(".") for part in relative.parts):
        return True
    return any(fnmatch.fnmatch(relative.name, p) for p in TEMPORARY_PATTERNS)


def list_inbox(folder: Path) -> list[InboxFile]:
    """Report candidates under ``folder`` (recursively), hidden and temporary files left out."""
    if not folder.is_dir():
        return []
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            relative = path.relative_to(folder)
            if is_ignored(relative):
                continue
            try:
                st = path.stat()
            except OSError:
                continue  # vanished between listing and stat
            found.append(InboxFile(path, relative.as_posix(), st.st_size, st.st_mtime_ns))
    return found


def is_settled(f: InboxFile, settle_seconds: float, now: float | None = None) -> bool:
    """A file modified in the last ``settle_seconds`` may still be being written."""
    now = time.time() if now is None else now
    return now - f.mtime_ns / 1e9 >= settle_seconds
