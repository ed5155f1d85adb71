"""What each document-layer table holds, computed one part (one landed file) at a time.

Each `*_part` function streams the rows of one part of its table from the part of the table
before it; a record that breaks a stage is refused with the reason instead of stopping the
run. Nothing here knows about Dagster: the assets only call `sync_table` with these.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import groupby
from pathlib import Path

from ittisal import clock
from ittisal.budget import OverBudget, RecordBudget
from ittisal.entities import tagging
from ittisal.events.dates import publication_date_from_text
from ittisal.events.mentions import extract_events
from ittisal.settings import Settings
from ittisal.store.incremental import PartCompute, PartJob, Refusals, judged_until
from ittisal.store.lake import Lake
from ittisal.store.landing import (
    BytesRead,
    LandedFile,
    RawRecord,
    batch_fingerprint,
    batch_lines,
    file_part,
    read_records,
)
from ittisal.store.schemas import CLEANED_ARTICLES, ENTITY_MENTIONS, PARSED_ARTICLES, RAW_DOCUMENTS
from ittisal.text.decoding import decode_as, looks_like_html
from ittisal.text.fingerprints import text_fingerprints
from ittisal.text.html import html_to_text
from ittisal.text.language import detect_language
from ittisal.text.normalize import NormalizedText, display_form, matching_form, normalize
from ittisal.text.segments import EVENT_BEARING_KINDS, parse_document

# The text of a record before cleaning may also hold its page's furniture (menus, related
# headlines, comments): the parser reads up to this many times the article budget.
RAW_TEXT_FACTOR = 5


def _refuse(refused: Refusals, row: dict, reason: str) -> None:
    refused.append({
        "source_id": row["source_id"], "landing_path": row.get("landing_path"),
        "line_no": row.get("line_no"), "reason": reason, "excerpt": None,
    })


def ingest_part(job: PartJob, refused: Refusals, *, landing: str,
                files: dict[str, LandedFile], version: str, batch_records: int
                ) -> Iterator[dict]:
    """Rows of `raw_documents` for one landed file, or one batch of a feed's lines. The part
    is saved under the fingerprint of the bytes read here (not of an earlier read), and, when
    a feed date was judged to be after the clock's today, with the day that judgement is to
    be made again."""
    landed = files[file_part(job.part)]
    now = clock.utc_now()
    read = BytesRead()
    again: dt.date | None = None
    for rec in read_records(landed, Path(landing), read, batch_lines(job.part, batch_records)):
        if not isinstance(rec, RawRecord):
            refused.append({"source_id": rec.source_id, "landing_path": rec.landing_path,
                            "line_no": rec.line_no, "reason": rec.reason,
                            "excerpt": rec.excerpt})
            continue
        flips = _judged_again_on(rec.published, now)
        again = min(again, flips) if again and flips else again or flips
        yield {
            "source_id": rec.source_id, "landing_path": rec.landing_path,
            "line_no": rec.line_no, "format": rec.format, "content": rec.content,
            "encoding": rec.encoding, "title": rec.title, "published": rec.published,
            "outlet": rec.outlet, "url": rec.url,
            "content_sha256": hashlib.sha256(rec.text.encode("utf-8", "surrogatepass")
                                             ).hexdigest(),
            "ingested_at": now,
        }
    read_as = batch_fingerprint(landed.fingerprint(version, read.sha256), job.part,
                                batch_records) if read.sha256 else job.fingerprint
    job.read_as.append(judged_until(read_as, again))


def ingest(landing: Path, files: list[LandedFile], version: str,
           batch_records: int = Settings.batch_records) -> PartCompute:
    return partial(ingest_part, landing=str(landing), files={f.part: f for f in files},
                   version=version, batch_records=batch_records)


def document_text(row: dict) -> str:
    """The text of a raw record as the parser should see it (HTML reduced to its article)."""
    text = decode_as(row["content"], row["encoding"]).lstrip("\ufeff")
    if row["format"] == "html" or (row["format"] != "jsonl" and looks_like_html(text)):
        title, body = html_to_text(text)
        text = f"{title}\n\n{body}" if title else body
    return text


def parse_part(job: PartJob, refused: Refusals, *, lake: str, budget: RecordBudget
               ) -> Iterator[dict]:
    """Rows of `parsed_articles`: the labelled segments of each raw record."""
    limit = budget.max_chars * RAW_TEXT_FACTOR
    for batch in Lake(lake).read_part(RAW_DOCUMENTS.name, job.part):
        for row in batch.to_pylist():
            try:
                with budget.clock("parsing"):
                    text = document_text(row)
                    segments = parse_document(text) if len(text) <= limit else None
            except OverBudget as exc:
                _refuse(refused, row, str(exc))
                continue
            except Exception as exc:  # a bad record must not stop the run
                _refuse(refused, row, f"could not be parsed: {type(exc).__name__}: {exc}")
                continue
            if segments is None:
                _refuse(refused, row, f"text too long for one article: {len(text):,} "
                                      f"characters before cleaning (limit {limit:,})")
                continue
            if not segments:
                _refuse(refused, row, "no text after decoding")
                continue
            for s in segments:
                yield {
                    "source_id": row["source_id"], "segment_no": s.index,
                    "article_no": s.article, "kind": s.kind, "rule": s.rule, "text": s.text,
                    "start_char": s.start, "end_char": s.end, "post_date": s.post_date,
                    "post_author": s.post_author,
                }


def _feed_day(value: str) -> dt.date:
    """The day of a feed's `published`; ValueError when it is not a date."""
    return dt.date.fromisoformat(value.strip()[:10])


