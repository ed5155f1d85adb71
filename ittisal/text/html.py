"""The article inside a saved HTML page: its title and its body paragraphs.

Parsed with selectolax's Lexbor backend, an HTML5 parser that repairs broken markup the way a
browser does (unclosed <p>, stray end tags, truncated files), never with regular expressions
over tags. Scripts, styles, frames and page furniture are removed before any text is read.
The body is the page's paragraphs, one a line, so `segments.parse_document` can label it
like any scraped text; an embedded post's credit line sits outside its <p>, so the text of a
<blockquote> is kept too.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["html_to_text"]

_FURNITURE = ("script, style, noscript, iframe, nav, footer, aside, form, template, svg, "
              "button, select, object, embed, canvas")
# Elements that start a new line when a browser lays the page out.
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "details", "dialog", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_KEEP = frozenset({"p", "blockquote"})  # lines inside these are paragraphs
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—]\s+")


def _clean(text: str) -> str:
    return " ".join(text.split())


def _title(tree: LexborHTMLParser) -> str | None:
    """og:title, else the first <h1>, else <title> without a trailing « | Site name»."""
    for selector in ('meta[property="og:title"]', 'meta[name="og:title"]',
                     'meta[name="twitter:title"]'):
        node = tree.css_first(selector)
        content = node.attributes.get("content") if node is not None else None
        if content and _clean(content):
            return _clean(content)
    h1 = tree.css_first("h1")
    if h1 is not None and _clean(h1.text(separator=" ")):
        return _clean(h1.text(separator=" "))
    node = tree.css_first("title")
    if node is None or not _clean(node.text()):
        return None
    title = _clean(node.text())
    parts = _TITLE_SEPARATOR.split(title)
    # only a short last part is a site name: «العراق - تركيا: اتصال» must stay whole
    if len(parts) == 2 and len(parts[1].split()) <= 4 and len(parts[0]) > len(parts[1]):
        return parts[0]
    return title


def _lines(root: LexborNode) -> list[tuple[str, bool]]:
    """The text of `root` laid out in lines, each marked True when inside a <p>/<blockquote>.

    Iterative depth-first walk: broken pages can nest thousands of levels deep.
    """
    lines: list[tuple[str, bool]] = []
    current: list[str] = []
    current_kept = False
    kept_depth = 0

    def flush() -> None:
        nonlocal current, current_kept
        text = _clean("".join(current))
        if text:
            lines.append((text, current_kept))
        current, current_kept = [], False

    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag or ""
        if leaving:
            if tag in _BLOCK:
                flush()
            if tag in _KEEP:
                kept_depth -= 1
            continue
        if node.is_text_node:
            text = node.text_content or ""
            if kept_depth and text.strip():
                current_kept = True
            current.append(text)
            continue
        if not node.is_element_node and node is not root:
            continue  # comments, doctype
        if tag in _BLOCK:
            flush()
        if tag in _KEEP:
            kept_depth += 1
        stack.append((node, True))
        children = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((c, False) for c in reversed(children))
    flush()
    return lines


def html_to_text(html: str) -> tuple[str | None, str]:
    """(title, body) of an article page; body paragraphs are joined by "\\n".

    The body is the text of <p> (and <blockquote>) elements; a page without any paragraph
    element gives the text of its blocks instead. A line equal to the title is dropped.
    """
    tree = LexborHTMLParser(html)
    for node in tree.css(_FURNITURE):
        node.decompose()  # first, so no script inside an <h1> reaches the title
    title = _title(tree)
    root = None
    for selector in ("article", "main", '[role="main"]'):
        candidate = tree.css_first(selector)
        if candidate is not None and candidate.css_first("p") is not None:
            root = candidate
            break
    root = root or tree.body or tree.root
    if root is None:
        return title, ""
    lines = _lines(root)
    if any(kept for _, kept in lines):
        lines = [(text, kept) for text, kept in lines if kept]
    return title, "\n".join(text for text, _ in lines if text != title)
