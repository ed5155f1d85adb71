"""A sensor that starts a run when files in `landing/` are added, changed or removed."""

from __future__ import annotations

import hashlib
import json
import time

import dagster as dg

from assets.resources import IttisalStorage
from ittisal.settings import Settings
from ittisal.store.incremental import is_current
from ittisal.store.lake import Lake
from ittisal.store.landing import discover, fingerprints
from ittisal.store.schemas import RAW_DOCUMENTS
from ittisal.version import pipeline_version
from pipelines.jobs import process_landing


def pending_parts(settings: Settings) -> dict[str, str]:
    """Landed files whose content (or the pipeline) changed since `raw_documents` last saw
    them, and parts whose file is gone (fingerprint "")."""
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
def landing_sensor(context: dg.SensorEvaluationContext, storage: IttisalStorage):
    pending = pending_parts(storage.settings())
    if not pending:
        context.update_cursor(None)  # caught up: whatever is pending next is new work
        return dg.SkipReason("nothing new in landing/")
    key, cursor = run_key(pending, context.cursor, time.time())
    context.update_cursor(cursor)
    return dg.RunRequest(run_key=key, tags={"ittisal/pending_files": str(len(pending))})