def _after_landing(day: dt.date, landed: dt.datetime) -> bool:
    """No report is published in the future: not later than the day after it was landed."""
    return day > landed.date() + dt.timedelta(days=1)


def _feed_date(value: str | None, landed: dt.datetime | None) -> tuple[dt.date | None, str]:
    """The feed's `published` day, or None with why it cannot be one: not a date, or after
    the record was landed."""
    try:
        day = _feed_day(value) if value else None
    except ValueError:
        return None, f"feed published {value!r} is not a date"
    if day and landed and _after_landing(day, landed):
        return None, f"feed published {value!r} is after the record was landed"
    return day, ""


def _judged_again_on(value: str | None, landed: dt.datetime) -> dt.date | None:
    """The first day a record landed at `landed` (by a clock that may run behind) would have
    its feed date accepted, when it is refused now; None when the clock plays no part."""
    try:
        day = _feed_day(value) if value else None
    except ValueError:
        return None
    return day - dt.timedelta(days=1) if day and _after_landing(day, landed) else None


def article_body(segments: Iterable[tuple[str, str]]) -> str:
    """The text events are read from: the event-bearing segments (kind, text) but the title,
    one a line, in display form."""
    return "\n".join(display_form(text) for kind, text in segments
                     if kind in EVENT_BEARING_KINDS and kind != "title")


def clean_article(source: dict, article_no: int, segments: list[dict]) -> dict:
    """One row of `cleaned_articles` from the segments of one article."""
    titles = [s["text"] for s in segments if s["kind"] == "title"]
    body = article_body((s["kind"], s["text"]) for s in segments)
    if not body.strip() and titles:
        body = display_form(titles[0])  # a page that is only a headline is read as its text
    guess = detect_language(body, displayed=True)
    feed_date, refused = (_feed_date(source.get("published"), source.get("ingested_at"))
                          if article_no == 0 else (None, ""))
    if feed_date:
        published, basis = feed_date, "feed"
    else:
        posts = sorted({s["post_date"] for s in segments if s["post_date"]})
        published, basis = publication_date_from_text(matching_form(body, displayed=True),
                                                      posts)
        if refused:
            basis = f"{basis}; {refused}"
    return {
        "article_id": f"{source['source_id']}#{article_no}", "source_id": source["source_id"],
        "article_no": article_no, "title": display_form(titles[0]) if titles else None,
        "text": body, "language": guess.lang, "language_probability": guess.probability,
        "language_method": guess.method, "published": published, "published_basis": basis,
        "outlet": source.get("outlet"), "url": source.get("url"),
    }


def clean_part(job: PartJob, refused: Refusals, *, lake: str, budget: RecordBudget
               ) -> Iterator[dict]:
    """Rows of `cleaned_articles`, walking raw records and their segments in step."""
    store = Lake(lake)
    raw_cols = [c for c in RAW_DOCUMENTS.column_names if c != "content"]
    segments = (row for b in store.read_part(PARSED_ARTICLES.name, job.part)
                for row in b.to_pylist())
    by_source = groupby(segments, key=lambda s: s["source_id"])
    pending = next(by_source, None)
    for batch in store.read_part(RAW_DOCUMENTS.name, job.part, columns=raw_cols):
        for source in batch.to_pylist():
            if pending is None or pending[0] != source["source_id"]:
                continue  # refused by the parser, already in quarantine
            segs = list(pending[1])
            pending = next(by_source, None)
            for article_no, article_segs in groupby(segs, key=lambda s: s["article_no"]):
                try:
                    with budget.clock("cleaning"):
                        article = clean_article(source, article_no, list(article_segs))
                except OverBudget as exc:
                    _refuse(refused, source, str(exc))
                    continue
                except Exception as exc:  # a bad record must not stop the run
                    _refuse(refused, source, f"could not be cleaned: {type(exc).__name__}: "
                                             f"{exc}")
                    continue
                too_long = budget.too_long(article["text"])
                if too_long:
                    _refuse(refused, source, too_long)  # no later stage reads it
                    continue
                yield article


def _articles(lake: str, part: str) -> Iterator[dict]:
    for batch in Lake(lake).read_part(CLEANED_ARTICLES.name, part):
        yield from batch.to_pylist()


def _within_budget(rows: Callable[[], Iterable[dict | tuple]], budget: RecordBudget,
                   stage: str, refused: Refusals, art: dict) -> list[dict | tuple]:
    """The rows one article gives, worked out on the clock (before any is handed on, so the
    time spent writing them is not the article's), or none and the article refused."""
    try:
        with budget.clock(stage):
            return list(rows())
    except OverBudget as exc:
        _refuse(refused, art, str(exc))
        return []


