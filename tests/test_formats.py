"""Reports as they are published: a web page, a PDF and a Word document give the rows of the same
report as text; scans and legacy formats are rejected with a reason that names them. Every fixture
is written by the team, with real writers (reportlab for PDF, in bench/format_fidelity.py; python-docx
for Word)."""

import io

import pytest

from bench.format_fidelity import pdf_of_pages
from sources import RejectedFile, parse_report

TITLE = "某市2025年政府工作报告"
HEADING = "一、2024年工作回顾"
PARAGRAPHS = [
    "全市地区生产总值增长5.2%，新增城镇就业13.1万人。",
    "PM2.5平均浓度下降到30微克/立方米，空气质量优良天数比例达到92.5%。",
    "规模以上工业增加值增长6.1%，社会消费品零售总额增长4%，新增高新技术企业超过1400家。",
]
TABLE = [["指标", "目标"], ["城镇调查失业率", "5.5%左右"]]
# The row of the table as the text copy has it: its cells joined by a space.
TABLE_LINE = "城镇调查失业率 5.5%左右"
TEXT = "\n".join([TITLE, HEADING, *PARAGRAPHS, TABLE_LINE]) + "\n"
COMPARED = ["mention_text", "value", "value_high", "unit", "qualifier", "metric", "period_year", "is_target",
            "indicator_name", "section_title", "sentence"]


def rows(data: bytes, name: str) -> list[dict]:
    report = parse_report(data, name)
    return report.mentions.select(COMPARED).to_dicts()


@pytest.fixture(scope="module")
def text_rows():
    found = rows(TEXT.encode("utf-8"), "report.txt")
    assert len(found) >= 8
    return found


def gov_page(encoding: str, paragraph_markup: str = "p") -> bytes:
    """A government site's page: menus, breadcrumb, share buttons, footer with licence numbers."""
    body = "".join(f"<{paragraph_markup}>&nbsp;&nbsp;{p}</{paragraph_markup}>\n" for p in PARAGRAPHS)
    html = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={encoding}">
<title>{TITLE}_某市人民政府门户网站</title>
<script>var visits = 1234567; document.write("2025-01-01");</script><style>p {{ margin: 12px; }}</style>
</head><body>
<div id="top-nav"><ul><li><a href="/">首页</a></li><li><a href="/zw">政务公开</a></li><li><a href="/2023">2023年报告</a></li></ul></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zw">政务公开</a></div>
<div class="article">
<h1>{TITLE}</h1><div class="info">发布时间：2025-01-15 来源：市政府办公室</div>
<h2>{HEADING}</h2>
{body}<table><tr><td>{TABLE[0][0]}</td><td>{TABLE[0][1]}</td></tr>
<tr><td>{TABLE[1][0]}</td><td>{TABLE[1][1]}</td></tr></table>
<div class="share">分享到：<a href="#">微信</a><a href="#">微博</a></div>
</div>
<ul class="related"><li><a href="/1">关于2024年预算执行情况的报告</a></li><li><a href="/2">2023年政府工作报告</a></li></ul>
<div class="footer"><p>主办：某市人民政府办公厅 版权所有</p><p>粤ICP备12345678号 网站标识码4403000001</p>
<p>联系电话：0755-88888888</p><p>访问量：1234567</p></div>
</body></html>"""
    return html.encode("gb18030" if encoding.lower() in ("gbk", "gb2312") else encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_a_government_web_page_gives_the_rows_of_its_text(text_rows, encoding):
    page = gov_page(encoding)
    assert rows(page, "report.html") == text_rows
    report = parse_report(page, "report.html")
    assert report.document["format"] == "html" and report.document["title"] == TITLE


def test_a_table_layout_page_with_line_breaks_gives_the_same_rows(text_rows):
    """Old sites put the article in a table cell, its paragraphs split by <br> and <font>."""
    body = "<br>".join(f"<font size=3>{p}</font>" for p in PARAGRAPHS)
    page = f"""<html><head><meta charset="utf-8"></head><body><table><tr>
