"""Asset checks: the blocking ones stop bad data (keys, codes, evidence spans, dates, records
gone missing); the warning one flags a day whose calls fell off a cliff.

Tables are read lazily (DuckDB pulls only the columns a rule names), evidence is checked part
by part (an article's mentions and its text share a part name), and a check's result is kept
with the signature of the tables it read: a run with nothing new reports it again instead of
rescanning a year of text.
"""

from __future__ import annotations

from collections.abc import Callable

import dagster as dg

from assets.resources import IttisalStorage
from ittisal.quality import validation
from ittisal.settings import Settings
from ittisal.store.lake import Lake
from ittisal.store.landing import discover, file_part, fingerprints
from ittisal.store.schemas import CLEANED_ARTICLES, EVENT_MENTIONS, QUARANTINE, RAW_DOCUMENTS
from ittisal.store.state import read_state, write_state
from ittisal.store.warehouse import inputs_signature, lake_source, lake_table
from ittisal.version import pipeline_version


def _checked(settings: Settings, name: str, tables: list[str], rule: str,
             find: Callable[[], list[tuple]], extra: str = "") -> dg.AssetCheckResult:
    """Run `find` (the rows breaking `rule`), or reuse its last result when `tables` (and
    `extra`, what else the rule reads) are unchanged since."""
    signature = inputs_signature(settings, tables, f"{name}:{pipeline_version()}:{extra}")
    cache = settings.check_results / f"{name}.json"
    kept = read_state(cache)
    reused = kept.get("signature") == signature
    if reused:
        found = kept["metadata"]
    else:
        failures = find()
        found = {"failures": len(failures), "example": str(failures[:3])[:500]}
        write_state(cache, {"signature": signature, "metadata": found})
    return dg.AssetCheckResult(
        passed=found["failures"] == 0,
        metadata={**found, "rule": rule, "reused": reused},
    )


@dg.asset_check(asset=RAW_DOCUMENTS.name, name="unique_source_id", blocking=True,
                description="Every landed record has one identity (`source_id` is unique).")
def raw_documents_unique_source_id(storage: IttisalStorage) -> dg.AssetCheckResult:
    s = storage.settings()
    return _checked(s, "unique_source_id", [RAW_DOCUMENTS.name], "unique source_id",
                    lambda: validation.duplicate_keys(lake_source(s, RAW_DOCUMENTS.name),
                                                      RAW_DOCUMENTS.key))


@dg.asset_check(asset=EVENT_MENTIONS.name, name="keys_and_codes", blocking=True,
                description="Unique mention ids; countries are ISO alpha-3 or organisation "
                            "codes and the initiator is one of them.")
def event_mentions_keys_and_codes(storage: IttisalStorage) -> dg.AssetCheckResult:
    s = storage.settings()

    def find() -> list[tuple]:
        mentions = lake_source(s, EVENT_MENTIONS.name)
        return (validation.duplicate_keys(mentions, EVENT_MENTIONS.key)
                + validation.unknown_countries(mentions))

    return _checked(s, "mention_keys_and_codes", [EVENT_MENTIONS.name],
                    "unique mention_id, valid codes", find)


@dg.asset_check(asset=EVENT_MENTIONS.name, name="evidence_and_dates", blocking=True,
                additional_deps=[CLEANED_ARTICLES.name],
                description="Each evidence is exactly the article text at its offsets, and no "
                            "event is dated after its article was published.")
def event_mentions_evidence_and_dates(storage: IttisalStorage) -> dg.AssetCheckResult:
    s = storage.settings()

    def find() -> list[tuple]:
        lake = Lake(s.lake)
        failures: list[tuple] = []
        # part by part: only one landed file's texts are in memory at a time
        texts = lake.fingerprints(CLEANED_ARTICLES.name)
        for part in sorted(lake.fingerprints(EVENT_MENTIONS.name)):
            mentions = lake.source(EVENT_MENTIONS.name, EVENT_MENTIONS.arrow_schema,
                                    [lake.part_path(EVENT_MENTIONS.name, part)])
            articles = lake.source(CLEANED_ARTICLES.name, CLEANED_ARTICLES.arrow_schema,
                                    [lake.part_path(CLEANED_ARTICLES.name, part)]
                                    if part in texts else [])
            failures += validation.evidence_outside_text(mentions, articles)
        return failures + validation.dated_after_publication(
            lake_source(s, EVENT_MENTIONS.name))

    return _checked(s, "evidence_and_dates", [EVENT_MENTIONS.name, CLEANED_ARTICLES.name],
                    "evidence spans, dates not after publication", find)


@dg.asset_check(asset=RAW_DOCUMENTS.name, name="every_record_accounted_for", blocking=True,
                description="Every landed record is accounted for: each file, and each "
                            "non-blank line of a feed, is in `raw_documents` or in quarantine.")
def raw_documents_every_record_accounted_for(storage: IttisalStorage) -> dg.AssetCheckResult:
    s = storage.settings()
    landed = fingerprints(discover(s.landing), pipeline_version(), s.landing_hashes,
                          s.batch_records)
    # the files ingested so far: a run for some partitions has not read the others yet
    processed = {file_part(p) for p in Lake(s.lake).fingerprints(RAW_DOCUMENTS.name)}
    return _checked(
        s, "every_record_accounted_for", [RAW_DOCUMENTS.name, QUARANTINE.name],
        "landed = processed + quarantined",
        lambda: validation.unaccounted_records(s.landing, lake_source(s, RAW_DOCUMENTS.name),
                                               lake_source(s, QUARANTINE.name), processed),
        extra=repr(sorted(landed.items())))


@dg.asset_check(asset="calls_by_country_by_day", name="no_sudden_drop",
                description="Warns when the latest day's calls fall below half the median of "
                            "the 28 days before (a feed that stopped, a broken rule).")
def calls_by_country_by_day_no_sudden_drop(storage: IttisalStorage) -> dg.AssetCheckResult:
    table = lake_table(storage.settings(), "calls_by_country_by_day")
    daily: dict = {}
    for day, calls in zip(table["day"].to_pylist(), table["calls"].to_pylist(), strict=True):
        daily[day] = daily.get(day, 0) + calls
    drop = validation.sudden_drop(daily)
    return dg.AssetCheckResult(passed=drop is None, severity=dg.AssetCheckSeverity.WARN,
                               metadata={"days": len(daily), "drop": drop or "none"})


ASSET_CHECKS = [raw_documents_unique_source_id, raw_documents_every_record_accounted_for,
                event_mentions_keys_and_codes, event_mentions_evidence_and_dates,
                calls_by_country_by_day_no_sudden_drop]
