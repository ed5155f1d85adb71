import datetime as dt

from ittisal.inference import MentionDating, infer_publication_dates

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
