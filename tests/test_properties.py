"""Property tests on the pure text functions the pipeline chains: on any input they never
raise, their offsets lie inside the text they were given, and they are deterministic."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ittisal.entities.tagging import tag
from ittisal.events.mentions import extract_events
from ittisal.text.decoding import UndecodableError, decode_bytes
from ittisal.text.html import html_to_text
from ittisal.text.language import detect_language
from ittisal.text.normalize import normalize
from ittisal.text.segments import parse_document

# Arabic news words, punctuation and digits, so random text reaches the interesting code
WORDS = ["أجرى", "تلقى", "اتصالاً", "هاتفياً", "من", "مع", "نظيره", "التركي", "العراقي",
         "وزير", "الخارجية", "الرئيس", "بشار", "الأسد", "فؤاد", "حسين", "اليوم", "أمس", "الأحد",
         "السبت", "الماضي", "زار", "استقبل", "رسالة", "سيزور", "نفى", "1", "ديسمبر", "2024",
         "كانون", "الأول", "،", ".", "\n", "«", "»", "إقرأ أيضاً:", "المصدر:", "ـ", "\u064e",
         "\u200c", "ی", "ک", "٣"]
ARABIC = st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join)
TEXT = st.one_of(st.text(max_size=300), ARABIC)
DAY = st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)))
FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(TEXT, DAY)
def test_tagging_and_events_never_raise_and_point_inside_the_text(text, published):
    norm = normalize(text)
    mentions = tag(norm, published)
    for m in mentions:
        assert 0 <= m.start < m.end <= len(norm.matching)
        start, end = norm.display_span(m.start, m.end)
        assert 0 <= start <= end <= len(norm.display)
    events = extract_events(norm, mentions, published)
    for e in events:
        assert 0 <= e.start < e.end <= len(norm.matching)
        assert e.initiator is None or e.initiator in e.countries
        assert list(e.countries) == sorted(set(e.countries))
        if e.date.date and published and e.date.basis != "explicit":
            assert e.date.date <= published
    assert tag(norm, published) == mentions
    assert extract_events(norm, mentions, published) == events


@FAST
@given(TEXT)
def test_segments_cover_only_the_text_they_were_given(text):
    for s in parse_document(text):
        assert 0 <= s.start <= s.end <= len(text)
        assert s.text.strip() in text[s.start:s.end] or not s.text.strip()


@FAST
@given(st.binary(max_size=400))
def test_decoding_any_bytes_gives_text_or_a_reason(data):
    try:
        decoded = decode_bytes(data)
    except UndecodableError as exc:
        assert exc.reason
    else:
        assert isinstance(decoded.text, str) and decoded.encoding


@FAST
@given(st.text(max_size=300), st.sampled_from(["p", "script", "style", "div", "title", "h1"]))
def test_html_of_any_text_never_raises_and_drops_scripts(text, tag_name):
    page = f"<html><body><{tag_name}>{text}</{tag_name}><script>SECRET()</script></body></html>"
    title, body = html_to_text(page)
    assert "SECRET" not in body and (title is None or "SECRET" not in title)


@FAST
@given(TEXT)
def test_language_is_deterministic_with_a_probability(text):
    guess = detect_language(text)
    assert guess == detect_language(text)
    assert 0.0 <= guess.probability <= 1.0
