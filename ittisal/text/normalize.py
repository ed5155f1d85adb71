"""Two forms of one Arabic text: what a reader sees, and what dictionaries match against.

The display form only repairs what no reader would notice (invisible controls, odd spaces,
presentation forms). The matching form folds spelling variation that news writers treat as
free (hamza on alef, alef maqsura, Persian letters, ta marbuta, digits, quotes) and drops
diacritics and tatweel. Dropping characters moves offsets, so a `NormalizedText` keeps the
map from matching offsets back to display offsets: evidence spans point at what a reader sees.
The same `matching_form` builds dictionary keys, so text and keys always agree.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

# Display form: characters deleted outright (bidi controls, BOM, ZWJ, soft hyphen).
_DISPLAY_DELETE = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff\u200d\u00ad]")
# Unicode spaces other than the ASCII space and newline become one space each.
_DISPLAY_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\r\v\f]")
_SPACE_RUN = re.compile("  +")
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")

# Matching form: characters deleted (diacritics, Quranic marks, tatweel).
_MATCH_DELETE = re.compile("[\u064b-\u065f\u0670\u0610-\u061a\u06d6-\u06ed\u0640]")
# One-to-one substitutions, kept as data. ة is folded into ه on purpose: news writes سورية and
# سوريه, and keys go through the same function, so nothing is lost for matching.
_MATCH_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا", "ٵ": "ا",
    "ى": "ي", "ی": "ي", "ې": "ي", "ۍ": "ي",
    "ک": "ك", "ڪ": "ك",
    "ة": "ه", "ە": "ه", "ہ": "ه", "ۀ": "ه", "ھ": "ه",
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'",
    "،": ",", "؛": ";", "؟": "?",
    "\u200c": " ", "\u200b": " ",
    **{chr(0x0660 + i): str(i) for i in range(10)},
    **{chr(0x06F0 + i): str(i) for i in range(10)},
}
_MATCH_TABLE = str.maketrans(_MATCH_FOLD)
# The same table as an array over the Basic Multilingual Plane: `str.translate` looks each
# non-ASCII character up in a dict (~0.5 µs a character here), an array lookup over the
# text's UTF-32 code units is ten times faster and gives the same string.
_FOLD_ARRAY = np.arange(0x10000, dtype=np.uint32)
_FOLD_ARRAY[[ord(k) for k in _MATCH_FOLD]] = [ord(v) for v in _MATCH_FOLD.values()]
# The characters `_MATCH_DELETE` deletes, as a mask over the same plane.
_DELETE_ARRAY = np.array([bool(_MATCH_DELETE.match(chr(c))) for c in range(0x10000)])


_FOLD_ARRAY_FROM = 160  # characters; below, numpy's fixed cost is more than the dict's


def _fold(text: str) -> str:
    """`text` with every character of `_MATCH_FOLD` replaced (all are one for one)."""
    if len(text) < _FOLD_ARRAY_FROM:
        return text.translate(_MATCH_TABLE)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    folded = np.where(codes > 0xFFFF, codes, _FOLD_ARRAY[codes & 0xFFFF])
    return folded.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")


def display_form(text: str) -> str:
    """Repair invisible damage only; a reader sees the same words, diacritics and hamza kept."""
    text = _DISPLAY_DELETE.sub("", text)
    text = _DISPLAY_SPACES.sub(" ", text)
    if _PRESENTATION_FORMS.search(text):
        text = _PRESENTATION_FORMS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return unicodedata.normalize("NFC", text)


def matching_form(text: str, *, displayed: bool = False) -> str:
    """The folded form used both for text and for dictionary keys (no offset map).

    `displayed`: the caller vouches that `text` is already in display form (a cleaned
    article's text), so the display repairs are not made again (`display_form` of a display
    form is itself, a test holds it).
    """
    display = text if displayed else display_form(text)
    matching = _fold(_MATCH_DELETE.sub("", display))
    # a run of spaces matches as one (as `_single_spaced` keeps it): spaces come only from
    # the text and from the fold, so collapsing the runs of the folded text is the same
    return _SPACE_RUN.sub(" ", matching) if "  " in matching else matching


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A display text, its matching text, and where each matching offset lies in the display.

    `_breaks[k]` is a matching offset from which display offsets are `_shifts[k]` further on;
    text without deletions has no breaks, so the common case costs nothing.
    """

    display: str
    matching: str
    _breaks: tuple[int, ...] = ()
    _shifts: tuple[int, ...] = ()
    _display_breaks: tuple[int, ...] = ()  # display offset of each break

    def to_display(self, offset: int) -> int:
        """Display offset of a matching offset (0 ≤ offset ≤ len(matching))."""
        k = bisect.bisect_right(self._breaks, offset) - 1
        return offset + (self._shifts[k] if k >= 0 else 0)

    def to_matching(self, offset: int) -> int:
        """Matching offset of a display offset (a deleted mark maps to the letter after it)."""
        k = bisect.bisect_right(self._display_breaks, offset) - 1
        if k < 0:
            return offset
        return max(self._breaks[k], offset - self._shifts[k])

    def display_span(self, start: int, end: int) -> tuple[int, int]:
        """Display span of the matching span [start, end), without trailing deleted marks lost.

        The end maps through the last character kept, so a diacritic on the final letter stays
        inside the span a reader is shown.
        """
        if end <= start:
            d = self.to_display(start)
            return d, d
        last = self.to_display(end - 1) + 1
        while last < len(self.display) and _MATCH_DELETE.match(self.display, last):
            last += 1
        return self.to_display(start), last


