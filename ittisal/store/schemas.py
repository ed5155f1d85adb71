"""Every table's columns, types, key and description, written once.

The Parquet schemas, the Dagster column metadata and the data dictionary in `docs/tables.md`
are all generated from here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    description: str

    @property
    def sql_type(self) -> str:
        return duckdb_type(self.type)


@dataclass(frozen=True)
class Table:
    name: str
    layer: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def arrow_schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.type) for c in self.columns])

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def duckdb_type(t: pa.DataType) -> str:
    if pa.types.is_list(t):
        return duckdb_type(t.value_type) + "[]"
    return {
        pa.string(): "varchar",
        pa.int32(): "integer",
        pa.int64(): "bigint",
        pa.float64(): "double",
        pa.bool_(): "boolean",
        pa.date32(): "date",
        pa.binary(): "blob",
        pa.timestamp("us", tz="UTC"): "timestamptz",
    }[t]


S, I32, I64, F64, B, D, BIN = (
    pa.string(), pa.int32(), pa.int64(), pa.float64(), pa.bool_(), pa.date32(), pa.binary()
)
TS = pa.timestamp("us", tz="UTC")
LS = pa.list_(pa.string())


def _c(name: str, type_: pa.DataType, description: str) -> Column:
    return Column(name, type_, description)


SOURCE_ID = _c("source_id", S, "Identity of a landed record: its feed `id`, or for a file its "
               "path relative to `landing/`.")
ARTICLE_ID = _c("article_id", S, "`source_id` + `#` + article number (0 = main article, 1.. = "
                "each read-also article glued after it).")

RAW_DOCUMENTS = Table(
    "raw_documents", "raw",
    "One row per landed record (a .txt or .html file, or one line of a .jsonl feed), as received.",
    ("source_id",),
    (
        SOURCE_ID,
        _c("landing_path", S, "File under `landing/` the record came from."),
        _c("line_no", I32, "Line of the feed file (1-based); null for a whole file."),
        _c("format", S, "`txt`, `html` or `jsonl`."),
        _c("content", BIN, "The record's bytes as landed (for a feed line: its `text`, UTF-8)."),
        _c("encoding", S, "Encoding the bytes were decoded with."),
        _c("title", S, "Feed `title`, if given."),
        _c("published", S, "Feed `published` exactly as given (parsed later)."),
        _c("outlet", S, "Feed `source` (the outlet), if given."),
        _c("url", S, "Feed `url`, if given."),
        _c("content_sha256", S, "SHA-256 of the decoded text, to spot replays under other names."),
        _c("ingested_at", TS, "When this record was read from `landing/`."),
    ),
)

QUARANTINE = Table(
    "quarantine", "raw",
    "Records that could not be processed, with the reason; every landed record is either here "
    "or in `raw_documents`.",
    ("source_id", "stage"),
    (
        SOURCE_ID,
        _c("landing_path", S, "File under `landing/` the record came from."),
        _c("line_no", I32, "Line of the feed file (1-based); null for a whole file."),
        _c("stage", S, "Stage that refused the record (`raw_documents`, `parsed_articles`, …)."),
        _c("reason", S, "Why, in words an operator can act on."),
        _c("excerpt", S, "The first 200 characters of the input, escaped; never rendered as HTML."),
    ),
)

PARSED_ARTICLES = Table(
    "parsed_articles", "core",
    "Each record split into labelled segments: titles, body paragraphs, source and keyword "
    "lines, read-also articles, embedded posts, related-headline lists and comment forms.",
    ("source_id", "segment_no"),
    (
        SOURCE_ID,
        _c("segment_no", I32, "Order of the segment in the record."),
        _c("article_no", I32, "0 = main article, 1.. = each read-also article."),
        _c("kind", S, "title, body, source, keywords, read_also_marker, embedded_post, "
                      "related_list, comment_form, byline_noise."),
        _c("rule", S, "Name of the segmentation rule that labelled it (null for plain text)."),
        _c("text", S, "The segment as written."),
        _c("start_char", I32, "Start offset in the record's decoded text."),
        _c("end_char", I32, "End offset (exclusive) in the record's decoded text."),
        _c("post_date", D, "For an embedded post, the date on its credit line."),
        _c("post_author", S, "For an embedded post, the name on its credit line."),
    ),
)

CLEANED_ARTICLES = Table(
    "cleaned_articles", "core",
    "One row per article (main or read-also) with normalized display text, language and "
    "publication date.",
    ("article_id",),
    (
        ARTICLE_ID,
        SOURCE_ID,
        _c("article_no", I32, "0 = main article, 1.. = each read-also article."),
        _c("title", S, "Title in display form."),
        _c("text", S, "Body paragraphs in display form, joined by newlines; entity and evidence "
                      "offsets point into this text."),
        _c("language", S, "ISO 639-1 language of the body (`und` when empty)."),
        _c("language_probability", F64, "Confidence of the language decision."),
        _c("language_method", S, "`script` (decided by the script alone) or `langdetect`."),
        _c("published", D, "Publication date of this article, or null when nothing fixes it."),
        _c("published_basis", S, "How `published` was known: feed, dateline, embedded_post, or "
                                 "unknown: <reason>."),
        _c("outlet", S, "Outlet from the feed, if given."),
        _c("url", S, "URL from the feed, if given."),
    ),
)

ARTICLE_FINGERPRINTS = Table(
    "article_fingerprints", "core",
    "Sampled hashes of each article's word 5-grams (matching form): two articles sharing many "
    "are rewrites of one text (see `article_clusters`).",
    ("article_id", "fingerprint"),
    (
        ARTICLE_ID,
        SOURCE_ID,
        _c("fingerprint", I64, "Hash of five consecutive words; one 5-gram in four is kept, the "
                               "same ones in every article."),
        _c("n_fingerprints", I32, "How many fingerprints the article has in all."),
    ),
)

ENTITY_MENTIONS = Table(
    "entity_mentions", "core",
    "Countries, organisations, places, persons and roles found in article text.",
    ("article_id", "start_char", "end_char", "kind", "country"),
    (
        ARTICLE_ID,
        SOURCE_ID,
        _c("start_char", I32, "Start offset in `cleaned_articles.text`."),
        _c("end_char", I32, "End offset (exclusive) in `cleaned_articles.text`."),
        _c("surface", S, "The words as a reader sees them."),
        _c("kind", S, "country, demonym, organisation, place, person, role, reference."),
        _c("canonical", S, "Canonical name of the entity (or role code)."),
        _c("country", S, "ISO 3166-1 alpha-3 code or organisation code the mention stands for."),
        _c("role", S, "Office: head_of_state, head_of_government, foreign_minister, …"),
        _c("person_id", S, "Person in the officeholder register, if known."),
        _c("resolved_by", S, "How the mention was resolved (gazetteer, nisba, register, "
                             "counterpart, surname, …)."),
    ),
)

EVENT_MENTIONS = Table(
    "event_mentions", "core",
    "One row per reported call, visit, meeting or message in one article.",
    ("mention_id",),
    (
        _c("mention_id", S, "Stable id: hash of article, evidence span and event type."),
        SOURCE_ID,
        ARTICLE_ID,
        _c("event_type", S, "call, visit, meeting or message."),
        _c("event_date", D, "Day the event happened; null when the text cannot fix it (never "
                            "the ingest date)."),
        _c("date_basis", S, "explicit, relative, weekday, publication, or unknown."),
        _c("date_precision", S, "day, month, year or none."),
        _c("date_expression", S, "The words the date was read from."),
        _c("date_weekday", I32, "Weekday the text names (0 = Monday), kept for undated reports."),
        _c("date_offset", I32, "Days before publication the expression implies (أمس = 1)."),
        _c("published", D, "Publication date of the article."),
        _c("countries", LS, "Participants: ISO 3166-1 alpha-3 codes and organisation codes, "
                            "sorted."),
        _c("initiator", S, "Who called, travelled or wrote; null when the text does not say."),
        _c("persons", LS, "Officials named, as written."),
        _c("contact_key", S, "Tells apart contacts of one type, states and day that the "
                             "article counts as several: the caller when two officials of "
                             "one state make them, «2/3» for «ثلاث مرات»; null for one."),
        _c("trigger", S, "The words that signal the event."),
        _c("background", B, "True for a past event mentioned in passing."),
        _c("evidence", S, "The sentence that reports the event."),
        _c("evidence_start", I32, "Start of the evidence in `cleaned_articles.text`."),
        _c("evidence_end", I32, "End of the evidence in `cleaned_articles.text`."),
    ),
)

ARTICLE_DATES = Table(
    "article_dates", "core",
    "Publication date of every article: as the text or feed gave it, or inferred for an undated "
    "article from the dated reports of the same contacts.",
    ("article_id",),
    (
        ARTICLE_ID,
        _c("published", D, "Publication date, or null when neither the text nor other reports "
                           "fix it."),
        _c("published_basis", S, "feed, dateline, embedded_post, inferred: …, or unknown: …"),
    ),
)

DOCUMENT_TABLES: tuple[Table, ...] = (
    RAW_DOCUMENTS, PARSED_ARTICLES, CLEANED_ARTICLES, ARTICLE_FINGERPRINTS, ENTITY_MENTIONS,
    EVENT_MENTIONS,
)
TABLES: dict[str, Table] = {t.name: t for t in (*DOCUMENT_TABLES, ARTICLE_DATES, QUARANTINE)}
