"""The document layers: landed files → raw → parsed → cleaned → entities → events.

Each asset brings its Parquet table up to date part by part (one part per landed file) and
reports what it computed; the work itself is in `ittisal.stages`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import dagster as dg

from assets.metadata import column_schema, stage_metadata, stored_table_metadata
from assets.resources import IttisalStorage
from ittisal import stages
from ittisal.settings import Settings
from ittisal.store.incremental import PartCompute, sync_table
from ittisal.store.lake import Lake
from ittisal.store.landing import discover, fingerprints
from ittisal.store.locks import exclusive, table_lock
from ittisal.store.progress import current as current_progress
from ittisal.store.schemas import (
    ARTICLE_FINGERPRINTS,
    CLEANED_ARTICLES,
    ENTITY_MENTIONS,
    EVENT_MENTIONS,
    PARSED_ARTICLES,
    RAW_DOCUMENTS,
    Table,
)
from ittisal.version import pipeline_version


def _sync(settings: Settings, table: Table, wanted: Callable[[], dict[str, str]],
          compute: PartCompute, labels: Mapping[str, str] | None = None
          ) -> dg.MaterializeResult:
    """Bring `table` to the parts `wanted()` returns; under the table's lock, so that a run
    overlapping this one waits and then finds those parts already done (and cannot delete a
    part while its rows are counted and previewed). Progress goes to whatever reporter the
    process installed (the CLI's), else nowhere."""
    with exclusive(table_lock(settings, table.name)):
        for store in (settings.lake, settings.quarantine):  # what a killed run left
            Lake(store).remove_leftovers(table.name)
        report = sync_table(settings.lake, settings.quarantine, table, wanted(), compute,
                            settings.workers, current_progress(), labels)
        # row count and preview from the table's manifest and the kept preview: a run with
        # nothing new reads no part (in object storage each part read is requests)
        stored = stored_table_metadata(settings, table.name, table.arrow_schema)
        return dg.MaterializeResult(metadata={
            **stage_metadata(report, stored.pop("dagster/row_count")), **stored})


def _spec(table: Table) -> dict[str, object]:
    return {
        "name": table.name,
        "group_name": table.layer,
        "kinds": {"parquet", "python"},
        "description": table.description,
        "metadata": {"dagster/column_schema": column_schema(table),
                     "primary_key": ", ".join(table.key)},
        # the table's lock holds on one machine only; across machines the pool does, when the
        # instance gives pools a limit (deploy/dagster.yaml: one step at a time)
        "pool": f"lake-{table.name}",
    }


@dg.asset(**_spec(RAW_DOCUMENTS))
def raw_documents(storage: IttisalStorage) -> dg.MaterializeResult:
    s = storage.settings()
    files = discover(s.landing)
    version = pipeline_version()
    return _sync(s, RAW_DOCUMENTS,
                 lambda: fingerprints(files, version, s.landing_hashes, s.batch_records),
                 stages.ingest(s.landing, files, version, s.batch_records),
                 {f.part: f.relpath for f in files})


def _derived_asset(table: Table, upstream: Table, part_function,
                   extra_deps: list[str] | None = None) -> dg.AssetsDefinition:
    """An asset whose parts follow the parts of `upstream` one to one."""

    @dg.asset(**_spec(table), deps=[upstream.name, *(extra_deps or [])])
    def _asset(storage: IttisalStorage) -> dg.MaterializeResult:
        s = storage.settings()
        return _sync(s, table, lambda: Lake(s.lake).fingerprints(upstream.name),
                     stages.per_part(part_function, s))

    return _asset


parsed_articles = _derived_asset(PARSED_ARTICLES, RAW_DOCUMENTS, stages.parse_part)
cleaned_articles = _derived_asset(CLEANED_ARTICLES, PARSED_ARTICLES, stages.clean_part)
article_fingerprints = _derived_asset(ARTICLE_FINGERPRINTS, CLEANED_ARTICLES,
                                      stages.fingerprint_part)
entity_mentions = _derived_asset(ENTITY_MENTIONS, CLEANED_ARTICLES, stages.tag_part)
event_mentions = _derived_asset(EVENT_MENTIONS, ENTITY_MENTIONS, stages.event_part,
                                extra_deps=[CLEANED_ARTICLES.name])

DOCUMENT_ASSETS = [raw_documents, parsed_articles, cleaned_articles, article_fingerprints,
                   entity_mentions, event_mentions]
