import datetime as dt

import duckdb
import pyarrow as pa

from ittisal.events.inference import MentionDating, infer_publication_dates
from ittisal.store.article_dates import article_dates
from ittisal.store.schemas import ARTICLE_DATES, CLEANED_ARTICLES, EVENT_MENTIONS

SUN = 6
SAT = 5


def test_undated_articles_take_the_day_of_the_dated_report_of_the_same_call():
    # the seed situation: one article dates the Iraq–Syria call (1 Dec 2024, a Sunday);
    # another reports it with no date, next to a call «مساء أمس السبت»; a third says
    # «اليوم السبت» about that Saturday call.
    published = {"dated#0": dt.date(2024, 12, 1), "lead#0": None, "saturday#0": None}
    mentions = [
        MentionDating("dated#0", "call", ("IRQ", "SYR"), dt.date(2024, 12, 1), 0, SUN),
        MentionDating("lead#0", "call", ("IRQ", "SYR"), None, 0, None),
        MentionDating("lead#0", "call", ("IRQ", "SYR"), None, 1, SAT),
        MentionDating("saturday#0", "call", ("IRQ", "SYR"), None, 0, SAT),
    ]
    inferred = infer_publication_dates(published, mentions)
    assert inferred["lead#0"][0] == dt.date(2024, 12, 1)
    assert inferred["saturday#0"][0] == dt.date(2024, 11, 30)
    assert "dated#0" not in inferred


def test_a_named_weekday_that_disagrees_rules_the_candidate_out():
    published = {"a#0": dt.date(2024, 12, 1), "b#0": None}
    mentions = [
        MentionDating("a#0", "call", ("EGY", "SYR"), dt.date(2024, 12, 1), 0, None),
        MentionDating("b#0", "call", ("EGY", "SYR"), None, 0, 1),  # «اليوم الثلاثاء»
    ]
    assert infer_publication_dates(published, mentions) == {}


def test_two_consistent_candidates_leave_the_article_undated():
    published = {"a#0": dt.date(2024, 12, 1), "b#0": dt.date(2024, 12, 8), "c#0": None}
    mentions = [
        MentionDating("a#0", "visit", ("GBR", "OMN"), dt.date(2024, 12, 1), None, None),
        MentionDating("b#0", "visit", ("GBR", "OMN"), dt.date(2024, 12, 8), None, None),
        MentionDating("c#0", "visit", ("GBR", "OMN"), None, 0, SUN),
    ]
    assert infer_publication_dates(published, mentions) == {}


def _mention_rows(rows):
    base = {"mention_id": "", "source_id": "", "date_basis": "", "published": None,
            "initiator": None, "persons": [], "background": False, "evidence": "",
            "evidence_start": 0, "evidence_end": 0}
    return [{**base, "mention_id": f"m{i}", **r} for i, r in enumerate(rows)]


def test_article_dates_dates_the_lead_and_loads_only_contacts_an_undated_article_reports():
    articles = pa.Table.from_pylist([
        {"article_id": "dated#0", "published": dt.date(2024, 12, 1), "published_basis": "feed"},
        {"article_id": "lead#0", "published": None, "published_basis": "unknown: no date"},
        {"article_id": "other#0", "published": dt.date(2024, 3, 5), "published_basis": "feed"},
    ], schema=pa.schema([f for f in CLEANED_ARTICLES.arrow_schema
                         if f.name in ("article_id", "published", "published_basis")]))
    mentions = pa.Table.from_pylist(_mention_rows([
        {"article_id": "dated#0", "event_type": "call", "countries": ["IRQ", "SYR"],
         "event_date": dt.date(2024, 12, 1), "date_offset": 0, "date_weekday": SUN},
        {"article_id": "lead#0", "event_type": "call", "countries": ["IRQ", "SYR"],
         "event_date": None, "date_offset": 0, "date_weekday": None},
        # a contact no undated article reports: never loaded into Python
        {"article_id": "other#0", "event_type": "visit", "countries": ["OMN", "QAT"],
         "event_date": dt.date(2024, 3, 4), "date_offset": 1, "date_weekday": None},
        # a background mention of the same call does not vote
        {"article_id": "other#0", "event_type": "call", "countries": ["IRQ", "SYR"],
         "event_date": dt.date(2024, 3, 1), "date_offset": None, "date_weekday": None,
         "background": True},
    ]), schema=EVENT_MENTIONS.arrow_schema)
    con = duckdb.connect()
    reader, inferred = article_dates(con, articles, mentions)
    assert inferred == 1
    rows = reader.read_all().cast(ARTICLE_DATES.arrow_schema)
    assert rows.to_pylist() == [
        {"article_id": "dated#0", "published": dt.date(2024, 12, 1), "published_basis": "feed"},
        {"article_id": "lead#0", "published": dt.date(2024, 12, 1),
         "published_basis": "inferred: reports the same contact as dated#0"},
        {"article_id": "other#0", "published": dt.date(2024, 3, 5), "published_basis": "feed"},
    ]
    loaded = con.execute("select article_id, event_type from _candidates order by all").fetchall()
    assert loaded == [("dated#0", "call"), ("lead#0", "call")]
