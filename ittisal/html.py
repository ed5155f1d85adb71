"""The article inside a saved HTML page: its title and body paragraphs.

Parsed with selectolax (the Lexbor HTML5 parser), which repairs broken markup the way a browser
does; scripts, styles, frames and page furniture are removed before any text is read.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

_FURNITURE = "script, style, noscript, iframe, nav, footer, aside, form, header, svg, template"
_BLOCKS = "p, h2, h3, h4, li, blockquote"


def html_to_text(html: str) -> tuple[str | None, str]:
    """(title, body) of an article page; body paragraphs are joined by newlines."""
    tree = LexborHTMLParser(html)
    title = None
    og = tree.css_first('meta[property="og:title"]')
    if og is not None and og.attributes.get("content"):
        title = og.attributes["content"].strip()
    for selector in ("h1", "title"):
        node = tree.css_first(selector)
        if title is None and node is not None and node.text(strip=True):
            title = node.text(separator=" ", strip=True)
    for node in tree.css(_FURNITURE):
        node.decompose()
    root = tree.css_first("article") or tree.body or tree.root
    if root is None:
        return title, ""
    paragraphs = [" ".join(n.text(separator=" ").split()) for n in root.css(_BLOCKS)]
    paragraphs = [p for p in paragraphs if p and p != title]
    if not paragraphs:
        paragraphs = [line.strip() for line in root.text(separator="\n").splitlines()
                      if line.strip() and line.strip() != title]
    return title, "\n".join(paragraphs)
