import datetime as dt

import pyarrow as pa
import pytest

from ittisal.store.schemas import TABLES
from ittisal.store.sqlmodels import (
    SqlModelError,
    in_dependency_order,
    load_models,
    run_model,
    table_dependencies,
)
from tests.conftest import REPO


def test_dependencies_are_the_base_tables_without_ctes():
    sql = """
        with m as (select * from event_mentions join article_dates using (article_id)),
             n as (select * from m)
        select * from n where exists (select 1 from quarantine)
    """
    assert table_dependencies(sql) == ("article_dates", "event_mentions", "quarantine")


def test_unparseable_sql_is_a_clear_error():
    with pytest.raises(SqlModelError):
        table_dependencies("selec nothing frm")


def test_every_model_reads_only_tables_that_are_built():
    models = load_models(REPO / "sql")
    names = {m.name for m in models}
    assert {"events", "calls_by_country_by_day"} <= names
    for model in models:
        assert set(model.deps) <= set(TABLES) | names, model.name
        assert model.description, f"{model.name} needs a leading comment"


def _mentions(rows: list[dict]) -> pa.Table:
    schema = TABLES["event_mentions"].arrow_schema
    base = dict.fromkeys(schema.names)
    return pa.Table.from_pylist([{**base, "background": False, **r} for r in rows],
                                schema=schema)


def _clusters(fingerprints: dict[str, list[int]]) -> pa.Table:
    """`article_clusters` as the model builds it from each article's fingerprints."""
    models = {m.name: m for m in load_models(REPO / "sql")}
    rows = [{"article_id": a, "source_id": a.split("#")[0], "fingerprint": f,
             "n_fingerprints": len(prints)} for a, prints in fingerprints.items() for f in prints]
    table = pa.Table.from_pylist(rows, schema=TABLES["article_fingerprints"].arrow_schema)
    return run_model(models["article_clusters"], {"article_fingerprints": table})


def test_articles_sharing_enough_fingerprints_form_one_cluster_transitively():
    clusters = {r["article_id"]: r["cluster_id"] for r in _clusters({
        "a#0": list(range(0, 20)),
        "b#0": list(range(10, 30)),     # shares 10 of 20 with a
        "c#0": list(range(25, 45)),     # shares 5 of 20 with b, none with a
        "d#0": list(range(100, 120)),
        "e#0": [0, 1, 2, 3] + list(range(200, 216)),  # only 4 shared with a: not enough
    }).to_pylist()}
    assert clusters["a#0"] == clusters["b#0"] == clusters["c#0"] == "a#0"
    assert clusters["d#0"] == "d#0" and clusters["e#0"] == "e#0"


def test_calls_by_country_by_day_counts_each_deduplicated_call_once():
    models = {m.name: m for m in load_models(REPO / "sql")}
    day = dt.date(2024, 12, 1)
    mentions = _mentions([
        # the same Iraq–Turkey call reported by two articles, and an Iraq–Syria call
        {"mention_id": "a", "source_id": "s1", "article_id": "s1#0", "event_type": "call",
         "event_date": day, "countries": ["IRQ", "TUR"], "initiator": "IRQ"},
        {"mention_id": "b", "source_id": "s2", "article_id": "s2#0", "event_type": "call",
         "event_date": day, "countries": ["IRQ", "TUR"], "initiator": None},
        {"mention_id": "c", "source_id": "s2", "article_id": "s2#0", "event_type": "call",
         "event_date": day, "countries": ["IRQ", "SYR"], "initiator": "IRQ"},
        # an undated call is not counted on any day; a visit is not a call
        {"mention_id": "d", "source_id": "s3", "article_id": "s3#0", "event_type": "call",
         "event_date": None, "countries": ["ARE", "SYR"]},
        {"mention_id": "e", "source_id": "s3", "article_id": "s3#0", "event_type": "visit",
         "event_date": day, "countries": ["GBR", "OMN"], "initiator": "GBR"},
    ])
    dates = pa.Table.from_pylist([], schema=TABLES["article_dates"].arrow_schema)
    # s1 and s2 are rewrites of one statement: one independent report
    clusters = _clusters({"s1#0": list(range(20)), "s2#0": list(range(20)), "s3#0": [7]})
    events = run_model(models["events"], {"event_mentions": mentions, "article_dates": dates,
                                          "article_clusters": clusters})
    calls = events.filter(pa.compute.equal(events["event_type"], "call")).to_pylist()
    assert len(calls) == 3
    irq_tur = next(e for e in calls if e["countries"] == ["IRQ", "TUR"])
    assert irq_tur["n_mentions"] == 2 and irq_tur["n_articles"] == 2
    assert irq_tur["initiator"] == "IRQ" and irq_tur["n_independent_reports"] == 1
    table = run_model(models["calls_by_country_by_day"], {"events": events}).to_pylist()
    assert [(r["day"], r["country"], r["calls"], r["partners"], r["articles"]) for r in table] == [
        (day, "IRQ", 2, ["SYR", "TUR"], 2),
        (day, "SYR", 1, ["IRQ"], 1),
        (day, "TUR", 1, ["IRQ"], 2),
    ]


