"""A sensor that starts a run when files in `landing/` are added, changed or removed, and
keeps the partitions (one per landed file) in step with `landing/`."""

from __future__ import annotations

import hashlib
import json
import time

import dagster as dg

from assets.partitions import LANDED_FILES, partition_changes, partition_requests, range_tags
from assets.resources import IttisalStorage
from ittisal.settings import Settings
from ittisal.store.incremental import is_current
from ittisal.store.lake import Lake
from ittisal.store.landing import discover, file_part, fingerprints
from ittisal.store.landing_source import bring_in
from ittisal.store.schemas import RAW_DOCUMENTS
from ittisal.version import pipeline_version
from pipelines.jobs import process_landing

# a tick downloads for at most this long (a sensor evaluation may take 60 s in Dagster 1.13,
# DAGSTER_SENSOR_GRPC_TIMEOUT_SECONDS): a first mirror of a large bucket goes on over the next
# ticks, and each tick's run takes what arrived
MIRROR_SECONDS = 30.0


def pending_parts(settings: Settings) -> dict[str, str]:
    """Landed files whose content (or the pipeline) changed since `raw_documents` last saw
    them, and parts whose file is gone (fingerprint ""); an object-store landing is mirrored
    into the folder first."""
    bring_in(settings, MIRROR_SECONDS)
    version = pipeline_version()
    wanted = fingerprints(discover(settings.landing), version, settings.landing_hashes,
                          settings.batch_records)
    have = Lake(settings.lake).fingerprints(RAW_DOCUMENTS.name)
    changed = {p: fp for p, fp in wanted.items() if not is_current(have.get(p), fp)}
    changed |= {p: "" for p in have.keys() - wanted.keys()}
    return changed


def run_key(pending: dict[str, str], cursor: str | None, now: float) -> tuple[str, str]:
    """The run key for `pending` work and the cursor to keep. A key names the pending change
    and when it was first seen: the same change seen again before its run has caught up keeps
    its key (Dagster starts it once), while the landing returning to an earlier state (a file
    landed again, an edit reverted) is new work with a new key, never one already completed."""
    change = hashlib.sha256(repr(sorted(pending.items())).encode()).hexdigest()[:20]
    try:
        kept = json.loads(cursor or "{}")
    except ValueError:
        kept = {}
    if isinstance(kept, dict) and kept.get("change") == change and kept.get("key"):
        return kept["key"], cursor or ""
    key = f"{change}-{int(now * 1000)}"
    return key, json.dumps({"change": change, "key": key})


@dg.sensor(job=process_landing, minimum_interval_seconds=30,
           default_status=dg.DefaultSensorStatus.RUNNING)
def landing_sensor(context: dg.SensorEvaluationContext, storage: IttisalStorage
                   ) -> dg.SensorResult:
    """Its run is for the partitions of the pending files (a range from the first to the
    last: new files are added last, so that is usually just them). A removed file keeps its
    partition until a run has deleted its parts. The partitions it adds or deletes are
    returned even when there is nothing to run; Dagster applies them before it resolves the
    run."""
    settings = storage.settings()
    existing = context.instance.get_dynamic_partitions(LANDED_FILES.name)
    held = {file_part(p) for p in Lake(settings.lake).fingerprints(RAW_DOCUMENTS.name)}
    add, delete = partition_changes(settings.landing, existing, held)
    partitions = partition_requests(add, delete)
    pending = pending_parts(settings)
    gone = set(delete)
    tags = range_tags([k for k in existing if k not in gone] + add,
                      {file_part(p) for p in pending})
    if not pending or not tags:
        context.update_cursor(None)  # caught up: whatever is pending next is new work
        return dg.SensorResult(
            skip_reason="nothing new in landing/" if not pending else
            "no partition to run for: `ittisal run` brings the tables up to date",
            dynamic_partitions_requests=partitions)
    key, cursor = run_key(pending, context.cursor, time.time())
    context.update_cursor(cursor)
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=key, tags={
            **tags, "ittisal/pending_files": str(len(pending))})],
        dynamic_partitions_requests=partitions)
