"""Asset checks: the blocking ones stop bad data (keys, codes, evidence spans, dates, records
gone missing); the warning one flags a day whose calls fell off a cliff."""

from __future__ import annotations

import dagster as dg

from assets.warehouse import read_lake_table
from ittisal import validation
from ittisal.schemas import CLEANED_ARTICLES, EVENT_MENTIONS, QUARANTINE, RAW_DOCUMENTS
from pipelines.resources import IttisalStorage


def _result(failures: list[tuple], what: str) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=not failures,
        metadata={"failures": len(failures), "example": str(failures[:3])[:500],
                  "rule": what},
    )


@dg.asset_check(asset=RAW_DOCUMENTS.name, blocking=True,
                description="Every landed record has one identity (`source_id` is unique).")
def raw_documents_unique_source_id(storage: IttisalStorage) -> dg.AssetCheckResult:
    table = read_lake_table(storage, RAW_DOCUMENTS.name)
    return _result(validation.duplicate_keys(table, RAW_DOCUMENTS.key), "unique source_id")


@dg.asset_check(asset=EVENT_MENTIONS.name, blocking=True,
                description="Unique mention ids; countries are ISO alpha-3 or organisation "
                            "codes and the initiator is one of them.")
def event_mentions_keys_and_codes(storage: IttisalStorage) -> dg.AssetCheckResult:
    table = read_lake_table(storage, EVENT_MENTIONS.name)
    failures = validation.duplicate_keys(table, EVENT_MENTIONS.key)
    failures += validation.unknown_countries(table)
    return _result(failures, "unique mention_id, valid codes")


@dg.asset_check(asset=EVENT_MENTIONS.name, blocking=True,
                additional_deps=[CLEANED_ARTICLES.name],
                description="Each evidence is exactly the article text at its offsets, and no "
                            "event is dated after its article was published.")
def event_mentions_evidence_and_dates(storage: IttisalStorage) -> dg.AssetCheckResult:
    mentions = read_lake_table(storage, EVENT_MENTIONS.name)
    articles = read_lake_table(storage, CLEANED_ARTICLES.name)
    failures = validation.evidence_outside_text(mentions, articles)
    failures += validation.dated_after_publication(mentions)
    return _result(failures, "evidence spans, dates not after publication")


@dg.asset_check(asset=RAW_DOCUMENTS.name, blocking=True,
                description="Every landed record is accounted for: each file, and each "
                            "non-blank line of a feed, is in `raw_documents` or in quarantine.")
def raw_documents_every_record_accounted_for(storage: IttisalStorage) -> dg.AssetCheckResult:
    missing = validation.unaccounted_records(
        storage.settings().landing, read_lake_table(storage, RAW_DOCUMENTS.name),
        read_lake_table(storage, QUARANTINE.name))
    return _result(missing, "landed = processed + quarantined")


@dg.asset_check(asset="calls_by_country_by_day",
                description="Warns when the latest day's calls fall below half the median of "
                            "the 28 days before (a feed that stopped, a broken rule).")
def calls_by_country_by_day_no_sudden_drop(storage: IttisalStorage) -> dg.AssetCheckResult:
    table = read_lake_table(storage, "calls_by_country_by_day")
    daily: dict = {}
    for day, calls in zip(table["day"].to_pylist(), table["calls"].to_pylist(), strict=True):
        daily[day] = daily.get(day, 0) + calls
    drop = validation.sudden_drop(daily)
    return dg.AssetCheckResult(passed=drop is None, severity=dg.AssetCheckSeverity.WARN,
                               metadata={"days": len(daily), "drop": drop or "none"})


ASSET_CHECKS = [raw_documents_unique_source_id, raw_documents_every_record_accounted_for,
                event_mentions_keys_and_codes, event_mentions_evidence_and_dates,
                calls_by_country_by_day_no_sudden_drop]
