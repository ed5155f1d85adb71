"""Bring one table up to date with its input, part by part.

Every table is split into the same parts (one per landed file). A part is recomputed when the
fingerprint of its input differs from the one stored in its footer, and deleted when its
input is gone; everything else is left alone. This is what makes a second run with nothing
new cheap and a changed rule re-process everything without manual cleanup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from itertools import islice

import pyarrow as pa

from ittisal import clock
from ittisal.store.lake import QUARANTINED_KEY, Lake, PartFooter, PartWriter
from ittisal.store.landing import file_part
from ittisal.store.progress import Silent, StageProgress
from ittisal.store.schemas import QUARANTINE, Table

BATCH_ROWS = 1000


@dataclass
class StageReport:
    table: str
    computed: list[str] = field(default_factory=list)
    unchanged: int = 0
    deleted: list[str] = field(default_factory=list)
    rows_written: int = 0
    quarantined: int = 0


@dataclass(frozen=True)
class PartJob:
    """What a worker needs to compute one part: picklable, so parts can run in processes."""

    part: str
    fingerprint: str
    # a computation that reads its input itself (ingest) appends the fingerprint of what it
    # read: the part is saved under that, so that an input rewritten between the plan and the
    # read is read again by the next run instead of being kept under the plan's fingerprint
    read_as: list[str] = field(default_factory=list, compare=False)

    def saved_fingerprint(self) -> str:
        return self.read_as[-1] if self.read_as else self.fingerprint


# What a stage's judgement of a part depends on besides its input can be the clock (a date
# "after the record was landed"): the part's fingerprint then says from which day it is to be
# judged again, «<fingerprint> judge-again-on 2024-11-30», and counts as current until then.
_AGAIN = " judge-again-on "


def judged_until(fingerprint: str, day: dt.date | None) -> str:
    """`fingerprint` of a part whose outcome holds only until `day` (none: for good)."""
    return fingerprint if day is None else f"{fingerprint}{_AGAIN}{day.isoformat()}"


def is_current(have: str | None, wanted: str) -> bool:
    """Whether a part saved under `have` is up to date for input `wanted`: the same, or the
    same input judged by a clock whose judgement still holds today."""
    if have == wanted:
        return True
    if have is None or not have.startswith(wanted + _AGAIN):
        return False
    try:
        again = dt.date.fromisoformat(have[len(wanted) + len(_AGAIN):])
    except ValueError:
        return False
    return clock.utc_now().date() < again


class Refusals:
    """The refused records of one part, written to its quarantine part a batch at a time:
    memory stays flat however many of a file's lines are refused. A computation only
    `append`s to it, as to a list."""

    def __init__(self, quarantine: Lake, table: Table, part: str) -> None:
        self._quarantine, self._table, self._part = quarantine, table, part
        self._pending: list[dict] = []
        self._writer: PartWriter | None = None
        self.count = 0

    def append(self, row: dict) -> None:
        row["stage"] = self._table.name
        self._pending.append(row)
        self.count += 1
        if len(self._pending) >= BATCH_ROWS:
            self._flush()

    def __len__(self) -> int:
        return self.count

    def _flush(self) -> None:
        if not self._pending:
            return
        if self._writer is None:
            self._writer = self._quarantine.open_part(self._table.name, self._part,
                                                      QUARANTINE.arrow_schema)
        self._writer.write(pa.RecordBatch.from_pylist(self._pending,
                                                      schema=QUARANTINE.arrow_schema))
        self._pending.clear()

    def publish(self, fingerprint: str) -> None:
        """Publish the quarantine part (or remove the old one when nothing was refused)."""
        self._flush()
        if self._writer is None:
            self._quarantine.delete_part(self._table.name, self._part)
        else:
            self._writer.publish(fingerprint)

    def discard(self) -> None:
        if self._writer is not None:
            self._writer.discard()


# A part computation yields output rows and appends refused records to the `Refusals` (or
# list) it is given. A row is a dict, or a tuple of the table's columns in order: a stage
# that gives many small rows (fingerprints, mentions) skips building a dict for each.
PartCompute = Callable[[PartJob, Refusals], Iterable[dict | tuple]]


def _batch(chunk: list, schema: pa.Schema) -> pa.RecordBatch:
    if not isinstance(chunk[0], tuple):
        return pa.RecordBatch.from_pylist(chunk, schema=schema)
    columns = zip(*chunk, strict=True)  # a row of the wrong length raises
    return pa.RecordBatch.from_arrays(
        [pa.array(column, type=f.type) for column, f in zip(columns, schema, strict=True)],
        schema=schema)


def batched_rows(rows: Iterable[dict | tuple], schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    it = iter(rows)
    while chunk := list(islice(it, BATCH_ROWS)):
        yield _batch(chunk, schema)


def _counted(batches: Iterable[pa.RecordBatch], on_rows: Callable[[int], None] | None
             ) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        if on_rows is not None:
            on_rows(batch.num_rows)
        yield batch


def compute_part(lake_uri: str, quarantine_uri: str, table: Table, compute: PartCompute,
                 job: PartJob, on_rows: Callable[[int], None] | None = None
                 ) -> tuple[int, int]:
    """Write one part of `table` and its quarantine part; returns (rows, quarantined).
    `on_rows` hears of each batch of rows as it is made (a long part shows it moves)."""
    lake, quarantine = Lake(lake_uri), Lake(quarantine_uri)
    refused = Refusals(quarantine, table, job.part)
    try:
        rows = lake.write_part(table.name, job.part, table.arrow_schema,
                               _counted(batched_rows(compute(job, refused), table.arrow_schema),
                                        on_rows),
                               job.saved_fingerprint,
                               lambda: {QUARANTINED_KEY: str(refused.count).encode()})
        refused.publish(job.saved_fingerprint())
    except BaseException:
        refused.discard()
        raise
    return rows, refused.count


def _up_to_date(footer: PartFooter | None, refusals: str | None, fingerprint: str) -> bool:
    """Whether a part and its quarantine part are both what `fingerprint` computes: a part
    that cannot be read, or refusals missing, damaged or left over, mean computing it again."""
    if footer is None or not is_current(footer.fingerprint, fingerprint):
        return False
    if footer.quarantined is None:
        return True
    return refusals == footer.fingerprint if footer.quarantined else refusals is None


def sync_table(
    lake_uri: str,
    quarantine_uri: str,
    table: Table,
    wanted: dict[str, str],
    compute: PartCompute,
    workers: int = 1,
    progress: StageProgress | None = None,
    labels: Mapping[str, str] | None = None,
    scope: Collection[str] | None = None,
) -> StageReport:
    """Make `table` hold exactly the parts in `wanted` (part → input fingerprint), telling
    `progress` of each part as it is done (`labels` name the parts, when known).

    With a `scope` (landed files' part names: a run's partitions), only the parts of those
    files are computed; the others are left as they are, so that runs over different files
    share the table. A part whose input is gone is deleted whatever the scope: no run may
    leave rows of a removed file behind for the others to publish."""
    progress = progress or Silent()
    lake, quarantine = Lake(lake_uri), Lake(quarantine_uri)
    have_catalog, kept_catalog = lake.catalog(table.name), quarantine.catalog(table.name)
    have = {part: e.footer for part, e in have_catalog.entries.items()}
    kept = {part: e.footer.fingerprint for part, e in kept_catalog.entries.items()}
    report = StageReport(table.name)
    in_scope = wanted if scope is None else {
        p: fp for p, fp in wanted.items() if file_part(p) in scope}
    jobs = [PartJob(p, fp) for p, fp in sorted(in_scope.items())
            if not _up_to_date(have.get(p), kept.get(p), fp)]
    report.unchanged = len(in_scope) - len(jobs)
    progress.stage_started(table.name, len(jobs), report.unchanged, labels or {})
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(workers) as pool:
            # map yields in the jobs' order as they finish: each part is told of once done
            results = pool.map(partial(compute_part, lake_uri, quarantine_uri, table, compute),
                               jobs)
            for job, result in zip(jobs, results, strict=True):
                _add(report, progress, job, result)
    else:
        for job in jobs:
            _add(report, progress, job,
                 compute_part(lake_uri, quarantine_uri, table, compute, job,
                              partial(progress.rows, table.name, job.part)))
    for part in sorted(set(have) - set(wanted)):
        lake.delete_part(table.name, part)
        quarantine.delete_part(table.name, part)
        report.deleted.append(part)
    # the manifests say what the parts are now, so that the next reader lists and reads one
    # file per table (read again only where this run wrote, or where they were stale)
    changed = bool(report.computed or report.deleted)
    for store, catalog in ((lake, have_catalog), (quarantine, kept_catalog)):
        if changed or catalog.stale:
            store.write_manifest(table.name, None if changed else catalog)
    progress.stage_done(table.name, len(report.computed), report.rows_written,
                        report.quarantined, len(report.deleted))
    return report


def _add(report: StageReport, progress: StageProgress, job: PartJob,
         result: tuple[int, int]) -> None:
    rows, refused = result
    report.computed.append(job.part)
    report.rows_written += rows
    report.quarantined += refused
    progress.part_done(report.table, job.part, rows, refused)
