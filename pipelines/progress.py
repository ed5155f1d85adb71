"""What `ittisal run` shows while it works and when it ends.

While the document stages run, each reports its parts as they are done: on a terminal as one
redrawn bar per stage, otherwise (a pipe, a log file, a test) as plain lines in the order the
parts are computed, without times, so the same run prints the same lines. A stage of many
parts prints about `PLAIN_LINES` of them (every k-th, and the last); a long part says how
many rows it has made every `ROWS_LINE` rows. At the end, a short summary says what the
warehouse holds, what was refused and how to see why, where it is and what to do next.
"""

from __future__ import annotations

import io
import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ittisal.store.landing import batch_number, file_part

# what one row of each document table is, in words
NOUNS = {"raw_documents": "record", "parsed_articles": "segment",
         "cleaned_articles": "article", "article_fingerprints": "fingerprint",
         "entity_mentions": "entity mention", "event_mentions": "event mention"}
BAR_WIDTH = 24
REDRAW_SECONDS = 0.1
PLAIN_LINES = 20
ROWS_LINE = 10_000


@dataclass
class _Stage:
    table: str
    total: int
    unchanged: int
    done: int = 0
    rows: int = 0  # of the parts done
    running: int = 0  # of the part being computed
    quarantined: int = 0


class TerminalProgress:
    """A `StageProgress` (see `ittisal.store.progress`) writing to `stream`: a bar when it is
    a terminal, plain lines otherwise."""

    def __init__(self, stream: TextIO, bar: bool | None = None) -> None:
        self.stream = stream
        self.bar = stream.isatty() if bar is None else bar
        self.labels: dict[str, str] = {}  # part → landed path, learnt from raw_documents
        self._stage: _Stage | None = None
        self._drawn = 0.0

    def stage_started(self, table: str, to_compute: int, unchanged: int,
                      labels: Mapping[str, str]) -> None:
        self.labels.update(labels)
        self._stage = _Stage(table, to_compute, unchanged)
        if to_compute == 0:
            return  # said when the stage is done, with what it removed
        if self.bar:
            self._draw()
        else:
            self._line(f"[{table}] {_count(to_compute, 'part')} to compute, "
                       f"{unchanged:,} unchanged")

    def rows(self, table: str, part: str, written: int) -> None:
        stage = self._stage
        if stage is None:
            return
        before, stage.running = stage.running, stage.running + written
        if self.bar:
            if time.monotonic() - self._drawn >= REDRAW_SECONDS:
                self._draw()
        elif stage.running // ROWS_LINE > before // ROWS_LINE:
            self._line(f"[{table}] {stage.done + 1}/{stage.total} "
                       f"{self._label(part)}: {_count(stage.running, _noun(table))}"
                       " so far")

    def _label(self, part: str) -> str:
        """The landed path of a part; a batch of a feed names its lines' batch too."""
        if part in self.labels:
            return self.labels[part]
        path = self.labels.get(file_part(part))
        return f"{path} (batch {batch_number(part)})" if path else part

    def part_done(self, table: str, part: str, rows: int, quarantined: int) -> None:
        stage = self._stage
        if stage is None:
            return
        stage.done += 1
        stage.rows += rows
        stage.running = 0
        stage.quarantined += quarantined
        step = -(-stage.total // PLAIN_LINES)  # every part when there are few
        if self.bar:
            self._draw()
        elif stage.done % step == 0 or stage.done == stage.total:
            self._line(f"[{table}] {stage.done}/{stage.total} {self._label(part)}: "
                       f"{_count(rows, _noun(table))}, {quarantined:,} quarantined")

    def stage_done(self, table: str, parts: int, rows: int, quarantined: int,
                   removed: int) -> None:
        stage, self._stage = self._stage, None
        gone = f", {removed:,} removed" if removed else ""
        if stage is None or stage.total == 0:
            unchanged = stage.unchanged if stage else 0
            self._line(f"[{table}] nothing to compute ({_count(unchanged, 'part')} unchanged"
                       f"{gone})")
            return
        if self.bar:
            self.stream.write("\r\x1b[K")
        self._line(f"[{table}] done: {_count(parts, 'part')}, {_count(rows, _noun(table))}, "
                   f"{quarantined:,} quarantined{gone}")

    def step(self, table: str, outcome: str) -> None:
        self._line(f"[{table}] {outcome}")

    def _draw(self) -> None:
        stage = self._stage
        assert stage is not None
        filled = BAR_WIDTH * stage.done // max(stage.total, 1)
        self.stream.write(f"\r\x1b[K[{stage.table}] [{'#' * filled}{'-' * (BAR_WIDTH - filled)}]"
                          f" {stage.done}/{stage.total} parts, "
                          f"{_count(stage.rows + stage.running, _noun(stage.table))}, "
                          f"{stage.quarantined:,} quarantined")
        self.stream.flush()
        self._drawn = time.monotonic()

    def _line(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()


class LogLines(io.TextIOBase):
    """A text stream that hands each complete line to `log` (plain lines, never a bar)."""

    def __init__(self, log: Callable[[str], object]) -> None:
        self._log = log
        self._pending = ""

    def write(self, text: str) -> int:
        *lines, self._pending = (self._pending + text).split("\n")
        for line in lines:
            self._log(line)
        return len(text)

    def isatty(self) -> bool:
        return False


def log_progress() -> TerminalProgress:
    """Progress as plain lines in Dagster's log of the step (seen in the UI's run view)."""
    import dagster as dg

    return TerminalProgress(LogLines(dg.get_dagster_logger().info), bar=False)


def _noun(table: str) -> str:
    return NOUNS.get(table, "row")


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def program() -> str:
    """How the user called ittisal (`.venv/bin/ittisal`), to repeat it in a hint."""
    called = sys.argv[0] if sys.argv else ""
    return called if os.path.basename(called) == "ittisal" else "ittisal"


# the tables the summary counts, in the order it names them
SUMMARY_COUNTS = (("raw_documents", "record"), ("cleaned_articles", "article"),
                  ("event_mentions", "event mention"), ("events", "event"))


def run_summary(warehouse: Path, files: tuple[int, int] | None, seconds: float) -> str:
    """The closing lines of a successful run: `files` is (computed, unchanged) landed files,
    read from the run's `raw_documents` step."""
    counts = _warehouse_counts(warehouse)
    prog = program()
    landed = ""
    if files is not None:
        landed = (f"{_count(sum(files), 'landed file')} ({files[0]:,} computed, "
                  f"{files[1]:,} unchanged); ")
    held = ", ".join(_count(counts[t], noun) for t, noun in SUMMARY_COUNTS if t in counts)
    lines = [f"\ndone in {seconds:.1f} s: {landed}the warehouse holds {held or 'no tables'}"]
    refused = counts.get("quarantine")
    if refused:
        lines.append(f"  quarantined: {_count(refused, 'record')}; see why: "
                     f"{prog} run --show quarantine")
    elif refused == 0:
        lines.append("  quarantined: none")
    lines.append(f"  warehouse:   {warehouse} (open it read-only)")
    lines.append(f"  next:        {prog} run --show calls_by_country_by_day | {prog} ui | "
                 f"{prog} eval GOLD.jsonl")
    return "\n".join(lines)


def _warehouse_counts(warehouse: Path) -> dict[str, int]:
    """Row counts of the summary's tables and of `quarantine`, read-only; none when the
    warehouse cannot be read."""
    import duckdb

    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return {}
    try:
        have = {name for (name,) in con.execute("show tables").fetchall()}
        return {t: con.execute(f'select count(*) from "{t}"').fetchone()[0]
                for t in (*(t for t, _ in SUMMARY_COUNTS), "quarantine") if t in have}
    finally:
        con.close()
