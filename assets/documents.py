"""The document layers: landed files → raw → parsed → cleaned → entities → events.

Each asset brings its Parquet table up to date part by part (one part per landed file) and
reports what it computed; the work itself is in `ittisal.stages`.

They are defined twice from the same code: partitioned by landed file (`assets.partitions`)
for the code location, where a run for some partitions computes only their files' parts and a
backfill spreads the files over runs; and unpartitioned for `ittisal run`, which brings every
table up to date in one run with one materialization per table. Dagster 1.13 runs a chain of
partitioned assets only for partitions: without one, the second asset's step fails before its
code ("Cannot access partition_key for a non-partitioned run"), and a run over every partition
records a materialization per file and table (27 s instead of 1.8 s for a no-op run over 200
files).
"""

# no `from __future__ import annotations`: Dagster compares the `context` annotation with
# its class, which a postponed (string) annotation never equals

import warnings
from collections.abc import Callable, Collection, Mapping

import dagster as dg

from assets.metadata import column_schema, stage_metadata, stored_table_metadata
from assets.partitions import BACKFILL_POLICY, LANDED_FILES, run_scope
from assets.resources import IttisalStorage
from ittisal import stages
from ittisal.settings import Settings
from ittisal.store.incremental import PartCompute, sync_table
from ittisal.store.lake import Lake
from ittisal.store.landing import discover, fingerprints
from ittisal.store.landing_source import bring_in
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
          compute: PartCompute, scope: Collection[str] | None,
          labels: Mapping[str, str] | None = None) -> dg.MaterializeResult:
    """Bring `table` to the parts `wanted()` returns (those of the landed files in `scope`, or
    all when None); under the table's lock, so that a run overlapping this one waits and then
    finds those parts already done (and cannot delete a part while its rows are counted and
    previewed). Progress goes to whatever reporter the process installed (the CLI's), else
    nowhere."""
    with exclusive(table_lock(settings, table.name)):
        for store in (settings.lake, settings.quarantine):  # what a killed run left
            Lake(store).remove_leftovers(table.name)
        report = sync_table(settings.lake, settings.quarantine, table, wanted(), compute,
                            settings.workers, current_progress(), labels, scope)
        # row count and preview from the table's manifest and the kept preview: a run with
        # nothing new reads no part (in object storage each part read is requests)
        stored = stored_table_metadata(settings, table.name, table.arrow_schema)
        return dg.MaterializeResult(metadata={
            **stage_metadata(report, stored.pop("dagster/row_count")), **stored})


def _spec(table: Table, partitioned: bool) -> dict[str, object]:
    by_file = {"partitions_def": LANDED_FILES, "backfill_policy": BACKFILL_POLICY}
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
        **(by_file if partitioned else {}),
    }


def _raw_documents(partitioned: bool) -> dg.AssetsDefinition:
    @dg.asset(**_spec(RAW_DOCUMENTS, partitioned))
    def raw_documents(context: dg.AssetExecutionContext, storage: IttisalStorage
                      ) -> dg.MaterializeResult:
        s = storage.settings()
        mirrored = bring_in(s)  # an object-store landing, into the folder first
        files = discover(s.landing)
        version = pipeline_version()
        result = _sync(s, RAW_DOCUMENTS,
                       lambda: fingerprints(files, version, s.landing_hashes, s.batch_records),
                       stages.ingest(s.landing, files, version, s.batch_records),
                       run_scope(context), {f.part: f.relpath for f in files})
        if mirrored is None:
            return result
        # a key that names no path inside landing/ is said here, never dropped unseen
        return dg.MaterializeResult(metadata={
            **result.metadata, "landing_source_copied": len(mirrored.copied),
            "landing_source_removed": len(mirrored.removed),
            "landing_source_refused_keys": ", ".join(mirrored.refused)[:2000] or "none"})

    return raw_documents


def _derived_asset(table: Table, upstream: Table, part_function, partitioned: bool,
                   extra_deps: list[str] | None = None) -> dg.AssetsDefinition:
    """An asset whose parts follow the parts of `upstream` one to one."""

    @dg.asset(**_spec(table, partitioned), deps=[upstream.name, *(extra_deps or [])])
    def _asset(context: dg.AssetExecutionContext, storage: IttisalStorage
               ) -> dg.MaterializeResult:
        s = storage.settings()
        return _sync(s, table, lambda: Lake(s.lake).fingerprints(upstream.name),
                     stages.per_part(part_function, s), run_scope(context))

    return _asset


def document_assets(partitioned: bool) -> list[dg.AssetsDefinition]:
    """raw_documents … event_mentions, partitioned by landed file or not."""
    with warnings.catch_warnings():
        # `backfill_policy` is "beta" in 1.13; said on every import, ahead of a run's output
        warnings.simplefilter("ignore", dg.BetaWarning)
        return _document_assets(partitioned)


def _document_assets(partitioned: bool) -> list[dg.AssetsDefinition]:
    return [
        _raw_documents(partitioned),
        _derived_asset(PARSED_ARTICLES, RAW_DOCUMENTS, stages.parse_part, partitioned),
        _derived_asset(CLEANED_ARTICLES, PARSED_ARTICLES, stages.clean_part, partitioned),
        _derived_asset(ARTICLE_FINGERPRINTS, CLEANED_ARTICLES, stages.fingerprint_part,
                       partitioned),
        _derived_asset(ENTITY_MENTIONS, CLEANED_ARTICLES, stages.tag_part, partitioned),
        _derived_asset(EVENT_MENTIONS, ENTITY_MENTIONS, stages.event_part, partitioned,
                       extra_deps=[CLEANED_ARTICLES.name]),
    ]


DOCUMENT_ASSETS = document_assets(partitioned=True)
LOCAL_DOCUMENT_ASSETS = document_assets(partitioned=False)
