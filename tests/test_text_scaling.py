"""One long record costs in proportion to its length: the text-to-events path (segments, dates,
entities, events) is near-linear, so a record four times longer takes about four times the work.

Work is counted as function calls (cProfile's counts, the same on every run) rather than timed,
so the test cannot flake on a loaded machine; the texts are real corpus articles joined.
"""

from __future__ import annotations

import cProfile
import pstats

import pytest

from ittisal import stages
from ittisal.entities import tagging
from ittisal.events.dates import find_date_expressions
from ittisal.events.mentions import extract_events
from ittisal.synthetic import long_record
from ittisal.text.normalize import normalize
from ittisal.text.segments import parse_document
from tests.conftest import CORPUS


def text_to_events(text: str) -> int:
    """The stages' text path on one record; the number of mentions and events it gives."""
    body = stages.article_body((s.kind, s.text) for s in parse_document(text))
    norm = normalize(body)
    find_date_expressions(norm.matching)
    mentions = tagging.tag(norm, None)
    return len(mentions) + len(extract_events(norm, mentions, None))


def calls(text: str) -> int:
    profile = cProfile.Profile()
    profile.runcall(text_to_events, text)
    return pstats.Stats(profile).total_calls


@pytest.mark.parametrize("size", [20_000])
def test_four_times_the_text_is_about_four_times_the_work(size):
    short, long = long_record(size, CORPUS), long_record(4 * size, CORPUS)
    assert len(long) == 4 * len(short)
    text_to_events(short), text_to_events(long)  # dictionaries and patterns cached first
    ratio = calls(long) / calls(short)
    assert ratio < 6, f"{4 * size:,} characters cost {ratio:.1f} times {size:,}"
