"""A scraped page split into labelled segments, so only article text is read for events.

Scraped Arabic news glues other matter to the article: a source line, a keyword line, another
article after «إقرأ أيضاً», embedded posts, lists of related headlines, comment forms. The line
rules are data (data/segment_rules.csv); this module applies them, finds titles and embedded
posts, and keeps every segment, labelled, with its offsets in the page.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import cache

from ittisal.datafiles import read_rows
from ittisal.normalize import matching_form

EVENT_BEARING_KINDS = frozenset({"title", "body"})
TITLE_MAX_CHARS = 200
_SENTENCE_END = re.compile(r"[.!?؟…]\W*$")
_POST_CREDIT = re.compile(
    r"^[—–-]\s*(?P<author>.+?)\s*\(@\w+\)\s*(?P<month>[A-Z][a-z]+)\s+(?P<day>\d{1,2}),\s*"
    r"(?P<year>\d{4})\s*$")
_POST_MEDIA = re.compile(r"pic\.twitter\.com/|https?://t\.co/|pic\.x\.com/")
_MONTHS = {m: i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"], start=1)}


@dataclass(frozen=True)
class Segment:
    index: int
    article: int
    kind: str
    text: str
    start: int
    end: int
    rule: str | None = None
    post_date: dt.date | None = None
    post_author: str | None = None


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    scope: str
    pattern: re.Pattern[str]


@cache
def rules() -> tuple[Rule, ...]:
    return tuple(Rule(r["name"], r["kind"], r["scope"], re.compile(r["pattern"]))
                 for r in read_rows("segment_rules.csv"))


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, surrounding whitespace excluded."""
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        if line.strip():
            lead = len(line) - len(line.lstrip())
            spans.append((m.start() + lead, m.start() + len(line.rstrip())))
    return spans


def _post_date(line: str) -> tuple[dt.date, str] | None:
    m = _POST_CREDIT.match(line)
    if not m or m["month"] not in _MONTHS:
        return None
    try:
        return dt.date(int(m["year"]), _MONTHS[m["month"]], int(m["day"])), m["author"]
    except ValueError:
        return None


def parse_document(text: str) -> list[Segment]:
    """Every non-blank line of `text` as a labelled segment (a line may split in two)."""
    segments: list[Segment] = []
    article = 0
    block: Rule | None = None  # a block rule in force until the article ends
    expect_title = True
    title_text: str | None = None
    for start, end in _lines(text):
        line = text[start:end]
        key = matching_form(line)
        rule = next((r for r in rules() if r.scope != "inline" and r.pattern.search(key)), None)
        if rule and rule.scope == "article":
            segments.append(Segment(0, article, rule.kind, line, start, end, rule.name))
            article, block, expect_title = article + 1, None, True
            continue
        if rule and rule.scope == "block":
            block = rule
        if block is not None:
            segments.append(Segment(0, article, block.kind, line, start, end, block.name))
            continue
        if rule:
            segments.append(Segment(0, article, rule.kind, line, start, end, rule.name))
            continue
        if expect_title and not _SENTENCE_END.search(line) and len(line) <= TITLE_MAX_CHARS:
            kind, title_text = "title", None
        elif line == title_text:
            kind = "byline_noise"
        else:
            kind = "body"
        expect_title = False
        segments += _split_inline(Segment(0, article, kind, line, start, end), key)
        if kind == "title":
            title_text = segments[-1].text if segments[-1].kind == "title" else line
    return [replace(s, index=i) for i, s in enumerate(_mark_posts(segments))]


def _split_inline(seg: Segment, key: str) -> list[Segment]:
    """A source marker glued inside a line («…والدوليةالمصدر: الخارجية العمانية»)."""
    for rule in rules():
        if rule.scope != "inline":
            continue
        m = rule.pattern.search(key)
        if m is None:
            continue
        # matching form drops diacritics, so find the same marker in the line itself
        cut = _display_offset(seg.text, m.start())
        head, tail = seg.text[:cut].rstrip(), seg.text[cut:]
        parts = [replace(seg, kind=rule.kind, rule=rule.name, text=tail,
                         start=seg.start + cut)]
        if head:
            parts.insert(0, replace(seg, text=head, end=seg.start + len(head)))
        return parts
    return [seg]


def _display_offset(line: str, matching_offset: int) -> int:
    """Offset in `line` of the character at `matching_offset` of its matching form."""
    for i in range(len(line) + 1):
        if len(matching_form(line[:i])) >= matching_offset:
            return i
    return len(line)


def _mark_posts(segments: list[Segment]) -> list[Segment]:
    """An embedded post: its credit line «— name (@handle) Month D, YYYY», the quoted text
    just before it and the media link line just after it."""
    out = list(segments)
    for i, seg in enumerate(out):
        found = _post_date(seg.text)
        if not found:
            continue
        day, author = found
        out[i] = replace(seg, kind="embedded_post", rule="post_credit", post_date=day,
                         post_author=author)
        if i > 0 and out[i - 1].kind == "body" and out[i - 1].article == seg.article:
            out[i - 1] = replace(out[i - 1], kind="embedded_post", rule="post_text")
        if (i + 1 < len(out) and out[i + 1].kind == "body"
                and _POST_MEDIA.search(out[i + 1].text)):
            out[i + 1] = replace(out[i + 1], kind="embedded_post", rule="post_media")
    return out


def article_text(segments: list[Segment], article: int) -> tuple[str | None, str]:
    """Title and body (paragraphs joined by newlines) of one article of a document."""
    own = [s for s in segments if s.article == article]
    title = next((s.text for s in own if s.kind == "title"), None)
    return title, "\n".join(s.text for s in own if s.kind == "body")
