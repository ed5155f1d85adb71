"""The Dagster instance of a home (`DAGSTER_HOME`, default `ITTISAL_HOME/dagster`): the
settings file the project writes for it, and the upkeep that keeps it from growing forever.

Each run leaves ~0.5–1 MB (its event log, captured step logs) and each sensor tick a row,
kept forever by default. Dagster 1.13 purges ticks by the `retention:` settings below (the
daemon of `ittisal ui` does it); it has no setting for runs, so a CLI run deletes the
finished runs beyond the newest `KEEP_RUNS`.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI imports this module; Dagster is imported only when a run needs it
    import dagster as dg

# finished runs kept, with their logs; every asset is materialized by each run of the one
# job, so the newest runs hold each asset's latest materialization
KEEP_RUNS = 100
# runs deleted at most per call, so one call after a long time stays short
PRUNE_BATCH = 50

_MARK = "# Written by ittisal"
_RETENTION = _MARK + """: how long Dagster keeps sensor and schedule ticks (days).
retention:
  schedule:
    purge_after_days: 90
  sensor:
    purge_after_days:
      skipped: 1
      started: 30
      success: 30
      failure: 30
"""
# no usage statistics sent, and no telemetry notice or welcome banner in a run's output
_NO_TELEMETRY = "telemetry:\n  enabled: false\n"
# no community sign-up pop-up over the UI's first page
_NO_NUX = "nux:\n  enabled: false\n"


def instance_settings(telemetry: bool = False) -> str:
    """The text of the instance's `dagster.yaml`."""
    return _RETENTION + ("" if telemetry else _NO_TELEMETRY) + _NO_NUX


def write_instance_settings(home: Path, telemetry: bool = False) -> None:
    """Give the instance at `home` the project's settings, unless it already has some of its
    own: an operator's `dagster.yaml` is left as it is, one an earlier ittisal wrote (it
    starts with `_MARK`) is brought up to date."""
    path = home / "dagster.yaml"
    wanted = instance_settings(telemetry)
    have = path.read_text(encoding="utf-8") if path.exists() else ""
    if have != wanted and (not have.strip() or have.startswith(_MARK)):
        path.write_text(wanted, encoding="utf-8")


def prune_runs(instance: dg.DagsterInstance, keep: int | None = None) -> int:
    """Delete the finished runs beyond the newest `keep` (default `KEEP_RUNS`) with their
    event logs and captured logs; returns how many. Runs still going are never touched."""
    import dagster as dg
    from dagster._core.storage.dagster_run import FINISHED_STATUSES
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

    keep = KEEP_RUNS if keep is None else keep
    records = instance.get_run_records(dg.RunsFilter(statuses=FINISHED_STATUSES),
                                       limit=keep + PRUNE_BATCH)
    events = instance.event_log_storage
    for record in records[keep:]:
        run_id = record.dagster_run.run_id
        instance.delete_run(run_id)
        instance.compute_log_manager.delete_logs(prefix=[run_id])
        if isinstance(events, SqliteEventLogStorage):  # the run's own event database
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    Path(events.path_for_shard(run_id) + suffix).unlink()
    return len(records[keep:])
