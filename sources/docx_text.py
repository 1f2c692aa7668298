"""A Word (.docx) document to the report's text: paragraphs and tables of the body, in order.

python-docx reads the body; headers and footers live in parts of their own and are never read.
A table is read row by row, its cells joined by a space.
"""

from __future__ import annotations

import io
import zipfile

from sources.decode import RejectedFile


def is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def docx_text(data: bytes) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:  # a damaged package raises KeyError, ValueError, lxml errors …
        raise RejectedFile(f"a Word document that cannot be read ({type(err).__name__}); save it again as .docx") from err
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                lines.append(" ".join(unique_cells(row.cells)))
    return "\n".join(line.strip() for line in lines if line.strip())


def unique_cells(cells) -> list[str]:
    """A merged cell is repeated in every column it spans: read it once."""
    texts, seen = [], set()
    for cell in cells:
        if id(cell._tc) not in seen and cell.text.strip():
            texts.append(cell.text.strip())
        seen.add(id(cell._tc))
    return texts
