"""A saved web page to the report's text: its blocks in order, without the site around them.

Parsed with selectolax (the Lexbor engine): fast, forgiving of the broken markup of old government
sites, and free of other dependencies. What counts as furniture is data
(sources/rules/page_furniture.csv), and links decide the rest: a block that is mostly links is a menu.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from sources.decode import RejectedFile, decode_report
from sources.furniture import is_furniture_line, is_furniture_marker

# Elements that never hold report text.
DROPPED = ("script", "style", "noscript", "iframe", "nav", "footer", "aside", "form", "select",
           "button", "input", "textarea", "object", "svg", "template", "head")
# A <header> is the site's banner, except inside the article, where it holds the report's title.
ARTICLE = frozenset(("article", "main"))
# Elements that start a line of their own; everything else (span, a, sub, font …) runs on inline.
BLOCKS = frozenset(("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "table",
                    "tbody", "thead", "section", "article", "blockquote", "pre", "dd", "dt", "dl", "center",
                    "main", "body", "html", "title"))
# A table row is a line, its cells joined by a space (as a Word table is read).
CELLS = ("td", "th")
# A block whose text is more than this share link text is a menu or a list of links.
MAX_LINK_SHARE = 0.5
CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
SPACES = re.compile(r"\s+")
# The markup's own line breaks and indents between two Chinese characters are not spaces in the text.
SPACE_IN_HAN = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")
# Local sites label GBK and GB2312 pages loosely; GB18030 reads all of them.
CHARSET_NAMES = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "utf-8": "utf-8", "utf8": "utf-8",
                 "big5": "big5"}


def looks_like_html(data: bytes, file_name: str) -> bool:
    if file_name.lower().endswith((".html", ".htm", ".shtml", ".xhtml")):
        return True
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in data[:4096].lower()


def decode_html(data: bytes) -> tuple[str, str]:
    """The page's text and its encoding: a BOM, then the meta charset, then detection."""
    declared = CHARSET.search(data[:4096])
    encoding = CHARSET_NAMES.get(declared.group(1).decode("ascii").lower()) if declared else None
    if encoding and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            pass  # a wrong label: detect instead
    return decode_report(data)


def html_text(data: bytes) -> tuple[str, str]:
    """``(text, encoding)`` of a web page's report: one line per block, furniture left out."""
    page, encoding = decode_html(data)
    tree = LexborHTMLParser(page)
    for tag in DROPPED:
        for node in tree.css(tag):
            node.decompose()
    for node in tree.css("header"):
        if not inside(node, ARTICLE):
            node.decompose()
    for node in tree.css("[class], [id]"):
        if node.parent is not None and is_furniture_marker(f"{node.attributes.get('class') or ''} "
                                                             f"{node.attributes.get('id') or ''}"):
            node.decompose()
    lines: list[tuple[str, int]] = []
    line, links = [], [0]
    try:
        walk(tree.body or tree.root, lines, line, links)
    except RecursionError as err:
        raise RejectedFile("a web page nested too deeply to read (thousands of levels of markup)") from err
    flush(lines, line, links)  # text after the last block
    text = "\n".join(line for line, links in lines if keeps(line, links))
    if not text.strip():
        raise RejectedFile("a web page with no text in its body (the report may be loaded by a script)")
    return text, encoding


def inside(node: LexborNode, tags: frozenset[str]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


def walk(node: LexborNode, lines: list[tuple[str, int]], line: list[str], links: list[int],
         in_link: bool = False) -> None:
    """Add the text under ``node`` to ``line``; a block or <br> ends the line (with its link
    characters) and starts another."""
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            text = child.text_content or ""
            line.append(text)
            if in_link:
                links[0] += len(text.strip())
        elif tag == "br":
            flush(lines, line, links)
        elif tag in CELLS:
            line.append(" ")
            walk(child, lines, line, links, in_link)
            line.append(" ")
        elif tag in BLOCKS:
            flush(lines, line, links)
            walk(child, lines, line, links, in_link)
            flush(lines, line, links)
        else:
            walk(child, lines, line, links, in_link or tag == "a")


def flush(lines: list[tuple[str, int]], line: list[str], links: list[int]) -> None:
    text = SPACES.sub(" ", SPACE_IN_HAN.sub("", "".join(line).replace("\xa0", " "))).strip()
    if text:
        lines.append((text, links[0]))
    line.clear()
    links[0] = 0


def keeps(line: str, link_chars: int) -> bool:
    return link_chars <= MAX_LINK_SHARE * len(line.replace(" ", "")) and not is_furniture_line(line)
