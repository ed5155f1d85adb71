"""The one clock the pipeline judges time by: tests set it to show what a wrong clock does."""

from __future__ import annotations

import datetime as dt


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
