"""Decoding, HTML, segmentation, language and normalization on the real corpus."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ittisal.text.decoding import UndecodableError, decode_bytes
from ittisal.text.html import html_to_text
from ittisal.text.language import detect_language
from ittisal.text.normalize import matching_form, normalize
from ittisal.text.segments import article_text, parse_document
from tests.conftest import CORPUS, SEEDS, read_jsonl

SEED_FILES = sorted(SEEDS.glob("*.txt"))
DEV = read_jsonl(CORPUS / "dev" / "articles.jsonl")
GOLD = {g["id"]: g for g in read_jsonl(SEEDS / "seeds.gold.jsonl")}


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1256"])
def test_seeds_decode_the_same_in_every_encoding(path, encoding):
    text = path.read_text(encoding="utf-8")
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        # 001 carries characters cp1256 lacks; drop them to make a legacy file of the rest
        text = text.encode(encoding, "ignore").decode(encoding)
        data = text.encode(encoding)
    decoded = decode_bytes(data)
    assert decoded.text == text
    assert parse_document(decoded.text) == parse_document(text)


def test_iso_8859_6_is_told_apart_from_windows_1256():
    text = "أجرى وزير الخارجية العراقي اتصالاً هاتفياً مع نظيره التركي"
    stripped = text.encode("iso-8859-6", "ignore")
    assert decode_bytes(stripped).text == stripped.decode("iso-8859-6")
    assert decode_bytes(text.encode("cp1256")).encoding == "cp1256"


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (bytes(range(256)) * 4, "binary"),
    (b"\xff\xfe\xfd" * 50 + b"\x00", "undecodable"),  # a UTF-16 BOM, then garbage
])
def test_non_text_is_refused_with_a_reason(data, reason):
    with pytest.raises(UndecodableError) as err:
        decode_bytes(data)
    assert reason in err.value.reason


def test_html_gives_title_and_paragraphs_without_scripts():
    article = DEV[0]
    title, body = article["title"], article["text"].split("\n\n", 1)[1]
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n"))
    page = (f"<html><head><title>{title}</title><script>alert('x')</script>"
            f"<style>p{{color:red}}</style></head><body><nav>الرئيسية</nav><article>"
            f"<h1>{title}</h1>{paragraphs}</article><iframe src='x'></iframe></body></html>")
    got_title, got_body = html_to_text(page)
    assert got_title == title
    assert got_body == "\n".join(" ".join(p.split()) for p in body.split("\n") if p.strip())


def _gold_segments(path):
    segments = parse_document(path.read_text(encoding="utf-8"))
    return segments, GOLD[path.name]


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_gold_evidence_lies_in_the_right_article_body(path):
    segments, gold = _gold_segments(path)
    for event in gold["events"]:
        article = 1 if event["segment"] == "read-also" else 0
        _, body = article_text(segments, article)
        for part in event["evidence"].split(" ... "):
            assert part in body, (event["evidence"], article)


def test_read_also_articles_and_embedded_post_dates_are_found():
    by_name = {p.name[:3]: parse_document(p.read_text(encoding="utf-8")) for p in SEED_FILES}
    assert {n: max(s.article for s in segs) for n, segs in by_name.items()} == {
        "000": 0, "001": 1, "002": 0, "003": 1, "004": 0}
    posts = {n: [s.post_date for s in segs if s.post_date] for n, segs in by_name.items()}
    assert posts["001"] == [dt.date(2024, 12, 31)]
    assert posts["002"] == [dt.date(2024, 12, 1)]
    assert [s.kind for s in by_name["004"][-2:]] == ["comment_form", "comment_form"]


def test_no_related_headline_reaches_a_body():
    for path in SEED_FILES:
        segments = parse_document(path.read_text(encoding="utf-8"))
        bodies = "\n".join(article_text(segments, a)[1] for a in {s.article for s in segments})
        for s in segments:
            if s.kind == "related_list" and s.text.startswith("•"):
                assert s.text.lstrip("• ") not in bodies


def test_rules_generalise_to_other_spellings_of_the_markers():
    page = ("عنوان الخبر\nنص الخبر الأول.\nالمصدر : وكالة الأنباء\nالوسوم: العراق\n"
            "اقرأ أيضا\nعنوان آخر\nنص آخر.\nأخبار ذات صلة\nخبر مرتبط\nاترك تعليقا\nاسمك")
    kinds = [(s.article, s.kind) for s in parse_document(page)]
    assert kinds == [(0, "title"), (0, "body"), (0, "source"), (0, "keywords"),
                     (0, "read_also_marker"), (1, "title"), (1, "body"), (1, "related_list"),
                     (1, "related_list"), (1, "comment_form"), (1, "comment_form")]


def test_every_corpus_article_is_arabic_and_other_languages_are_not():
    for article in DEV:
        assert detect_language(article["text"]).lang == "ar", article["id"]
    for path in SEED_FILES:
        assert detect_language(path.read_text(encoding="utf-8")).lang == "ar"
    assert detect_language("The minister called his counterpart on Sunday to discuss the "
                           "situation.").lang == "en"
    assert detect_language("Le ministre a appelé son homologue dimanche pour discuter de la "
                           "situation.").lang == "fr"
    assert detect_language("وزیر امور خارجه ایران با همتای ترکیه خود گفتگو کرد").lang == "fa"


def test_language_is_the_same_whatever_was_detected_before():
    texts = ["Le ministre a appelé son homologue dimanche pour discuter.",
             "The minister called his counterpart on Sunday.",
             json.loads(json.dumps(DEV[3]["text"]))]
    first = [detect_language(t) for t in texts]
    assert [detect_language(t) for t in reversed(texts)] == list(reversed(first))


def test_matching_form_folds_persian_letters_digits_and_diacritics():
    assert matching_form("وزیر الخارجیة") == matching_form("وزير الخارجية")
    assert matching_form("اتصالاً هاتفيّاً") == "اتصالا هاتفيا"
    assert matching_form("١٢ ديسمبر ۲۰۲۴") == "12 ديسمبر 2024"
    assert matching_form("كلمات\u200cدلالية") == "كلمات دلاليه"
    assert matching_form("إقرأ أيضاً") == "اقرا ايضا"


@given(st.text())
def test_normalization_never_raises_is_idempotent_and_maps_inside(text):
    n = normalize(text)
    assert matching_form(n.matching) == n.matching
    assert n.matching == matching_form(text)
    for i in range(len(n.matching) + 1):
        assert 0 <= n.to_display(i) <= len(n.display)
        assert n.to_matching(n.to_display(i)) == i


@given(st.text(alphabet="وزيرالخارجيةًٌٍَُِّْـ أإآىة٠١", min_size=1))
def test_display_spans_hold_the_same_letters(text):
    n = normalize(text)
    for start in range(len(n.matching)):
        s, e = n.display_span(start, start + 1)
        assert matching_form(n.display[s:e]) == n.matching[start:start + 1]
