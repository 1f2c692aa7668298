"""What a delivered file is, and the report text in it: plain text, a web page, a PDF or a Word document."""

from __future__ import annotations

from pathlib import PurePath

from sources.decode import RejectedFile, decode_report
from sources.docx_text import docx_text, is_docx
from sources.html_text import html_text, looks_like_html
from sources.pdf_text import pdf_text

OLE = b"\xd0\xcf\x11\xe0"  # the container of .doc, .wps, .xls and .ppt files
LEGACY = {
    ".doc": "an old Word document (.doc)",
    ".wps": "a WPS Writer document (.wps)",
    ".rtf": "an RTF document (.rtf)",
    ".xls": "an old Excel workbook (.xls)",
}
LEGACY_ADVICE = "zhibiao reads .docx, PDF, web pages and text: save the report as .docx or PDF"


def read_text(data: bytes, file_name: str) -> tuple[str, str | None, str]:
    """``(text, encoding, format)``; format is text, html, pdf or docx. Raises ``RejectedFile``
    with a reason that names the problem."""
    suffix = PurePath(file_name).suffix.lower()
    if data.startswith(b"%PDF"):
        return pdf_text(data), None, "pdf"
    if data.startswith(b"PK\x03\x04"):
        if is_docx(data):
            return docx_text(data), None, "docx"
        raise RejectedFile("a ZIP archive (or an Excel or PowerPoint file), not a report: unpack it or export "
                           "the report as .docx, PDF or text")
    if data.startswith(OLE) or data.startswith(b"{\\rtf") or suffix in LEGACY:
        what = LEGACY.get(suffix) or ("an RTF document" if data.startswith(b"{\\rtf")
                                      else "an old Microsoft Office or WPS document")
        raise RejectedFile(f"{what}, a format zhibiao does not read; {LEGACY_ADVICE}")
    if looks_like_html(data, file_name):
        text, encoding = html_text(data)
        return text, encoding, "html"
    text, encoding = decode_report(data)
    return text, encoding, "text"
