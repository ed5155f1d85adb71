"""Sweeps of the constructions news uses to report a contact, each written for these tests
with other states than the corpus's (tests/events/data/*.txt): every way of saying a call,
visit, meeting or message, its plans and denials, and the days it is told with. A rule that
fits one article and breaks a construction fails here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ittisal.entities.tagging import tag
from ittisal.events.mentions import extract_events
from ittisal.text.normalize import normalize

DATA = Path(__file__).parent / "data"
THURSDAY = dt.date(2018, 5, 10)


def _cases(name: str) -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            expected, text = line.split("|", 1)
            rows.append((expected.strip(), text))
    return rows


def _found(text: str) -> list:
    n = normalize(text.replace("\\n", "\n"))  # «\n» in a line of the data file: a new line
    return [e for e in extract_events(n, tag(n, THURSDAY), THURSDAY) if not e.background]


@pytest.mark.parametrize(("expected", "text"), _cases("constructions.txt"))
def test_each_construction_reports_what_a_reader_finds(expected, text):
    found = sorted(f"{e.event_type}:{','.join(e.countries)}" for e in _found(text))
    assert found == ([] if expected == "-" else sorted(expected.split(";")))


@pytest.mark.parametrize(("expected", "text"), _cases("construction_dates.txt"))
def test_each_way_of_telling_the_day_dates_the_call(expected, text):
    assert [f"{e.event_type}:{e.date.date}" for e in _found(text)] == [expected]