<td class="leftmenu"><a href="/a">机构设置</a><br><a href="/b">政策文件</a></td>
<td><b>{TITLE}</b><br>{HEADING}<br>{body}<br>{TABLE_LINE}</td></tr>
<tr><td colspan=2>网站标识码4403000001　粤公网安备44030002000001号</td></tr></table></body></html>"""
    assert rows(page.encode("utf-8"), "saved page.htm") == text_rows


def test_an_html5_page_keeps_the_title_in_its_article_header_and_drops_the_site_banner(text_rows):
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    page = f"""<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>门户网站</title></head><body>
<header class="site"><div>某市人民政府门户网站 政务服务热线12345</div><a href="/">首页</a><a href="/en">English</a></header>
<main><article><header><h1>{TITLE}</h1></header><h2>{HEADING}</h2>{body}<p>{TABLE_LINE}</p></article></main>
<footer>网站标识码4403000001</footer></body></html>"""
    report = parse_report(page.encode("utf-8"), "report.html")
    assert report.document["title"] == TITLE
    assert report.mentions.select(COMPARED).to_dicts() == text_rows


def test_text_after_the_last_block_and_markup_nested_too_deep():
    from sources.html_text import html_text

    assert html_text("<html><body><p>一</p>新增床位20张。</body></html>".encode("utf-8"))[0] == "一\n新增床位20张。"
    nested = "<html><body>" + "<div>" * 5_000 + "新增床位20张。" + "</div>" * 5_000 + "</body></html>"
    with pytest.raises(RejectedFile, match="nested too deeply"):
        html_text(nested.encode("utf-8"))


def test_a_page_saved_as_txt_is_read_as_a_web_page(text_rows):
    assert rows(gov_page("utf-8"), "report.txt") == text_rows


def pdf_with_page_furniture(lines_per_page: list[list[str]]) -> bytes:
    return pdf_of_pages(lines_per_page, "某市人民政府文件", ("— {number} —", "第 {number} 页 共 {pages} 页"))


def test_a_pdf_gives_the_rows_of_its_text_across_a_page_break(text_rows):
    last = PARAGRAPHS[2]
    cut = last.index("社会消费品")  # the sentence runs on from one page to the next
    data = pdf_with_page_furniture([[TITLE, HEADING, *PARAGRAPHS[:2], last[:cut]],
                                    [last[cut:], TABLE_LINE]])
    assert rows(data, "report.pdf") == text_rows
    assert parse_report(data, "report.pdf").document["format"] == "pdf"


def test_a_scanned_pdf_is_rejected_as_a_scan():
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    scan = canvas.Canvas(out)
    for _ in range(2):
        scan.rect(72, 72, 450, 700, fill=1)  # a page that is a picture, with no text on it
        scan.showPage()
    scan.save()
    with pytest.raises(RejectedFile, match="scanned PDF.*no text layer"):
        parse_report(out.getvalue(), "scan.pdf")


def test_a_word_document_gives_the_rows_of_its_text(text_rows):
    import docx

    document = docx.Document()
    document.sections[0].footer.paragraphs[0].text = "某市人民政府办公厅 2025年1月15日印发 第1页"
    document.sections[0].header.paragraphs[0].text = "某市人民政府文件"
    document.add_heading(TITLE, level=0)
    document.add_heading(HEADING, level=1)
    for paragraph in PARAGRAPHS:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate(TABLE):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    out = io.BytesIO()
    document.save(out)
    assert rows(out.getvalue(), "report.docx") == text_rows
    assert parse_report(out.getvalue(), "report.docx").document["format"] == "docx"


@pytest.mark.parametrize("name, data, named", [
    ("report.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), r"old Word document \(\.doc\)"),
    ("report.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), r"WPS Writer document \(\.wps\)"),
    ("report.rtf", b"{\\rtf1\\ansi 2024}", r"RTF document"),
])
def test_legacy_formats_are_rejected_by_name(name, data, named):
    with pytest.raises(RejectedFile, match=rf"{named}.*save the report as \.docx or PDF"):
        parse_report(data, name)
