"""The whole pipeline through Dagster in a temporary ITTISAL_HOME: samples, the dev feed,
re-runs, an added file, bad input, and the sensor."""

from __future__ import annotations

import shutil

import dagster as dg

from pipelines.cli import main
from tests.conftest import CORPUS, SEEDS, built_home
from tests.conftest import query_warehouse as _query


def _land_everything(home):
    landing = home / "landing"
    shutil.copytree(SEEDS, landing / "seeds", ignore=shutil.ignore_patterns("*.jsonl"))
    shutil.copy(CORPUS / "dev" / "articles.jsonl", landing / "feed.jsonl")
    (landing / "bad").mkdir()
    (landing / "bad" / "empty.txt").write_bytes(b"")
    (landing / "bad" / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (landing / "bad" / "broken.jsonl").write_text(
        '{"id": "ok-1", "text": "تلقى الرئيس المصري اتصالا هاتفيا من الرئيس الفرنسي."}\n'
        "{not json\n"
        '["an", "array"]\n'
        '{"id": "no-text"}\n', encoding="utf-8")
    return landing


def test_run_fills_every_table_accounts_for_every_record_and_is_idempotent(home, capsys):
    _land_everything(home)
    assert main(["run"]) == 0
    counts = dict(_query(home, """
        select 'raw', count(*) from raw_documents union all
        select 'quarantine', count(*) from quarantine union all
        select 'mentions', count(*) from event_mentions union all
        select 'entities', count(*) from entity_mentions union all
        select 'events', count(*) from events union all
        select 'calls', count(*) from calls_by_country_by_day"""))
    # 5 seeds + 37 feed articles + 1 good line of the broken feed
    assert counts["raw"] == 43
    # empty file, binary file, a non-JSON line, an array line, a line without text
    assert counts["quarantine"] == 5
    assert min(counts.values()) > 0
    reasons = [r for (r,) in _query(home, "select reason from quarantine order by reason")]
    assert any("not JSON" in r for r in reasons) and any("empty" in r.lower() for r in reasons)
    before = _query(home, "select * from events order by event_id")
    table_before = _query(home, "select * from calls_by_country_by_day")

    capsys.readouterr()
    assert main(["run"]) == 0
    summary = capsys.readouterr().out
    assert "computed=0" in summary and "computed=1" not in summary
    warehouse_line = next(line for line in summary.splitlines() if line.startswith("warehouse"))
    assert "not rebuilt" in warehouse_line
    checks = [line for line in summary.splitlines() if line.startswith("check ")]
    blocking = [line for line in checks if "no_sudden_drop" not in line]
    assert len(blocking) == 4 and all("passed" in c and "result reused" in c for c in blocking)
    assert _query(home, "select * from events order by event_id") == before
    assert _query(home, "select * from calls_by_country_by_day") == table_before

    extra = home / "landing" / "later.txt"
    shutil.copy(SEEDS / "004_edd459b6dd962f52.txt", extra)
    assert main(["run"]) == 0
    summary = capsys.readouterr().out
    raw_line = next(line for line in summary.splitlines() if line.startswith("raw_documents"))
    assert "computed=1 " in raw_line and "rows=44" in raw_line
    # the tables changed: every blocking check looks at them again
    assert not any("result reused" in line for line in summary.splitlines())


def test_seed_samples_give_exactly_the_expected_daily_calls(home):
    """The five scraped pages carry no publication date; their calls are dated by agreement
    with each other. The Assad–bin Zayed call has no date and is on no day; the Oman–UK
    reception is a meeting (no travel is stated, so no visit) and the Kadhimi message a
    message, neither a call."""
    assert main(["samples"]) == 0
    assert main(["run"]) == 0
    rows = _query(home, "select day::varchar, country, calls from calls_by_country_by_day "
                        "order by day, country")
    assert rows == [
        ("2024-11-30", "IRQ", 1), ("2024-11-30", "SYR", 1),
        ("2024-12-01", "IRQ", 2), ("2024-12-01", "SYR", 1), ("2024-12-01", "TUR", 1),
        ("2024-12-31", "EGY", 1), ("2024-12-31", "SYR", 1),
    ]
    kinds = dict(_query(home, "select event_type, count(*) from events group by all"))
    assert kinds["meeting"] >= 1 and kinds["message"] >= 1 and "visit" not in kinds


def test_three_rewrites_of_one_statement_are_one_independent_report(home):
    """000, 001 and 002 retell one Iraqi foreign-ministry statement; 003 and 004 are other
    stories. The 1 December Iraq–Syria call is in three articles but one report."""
    assert main(["samples"]) == 0
    assert main(["run"]) == 0
    clusters = _query(home, "select regexp_extract(article_id, '(\\d{3})_', 1), cluster_id "
                            "from article_clusters where article_id like '%#0' order by 1")
    by_file = dict(clusters)
    assert by_file["000"] == by_file["001"] == by_file["002"]
    assert len({by_file["000"], by_file["003"], by_file["004"]}) == 3
    [(articles, reports)] = _query(home, """
        select n_articles, n_independent_reports from events
        where event_type = 'call' and event_date = date '2024-12-01'
            and list_sort(countries) = ['IRQ', 'SYR']""")
    assert (articles, reports) == (3, 1)


def test_officials_and_the_network_name_who_contacted_whom(home):
    assert main(["samples"]) == 0
    assert main(["run"]) == 0
    partners = _query(home, """
        select counterpart_country, counterpart_id, offices, calls from officials_activity
        where person_id = 'hussein_fuad' order by counterpart_country""")
    assert partners == [("SYR", "sabbagh_bassam", ["foreign_minister"], 1),
                        ("TUR", "fidan_hakan", ["foreign_minister"], 1)]
    edges = dict(((a, b), (contacts, calls)) for a, b, contacts, calls in _query(
        home, "select country_a, country_b, contacts, calls from country_contact_network"))
    assert edges[("IRQ", "SYR")] == (2, 2) and edges[("IRQ", "TUR")] == (1, 1)
    assert all(a < b for a, b in edges)


def test_dev_set_scores_stay_above_their_floors(home):
    """Measured on the 37 dev articles: call full-tuple F1 0.917, table F1 0.923, all-types
    detection 0.970."""
    from ittisal.quality.evaluation import evaluate_warehouse

    shutil.copy(CORPUS / "dev" / "articles.jsonl", home / "landing" / "dev.jsonl")
    assert main(["run"]) == 0
    scores = evaluate_warehouse(home / "warehouse.duckdb", CORPUS / "dev" / "gold.jsonl").scores
    assert scores["call full tuple"].f1 >= 0.91
    assert scores["calls_by_country_by_day rows"].f1 >= 0.92
    assert scores["detection (article, type, countries)"].f1 >= 0.93


def test_sensor_requests_a_run_only_when_landing_changed(home):
    from pipelines.definitions import defs

    sensor = defs.resolve_sensor_def("landing_sensor")
    shutil.copy(SEEDS / "004_edd459b6dd962f52.txt", home / "landing" / "a.txt")
    with dg.DagsterInstance.ephemeral() as instance:
        def tick() -> dg.SensorResult:
            with dg.build_sensor_context(resources=defs.resources, instance=instance) as ctx:
                return sensor(ctx)

        [first] = tick().run_requests
        assert main(["run"]) == 0
        assert not tick().run_requests
        (home / "landing" / "a.txt").write_text("وزير الخارجية", encoding="utf-8")
        [again] = tick().run_requests
        assert again.run_key != first.run_key


def test_a_second_run_on_the_same_home_exits_cleanly_while_one_is_running(home, capsys):
    import fcntl

    with open(home / ".run.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert main(["run"]) == 75
    assert "another ittisal run" in capsys.readouterr().err
    assert main(["run"]) == 0


READER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.sql("select count(*) from raw_documents").fetchall()[0][0], flush=True)
sys.stdin.readline()
print(con.sql("select count(*) from raw_documents").fetchall()[0][0],
      con.sql("select count(*) from event_mentions").fetchall()[0][0], flush=True)
"""


def test_an_open_reader_neither_blocks_a_run_nor_sees_a_half_built_warehouse(home):
    """Another process holds the warehouse open read-only while a run publishes a new one:
    the run succeeds at once, the reader keeps its consistent old snapshot, and a new
    connection sees the new tables."""
    import subprocess
    import sys
    import time

    shutil.copy(SEEDS / "004_edd459b6dd962f52.txt", home / "landing" / "a.txt")
    assert main(["run"]) == 0
    path = str(home / "warehouse.duckdb")
    reader = subprocess.Popen([sys.executable, "-c", READER, path], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "1"
        shutil.copy(SEEDS / "002_8ed349425e4bec21.txt", home / "landing" / "b.txt")
        started = time.monotonic()
        assert main(["run"]) == 0
        assert time.monotonic() - started < 30
        reader.stdin.write("\n")
        reader.stdin.flush()
        old_raw, old_mentions = map(int, reader.stdout.readline().split())
    finally:
        reader.kill()
    assert old_raw == 1
    assert old_mentions == _query(home, "select count(*) from event_mentions "
                                        "where source_id = 'a.txt'")[0][0]
    assert _query(home, "select count(*) from raw_documents")[0][0] == 2


def test_a_home_whose_path_has_a_quote_and_a_space_runs_every_sql_step(tmp_path):
    """Paths from the environment reach SQL only as parameters or escaped literals."""
    root = tmp_path / "analyst's data" / "home"
    built_home(root, ("a.txt", (SEEDS / "004_edd459b6dd962f52.txt").read_bytes()))
    assert _query(root, "select count(*) from raw_documents") == [(1,)]
    assert _query(root, "select count(*) from events")[0][0] > 0