def normalize(text: str, *, displayed: bool = False) -> NormalizedText:
    """Build both forms of `text` and the offset map between them (`displayed`: as in
    `matching_form`)."""
    display = text if displayed else display_form(text)
    breaks: list[int] = []
    shifts: list[int] = []
    pieces: list[str] = []
    kept_from = 0
    deleted = 0
    for m in _MATCH_DELETE.finditer(display):
        pieces.append(display[kept_from : m.start()])
        kept_from = m.end()
        deleted += m.end() - m.start()
        matching_pos = m.start() - (deleted - (m.end() - m.start()))
        if breaks and breaks[-1] == matching_pos:
            shifts[-1] = deleted
        else:
            breaks.append(matching_pos)
            shifts.append(deleted)
    pieces.append(display[kept_from:])
    matching = _fold("".join(pieces))
    if "  " in matching:
        return _single_spaced(display)
    return NormalizedText(display, matching, tuple(breaks), tuple(shifts),
                          tuple(b + d for b, d in zip(breaks, shifts, strict=True)))


def _single_spaced(display: str) -> NormalizedText:
    """`normalize` for a text whose matching form would hold a run of spaces: every space
    after the first of a run is dropped as well (the word patterns say «اتصل الرئيس بـ…» with
    one space, and pages scraped from HTML often put two). Done over the text's UTF-32 code
    units at once: which characters are kept, their folded form, and the offset map from
    where the kept ones stood."""
    codes = np.frombuffer(display.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    low = codes & 0xFFFF
    wide = codes > 0xFFFF
    kept = np.flatnonzero(wide | ~_DELETE_ARRAY[low])
    folded = np.where(wide[kept], codes[kept], _FOLD_ARRAY[low[kept]]).astype(np.uint32)
    space = folded == 0x20
    repeat = space.copy()
    repeat[1:] &= space[:-1]
    repeat[:1] = False
    kept, folded = kept[~repeat], folded[~repeat]
    matching = folded.tobytes().decode("utf-32-le", "surrogatepass")
    shift = kept - np.arange(len(kept))
    changed = np.flatnonzero(np.diff(shift, prepend=0) != 0)
    breaks, shifts = changed.tolist(), shift[changed].tolist()
    if len(kept) < len(display) and (not shifts or len(display) - len(kept) != shifts[-1]):
        breaks.append(len(kept))  # deletions at the very end: the end offset maps past them
        shifts.append(len(display) - len(kept))
    return NormalizedText(display, matching, tuple(breaks), tuple(shifts),
                          tuple(b + d for b, d in zip(breaks, shifts, strict=True)))
