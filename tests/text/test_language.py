"""Language detection: the corpus is Arabic, other languages are named, answers are stable."""

from __future__ import annotations

import json

import pytest

from ittisal.text.language import SAMPLE_CHARS, LanguageGuess, detect_language
from ittisal.text.normalize import display_form
from ittisal.text.segments import article_text, parse_document
from tests.conftest import CORPUS, read_jsonl

SEEDS = [p.read_text(encoding="utf-8") for p in sorted((CORPUS / "seeds").glob("*.txt"))]
DEV = [json.loads(line) for line in
       (CORPUS / "dev" / "articles.jsonl").read_text(encoding="utf-8").splitlines() if line]

ENGLISH = "The foreign minister called his Turkish counterpart on Sunday to discuss the region."
FRENCH = "Le ministre des affaires étrangères a appelé dimanche son homologue turc à Ankara."
PERSIAN = ("وزیر امور خارجه ایران روز یکشنبه در گفتگوی تلفنی با همتای ترک خود درباره "
           "تحولات سوریه گفتگو کرد.")


def test_every_corpus_article_is_arabic():
    assert len(DEV) == 37 and len(SEEDS) == 5
    for text in [a["text"] for a in DEV] + SEEDS:
        assert detect_language(text).lang == "ar"


def test_cleaned_bodies_are_arabic_by_script_alone():
    """The fast path: what the pipeline feeds (body paragraphs) never needs langdetect."""
    for text in [a["text"] for a in DEV] + SEEDS:
        segments = parse_document(text)
        for article in {s.article for s in segments}:
            guess = detect_language(article_text(segments, article)[1])
            assert (guess.lang, guess.method) == ("ar", "script")
            assert guess.probability > 0.95


@pytest.mark.parametrize(("text", "lang"), [(ENGLISH, "en"), (FRENCH, "fr"), (PERSIAN, "fa")])
def test_other_languages(text, lang):
    guess = detect_language(text)
    assert (guess.lang, guess.method) == (lang, "langdetect")
    assert 0.5 < guess.probability <= 1.0


def test_arabic_written_with_persian_letters_is_still_arabic():
    """ک and ی inside Arabic words (a common keyboard habit) must not make it Persian."""
    text = "وزیر الخارجیة العراقی فؤاد حسین أجرى اتصالاً هاتفیاً مع نظیره الترکی هاکان فیدان"
    assert detect_language(text) == LanguageGuess("ar", 1.0, "langdetect")


def test_short_texts_are_decided_by_script():
    assert detect_language("مرحبا بكم") == LanguageGuess("ar", 1.0, "script")
    assert detect_language("وزير الخارجية OK") .lang == "ar"
    assert detect_language("hello world") == LanguageGuess("und", 1.0, "script")
    # the credit line of an embedded post: mostly Latin letters, too short to judge
    assert detect_language("— قناة الميادين (@AlMayadeenNews) December 1, 2024").lang == "und"


@pytest.mark.parametrize("text", ["", "   \n", "123 456", "!!! ... ؟؟", "\u200f\u200e"])
def test_nothing_to_judge_is_und(text):
    assert detect_language(text) == LanguageGuess("und", 0.0, "script")


def test_same_answer_whatever_was_detected_before():
    texts = [ENGLISH, FRENCH, PERSIAN, "Bonjour à tous les amis de la maison ce soir",
             "Hola amigos, el ministro llamó a su homólogo turco el domingo"]
    first = [detect_language(t) for t in texts]
    again = [detect_language(t) for t in reversed(texts)]
    assert again == list(reversed(first))
    assert [detect_language(t) for t in texts] == first


def test_global_langdetect_state_does_not_leak_in():
    from langdetect_rs import DetectorFactory, detect

    before = detect_language(FRENCH)
    DetectorFactory.seed = 12345
    detect("some other text entirely, in English this time")
    try:
        assert detect_language(FRENCH) == before
    finally:
        DetectorFactory.seed = 0


def _probabilities(module, texts: list[str]) -> list[object]:
    factory = module.DetectorFactory()
    factory.load_profile(module.detector_factory.PROFILES_DIRECTORY)
    factory.set_seed(0)
    out = []
    for text in texts:
        detector = factory.create()
        detector.set_max_text_length(SAMPLE_CHARS)
        detector.append(text)
        try:
            out.append([(p.lang, p.prob) for p in detector.get_probabilities()])
        except module.LangDetectException as exc:
            out.append(("no features", exc.get_code()))
    return out


def test_langdetect_rs_gives_langdetect_s_probabilities_bit_for_bit():
    """The pipeline's detector is the Rust port; the Python original is the reference."""
    import langdetect
    import langdetect_rs

    texts = [ENGLISH, FRENCH, PERSIAN, "", "123", "Ein, zwei, drei, vier"]
    for record in read_jsonl(CORPUS / "dev" / "articles.jsonl"):
        body = display_form(record["text"])
        texts += [body[:SAMPLE_CHARS], body[-SAMPLE_CHARS:], body[:60],
                  body[:SAMPLE_CHARS].replace("ي", "ی")]
    rust, python = _probabilities(langdetect_rs, texts), _probabilities(langdetect, texts)
    assert len(rust) == len(texts) == 6 + 4 * 37
    assert rust == python
