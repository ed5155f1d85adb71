"""Bring one table up to date with its input, part by part.

Every table is split into the same parts (one per landed file). A part is recomputed when the
fingerprint of its input differs from the one stored in its footer, and deleted when its
input is gone; everything else is left alone. This is what makes a second run with nothing
new cheap and a changed rule re-process everything without manual cleanup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from itertools import islice

import pyarrow as pa

from ittisal.store.lake import QUARANTINED_KEY, Lake, PartFooter
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


# A part computation yields output rows and appends refused records to the list it is given.
PartCompute = Callable[[PartJob, list[dict]], Iterable[dict]]


def batched_rows(rows: Iterable[dict], schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    it = iter(rows)
    while chunk := list(islice(it, BATCH_ROWS)):
        yield pa.RecordBatch.from_pylist(chunk, schema=schema)


def compute_part(lake_uri: str, quarantine_uri: str, table: Table, compute: PartCompute,
                 job: PartJob) -> tuple[int, int]:
    """Write one part of `table` and its quarantine part; returns (rows, quarantined)."""
    lake, quarantine = Lake(lake_uri), Lake(quarantine_uri)
    refused: list[dict] = []
    rows = lake.write_part(table.name, job.part, table.arrow_schema,
                           batched_rows(compute(job, refused), table.arrow_schema),
                           job.fingerprint,
                           lambda: {QUARANTINED_KEY: str(len(refused)).encode()})
    if refused:
        for r in refused:
            r["stage"] = table.name
        quarantine.write_part(table.name, job.part, QUARANTINE.arrow_schema,
                              batched_rows(refused, QUARANTINE.arrow_schema), job.fingerprint)
    else:
        quarantine.delete_part(table.name, job.part)
    return rows, len(refused)


def _up_to_date(footer: PartFooter | None, refusals: str | None, fingerprint: str) -> bool:
    """Whether a part and its quarantine part are both what `fingerprint` computes: a part
    that cannot be read, or refusals missing, damaged or left over, mean computing it again."""
    if footer is None or footer.fingerprint != fingerprint:
        return False
    if footer.quarantined is None:
        return True
    return refusals == fingerprint if footer.quarantined else refusals is None


def sync_table(
    lake_uri: str,
    quarantine_uri: str,
    table: Table,
    wanted: dict[str, str],
    compute: PartCompute,
    workers: int = 1,
) -> StageReport:
    """Make `table` hold exactly the parts in `wanted` (part → input fingerprint)."""
    lake, quarantine = Lake(lake_uri), Lake(quarantine_uri)
    have = lake.footers(table.name)
    kept = quarantine.fingerprints(table.name)
    report = StageReport(table.name)
    jobs = [PartJob(p, fp) for p, fp in sorted(wanted.items())
            if not _up_to_date(have.get(p), kept.get(p), fp)]
    report.unchanged = len(wanted) - len(jobs)
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(partial(compute_part, lake_uri, quarantine_uri, table,
                                            compute), jobs))
    else:
        results = [compute_part(lake_uri, quarantine_uri, table, compute, job) for job in jobs]
    for job, (rows, refused) in zip(jobs, results, strict=True):
        report.computed.append(job.part)
        report.rows_written += rows
        report.quarantined += refused
    for part in sorted(set(have) - set(wanted)):
        lake.delete_part(table.name, part)
        quarantine.delete_part(table.name, part)
        report.deleted.append(part)
    return report