def test_event_ids_are_stable_across_runs():
    models = {m.name: m for m in load_models(REPO / "sql")}
    mentions = _mentions([{"mention_id": "a", "source_id": "s", "article_id": "s#0",
                           "event_type": "call", "event_date": dt.date(2024, 1, 2),
                           "countries": ["EGY", "SYR"]}])
    dates = pa.Table.from_pylist([], schema=TABLES["article_dates"].arrow_schema)
    inputs = {"event_mentions": mentions, "article_dates": dates,
              "article_clusters": _clusters({})}
    first = run_model(models["events"], inputs).column("event_id").to_pylist()
    assert first == run_model(models["events"], inputs).column("event_id").to_pylist()


def test_models_run_after_the_models_they_read():
    order = [m.name for m in in_dependency_order(load_models(REPO / "sql"))]
    assert order.index("events") < order.index("calls_by_country_by_day")


def test_the_network_and_the_dyads_count_a_three_way_call_on_each_pair():
    models = {m.name: m for m in load_models(REPO / "sql")}
    last = dt.date(2025, 3, 1)
    mentions = _mentions([
        {"mention_id": "a", "source_id": "s1", "article_id": "s1#0", "event_type": "call",
         "event_date": last, "countries": ["DEU", "FRA", "RUS"], "initiator": "DEU"},
        {"mention_id": "b", "source_id": "s2", "article_id": "s2#0", "event_type": "visit",
         "event_date": last - dt.timedelta(days=100), "countries": ["FRA", "RUS"]},
    ])
    dates = pa.Table.from_pylist([], schema=TABLES["article_dates"].arrow_schema)
    events = run_model(models["events"], {"event_mentions": mentions, "article_dates": dates,
                                          "article_clusters": _clusters({})})
    pairs = run_model(models["event_pairs"], {"events": events})
    edges = {(r["country_a"], r["country_b"]): r for r in
             run_model(models["country_contact_network"], {"event_pairs": pairs}).to_pylist()}
    assert set(edges) == {("DEU", "FRA"), ("DEU", "RUS"), ("FRA", "RUS")}
    fra_rus = edges[("FRA", "RUS")]
    assert (fra_rus["contacts"], fra_rus["calls"], fra_rus["visits"]) == (2, 1, 1)
    # windows end on the last day of data: the visit 100 days before is outside 30, inside 365
    assert (fra_rus["contacts_last_30_days"], fra_rus["contacts_last_365_days"]) == (1, 2)
    assert fra_rus["first_contact"] == last - dt.timedelta(days=100)
    dyads = {(r["country_a"], r["country_b"]): r for r in
             run_model(models["calls_by_dyad_by_day"], {"event_pairs": pairs}).to_pylist()}
    assert set(dyads) == set(edges)
    # Germany placed the call: on the France–Russia pair that is a third country's call
    assert (dyads[("DEU", "FRA")]["placed_by_a"], dyads[("FRA", "RUS")]["initiator_unknown"]
            ) == (1, 1)


