"""One record can cost only so much in the text stages: an article text longer than
`ITTISAL_MAX_TEXT_CHARS` after cleaning, or a record that takes longer than
`ITTISAL_RECORD_SECONDS` in a stage, is quarantined with the reason; the other records of its
file are processed, every record is accounted for, and a later run does not start over on it.

The stages run through the same `sync_table` calls the assets make (no Dagster, to stay fast).
"""

from __future__ import annotations

import json
import threading
import time

import pytest

from assets.resources import IttisalStorage
from ittisal import stages
from ittisal.budget import OverBudget, RecordBudget
from ittisal.settings import Settings
from ittisal.store.incremental import sync_table
from ittisal.store.lake import Lake
from ittisal.store.landing import discover, fingerprints
from ittisal.store.schemas import (
    ARTICLE_FINGERPRINTS,
    CLEANED_ARTICLES,
    ENTITY_MENTIONS,
    EVENT_MENTIONS,
    PARSED_ARTICLES,
    RAW_DOCUMENTS,
)
from ittisal.synthetic import long_record
from ittisal.version import pipeline_version
from tests.conftest import CORPUS, read_jsonl

STAGES = ((PARSED_ARTICLES, RAW_DOCUMENTS, stages.parse_part),
          (CLEANED_ARTICLES, PARSED_ARTICLES, stages.clean_part),
          (ARTICLE_FINGERPRINTS, CLEANED_ARTICLES, stages.fingerprint_part),
          (ENTITY_MENTIONS, CLEANED_ARTICLES, stages.tag_part),
          (EVENT_MENTIONS, ENTITY_MENTIONS, stages.event_part))


def _land(home, records: dict[str, str]) -> None:
    lines = [json.dumps({"id": rid, "text": text, "published": "2018-05-01"},
                        ensure_ascii=False) for rid, text in records.items()]
    (home / "landing" / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _run(settings: Settings) -> list[int]:
    """Every text stage once; the number of parts each computed."""
    files = discover(settings.landing)
    reports = [sync_table(settings.lake, settings.quarantine, RAW_DOCUMENTS,
                          fingerprints(files, pipeline_version()),
                          stages.ingest(settings.landing, files, pipeline_version()))]
    for table, upstream, func in STAGES:
        reports.append(sync_table(settings.lake, settings.quarantine, table,
                                  Lake(settings.lake).fingerprints(upstream.name),
                                  stages.per_part(func, settings)))
    return [len(r.computed) for r in reports]


def _column(store: str, table: str, column: str) -> list:
    lake = Lake(store)
    return [v for part in sorted(lake.fingerprints(table))
            for batch in lake.read_part(table, part) for v in batch.column(column).to_pylist()]


def _quarantined(settings: Settings) -> dict[str, str]:
    tables = [RAW_DOCUMENTS.name, *(table.name for table, _, _ in STAGES)]
    return dict(zip(*(sum((_column(settings.quarantine, t, c) for t in tables), [])
                      for c in ("source_id", "reason")), strict=True))


def _normal_article() -> str:
    return read_jsonl(CORPUS / "dev" / "articles.jsonl")[0]["text"]


def test_an_article_over_the_default_length_is_quarantined_and_the_rest_of_its_file_read(home):
    settings = Settings.from_env()
    assert settings.max_text_chars == 200_000  # the documented default
    _land(home, {"long": long_record(210_000, CORPUS), "normal": _normal_article()})
    _run(settings)
    refused = _quarantined(settings)
    assert "text too long for one article" in refused["feed.jsonl#long"]
    assert "characters after cleaning (limit 200,000" in refused["feed.jsonl#long"]
    cleaned = _column(settings.lake, CLEANED_ARTICLES.name, "source_id")
    assert cleaned == ["feed.jsonl#normal"]
    assert "feed.jsonl#normal" in _column(settings.lake, ENTITY_MENTIONS.name, "source_id")
    # every raw record is in the article table or in quarantine
    raw = set(_column(settings.lake, RAW_DOCUMENTS.name, "source_id"))
    assert raw == set(cleaned) | set(refused)


def test_the_length_limit_follows_its_setting(home, monkeypatch):
    monkeypatch.setenv("ITTISAL_MAX_TEXT_CHARS", "800")
    settings = Settings.from_env()
    assert IttisalStorage().settings().max_text_chars == 800  # what the assets are given
    assert len(_normal_article()) > 800
    _land(home, {"article": _normal_article()})
    _run(settings)
    assert "(limit 800, ITTISAL_MAX_TEXT_CHARS)" in _quarantined(settings)["feed.jsonl#article"]


def test_a_record_over_the_time_budget_is_quarantined_and_never_tried_again(home, monkeypatch):
    monkeypatch.setenv("ITTISAL_RECORD_SECONDS", "0.5")
    settings = Settings.from_env()
    assert IttisalStorage().settings().record_seconds == 0.5
    original = stages.tagging.tag

    def endless_on_long_texts(text, on):
        if len(text.display) > 20_000:
            time.sleep(30)  # a tagger that never ends on this record
        return original(text, on)

    monkeypatch.setattr(stages.tagging, "tag", endless_on_long_texts)
    _land(home, {"slow": long_record(25_000, CORPUS), "normal": _normal_article()})
    started = time.monotonic()
    _run(settings)
    assert time.monotonic() - started < 10
    refused = _quarantined(settings)
    assert "took longer than 0.5 s in tagging" in refused["feed.jsonl#slow"]
    tagged = set(_column(settings.lake, ENTITY_MENTIONS.name, "source_id"))
    assert tagged == {"feed.jsonl#normal"}
    # the next run finds every part up to date: it does not start over on the slow record
    started = time.monotonic()
    assert _run(settings) == [0] * (len(STAGES) + 1)
    assert time.monotonic() - started < 5
    assert "feed.jsonl#slow" in _quarantined(settings)


def test_off_the_main_thread_the_time_is_checked_when_the_record_ends():
    caught: list[BaseException] = []

    def work() -> None:
        try:
            with RecordBudget(1000, 0.05).clock("tagging"):
                time.sleep(0.2)
        except OverBudget as exc:
            caught.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert caught and "took longer than 0.05 s in tagging" in str(caught[0])


@pytest.mark.parametrize("seconds", [0.0, 5.0])
def test_work_within_the_budget_is_left_alone(seconds):
    with RecordBudget(1000, seconds).clock("parsing"):
        time.sleep(0.01)
