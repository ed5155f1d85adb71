"""Properties and concrete cases of ittisal.text.normalize (display and matching forms)."""

from __future__ import annotations

import json

from hypothesis import example, given, settings
from hypothesis import strategies as st

from ittisal.text import normalize as normalize_module
from ittisal.text.normalize import display_form, matching_form, normalize
from tests.conftest import CORPUS

SEED_LINES = [line.strip() for p in sorted((CORPUS / "seeds").glob("*.txt"))
              for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
DEV = [json.loads(line) for line in
       (CORPUS / "dev" / "articles.jsonl").read_text(encoding="utf-8").splitlines() if line]

# Arabic letters and everything the forms treat specially, so random strings hit the folds.
ARABIC_ALPHABET = (
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةى ٱٲٳٵیېۍکڪەہۀھ"
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0610\u06d6\u0640"
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹«»“”،؛؟\u200c\u200b\u200d\u200e\u200f\u202b\u2066\ufeff\u00a0"
    "\ufefb\ufe8d\ufdf2 \n\t.,0123456789abcXYZ")
arabic_text = st.text(alphabet=ARABIC_ALPHABET, max_size=60)
any_text = st.one_of(st.text(max_size=60), arabic_text, st.sampled_from(SEED_LINES))


@settings(max_examples=300)
@given(any_text)
def test_never_raises_and_the_two_ways_agree(text):
    n = normalize(text)
    assert n.display == display_form(text)
    assert n.matching == matching_form(text)


@settings(max_examples=300)
@given(any_text)
def test_matching_form_is_idempotent(text):
    once = matching_form(text)
    assert matching_form(once) == once


@settings(max_examples=300)
@given(any_text)
def test_every_matching_offset_maps_inside_the_display(text):
    n = normalize(text)
    for i in range(len(n.matching) + 1):
        assert 0 <= n.to_display(i) <= len(n.display)
    offsets = [n.to_display(i) for i in range(len(n.matching) + 1)]
    assert offsets == sorted(offsets)


@settings(max_examples=300)
@given(arabic_text, st.data())
@example("وَزِيرُ الخَارِجِيَّةِ", None)
def test_a_display_span_holds_the_same_letters_once_folded(text, data):
    n = normalize(text)
    if data is None:
        spans = [(0, len(n.matching))]
    else:
        start = data.draw(st.integers(0, len(n.matching)))
        end = data.draw(st.integers(start, len(n.matching)))
        spans = [(start, end)]
    for start, end in spans:
        s, e = n.display_span(start, end)
        assert 0 <= s <= e <= len(n.display)
        assert matching_form(n.display[s:e]) == n.matching[start:end]


def test_persian_letters_fold_to_arabic():
    assert matching_form("وزیر الخارجیة") == matching_form("وزير الخارجية") == "وزير الخارجيه"
    assert matching_form("ترکیا") == matching_form("تركيا")
    assert matching_form("مصطفى") == "مصطفي"


def test_diacritics_and_tatweel_go_hamza_on_alef_folds():
    assert matching_form("اتصالاً هاتفيّاً") == "اتصالا هاتفيا"
    assert matching_form("عُمان") == matching_form("عمّان") == "عمان"
    assert matching_form("الــعــراق") == "العراق"
    assert matching_form("إقرأ أيضاً آخر") == "اقرا ايضا اخر"
    assert matching_form("مسؤول رئيس") == "مسؤول رئيس"  # ؤ and ئ stay


def test_digits_and_punctuation():
    assert matching_form("١٢ ديسمبر ۲۰۲۴") == "12 ديسمبر 2024"
    assert matching_form("«نص» “آخر”، نعم؛ لا؟") == '"نص" "اخر", نعم; لا?'


def test_zero_width_non_joiner_becomes_a_space_and_controls_vanish():
    assert matching_form("كلمات\u200cدلالية") == "كلمات دلاليه"
    assert display_form("\u200fوزير\u200e\u00a0الخارجية\ufeff") == "وزير الخارجية"
    assert display_form("ﻻ") == "لا"  # presentation form → letters


def test_offsets_point_back_at_what_a_reader_sees():
    line = "أجرى وزيرُ الخارجيّة اتصالاً هاتفياً"
    n = normalize(line)
    start = n.matching.index("الخارجيه")
    s, e = n.display_span(start, start + len("الخارجيه"))
    assert n.display[s:e] == "الخارجيّة"


def test_a_run_of_spaces_matches_as_one_and_points_back_at_the_whole_run():
    """Scraped pages put two or three spaces where the word patterns expect one."""
    line = "اتصل  الرئيس   الكيني \u200c بنظيره  الإندونيسي"
    n = normalize(line)
    assert n.matching == "اتصل الرئيس الكيني بنظيره الاندونيسي"
    start = n.matching.index("الكيني")
    s, e = n.display_span(start, n.matching.index("الاندونيسي") + len("الاندونيسي"))
    assert n.display[s:e] == "الكيني \u200c بنظيره  الإندونيسي"
    assert matching_form("وزير  الخارجية") == matching_form("وزير الخارجية")


def test_corpus_lines_keep_their_length_in_display():
    """The corpus has no invisible controls: display is the text itself, so offsets into the
    display are offsets into the file (what parse_document relies on)."""
    for line in SEED_LINES + [a["text"] for a in DEV]:
        assert display_form(line) == line.replace("\u00a0", " ")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=400))