def test_an_undated_mention_joins_the_one_dated_event_of_the_week_before_its_article():
    models = {m.name: m for m in load_models(REPO / "sql")}
    pub = dt.date(2025, 1, 10)
    call = {"event_type": "call", "countries": ["EGY", "JOR"]}
    mentions = _mentions([
        # dated reports: 7 days before u1's article (inside its week) and 8 days (outside)
        {"mention_id": "d1", "source_id": "s1", "article_id": "s1#0", **call,
         "event_date": pub - dt.timedelta(days=7), "initiator": "JOR"},
        {"mention_id": "d2", "source_id": "s2", "article_id": "s2#0", **call,
         "event_date": pub - dt.timedelta(days=8), "initiator": "EGY"},
        # undated: one candidate (d1) → joins it; its article names the other initiator,
        # so the vote ties and the first code wins
        {"mention_id": "u1", "source_id": "s3", "article_id": "s3#0", **call,
         "event_date": None, "initiator": "EGY"},
        # undated, published a day earlier: both dated calls lie in its week → stays alone
        {"mention_id": "u2", "source_id": "s4", "article_id": "s4#0", **call,
         "event_date": None},
    ])
    dates = pa.Table.from_pylist(
        [{"article_id": "s3#0", "published": pub, "published_basis": "feed"},
         {"article_id": "s4#0", "published": pub - dt.timedelta(days=1),
          "published_basis": "feed"}], schema=TABLES["article_dates"].arrow_schema)
    events = run_model(models["events"], {"event_mentions": mentions, "article_dates": dates,
                                          "article_clusters": _clusters({})}).to_pylist()
    by_mentions = {tuple(e["mention_ids"]): e for e in events}
    assert set(by_mentions) == {("d1", "u1"), ("d2",), ("u2",)}
    joined = by_mentions[("d1", "u1")]
    assert joined["event_date"] == pub - dt.timedelta(days=7)
    assert joined["initiator"] == "EGY" and joined["n_articles"] == 2
    assert by_mentions[("u2",)]["event_date"] is None


def test_events_are_ordered_by_their_country_lists_even_for_codes_that_prefix_others():
    """`events` sorts on the countries joined by commas, which orders like the lists only
    because every code sorts after the comma; AU (African Union) prefixes AUS."""
    from ittisal.quality.validation import valid_codes

    assert all(min(code) > "," for code in valid_codes())
    models = {m.name: m for m in load_models(REPO / "sql")}
    day = dt.date(2025, 2, 2)
    mentions = _mentions([
        {"mention_id": f"m{i}", "source_id": f"s{i}", "article_id": f"s{i}#0",
         "event_type": "meeting", "event_date": day, "countries": countries}
        for i, countries in enumerate([["AUS", "EGY"], ["AU", "ZAF"], ["AU", "EGY", "ZAF"],
                                       ["AU", "EGY"]])
    ])
    dates = pa.Table.from_pylist([], schema=TABLES["article_dates"].arrow_schema)
    events = run_model(models["events"], {"event_mentions": mentions, "article_dates": dates,
                                          "article_clusters": _clusters({})})
    order = events.column("countries").to_pylist()
    assert order == sorted(order) == [["AU", "EGY"], ["AU", "EGY", "ZAF"], ["AU", "ZAF"],
                                      ["AUS", "EGY"]]


def test_contacts_an_article_tells_apart_stay_apart_and_other_reports_join_the_first():
    """Two officials of one state call the same counterpart on one day (contact_key = each
    caller): two events and two calls a country in the table. A report of another article
    that names neither caller joins the first; a lone call keeps the id it always had."""
    models = {m.name: m for m in load_models(REPO / "sql")}
    day = dt.date(2018, 4, 28)
    call = {"event_type": "call", "event_date": day, "countries": ["KOR", "USA"],
            "initiator": "USA"}
    mentions = _mentions([
        {"mention_id": "a", "source_id": "s1", "article_id": "s1#0", **call,
         "contact_key": "دونالد ترامب"},
        {"mention_id": "b", "source_id": "s1", "article_id": "s1#0", **call,
         "contact_key": "جيم ماتيس"},
        {"mention_id": "c", "source_id": "s2", "article_id": "s2#0", **call},
        {"mention_id": "d", "source_id": "s3", "article_id": "s3#0", "event_type": "call",
         "event_date": day, "countries": ["EGY", "JOR"]},
    ])
    dates = pa.Table.from_pylist([], schema=TABLES["article_dates"].arrow_schema)
    inputs = {"event_mentions": mentions, "article_dates": dates,
              "article_clusters": _clusters({})}
    events = run_model(models["events"], inputs).to_pylist()
    assert sorted(tuple(e["mention_ids"]) for e in events) == [("a",), ("b", "c"), ("d",)]
    assert len({e["event_id"] for e in events}) == 3
    lone = run_model(models["events"], {**inputs, "event_mentions": _mentions([
        {"mention_id": "d", "source_id": "s3", "article_id": "s3#0", "event_type": "call",
         "event_date": day, "countries": ["EGY", "JOR"]}])}).to_pylist()
    assert lone[0]["event_id"] == next(e["event_id"] for e in events if e["mention_ids"] == ["d"])
    table = run_model(models["calls_by_country_by_day"],
                      {"events": run_model(models["events"], inputs)}).to_pylist()
    assert {(r["country"], r["calls"]) for r in table} == {
        ("KOR", 2), ("USA", 2), ("EGY", 1), ("JOR", 1)}
