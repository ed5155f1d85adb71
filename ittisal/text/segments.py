"""A scraped page split into labelled segments, so that only article text is read for events.

Scraped Arabic news glues other matter to the article: a source line, a keyword line, another
article after «إقرأ أيضاً», embedded posts, lists of related headlines (whose headlines mention
calls and visits that this page does not report), comment forms, share buttons. The line rules
are data (data/segment_rules.csv), matched against the matching form of each line so that
hamza, ta marbuta and diacritics do not matter; this module applies them, finds titles,
repeated lines and embedded posts, and keeps every line, labelled, with its offsets in the
input, so nothing is silently dropped and evidence offsets stay valid.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

from ittisal.datafiles import read_rows
from ittisal.text.normalize import matching_form

__all__ = ["EVENT_BEARING_KINDS", "KINDS", "Rule", "Segment", "article_text", "parse_document",
           "rules"]

EVENT_BEARING_KINDS = frozenset({"title", "body"})
KINDS = frozenset({"title", "body", "source", "keywords", "read_also_marker", "embedded_post",
                   "related_list", "comment_form", "byline_noise"})
SCOPES = frozenset({"line", "block", "list", "article", "inline", "post"})
TITLE_MAX_CHARS = 200  # a longer first line is a lede paragraph, not a headline
TITLE_MAX_WORDS = 30
PARAGRAPH_MIN_WORDS = 8  # a line ending in "." with this many words ends a list of headlines
REPEAT_MIN_WORDS = 3  # shorter repeats («فرانس 24») are not worth calling noise

# Visible: anything but whitespace and the invisible controls display_form deletes.
_VISIBLE = re.compile(r"[^\s\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u061c\u00ad]")
_LINE = re.compile(r"[^\n\r\u2028\u2029\x0b\x0c\x1c-\x1e\x85]+")
_BULLET = re.compile(r"^[•·▪●◦‣►▸○■□◆◇✓✔*»›\-–—]\s*")
# A lede paragraph ends in one full stop; a headline ends in nothing, «؟», «!» or «...».
_SENTENCE_END = re.compile(r"(?<!\.)\.[\"'»”)\]]*$")
_MEDIA = re.compile(r"pic\.twitter\.com/|pic\.x\.com/|https?://t\.co/|instagram\.com/p/")
_MEDIA_ONLY = re.compile(r"^\W*(?:(?:pic\.twitter\.com|pic\.x\.com|https?://\S+)\S*\W*)+$")

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
        "january jan يناير كانون الثاني جانفي",
        "february feb فبراير شباط فيفري",
        "march mar مارس اذار",
        "april apr ابريل نيسان افريل",
        "may مايو ايار ماي",
        "june jun يونيو يونيه حزيران جوان",
        "july jul يوليو يوليه تموز جويليه يوليوز",
        "august aug اغسطس اب اوت غشت",
        "september sep sept سبتمبر ايلول شتنبر",
        "october oct اكتوبر تشرين الاول",
        "november nov نوفمبر تشرين الثاني نونبر",
        "december dec ديسمبر كانون الاول دجنبر"), start=1):
    for _name in re.findall(r"(?:كانون|تشرين) ال\S+|\S+", _names):
        _MONTHS[_name] = _number


@dataclass(frozen=True)
class Segment:
    """One labelled line (or part of a line) of a document.

    `text == document[start:end]`, stripped of surrounding whitespace. `article` is 0 for the
    main article and 1, 2, … for each article glued after a read-also marker. `rule` names the
    rule that labelled the segment (None for plain title/body lines).
    """

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
    """A row of data/segment_rules.csv with its pattern compiled."""

    name: str
    kind: str
    pattern: re.Pattern[str]
    scope: str
    meaning: str


@cache
def rules() -> tuple[Rule, ...]:
    """The segment rules, in file order (the first matching rule wins)."""
    loaded = []
    for row in read_rows("segment_rules.csv"):
        rule = Rule(row["name"], row["kind"], re.compile(row["pattern"]), row["scope"],
                    row["meaning"])
        if rule.kind not in KINDS or rule.scope not in SCOPES:
            raise ValueError(f"segment rule {rule.name!r}: unknown kind or scope")
        loaded.append(rule)
    return tuple(loaded)


@cache
def _line_rules() -> tuple[Rule, ...]:
    return tuple(r for r in rules() if r.scope != "inline")


@cache
def _inline_rules() -> tuple[Rule, ...]:
    return tuple(r for r in rules() if r.scope == "inline")


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line with visible text, surrounding whitespace excluded."""
    spans = []
    for m in _LINE.finditer(text):
        line = m.group()
        stripped = line.strip()
        if _VISIBLE.search(stripped):
            lead = len(line) - len(line.lstrip())
            spans.append((m.start() + lead, m.start() + lead + len(stripped)))
    return spans


