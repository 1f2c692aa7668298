"""A PDF's text layer to the report's text, without what the printer put on every page.

pypdf reads the text layer in reading order (pure Python, maintained, no system libraries). A line
that opens or closes most pages (``XX市人民政府文件``, a date) is a running header or footer; page
numbers and the like are page furniture (sources/rules/page_furniture.csv). Pages are joined line
by line, so the normaliser rejoins a sentence that a page break split.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter

from sources.decode import RejectedFile
from sources.furniture import is_furniture_line

# Lines read at each end of a page for running headers and footers.
EDGE_LINES = 2
# Below this many characters per page a PDF has no text layer to speak of: a scan.
MIN_CHARS_PER_PAGE = 20
DIGITS = re.compile(r"\d+")


def pdf_text(data: bytes) -> str:
    """The text of a PDF; raises ``RejectedFile`` for a scan or a PDF that cannot be read."""
    import pypdf

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about odd fonts are not the user's
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as err:  # pypdf raises many kinds for a damaged or locked file
        raise RejectedFile(f"a PDF that cannot be read ({type(err).__name__}: {err}); "
                           "export it again or save the report as text") from err
    chars = sum(len("".join(page.split())) for page in pages)
    if chars < MIN_CHARS_PER_PAGE * max(1, len(pages)):
        raise RejectedFile(f"a scanned PDF: its {len(pages)} page(s) are images with no text layer "
                           "(zhibiao does no optical character recognition); export the report as text")
    page_lines = [[line.strip() for line in page.split("\n") if line.strip()] for page in pages]
    running = running_lines(page_lines)
    kept = [line for lines in page_lines for line in lines
            if page_free(line) not in running and not is_furniture_line(line)]
    return "\n".join(kept)


def running_lines(page_lines: list[list[str]]) -> set[str]:
    """Lines at a page's top or bottom that recur on at least half the pages (and on two or more),
    numbers aside: ``— 3 —`` and ``第 3 页 共 12 页`` recur with a new number on every page."""
    if len(page_lines) < 2:
        return set()
    edges = Counter(page_free(line) for lines in page_lines for line in {*lines[:EDGE_LINES], *lines[-EDGE_LINES:]})
    return {line for line, count in edges.items() if count >= max(2, len(page_lines) / 2)}


def page_free(line: str) -> str:
    return DIGITS.sub("#", line)
