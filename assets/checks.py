"""Asset checks that stop bad data: keys, codes, evidence spans, dates."""

from __future__ import annotations

import dagster as dg

from assets.warehouse import read_lake_table
from ittisal import validation
from ittisal.schemas import CLEANED_ARTICLES, EVENT_MENTIONS, RAW_DOCUMENTS
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


ASSET_CHECKS = [raw_documents_unique_source_id, event_mentions_keys_and_codes,
                event_mentions_evidence_and_dates]
