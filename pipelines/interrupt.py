"""Ctrl-C during `ittisal run`: one line and exit code 130, not Dagster's tracebacks.

`execute_in_process` takes SIGINT over while the job runs: the running step fails with
`DagsterExecutionInterruptedError`, the run fails, and its console logger prints both with
their stack traces; the helper processes Dagster starts to mirror a step's output (they are in
the terminal's process group, so Ctrl-C reaches them too) each print a `KeyboardInterrupt`
traceback, several of them at once, line through line. So the interruption is told from the
signal itself (and the run's events), and once it came only the progress lines reach the
terminal. Nothing is lost by stopping: every part and table is written aside and
published by a rename, so the next run computes only what this one did not finish.

Known gap: with `ITTISAL_WORKERS` > 1, a Ctrl-C at the moment the worker pool starts is
sometimes lost inside Dagster (the interpreter saw it, yet every step completes); the run then
ends normally, exit 0.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import select
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import TextIO

# what Dagster's records of an interrupted step or run name (the error's class)
INTERRUPTED = ("DagsterExecutionInterruptedError", "KeyboardInterrupt")
MESSAGE = "interrupted; the next run finishes what this one started"
BAR = "\r\x1b[K["  # how TerminalProgress redraws its bar
GRACE = 0.5  # seconds a line that is not progress waits, in case SIGINT is on its way
DAGSTER_ERROR = " - dagster - ERROR - "  # how Dagster's console logger starts an error record


class SigintWatch:
    """Whether SIGINT reached this process, whoever handles it: the interpreter writes each
    signal's number to a wakeup descriptor before any Python handler runs (Dagster's, or
    DuckDB's check that turns it into "Query interrupted")."""

    def __init__(self) -> None:
        self._read, self._write = socket.socketpair()
        for end in (self._read, self._write):
            end.setblocking(False)
        self._previous: int | None = None
        if threading.current_thread() is threading.main_thread():  # only it may set one
            self._previous = signal.set_wakeup_fd(self._write.fileno(),
                                                  warn_on_full_buffer=False)
        self._seen = False

    def received(self) -> bool:
        with contextlib.suppress(OSError):  # BlockingIOError when nothing came; closed
            while data := self._read.recv(4096):
                self._seen = self._seen or signal.SIGINT in data
        return self._seen

    def close(self) -> None:
        if self._previous is not None:
            signal.set_wakeup_fd(self._previous)
        self._read.close()
        self._write.close()


class WithoutInterruptRecords(io.TextIOBase):
    """`stream` minus Dagster's error records once SIGINT came (its console handler looks
    `sys.stderr` up for every record and writes each in one piece)."""

    def __init__(self, stream: TextIO, watch: SigintWatch) -> None:
        self.stream = stream
        self.watch = watch

    def write(self, text: str) -> int:
        dropped = any(name in text for name in INTERRUPTED) or (
            DAGSTER_ERROR in text and self.watch.received())
        if not dropped:
            self.stream.write(text)
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()


class AfterInterrupt:
    """What reaches file descriptor 2, passed on as it comes but for SIGINT: from then on
    only the progress lines (`[stage] …`, whole or a bar being redrawn) go through; the rest
    is Dagster's records of the interruption and the `KeyboardInterrupt` tracebacks of its
    helper processes, written by several processes at once, line through line. A helper may
    write before this process has seen the signal, so any other line waits `GRACE` seconds
    (and what follows it, to keep the order) before it is passed on."""

    def __init__(self, out: TextIO, watch: SigintWatch,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.out = out
        self.watch = watch
        self.clock = clock
        self._pending = ""  # the start of a line
        self._held: list[str] = []  # complete lines waiting, the first not a progress line
        self._since = 0.0  # when the first held line came
        self._mid_bar = False  # a bar was passed on and its line goes on

    def feed(self, text: str) -> None:
        if self._mid_bar and not self._held:  # the rest of a bar cut between two reads
            head, newline, text = text.partition("\n")
            self.out.write(head + newline)
            self._mid_bar = not newline
            if self._mid_bar:
                self.tick()
                return
        *lines, self._pending = (self._pending + text).split("\n")
        for line in lines:
            if self._held or not _progress(line):
                if not self._held:
                    self._since = self.clock()
                self._held.append(line + "\n")
            else:
                self.out.write(line + "\n")
        if self._pending.startswith(BAR) and not self._held:
            self.out.write(self._pending)  # a bar redrawn: at once
            self._pending, self._mid_bar = "", True
        self.tick()

    def tick(self) -> None:
        """Pass on or drop the held lines whose wait is over (called as time goes by)."""
        if self._held and self.watch.received():
            self.out.write("".join(line for line in self._held if _progress(line)))
            self._held = []
        elif self._held and self.clock() - self._since >= GRACE:
            self.out.write("".join(self._held))
            self._held = []
        self.out.flush()

    def close(self) -> None:
        interrupted = self.watch.received()
        rest = [*self._held, self._pending]
        self.out.write("".join(t for t in rest if not interrupted or _progress(t)))
        self.out.flush()


def _progress(line: str) -> bool:
    return line.startswith(("[", BAR))


@contextlib.contextmanager
def quiet_interrupts() -> Iterator[SigintWatch]:
    """While the job runs: Dagster's error records leave `sys.stderr` out once SIGINT came,
    and what is written to file descriptor 2 (by this process and the processes it starts)
    goes through `AfterInterrupt`. Without a descriptor (pytest's capture) only the first.
    Yields the watch that says whether SIGINT came."""
    stderr = sys.stderr
    watch = SigintWatch()
    try:
        fd = stderr.fileno()
    except (AttributeError, OSError, ValueError):
        fd = None
    sys.stderr = WithoutInterruptRecords(stderr, watch)
    try:
        if fd is None:
            yield watch
        else:
            with _filtered_descriptor(fd, stderr, watch):
                yield watch
    finally:
        sys.stderr = stderr
        watch.close()


@contextlib.contextmanager
def _filtered_descriptor(fd: int, stream: TextIO, watch: SigintWatch) -> Iterator[None]:
    stream.flush()
    saved = os.dup(fd)
    read_end, write_end = os.pipe()
    os.dup2(write_end, fd)
    os.close(write_end)
    terminal = open(os.dup(saved), "w", encoding="utf-8", errors="replace")  # noqa: SIM115
    forward = threading.Thread(target=_forward, args=(read_end, AfterInterrupt(terminal, watch)),
                               daemon=True)
    forward.start()
    try:
        yield
    finally:
        stream.flush()
        os.dup2(saved, fd)  # closes this process's write end: the reader sees the end
        os.close(saved)
        forward.join(timeout=5)
        terminal.close()


def _forward(read_end: int, into: AfterInterrupt) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    with open(read_end, "rb", buffering=0) as pipe:
        while True:
            if select.select([pipe], [], [], GRACE / 5)[0]:
                chunk = pipe.read(65536)
                if not chunk:
                    break
                into.feed(decoder.decode(chunk))
            else:
                into.tick()
    into.close()


def was_interrupted(result, watch: SigintWatch) -> bool:
    """Whether a run of `execute_in_process` failed because of SIGINT: it came meanwhile, or
    a step or the run failed with an interruption."""
    if result.success:
        return False
    if watch.received():
        return True
    for event in result.all_events:
        if event.is_step_failure or event.is_job_failure:
            error = getattr(event.event_specific_data, "error", None)
            if error is not None and error.cls_name in INTERRUPTED:
                return True
    return False
