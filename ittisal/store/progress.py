"""Where a stage tells how far it has got, part by part, while it runs.

A long run spends minutes in the document stages; whoever started it (the CLI) wants to see
them move. The stages only call a `StageProgress`; what it shows, and where, is the caller's
choice: `pipelines/progress.py` draws a bar on a terminal or writes plain lines, and sends
the same lines to Dagster's log for runs the UI, the sensor or the schedule start. Stages run
outside a code location (tests, the bench) report nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Protocol


class StageProgress(Protocol):
    def stage_started(self, table: str, to_compute: int, unchanged: int,
                      labels: Mapping[str, str]) -> None:
        """`to_compute` parts will be computed, `unchanged` are kept; `labels` name parts
        (a landed file's path) when the stage knows them."""

    def rows(self, table: str, part: str, written: int) -> None:
        """`written` more rows of `part`, being computed (heard only when parts are computed
        in this process, not in workers)."""

    def part_done(self, table: str, part: str, rows: int, quarantined: int) -> None:
        """One part is written, with its rows and refused records."""

    def stage_done(self, table: str, parts: int, rows: int, quarantined: int,
                   removed: int) -> None:
        """Every part of the stage is done, and `removed` parts whose input is gone deleted."""

    def step(self, table: str, outcome: str) -> None:
        """A whole-table step (a SQL model, the warehouse) says what it did, in one line:
        `built: 7 rows`, `skipped: inputs unchanged`."""


class Silent:
    """The reporter when nobody asked for progress."""

    def stage_started(self, table: str, to_compute: int, unchanged: int,
                      labels: Mapping[str, str]) -> None:
        pass

    def rows(self, table: str, part: str, written: int) -> None:
        pass

    def part_done(self, table: str, part: str, rows: int, quarantined: int) -> None:
        pass

    def stage_done(self, table: str, parts: int, rows: int, quarantined: int,
                   removed: int) -> None:
        pass

    def step(self, table: str, outcome: str) -> None:
        pass


_current: list[StageProgress] = [Silent()]


def current() -> StageProgress:
    """The reporter installed by `reporting`, else the default (silent unless set)."""
    return _current[-1]


def set_default(reporter: StageProgress) -> None:
    """The reporter of this process when nobody installed one (a code location sets it so
    that runs the UI or the daemon starts tell their logs)."""
    _current[0] = reporter


@contextlib.contextmanager
def reporting(reporter: StageProgress) -> Iterator[StageProgress]:
    """Send the progress of the stages run in this process to `reporter` meanwhile."""
    _current.append(reporter)
    try:
        yield reporter
    finally:
        _current.remove(reporter)