def _first_rule(key: str) -> tuple[Rule, re.Match[str]] | None:
    for rule in _line_rules():
        m = rule.pattern.search(key)
        if m:
            return rule, m
    return None


def _cut_offset(line: str, matching_offset: int) -> int:
    """Offset in `line` where its matching form reaches `matching_offset`.

    The matching form only deletes characters (and NFC may merge a pair), so the length of
    the matching form of a prefix grows with the prefix: a binary search finds the cut.
    """
    lo, hi = 0, len(line)
    while lo < hi:
        mid = (lo + hi) // 2
        if len(matching_form(line[:mid])) < matching_offset:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _post_fields(line: str, m: re.Match[str]) -> tuple[dt.date | None, str | None]:
    """post_date and post_author from a credit-line match (named groups, all optional).

    The match ran on the matching form; the author is cut from the line as written.
    """
    groups = m.groupdict()
    author = None
    if groups.get("author"):
        author = line[_cut_offset(line, m.start("author")):
                      _cut_offset(line, m.end("author"))].strip() or None
    if author is None and groups.get("handle"):
        author = f"@{groups['handle']}"
    month = _MONTHS.get((groups.get("month") or "").lower().rstrip("."))
    try:
        day = dt.date(int(groups["year"]), month, int(groups["day"])) if month else None
    except (KeyError, TypeError, ValueError):
        day = None
    return day, author


def _title_like(line: str) -> bool:
    return (len(line) <= TITLE_MAX_CHARS and len(line.split()) <= TITLE_MAX_WORDS
            and not _SENTENCE_END.search(line))


def _paragraph_like(line: str) -> bool:
    """A line that reads as running text, not as a headline in a list of links."""
    if _BULLET.match(line):
        return False
    return len(line) > TITLE_MAX_CHARS or (
        bool(_SENTENCE_END.search(line)) and len(line.split()) >= PARAGRAPH_MIN_WORDS)


