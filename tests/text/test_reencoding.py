"""Every corpus text, re-encoded, wrapped in HTML or dressed in Persian letters and
diacritics, gives the same cleaned articles and the same entities at the same words."""

from __future__ import annotations

import html

import pytest

from ittisal.entities import tagging
from ittisal.stages import document_text
from ittisal.text.decoding import decode_bytes
from ittisal.text.normalize import matching_form, normalize
from ittisal.text.segments import article_text, parse_document
from tests.conftest import CORPUS, SEEDS, read_jsonl

TEXTS = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
TEXTS |= {f"dev{i:02}": row["text"]
          for i, row in enumerate(read_jsonl(CORPUS / "dev" / "articles.jsonl"))}


def _articles(data: bytes, fmt: str = "txt") -> list[tuple[str | None, str]]:
    """(title, body) of each article, as the pipeline reads landed bytes."""
    decoded = decode_bytes(data)
    row = {"content": decoded.text.encode("utf-8"), "encoding": "utf-8", "format": fmt}
    segments = parse_document(document_text(row))
    return [article_text(segments, n) for n in sorted({s.article for s in segments})]


@pytest.mark.parametrize("name", sorted(TEXTS))
@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1256"])
def test_every_encoding_gives_the_same_articles(name, encoding):
    # characters a legacy code page lacks (emoji, some quotes) are dropped from both sides
    text = TEXTS[name].encode(encoding, "ignore").decode(encoding)
    assert _articles(text.encode(encoding)) == _articles(text.encode("utf-8"))


def _as_html(text: str) -> str:
    title, *lines = [line for line in text.splitlines() if line.strip()]
    paragraphs = "".join(f"<p>{html.escape(line)}</p>\n" for line in lines)
    return ("<!DOCTYPE html><html lang='ar' dir='rtl'><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title><style>p {{ margin: 0 }}</style>"
            "<script>var tracker = 'اتصال هاتفي';</script></head><body>"
            f"<nav><a href='/'>الرئيسية</a></nav><article><h1>{html.escape(title)}</h1>\n"
            f"{paragraphs}</article><iframe src='https://example.org/ad'></iframe>"
            "</body></html>")


def _spaced(body: str) -> list[str]:
    """In HTML a run of spaces is one space: compare lines with runs collapsed."""
    return [" ".join(line.split()) for line in body.splitlines()]


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_an_article_wrapped_in_html_gives_the_same_body(name):
    plain = "\n".join(line for line in TEXTS[name].splitlines() if line.strip())
    wrapped = _articles(_as_html(plain).encode("utf-8"), "html")
    assert [_spaced(b) for _, b in wrapped] == [_spaced(b) for _, b in _articles(plain.encode())]
    assert "tracker" not in wrapped[0][1] and "الرئيسية" not in wrapped[0][1]


def _dressed(text: str) -> str:
    """The same text as a Persian keyboard and a careful typist would give it: Persian yeh
    and kaf, tatweel, a fatha on every third alef-less word's first letter."""
    out = text.replace("ي", "ی").replace("ك", "ک").replace("ـ", "").replace("الخارجية", "الخـارجية")
    words = out.split(" ")
    return " ".join(w[0] + "\u064e" + w[1:] if i % 3 == 0 and w[:1].isalpha() else w
                    for i, w in enumerate(words))


def _entities(text: str) -> list[tuple]:
    norm = normalize(text)
    return [(m.kind, m.canonical, m.country, m.role, m.person_id,
             matching_form(norm.display[slice(*norm.display_span(m.start, m.end))]))
            for m in tagging.tag(norm, None)]


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_persian_letters_and_diacritics_change_nothing_but_the_display(name):
    original = [body for _, body in _articles(TEXTS[name].encode())]
    dressed = [body for _, body in _articles(_dressed(TEXTS[name]).encode())]
    assert [matching_form(b) for b in dressed] == [matching_form(b) for b in original]
    for before, after in zip(original, dressed, strict=True):
        assert _entities(after) == _entities(before)
