"""The per-part stages over every shared corpus set (seeds, dev, dev2 tune and check) give
exactly what the text functions give when called on each article directly: the stages' own
plumbing (rows read from and written to Parquet, texts normalized once in display form, entity
mentions carried from the tagging stage to the event stage) changes nothing that is extracted.
"""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from ittisal import stages
from ittisal.entities import tagging
from ittisal.events.mentions import extract_events
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
from ittisal.text.fingerprints import text_fingerprints
from ittisal.text.language import detect_language
from ittisal.text.normalize import display_form, matching_form, normalize
from ittisal.version import pipeline_version
from tests.conftest import CORPUS, SEEDS

FEEDS = ("dev/articles.jsonl", "dev2/tune/articles.jsonl", "dev2/check/articles.jsonl")
DERIVED = ((PARSED_ARTICLES, RAW_DOCUMENTS, stages.parse_part),
           (CLEANED_ARTICLES, PARSED_ARTICLES, stages.clean_part),
           (ARTICLE_FINGERPRINTS, CLEANED_ARTICLES, stages.fingerprint_part),
           (ENTITY_MENTIONS, CLEANED_ARTICLES, stages.tag_part),
           (EVENT_MENTIONS, ENTITY_MENTIONS, stages.event_part))


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> dict[str, list[dict]]:
    """Every document-layer table of a lake that landed the whole shared corpus."""
    home = tmp_path_factory.mktemp("home")
    settings = dataclasses.replace(Settings.of_own_home(home), workers=1)
    landing = settings.landing
    landing.mkdir(parents=True, exist_ok=True)
    for name in FEEDS:
        shutil.copy(CORPUS / name, landing / name.replace("/", "_"))
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, landing / seed.name)
    files = discover(landing)
    version = pipeline_version()
    sync_table(settings.lake, settings.quarantine, RAW_DOCUMENTS, fingerprints(files, version),
               stages.ingest(landing, files, version), 1)
    lake = Lake(settings.lake)
    for table, upstream, func in DERIVED:
        sync_table(settings.lake, settings.quarantine, table, lake.fingerprints(upstream.name),
                   stages.per_part(func, settings), 1)
    return {table.name: [row for part in sorted(lake.fingerprints(table.name))
                         for batch in lake.read_part(table.name, part)
                         for row in batch.to_pylist()]
            for table, _, _ in DERIVED}


def _arabic(tables) -> list[dict]:
    articles = [a for a in tables[CLEANED_ARTICLES.name] if a["language"] == "ar"]
    assert len(articles) > 150  # every set landed and was read
    return articles


def test_cleaned_texts_are_in_display_form_and_their_language_is_the_detector_s(tables):
    """What lets the stages skip the display repairs (`displayed=True`)."""
    for art in tables[CLEANED_ARTICLES.name]:
        assert display_form(art["text"]) == art["text"]
        guess = detect_language(art["text"])
        assert (art["language"], art["language_probability"], art["language_method"]) == (
            guess.lang, guess.probability, guess.method)


def test_fingerprints_are_those_of_each_article_text(tables):
    got: dict[str, set[int]] = {}
    for row in tables[ARTICLE_FINGERPRINTS.name]:
        got.setdefault(row["article_id"], set()).add(row["fingerprint"])
    for art in tables[CLEANED_ARTICLES.name]:
        want = set(text_fingerprints(matching_form(art["text"] or "")))
        assert got.get(art["article_id"], set()) == want


def test_entity_and_event_mentions_are_those_of_the_functions_called_directly(tables):
    entities: dict[str, list[tuple]] = {}
    for row in tables[ENTITY_MENTIONS.name]:
        entities.setdefault(row["article_id"], []).append(
            (row["start_char"], row["end_char"], row["kind"], row["canonical"], row["country"],
             row["person_id"]))
    events: dict[str, list[tuple]] = {}
    for row in tables[EVENT_MENTIONS.name]:
        events.setdefault(row["article_id"], []).append(
            (row["evidence_start"], row["evidence_end"], row["event_type"], row["event_date"],
             tuple(row["countries"]), row["initiator"], tuple(row["persons"]),
             row["background"]))
    assert sum(map(len, events.values())) > 100
    for art in _arabic(tables):
        text = normalize(art["text"])
        found = tagging.tag(text, art["published"])
        assert entities.get(art["article_id"], []) == [
            (*text.display_span(m.start, m.end), m.kind, m.canonical, m.country, m.person_id)
            for m in found]
        assert events.get(art["article_id"], []) == [
            (*text.display_span(ev.start, ev.end), ev.event_type, ev.date.date,
             tuple(ev.countries), ev.initiator, tuple(ev.persons), ev.background)
            for ev in extract_events(text, found, art["published"])]
