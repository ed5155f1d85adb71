"""What one record may cost in the text stages, and the clock that holds it to that.

A record that takes too long is quarantined instead of finished: otherwise one record stalls
the run, and every later run or sensor tick starts over on it. The clock interrupts the work
(SIGALRM) where it can, the main thread of a process, which is where the stages run, in
`ittisal run` and in the pool's workers; elsewhere the time is checked when the record ends.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from ittisal.settings import Settings


class OverBudget(BaseException):
    """A record went over its budget. A BaseException, so that no `except Exception` inside
    the work it interrupts can swallow it; the stage catches it by name."""


@dataclass(frozen=True)
class RecordBudget:
    """The most characters of article text after cleaning, and seconds a record may take in
    one stage (0: no clock). Picklable, so the stages' workers get it with their part."""

    max_chars: int
    seconds: float

    @classmethod
    def of(cls, settings: Settings) -> RecordBudget:
        return cls(settings.max_text_chars, settings.record_seconds)

    def too_long(self, text: str) -> str | None:
        """Why the article text is over budget, or None."""
        if len(text) <= self.max_chars:
            return None
        return (f"text too long for one article: {len(text):,} characters after cleaning "
                f"(limit {self.max_chars:,}, ITTISAL_MAX_TEXT_CHARS)")

    @contextlib.contextmanager
    def clock(self, stage: str) -> Iterator[None]:
        """Raise OverBudget in the block when it runs longer than `seconds`."""
        if self.seconds <= 0:
            yield
            return
        reason = (f"took longer than {self.seconds:g} s in {stage} (limit "
                  "ITTISAL_RECORD_SECONDS): quarantined so that no run stalls on it")
        started = time.monotonic()
        if threading.current_thread() is not threading.main_thread():
            yield
            if time.monotonic() - started > self.seconds:
                raise OverBudget(reason)
            return

        def expire(signum: int, frame: object) -> None:
            raise OverBudget(reason)

        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
