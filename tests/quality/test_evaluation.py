"""The scorer compares like with like: our party codes are written the gold's way first."""

from ittisal.quality.evaluation import _gold_codes


def test_organisations_other_than_the_un_and_the_eu_score_as_igo():
    # the gold writes the GCC secretary-general as `IGO` with `org: GCC` (shared/corpus/README.md)
    assert _gold_codes(["YEM", "GCC"]) == ("IGO", "YEM")
    assert _gold_codes(["ARL", "EGY"]) == ("EGY", "IGO")
    assert _gold_codes(["UN", "MAR"]) == ("MAR", "UN")
    assert _gold_codes(["EU", "TUR"]) == ("EU", "TUR")
    assert _gold_codes(["SAU", "JOR"]) == ("JOR", "SAU")


def test_the_gold_table_counts_one_articles_several_calls_and_a_group_once():
    import datetime as dt

    from ittisal.quality.evaluation import gold_calls_table

    def call(day, countries, **extra):
        return {"type": "call", "date": day, "countries": countries, **extra}

    gold = [
        # one article: Trump's and Mattis's calls to South Korea on one day are two calls
        {"id": "a", "events": [call("2018-04-28", ["USA", "KOR"]),
                               call("2018-04-28", ["KOR", "USA"])]},
        # another article reports one of them: still two calls, not three
        {"id": "b", "events": [call("2018-04-28", ["USA", "KOR"])]},
        # one real call in two articles with two days: counted once, on its first day
        {"id": "c", "events": [call("2018-02-28", ["USA", "QAT"], same_event_group="g")]},
        {"id": "d", "events": [call("2018-03-01", ["USA", "QAT"], same_event_group="g"),
                               call("2018-03-01", ["USA", "QAT"], background=True)]},
    ]
    day = dt.date.fromisoformat
    assert gold_calls_table(gold) == {
        (day("2018-04-28"), "USA"): 2, (day("2018-04-28"), "KOR"): 2,
        (day("2018-02-28"), "USA"): 1, (day("2018-02-28"), "QAT"): 1}
