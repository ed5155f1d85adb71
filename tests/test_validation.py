import datetime as dt

import pyarrow as pa

from ittisal import validation
from ittisal.schemas import CLEANED_ARTICLES, EVENT_MENTIONS


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
