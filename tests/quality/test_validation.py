import datetime as dt

import pyarrow as pa

from ittisal.quality import validation
from ittisal.store.schemas import CLEANED_ARTICLES, EVENT_MENTIONS


def _mentions(rows):
    base = dict.fromkeys(EVENT_MENTIONS.column_names)
    return pa.Table.from_pylist([{**base, **r} for r in rows], schema=EVENT_MENTIONS.arrow_schema)


TEXT = "تلقى الرئيس السوري اتصالاً هاتفياً من رئيس الوزراء العراقي."


def test_sound_mentions_pass_every_check():
    mentions = _mentions([{"mention_id": "a", "article_id": "x#0", "countries": ["IRQ", "SYR"],
                           "initiator": "IRQ", "evidence": TEXT, "evidence_start": 0,
                           "evidence_end": len(TEXT), "event_date": dt.date(2024, 12, 1),
                           "published": dt.date(2024, 12, 1)}])
    articles = pa.Table.from_pylist([{"article_id": "x#0", "text": TEXT}],
                                    schema=CLEANED_ARTICLES.arrow_schema)
    assert validation.duplicate_keys(mentions, ("mention_id",)) == []
    assert validation.unknown_countries(mentions) == []
    assert validation.evidence_outside_text(mentions, articles) == []
    assert validation.dated_after_publication(mentions) == []


def test_each_broken_rule_is_reported():
    bad = _mentions([
        {"mention_id": "a", "article_id": "x#0", "countries": ["IRQ", "XXX"],
         "initiator": "TUR", "evidence": "نص آخر", "evidence_start": 0, "evidence_end": 6,
         "event_date": dt.date(2024, 12, 2), "published": dt.date(2024, 12, 1)},
        {"mention_id": "a", "article_id": "missing#0", "countries": ["UN", "SYR"],
         "evidence": TEXT, "evidence_start": 0, "evidence_end": len(TEXT)},
    ])
    articles = pa.Table.from_pylist([{"article_id": "x#0", "text": TEXT}],
                                    schema=CLEANED_ARTICLES.arrow_schema)
    assert validation.duplicate_keys(bad, ("mention_id",)) == [("a", 2)]
    assert {code for _, code in validation.unknown_countries(bad)} == {"XXX", "IRQ"}
    assert len(validation.evidence_outside_text(bad, articles)) == 2
    assert validation.dated_after_publication(bad)[0][0] == "a"


def test_a_feed_line_missing_from_both_tables_is_reported(tmp_path):
    from ittisal.store.schemas import QUARANTINE, RAW_DOCUMENTS

    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "feed.jsonl").write_text('{"id": "a", "text": "نص"}\n\n{"id": "b"}\n'
                                        '{"id": "c", "text": "نص"}\n', encoding="utf-8")
    (landing / "page.txt").write_text("نص", encoding="utf-8")
    (landing / "gone.txt").write_text("نص", encoding="utf-8")
    raw = pa.Table.from_pylist(
        [{"source_id": "a", "landing_path": "feed.jsonl", "line_no": 1},
         {"source_id": "page.txt", "landing_path": "page.txt", "line_no": None}],
        schema=RAW_DOCUMENTS.arrow_schema)
    quarantine = pa.Table.from_pylist(
        [{"source_id": "feed.jsonl#L3", "landing_path": "feed.jsonl", "line_no": 3,
          "stage": "raw_documents", "reason": "no text"},
         # a refusal by a later stage does not account for the landing of a record
         {"source_id": "feed.jsonl#L4", "landing_path": "feed.jsonl", "line_no": 4,
          "stage": "parsed_articles", "reason": "could not be parsed"}],
        schema=QUARANTINE.arrow_schema)
    missing = validation.unaccounted_records(landing, raw, quarantine)
    assert missing == [("feed.jsonl", 4), ("gone.txt", None)]


def test_a_day_far_below_its_recent_median_is_flagged_and_a_quiet_history_is_not():
    start = dt.date(2025, 1, 1)
    busy = {start + dt.timedelta(days=i): 10 + i % 3 for i in range(28)}
    assert validation.sudden_drop({**busy, start + dt.timedelta(days=28): 11}) is None
    assert "2025-01-29" in validation.sudden_drop({**busy, start + dt.timedelta(days=28): 2})
    quiet = {start + dt.timedelta(days=i): 1 for i in range(0, 28, 3)}
    assert validation.sudden_drop({**quiet, start + dt.timedelta(days=28): 0}) is None
    assert validation.sudden_drop({}) is None