class _Parser:
    """State of one pass over the lines of a document."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = _lines(text)
        self.keys = [matching_form(text[s:e]).strip() for s, e in self.spans]
        self.out: list[Segment] = []
        self.article = 0
        self.mode: Rule | None = None  # a block or list rule in force
        self._new_article()

    def _new_article(self) -> None:
        self.expect_title = True
        self.title_key: str | None = None
        self.seen: set[str] = set()
        self.mode = None

    def add(self, kind: str, start: int, end: int, rule: str | None = None,
            post: tuple[dt.date | None, str | None] = (None, None)) -> None:
        # segments are only ever appended, so a segment's index is where it is appended
        self.out.append(Segment(len(self.out), self.article, kind, self.text[start:end],
                                start, end, rule, post[0], post[1]))

    def run(self) -> list[Segment]:
        for i, (start, end) in enumerate(self.spans):
            self.line(i, start, end)
        return _attach_post_parts(self.out)

    def _next_line(self, i: int) -> str | None:
        return self.text[slice(*self.spans[i + 1])] if i + 1 < len(self.spans) else None

    def line(self, i: int, start: int, end: int) -> None:
        line, key = self.text[start:end], self.keys[i]
        found = _first_rule(key)
        rule = found[0] if found else None
        if rule is not None and rule.scope == "article":
            self.add(rule.kind, start, end, rule.name)
            following = self._next_line(i)
            if following is not None and _BULLET.match(following):
                self.mode = rule  # «اقرأ أيضاً:» over a list of links, not a glued article
            else:
                self.article += 1
                self._new_article()
            return
        if rule is not None and rule.scope in ("block", "list"):
            self.mode = rule
            self.add(rule.kind, start, end, rule.name)
            return
        if rule is not None and rule.scope == "post":
            assert found is not None
            self.add(rule.kind, start, end, rule.name, _post_fields(line, found[1]))
            return
        if rule is not None:  # a one-line rule; a block in force goes on after it
            self.add(rule.kind, start, end, rule.name)
            return
        if self.mode is not None:
            if self.mode.scope == "block" or not _paragraph_like(line):
                kind = "related_list" if self.mode.scope == "article" else self.mode.kind
                self.add(kind, start, end, self.mode.name)
                return
            self.mode = None  # running text again: the list of headlines is over
        self.plain(line, key, start, end)

    def plain(self, line: str, key: str, start: int, end: int) -> None:
        """A line no line rule claims: title, body or repeat, maybe with a glued marker."""
        for rule in _inline_rules():
            m = rule.pattern.search(key)
            if m is None or m.start() == 0:
                continue
            cut = _cut_offset(line, m.start())
            head = line[:cut].rstrip()
            if head:
                self.plain(head, matching_form(head).strip(), start, start + len(head))
            tail_start = start + cut + (len(line[cut:]) - len(line[cut:].lstrip()))
            self.add(rule.kind, tail_start, end, rule.name)
            return
        if self.expect_title:
            self.expect_title = False
            if _title_like(line):
                self.title_key = key
                self.seen.add(key)
                self.add("title", start, end)
                return
        if key == self.title_key:
            self.add("byline_noise", start, end, "repeated_title")
            return
        if key in self.seen and len(key.split()) >= REPEAT_MIN_WORDS:
            self.add("byline_noise", start, end, "repeated_line")
            return
        self.seen.add(key)
        self.add("body", start, end)


def _attach_post_parts(segments: list[Segment]) -> list[Segment]:
    """An embedded post is its credit line, the post text on the line before it, and a media
    link line just after it (scrapers put «pic.twitter.com/…» on either side)."""
    out = list(segments)
    credits = {r.name for r in rules() if r.scope == "post"}
    for i, seg in enumerate(segments):
        if seg.rule not in credits:
            continue
        j = i - 1
        if (j >= 0 and out[j].article == seg.article and out[j].kind in ("body", "byline_noise")
                and _MEDIA_ONLY.match(out[j].text)):
            out[j] = replace(out[j], kind="embedded_post", rule="post_media")
            j -= 1
        if j >= 0 and out[j].kind == "body" and out[j].article == seg.article:
            out[j] = replace(out[j], kind="embedded_post", rule="post_text")
        k = i + 1
        if (k < len(out) and out[k].article == seg.article
                and out[k].kind in ("body", "byline_noise") and _MEDIA.search(out[k].text)):
            out[k] = replace(out[k], kind="embedded_post", rule="post_media")
    return out


def parse_document(text: str) -> list[Segment]:
    """Every line of `text` with visible characters, as labelled segments in order.

    A line is one segment, except a line with a glued marker («…والدوليةالمصدر: …»), which
    becomes two. The first line of each article is its title unless it reads as a lede
    paragraph (ends in a full stop or is too long for a headline).
    """
    if not text:
        return []
    return _Parser(text).run()


def article_text(segments: Sequence[Segment], article: int) -> tuple[str | None, str]:
    """(title, body) of one article of a document; body paragraphs are joined by "\\n"."""
    own = [s for s in segments if s.article == article]
    title = next((s.text for s in own if s.kind == "title"), None)
    return title, "\n".join(s.text for s in own if s.kind == "body")
