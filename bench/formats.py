"""How fast web pages and PDFs are read: pages per second for the format reader alone and for the
whole parse (reader, normaliser and extraction), on the sample reports dressed as a government web
page and printed as PDF pages of 40 lines.

    python bench/formats.py [--pages N]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sources import parse_report  # noqa: E402
from sources.html_text import html_text  # noqa: E402
from sources.pdf_text import pdf_text  # noqa: E402

SAMPLES = sorted((ROOT / "sources" / "samples").glob("*.txt"))
LINES_PER_PAGE = 40
LINE_CHARS = 38


def web_page(text: str) -> bytes:
    body = "".join(f"<p>{line}</p>\n" for line in text.splitlines() if line.strip())
    menu = "".join(f'<li><a href="/{i}">栏目{i}</a></li>' for i in range(30))
    return (f'<html><head><meta charset="utf-8"><script>var n = 1;</script></head><body>'
            f'<div class="nav"><ul>{menu}</ul></div><div class="breadcrumb">当前位置：首页</div>'
            f'<div class="article">{body}</div><div class="footer">粤ICP备12345678号 网站标识码4403000001</div>'
            f"</body></html>").encode("utf-8")


def pdf_pages(text: str, pages: int) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    flat = "".join(text.split())
    lines = [flat[i:i + LINE_CHARS] for i in range(0, len(flat), LINE_CHARS)]
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for page in range(pages):
        pdf.setFont("STSong-Light", 11)
        pdf.drawString(72, 800, "某市人民政府文件")
        for i in range(LINES_PER_PAGE):
            pdf.drawString(60, 770 - 17 * i, lines[(page * LINES_PER_PAGE + i) % len(lines)])
        pdf.drawString(280, 40, f"— {page + 1} —")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def rate(label: str, pages: int, work) -> None:
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    print(f"{label:<34} {pages / seconds:8.1f} pages/s  ({pages} pages in {seconds:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    args = parser.parse_args()
    texts = [path.read_text(encoding="utf-8") for path in SAMPLES]
    parse_report(web_page(texts[0]), "warm-up.html")  # jieba and the rules load once, not per page
    pages = [web_page(texts[i % len(texts)]) for i in range(args.pages)]
    rate("HTML, reader alone", len(pages), lambda: [html_text(page) for page in pages])
    rate("HTML, whole parse", len(pages), lambda: [parse_report(page, f"{i}.html") for i, page in enumerate(pages)])
    pdf = pdf_pages("\n".join(texts), args.pages)
    pdf_text(pdf_pages(texts[0], 1))  # pypdf imports on first use
    rate("PDF, reader alone", args.pages, lambda: pdf_text(pdf))
    rate("PDF, whole parse", args.pages, lambda: parse_report(pdf, "report.pdf"))


if __name__ == "__main__":
    main()
