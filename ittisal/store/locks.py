"""An exclusive lock per table, so two runs never compute the same part twice.

A manual `ittisal run`, a run the sensor started and a scheduled run may overlap. Each
document stage holds its table's lock while it compares what is wanted with what the lake
holds and computes the difference: the second run waits, then finds nothing left to do. The
lock is an OS file lock (released by the kernel when a process dies, so a killed run never
leaves a stale lock); it coordinates processes of one machine. Across machines, give the
document assets one Dagster concurrency pool of limit 1 instead.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ittisal.settings import Settings


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created if missing), waiting for it if held."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def table_lock(settings: Settings, table: str) -> Path:
    """Where the lock of one lake table (or of the warehouse) lives: beside the data it guards,
    on the local disk of ITTISAL_HOME even when the lake is in object storage."""
    return settings.home / ".locks" / f"{table}.lock"
