"""One partition per landed file, so that Dagster can spread the document layers over runs.

A key is the landed file's part name (`file_part`): every document table splits into the
same parts, so one key names the rows of one file in each of them. Files come and go, so the
partitions are dynamic and kept in step with `landing/` by `partition_changes`, not by date:
a file landed today may hold articles of any day, and a file edited later is the same key.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

import dagster as dg
from sqlalchemy.exc import IntegrityError

from ittisal.store.landing import discover, file_part

LANDED_FILES = dg.DynamicPartitionsDefinition(name="landed_files")

# A backfill of N files becomes N / FILES_PER_RUN runs. Every run pays a fixed cost (launched
# runs start a process per step, ~11 s before the first part; the checks and the warehouse
# downstream rebuild once per run), and runs of one table serialize on its lock and pool, so
# small runs buy no speed: 50 files a run keeps that cost well under a run's work while a
# failed run re-does at most 50 files.
FILES_PER_RUN = 50
BACKFILL_POLICY = dg.BackfillPolicy.multi_run(FILES_PER_RUN)
RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"


def partition_changes(landing: Path, existing: Sequence[str], held: Collection[str] = ()
                      ) -> tuple[list[str], list[str]]:
    """(keys to add, keys to delete) that make the partitions `existing` those of the files
    in `landing`, keeping those of removed files whose parts the lake still `held`: a run
    for them deletes those parts (landing/ emptied has no other partition to run for). Keys
    are added in landing-path order, which is the order Dagster gives a range of dynamic
    partitions (insertion, not sorted)."""
    wanted = list(dict.fromkeys(file_part(f.part) for f in discover(landing)))
    have = set(existing)
    kept = {*wanted, *held}
    return [k for k in wanted if k not in have], sorted(k for k in have if k not in kept)


def sync_partitions(instance: dg.DagsterInstance, landing: Path) -> tuple[int, int]:
    """Add and delete `LANDED_FILES` keys on `instance` to match `landing`; (added, deleted).
    Another process adding the same keys meanwhile (the daemon applying the sensor's
    requests) breaks the keys' unique index: the changes are then read again."""
    for attempt in range(3):
        add, delete = partition_changes(landing,
                                        instance.get_dynamic_partitions(LANDED_FILES.name))
        try:
            if add:
                instance.add_dynamic_partitions(LANDED_FILES.name, add)
            break
        except IntegrityError:
            if attempt == 2:
                raise
    for key in delete:
        instance.delete_dynamic_partition(LANDED_FILES.name, key)
    return len(add), len(delete)


PartitionsRequest = dg.AddDynamicPartitionsRequest | dg.DeleteDynamicPartitionsRequest


def partition_requests(add: list[str], delete: list[str]) -> list[PartitionsRequest]:
    """The `partition_changes` as a sensor returns them (nothing when there are none)."""
    requests: list[PartitionsRequest] = []
    if add:
        requests.append(dg.AddDynamicPartitionsRequest(LANDED_FILES.name, add))
    if delete:
        requests.append(dg.DeleteDynamicPartitionsRequest(LANDED_FILES.name, delete))
    return requests


def range_tags(keys: Sequence[str], wanted: Collection[str]) -> dict[str, str]:
    """Run tags for one run over the partitions `keys` (in Dagster's order) from the first of
    `wanted` to the last: the files between are up to date and cost Dagster events, not work.
    With none of `wanted` among them, the last key alone: a run that only deletes the parts of
    removed files needs a partition all the same. No keys: no tags, no run."""
    if not keys:
        return {}
    at = [i for i, key in enumerate(keys) if key in wanted] or [len(keys) - 1]
    return {RANGE_START: keys[at[0]], RANGE_END: keys[at[-1]]}


def every_partition(instance: dg.DagsterInstance, landing: Path) -> dict[str, str]:
    """Tags of a run over every landed file, the partitions first brought in step with
    `landing` (no tags when it is empty): what the schedule launches, and what a launch of
    `process_landing` from the UI or `dagster job launch` needs, since a run of these assets
    without a partition fails."""
    sync_partitions(instance, landing)
    keys = instance.get_dynamic_partitions(LANDED_FILES.name)
    return range_tags(keys, keys)


def run_scope(context: dg.AssetExecutionContext) -> Collection[str] | None:
    """The landed files a run is for: its partition or range, or None (the whole table) for
    a run without one (`ittisal run`, whose assets are not partitioned)."""
    if context.has_partition_key or context.has_partition_key_range:
        return set(context.partition_keys)
    return None
