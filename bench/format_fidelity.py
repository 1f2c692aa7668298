"""Real reports as they are published, read back: each corpus report (../shared/corpus) rendered
as a government web page (GBK, with menus, breadcrumb and a footer of licence numbers), as a PDF
(wrapped lines, a running header and page numbers, made with reportlab) and as a Word document
(header and footer), parsed, and compared with the rows of the same report as .txt.

    .venv/bin/python bench/format_fidelity.py [N reports, default all]

Prints per format: F1 of the mentions (span, value, unit, qualifier, metric) against the .txt
rows, the share of matched rows whose year, target flag, name and section agree too (attr), and
rows whose sentence is page furniture (licence numbers, 网站标识码, phones, counters, page numbers).
A .txt that holds a whole report on one line (the corpus has some) is itself a poorer reading
than a rendering with paragraphs, so attr below 1 is not always the rendering's fault.
"""

from __future__ import annotations

import html
import io
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sources import parse_report  # noqa: E402
from sources.decode import decode_report  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
# A mention is its span and reading (as bench/quality.py and the gold scorer count them); its
# year, target flag, name and section are its attributes.
KEY = ["mention_text", "value", "unit", "qualifier", "metric"]
ATTRS = ["period_year", "is_target", "indicator_name", "section_title"]
FURNITURE = re.compile(r"ICP|网站标识码|公网安备|联系电话|访问量|第\s*\d+\s*页|—\s*\d+\s*—")
CHARS_PER_LINE, LINES_PER_PAGE = 38, 40


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def as_web_page(text: str) -> bytes:
    body = "\n".join(f"<p>&nbsp;&nbsp;{html.escape(p)}</p>" for p in paragraphs(text))
    page = f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>政府工作报告_门户网站</title><script>var visits=1234567;</script></head><body>
<div id="nav"><a href="/">首页</a> <a href="/zwgk">政务公开</a> <a href="/2023">2023年报告</a></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a></div>
<div class="article"><div class="info">发布时间：2025-01-15 来源：市政府办公厅 【字体：大 中 小】</div>
{body}
<div class="share">分享到：<a href="#">微信</a><a href="#">微博</a></div></div>
<div class="footer"><p>主办：市人民政府办公厅 版权所有</p><p>粤ICP备12345678号 网站标识码4403000001</p>
<p>联系电话：0755-88888888</p><p>访问量：1234567</p></div></body></html>"""
    return page.encode("gb18030")


def pdf_of_pages(pages: list[list[str]], header: str, footers: tuple[str, ...]) -> bytes:
    """A PDF (reportlab, a CJK font) with ``header`` atop every page and ``footers`` at its foot,
    each formatted with the page's ``number`` and the count of ``pages``: the furniture a reader
    must leave out."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for number, page in enumerate(pages, start=1):
        pdf.setFont("STSong-Light", 11)
        pdf.drawString(72, 805, header)
        for i, line in enumerate(page):
            pdf.drawString(72, 770 - 18 * i, line)
        for i, footer in enumerate(footers):
            pdf.drawString(280 + 170 * i, 30, footer.format(number=number, pages=len(pages)))
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def as_pdf(text: str) -> bytes:
    lines: list[str] = []
    for paragraph in paragraphs(text):
        paragraph = "　　" + paragraph
        lines += [paragraph[i:i + CHARS_PER_LINE] for i in range(0, len(paragraph), CHARS_PER_LINE)]
    pages = [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    return pdf_of_pages(pages, "市人民政府文件", ("— {number} —",))


def as_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "市人民政府文件"
    document.sections[0].footer.paragraphs[0].text = "市人民政府办公厅 2025年1月15日印发 第1页"
    for paragraph in paragraphs(text):
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


FORMATS = {"html": (as_web_page, ".html"), "pdf": (as_pdf, ".pdf"), "docx": (as_docx, ".docx")}


def rows(data: bytes, name: str) -> list[dict]:
    return parse_report(data, name).mentions.select(KEY + ATTRS + ["sentence"]).to_dicts()


def compare(expected: list[dict], found: list[dict]) -> tuple[int, int, int, int]:
    """(matched, expected, found, matched with the same name and section)."""
    want = Counter(tuple(r[k] for k in KEY) for r in expected)
    got = Counter(tuple(r[k] for k in KEY) for r in found)
    matched = sum((want & got).values())
    attrs = Counter(tuple(r[k] for k in KEY + ATTRS) for r in expected)
    same = sum((attrs & Counter(tuple(r[k] for k in KEY + ATTRS) for r in found)).values())
    return matched, sum(want.values()), sum(got.values()), same


def main(limit: int | None) -> int:
    reports = sorted(CORPUS.rglob("*.txt"))[:limit]
    if not reports:
        print(f"no corpus at {CORPUS}")
        return 1
    totals = {name: [0, 0, 0, 0] for name in FORMATS}
    furniture = Counter()
    seconds = Counter()
    for path in reports:
        data = path.read_bytes()
        expected = rows(data, path.name)
        furniture["text"] += sum(1 for r in expected if FURNITURE.search(r["sentence"] or ""))
        text, _ = decode_report(data)
        for name, (render, suffix) in FORMATS.items():
            rendered = render(text)
            started = time.perf_counter()
            found = rows(rendered, path.stem + suffix)
            seconds[name] += time.perf_counter() - started
            totals[name] = [a + b for a, b in zip(totals[name], compare(expected, found))]
            furniture[name] += sum(1 for r in found if FURNITURE.search(r["sentence"] or ""))
    print(f"{len(reports)} corpus reports, compared with their .txt rows "
          f"(whose own sentences match the furniture pattern {furniture['text']} times)")
    print(f"{'format':<6} {'precision':>9} {'recall':>7} {'F1':>6} {'attr':>6} {'furniture rows':>15} {'parse s':>8}")
    for name, (matched, want, got, same) in totals.items():
        precision, recall = matched / max(got, 1), matched / max(want, 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        print(f"{name:<6} {precision:>9.4f} {recall:>7.4f} {f1:>6.4f} {same / max(matched, 1):>6.4f} "
              f"{furniture[name]:>15} {seconds[name]:>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else None))
