"""A big feed is computed as batches of its lines, each a part of its own, so that the
workers (and Dagster's runs) share one feed; what the tables hold does not change."""

from __future__ import annotations

import json

import pytest

from ittisal import stages
from ittisal.store.incremental import sync_table
from ittisal.store.lake import Lake
from ittisal.store.landing import BATCH_SEP, discover, file_part, fingerprints
from ittisal.store.schemas import QUARANTINE, RAW_DOCUMENTS
from tests.conftest import CORPUS, built_home, query_warehouse

DEV_FEED = CORPUS / "dev" / "articles.jsonl"


def _land(tmp_path, data: bytes):
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "feed.jsonl").write_bytes(data)
    return landing


def _ingest(tmp_path, landing, batch: int, version: str = "v1"):
    files = discover(landing)
    lake, quarantine = str(tmp_path / f"lake{batch}"), str(tmp_path / f"q{batch}")
    report = sync_table(lake, quarantine, RAW_DOCUMENTS,
                        fingerprints(files, version, batch_records=batch),
                        stages.ingest(landing, files, version, batch), workers=2)
    return report, Lake(lake), Lake(quarantine)


def _rows(lake: Lake, table: str, key: str) -> list:
    rows = lake.read_table(table, RAW_DOCUMENTS.arrow_schema).to_pylist()
    return sorted((r[key], r["line_no"]) for r in rows)


def test_a_feed_longer_than_a_batch_is_cut_into_batches_that_hold_every_line_once(tmp_path):
    landing = _land(tmp_path, DEV_FEED.read_bytes())
    lines = len(DEV_FEED.read_bytes().splitlines())  # the 37 dev articles
    parts = fingerprints(discover(landing), "v1", batch_records=10)
    assert len(parts) == -(-lines // 10) and all(BATCH_SEP in p for p in parts)
    assert {file_part(p) for p in parts} == {discover(landing)[0].part}
    # one batch of the whole feed when it fits
    assert list(fingerprints(discover(landing), "v1", batch_records=lines)) == [
        discover(landing)[0].part]
    report, batched, _ = _ingest(tmp_path, landing, 10)
    assert sorted(report.computed) == sorted(parts)
    _, whole, _ = _ingest(tmp_path, landing, 1000)
    assert _rows(batched, RAW_DOCUMENTS.name, "source_id") == _rows(
        whole, RAW_DOCUMENTS.name, "source_id")
    assert len(_rows(batched, RAW_DOCUMENTS.name, "source_id")) == lines


def test_a_refused_line_and_a_duplicate_id_of_an_earlier_batch_go_to_their_own_batch(tmp_path):
    lines = [json.dumps({"id": i, "text": f"اتصال هاتفي بين الرئيسين رقم {i}"},
                        ensure_ascii=False) for i in range(7)]
    lines[4] = "{not json"
    lines[6] = json.dumps({"id": 1, "text": "نص آخر"}, ensure_ascii=False)  # id of line 2
    landing = _land(tmp_path, ("\n".join(lines) + "\n").encode("utf-8"))
    _, lake, quarantine = _ingest(tmp_path, landing, 3)  # lines 1-3, 4-6, 7
    refused = {r["line_no"]: r["reason"] for r in quarantine.read_table(
        RAW_DOCUMENTS.name, QUARANTINE.arrow_schema).to_pylist()}
    assert sorted(refused) == [5, 7]
    assert "duplicate id '1' (first on line 2" in refused[7]
    assert [n for _, n in _rows(lake, RAW_DOCUMENTS.name, "source_id")] == [1, 2, 3, 4, 6]


def test_another_batch_size_computes_every_batch_again(tmp_path):
    landing = _land(tmp_path, DEV_FEED.read_bytes())
    files = discover(landing)
    by_ten = fingerprints(files, "v1", batch_records=10)
    by_twelve = fingerprints(files, "v1", batch_records=12)
    assert set(by_ten) == set(by_twelve)  # 4 batches either way
    assert not set(by_ten.items()) & set(by_twelve.items())


def test_a_changed_line_recomputes_every_batch_of_its_feed_and_a_rerun_nothing(tmp_path):
    data = DEV_FEED.read_bytes()
    landing = _land(tmp_path, data)
    _ingest(tmp_path, landing, 10)
    report, _, _ = _ingest(tmp_path, landing, 10)
    assert report.computed == [] and report.unchanged == 4
    (landing / "feed.jsonl").write_bytes(data.replace("الرئيس".encode(), "رئيس".encode(), 1))
    report, lake, _ = _ingest(tmp_path, landing, 10)
    assert len(report.computed) == 4  # the file's identity moved: its batches follow
    assert len(_rows(lake, RAW_DOCUMENTS.name, "source_id")) == len(data.splitlines())


@pytest.mark.slow
def test_a_run_in_batches_gives_the_tables_of_a_run_of_whole_files(tmp_path, monkeypatch):
    feeds = [("dev.jsonl", DEV_FEED.read_bytes()),
             ("tune.jsonl", (CORPUS / "dev2" / "tune" / "articles.jsonl").read_bytes())]
    whole = built_home(tmp_path / "whole", *feeds)
    monkeypatch.setenv("ITTISAL_BATCH_RECORDS", "8")
    batched = built_home(tmp_path / "batched", *feeds)
    parts = Lake(str(batched / "lake")).fingerprints(RAW_DOCUMENTS.name)
    assert len(parts) == -(-37 // 8) + -(-95 // 8)
    for table in ("cleaned_articles", "entity_mentions", "event_mentions", "events",
                  "calls_by_country_by_day", "article_clusters", "quarantine"):
        sql = f"select * from {table} order by all"
        assert query_warehouse(batched, sql) == query_warehouse(whole, sql), table