@example("«أحمد» ٣ ی ک ة 😀 \udc80 " * 40)
def test_the_array_fold_is_str_translate_over_the_fold_table(text):
    """Folding through an array of code points (the fast path) equals `str.translate` with
    the table itself, for any text: astral characters and lone surrogates included."""
    assert normalize_module._fold(text) == text.translate(
        str.maketrans(normalize_module._MATCH_FOLD))


def _walked(display: str) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """The matching form and offset map of `display`, one character at a time: the
    definition the array walk of `_single_spaced` must agree with."""
    kept: list[int] = []
    out: list[str] = []
    after_space = False
    for i, ch in enumerate(display):
        if normalize_module._MATCH_DELETE.match(ch):
            continue
        folded = ch.translate(normalize_module._MATCH_TABLE)
        if folded == " " and after_space:
            continue
        after_space = folded == " "
        kept.append(i)
        out.append(folded)
    breaks: list[int] = []
    shifts: list[int] = []
    for j, i in enumerate(kept):
        if i - j != (shifts[-1] if shifts else 0):
            breaks.append(j)
            shifts.append(i - j)
    if len(kept) < len(display) and (not shifts or len(display) - len(kept) != shifts[-1]):
        breaks.append(len(kept))
        shifts.append(len(display) - len(kept))
    return "".join(out), tuple(breaks), tuple(shifts)


def _corpus_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((CORPUS / "seeds").glob("*.txt"))]
    for name in ("dev/articles.jsonl", "dev2/tune/articles.jsonl", "dev2/check/articles.jsonl"):
        texts += [json.loads(line)["text"] for line in
                  (CORPUS / name).read_text(encoding="utf-8").splitlines() if line]
    return texts


def _same_as_walked(display: str) -> None:
    got = normalize_module._single_spaced(display)
    matching, breaks, shifts = _walked(display)
    assert (got.matching, got._breaks, got._shifts) == (matching, breaks, shifts)
    assert got._display_breaks == tuple(b + s for b, s in zip(breaks, shifts, strict=True))


@settings(max_examples=500, deadline=None)
@given(st.one_of(any_text, st.text(alphabet=st.characters(codec=None, exclude_categories=()),
                                   max_size=200),
                 st.text(alphabet="  \u200c\u200bاب\u064e\u0640", max_size=40)))
@example("  \u064e ")
@example("\u064e\u064e")
@example("ب  \u064e")
def test_the_array_walk_for_space_runs_is_the_character_walk(text):
    _same_as_walked(display_form(text))


def test_the_array_walk_is_the_character_walk_on_every_corpus_text_and_line():
    texts = _corpus_texts()
    for text in texts + [line for t in texts for line in t.splitlines()]:
        display = display_form(text)
        _same_as_walked(display)
        doubled = display.replace(" ", "  ")  # the texts that take this path
        _same_as_walked(doubled)
        assert matching_form(doubled) == _walked(doubled)[0]
