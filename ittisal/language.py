"""The language of an article body, decided cheaply when the script leaves no doubt.

langdetect is slow (~180 docs/s on 3 KB articles) and easily thrown by Persian letters in
Arabic words, so a body written almost entirely in Arabic letters with no Persian or Urdu
letters (پ چ ژ گ ی ک) is Arabic by its script alone; langdetect (seeded, on the first 500
characters) decides the rest, and the script decides texts too short for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from langdetect import DetectorFactory, LangDetectException, detector_factory

_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]")
_LETTER = re.compile(r"[^\W\d_]")
_PERSIAN_LETTERS = re.compile(r"[پچژگیک]")  # Persian/Urdu letters: let langdetect judge
_WORD = re.compile(r"\w+")
SCRIPT_CERTAIN = 0.9  # share of letters that are Arabic above which the script decides
SHORT_WORDS = 5  # below this langdetect is unreliable (measured: shared/notes)
SAMPLE_CHARS = 500


@dataclass(frozen=True)
class LanguageGuess:
    lang: str
    probability: float
    method: str


def _langdetect(text: str) -> LanguageGuess | None:
    detector_factory.init_factory()
    DetectorFactory.seed = 0
    detector = detector_factory._factory.create()
    detector.append(text[:SAMPLE_CHARS].replace("ک", "ك").replace("ی", "ي"))
    try:
        best = detector.get_probabilities()[0]
    except LangDetectException:
        return None
    return LanguageGuess(best.lang, round(best.prob, 4), "langdetect")


def detect_language(text: str) -> LanguageGuess:
    """ISO 639-1 code of `text` ("und" when there is nothing to judge), deterministic."""
    letters = len(_LETTER.findall(text))
    if not letters:
        return LanguageGuess("und", 0.0, "script")
    arabic_share = len(_ARABIC_LETTER.findall(text)) / letters
    persian = bool(_PERSIAN_LETTERS.search(text))
    if arabic_share >= SCRIPT_CERTAIN and not persian:
        return LanguageGuess("ar", round(arabic_share, 4), "script")
    if len(_WORD.findall(text)) < SHORT_WORDS:
        lang = "ar" if arabic_share >= 0.5 else "und"
        return LanguageGuess(lang, round(max(arabic_share, 1 - arabic_share), 4), "script")
    return _langdetect(text) or LanguageGuess("und", 0.0, "langdetect")
