"""The knowledge files in ittisal/data: CSV with `#` comment lines, read one way everywhere."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

DATA = Path(__file__).parent / "data"


def read_rows(name: str) -> Iterator[dict[str, str]]:
    with open(DATA / name, encoding="utf-8") as f:
        yield from csv.DictReader(line for line in f if not line.startswith("#"))