def fingerprint_part(job: PartJob, refused: Refusals, *, lake: str, budget: RecordBudget
                     ) -> Iterator[tuple]:
    """Rows of `article_fingerprints` (as tuples of its columns, there are ~100 an article):
    every language, since a rewrite is a rewrite."""
    def rows(art: dict) -> Iterator[tuple]:
        prints = text_fingerprints(matching_form(art["text"] or "", displayed=True))
        ids, n = (art["article_id"], art["source_id"]), len(prints)
        return ((*ids, fingerprint, n) for fingerprint in prints)

    for art in _articles(lake, job.part):
        yield from _within_budget(partial(rows, art), budget, "fingerprinting", refused, art)


def _article_text(art: dict) -> NormalizedText:
    """Both forms of a cleaned article's text, which is already in display form."""
    return normalize(art["text"], displayed=True)


def _entity_rows(art: dict) -> Iterator[tuple]:
    """The article's rows of `entity_mentions`, as tuples of its columns in order."""
    text = _article_text(art)
    for m in tagging.tag(text, art["published"]):
        start, end = text.display_span(m.start, m.end)
        yield (art["article_id"], art["source_id"], start, end, text.display[start:end],
               m.kind, m.canonical, m.country, m.role, m.person_id, m.resolved_by)


def tag_part(job: PartJob, refused: Refusals, *, lake: str, budget: RecordBudget
             ) -> Iterator[tuple]:
    """Rows of `entity_mentions`, with offsets into the cleaned display text."""
    for art in _articles(lake, job.part):
        if art["language"] != "ar":
            continue  # recorded with its language in cleaned_articles; no Arabic tagger
        yield from _within_budget(partial(_entity_rows, art), budget, "tagging", refused, art)


# the columns of `entity_mentions` the event stage reads back, in this order
_MENTION_COLUMNS = ("article_id", "start_char", "end_char", "kind", "canonical", "country",
                    "role", "person_id", "resolved_by")


def _tagged(lake: str, part: str) -> Iterator[tuple[dict, list[tuple]]]:
    """Each cleaned article with its rows of `entity_mentions` as tuples of `_MENTION_COLUMNS`
    (both parts are in article order, so they are walked in step instead of tagging the text
    a second time)."""
    rows = (row for b in Lake(lake).read_part(ENTITY_MENTIONS.name, part,
                                              columns=list(_MENTION_COLUMNS))
            for row in zip(*(b.column(c).to_pylist() for c in _MENTION_COLUMNS), strict=True))
    by_article = groupby(rows, key=lambda r: r[0])
    pending = next(by_article, None)
    for art in _articles(lake, part):
        found: list[tuple] = []
        if pending is not None and pending[0] == art["article_id"]:
            found = list(pending[1])
            pending = next(by_article, None)
        yield art, found


def _mention(text: NormalizedText, row: tuple) -> tagging.EntityMention:
    """The tagger's mention back from its row (a tuple of `_MENTION_COLUMNS`)."""
    _, display_start, display_end, *fields = row
    start, end = text.to_matching(display_start), text.to_matching(display_end)
    return tagging.EntityMention(start, end, text.matching[start:end], *fields)


def event_part(job: PartJob, refused: Refusals, *, lake: str, budget: RecordBudget
               ) -> Iterator[dict]:
    """Rows of `event_mentions`: each reported contact with its date, countries and evidence."""
    for art, entity_rows in _tagged(lake, job.part):
        if art["language"] != "ar":
            continue
        yield from _within_budget(partial(_event_rows, art, entity_rows), budget,
                                  "event extraction", refused, art)


def _event_rows(art: dict, entity_rows: list[tuple]) -> Iterator[dict]:
    text = _article_text(art)
    mentions = [_mention(text, row) for row in entity_rows]
    for ev in extract_events(text, mentions, art["published"]):
        start, end = text.display_span(ev.start, ev.end)
        key = f"{art['article_id']}|{start}|{end}|{ev.event_type}|{','.join(ev.countries)}"
        if ev.contact_key is not None:
            key += f"|{ev.contact_key}"  # «ثلاث مرات»: three contacts in one sentence
        yield {
            "mention_id": hashlib.sha1(key.encode()).hexdigest()[:16],
            "source_id": art["source_id"], "article_id": art["article_id"],
            "event_type": ev.event_type, "event_date": ev.date.date,
            "date_basis": ev.date.basis, "date_precision": ev.date.precision,
            "date_expression": ev.date.expression, "date_weekday": ev.date.weekday,
            "date_offset": ev.date_offset, "published": art["published"],
            "countries": list(ev.countries), "initiator": ev.initiator,
            "persons": list(ev.persons), "contact_key": ev.contact_key,
            "trigger": ev.trigger,
            "background": ev.background, "evidence": text.display[start:end],
            "evidence_start": start, "evidence_end": end,
        }


def per_part(func, settings: Settings) -> PartCompute:
    """A stage's part function bound to where the lake is and what one record may cost."""
    return partial(func, lake=settings.lake, budget=RecordBudget.of(settings))
