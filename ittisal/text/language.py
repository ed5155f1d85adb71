"""The language of an article body, decided by its script when the script leaves no doubt.

langdetect manages ~180 docs/s on 3 KB articles and is thrown by Persian letters inside
Arabic words, so (measured facts in shared/notes/arabic-text.md):

* empty text, or text without letters, is "und";
* a text of fewer than ~5 words is too short for langdetect: the share of Arabic-script
  letters decides (method "script");
* a text written overwhelmingly in Arabic letters and without Persian/Urdu-only letters
  (پ چ ژ گ ک ی ۀ) is Arabic outright (method "script");
* anything else goes to langdetect, on the first 500 characters of the display form with
  ک→ك and ی→ي (langdetect itself maps ی to ي; ک drifts short texts to Persian).

langdetect is random unless seeded; a fresh seeded detector per call makes the answer
independent of what was detected before. The detector is langdetect-rs, a Rust port of
langdetect that reproduces its random walk bit for bit (every probability equal, checked by
a test against langdetect itself on the corpus) at ~30x the speed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from langdetect_rs import DetectorFactory, LangDetectException
from langdetect_rs.detector_factory import PROFILES_DIRECTORY

from ittisal.text.normalize import display_form

__all__ = ["LanguageGuess", "detect_language"]

# Runs of letters (\w without digits and _) and runs of Arabic-script letters (no marks,
# digits or punctuation, so the share stays a share of letters). Runs, not single characters:
# findall over runs is 2-3x faster on 3 KB articles.
_ARABIC_LETTERS = re.compile(
    r"[\u0620-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06ee-\u06ef\u06fa-\u06fc\u06ff"
    r"\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdfb\ufe70-\ufefc]+")
# Letters of Persian and Urdu that Arabic does not use (Arabic ي and ك are excluded).
_NON_ARABIC_LETTERS = re.compile(r"[پچژگکیۀٹڈڑںےۓھ]")
_WORDS = re.compile(r"[^\W\d_]+")
SCRIPT_CERTAIN = 0.95  # share of letters in Arabic script above which the script decides
SHORT_WORDS = 5  # below this many words langdetect is unreliable
SAMPLE_CHARS = 500  # langdetect reads this much: 2.5x faster, same answers on news
_LANGDETECT_FOLD = str.maketrans({"ک": "ك", "ی": "ي"})


@dataclass(frozen=True)
class LanguageGuess:
    """ISO 639-1 code (or "und"), the probability behind it, and how it was decided."""

    lang: str
    probability: float
    method: str


class _Detectors:
    """One loaded langdetect profile set; each call gets a fresh detector seeded with 0.

    A detector owns its random generator and reseeds it for every detection, so answers do
    not depend on call order, threads or on other code using langdetect's global factory.
    """

    _factory: DetectorFactory | None = None

    @classmethod
    def detect(cls, text: str) -> LanguageGuess | None:
        if cls._factory is None:
            factory = DetectorFactory()
            factory.load_profile(PROFILES_DIRECTORY)
            factory.set_seed(0)  # on this private factory, not the global one
            cls._factory = factory
        detector = cls._factory.create()
        detector.set_max_text_length(SAMPLE_CHARS)
        detector.append(text)
        try:
            best = detector.get_probabilities()[0]
        except (LangDetectException, IndexError):
            return None
        return LanguageGuess(best.lang, round(best.prob, 4), "langdetect")


def detect_language(text: str, *, displayed: bool = False) -> LanguageGuess:
    """Language of `text` (ISO 639-1, "und" when there is nothing to judge); deterministic.

    `displayed`: the caller vouches that `text` is already in display form (as
    `ittisal.text.normalize.matching_form` takes it).
    """
    text = (text if displayed else display_form(text)) if text else ""
    words = _WORDS.findall(text)
    letters = sum(map(len, words))
    if not letters:
        return LanguageGuess("und", 0.0, "script")
    arabic = min(1.0, sum(map(len, _ARABIC_LETTERS.findall(text))) / letters)
    non_arabic_letters = bool(_NON_ARABIC_LETTERS.search(text))
    # words are whitespace tokens holding a letter (diacritics split letter runs)
    head = text.split(None, SHORT_WORDS * 4)[: SHORT_WORDS * 4]
    if sum(1 for token in head if _WORDS.search(token)) < SHORT_WORDS:
        if arabic >= 0.5:
            return LanguageGuess("ar", round(arabic, 4), "script")
        return LanguageGuess("und", round(1 - arabic, 4), "script")
    if arabic >= SCRIPT_CERTAIN and not non_arabic_letters:
        return LanguageGuess("ar", round(arabic, 4), "script")
    guess = _Detectors.detect(text[:SAMPLE_CHARS].translate(_LANGDETECT_FOLD))
    return guess or LanguageGuess("und", 0.0, "langdetect")
