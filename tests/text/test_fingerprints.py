"""Fingerprints find rewrites of one statement and nothing else."""

from __future__ import annotations

import json
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from ittisal.text.fingerprints import (
    _WORD,
    SAMPLE,
    SHINGLE_WORDS,
    shingle_hash,
    text_fingerprints,
)
from ittisal.text.normalize import matching_form
from tests.conftest import CORPUS, SEEDS

# the Iraqi ministry's statement as seed 000 quotes it, and two retellings of its substance
STATEMENT = ("وذكرت وزارة الخارجية في بيان، أن نائب رئيس مجلس الوزراء ووزير الخارجية فؤاد "
             "حسين، أجرى اليوم اتصالاً هاتفياً بوزير الخارجية التركي هاكان فيدان، جرى خلاله "
             "بحث التطورات الأخيرة في سوريا وتداعياتها على أمن المنطقة واستقرارها، وأكد "
             "الجانبان أهمية التنسيق المشترك بين البلدين لمواجهة التحديات الأمنية في المنطقة.")
REWRITE = ("أفادت الخارجية العراقية بأن نائب رئيس مجلس الوزراء ووزير الخارجية فؤاد حسين، "
           "أجرى اليوم اتصالاً هاتفياً بوزير الخارجية التركي هاكان فيدان، جرى خلاله بحث "
           "التطورات الأخيرة في سوريا وتداعياتها على أمن المنطقة واستقرارها. "
           "وكانت أنقرة قد دعت الأسبوع الماضي إلى اجتماع إقليمي.")
OTHER = ("استقبل سلطان عمان في قصر العلم وزير الدولة البريطاني لشؤون الشرق الأوسط، وجرى "
         "خلال اللقاء استعراض علاقات الصداقة بين البلدين وسبل تعزيزها في مجالات الاقتصاد "
         "والتعليم والطاقة، إضافة إلى تبادل وجهات النظر حول القضايا الإقليمية والدولية.")


def _containment(a: str, b: str) -> float:
    fa, fb = set(text_fingerprints(matching_form(a))), set(text_fingerprints(matching_form(b)))
    return len(fa & fb) / max(1, min(len(fa), len(fb)))


def test_a_rewrite_shares_most_fingerprints_and_an_unrelated_text_none():
    assert _containment(STATEMENT, REWRITE) >= 0.4
    assert _containment(STATEMENT, OTHER) < 0.1


def test_diacritics_hamza_and_digits_do_not_hide_a_copy():
    dressed = STATEMENT.replace("أجرى", "أَجْرَى").replace("أمن", "امن").replace("اليوم", "اليـوم")
    assert _containment(STATEMENT, dressed) >= 0.7


def test_the_seed_rewrites_share_fingerprints_and_the_other_seeds_do_not():
    texts = {p.name[:3]: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    assert _containment(texts["000"], texts["002"]) >= 0.15
    assert _containment(texts["000"], texts["001"]) >= 0.15
    assert _containment(texts["003"], texts["004"]) < 0.1


def test_short_texts_have_no_fingerprints():
    assert text_fingerprints("اتصال هاتفي بين الرئيسين") == []
    assert text_fingerprints("") == []


def test_fingerprints_are_the_same_in_every_process():
    code = ("from ittisal.text.fingerprints import text_fingerprints as f; "
            f"print(f({matching_form(STATEMENT)!r}))")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={"PYTHONHASHSEED": "123"}).stdout.strip()
    assert other == str(text_fingerprints(matching_form(STATEMENT)))


@given(st.text())
def test_fingerprints_never_raise_and_are_sorted_and_unique(text):
    prints = text_fingerprints(text)
    assert prints == sorted(set(prints))


def _by_definition(text: str) -> list[int]:
    """Every 5-gram hashed on its own, one in `SAMPLE` kept: what the fast walk must give."""
    words = _WORD.findall(text)
    every = {shingle_hash(words[i:i + SHINGLE_WORDS])
             for i in range(len(words) - SHINGLE_WORDS + 1)}
    return sorted(h for h in every if h % SAMPLE == 0)


@settings(max_examples=300)
@given(st.lists(st.sampled_from(["وزير", "الخارجيه", "اتصال", "a1", "٣", "😀", "_x", "é"]),
                max_size=30).map(" ".join) | st.text())
def test_each_fingerprint_is_the_hash_of_its_five_words(text):
    assert text_fingerprints(text) == _by_definition(text)


def test_each_fingerprint_is_the_hash_of_its_five_words_on_every_corpus_text():
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for name in ("dev/articles.jsonl", "dev2/tune/articles.jsonl", "dev2/check/articles.jsonl"):
        texts += [json.loads(line)["text"] for line in
                  (CORPUS / name).read_text(encoding="utf-8").splitlines() if line]
    assert len(texts) > 190
    for text in texts:
        assert text_fingerprints(matching_form(text)) == _by_definition(matching_form(text))
