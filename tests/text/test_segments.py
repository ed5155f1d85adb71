"""Segmentation of scraped pages: the five seeds as the gold implies, the dev feed, and
marker spellings and page furniture the seeds do not show."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ittisal.text.normalize import matching_form
from ittisal.text.segments import (
    EVENT_BEARING_KINDS,
    KINDS,
    Segment,
    _first_rule,
    article_text,
    parse_document,
    rules,
)
from tests.conftest import CORPUS

SEEDS = {p.name: p.read_text(encoding="utf-8") for p in sorted((CORPUS / "seeds").glob("*.txt"))}
GOLD = {g["id"]: g for g in map(json.loads, (CORPUS / "seeds.gold.jsonl").read_text(
    encoding="utf-8").splitlines()) if g}
DEV = [json.loads(line) for line in
       (CORPUS / "dev" / "articles.jsonl").read_text(encoding="utf-8").splitlines() if line]
PARSED = {name[:3]: parse_document(text) for name, text in SEEDS.items()}


def kinds(text: str) -> list[tuple[int, str]]:
    return [(s.article, s.kind) for s in parse_document(text)]


def check_invariants(text: str, segments: list[Segment]) -> None:
    """Offsets point at the text, in order, without overlap; every visible line is covered."""
    assert [s.index for s in segments] == list(range(len(segments)))
    previous_end = 0
    for s in segments:
        assert s.text == text[s.start:s.end] == s.text.strip() != ""
        assert s.start >= previous_end
        previous_end = s.end
        assert s.kind in KINDS
    articles = [s.article for s in segments]
    assert articles == sorted(articles)
    covered = "".join(text[s.start:s.end] for s in segments)
    assert visible(text) == visible(covered)


def visible(text: str) -> str:
    return re.sub(r"[\s\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u061c\u00ad]", "", text)


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_segments_point_at_the_text(name):
    check_invariants(SEEDS[name], PARSED[name[:3]])


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_gold_evidence_lies_in_the_body_of_its_article(name):
    segments = PARSED[name[:3]]
    for event in GOLD[name]["events"]:
        article = 1 if event["segment"] == "read-also" else 0
        _, body = article_text(segments, article)
        for part in event["evidence"].split(" ... "):
            assert part in body, (event["evidence"], article)


def test_read_also_articles_are_split_off():
    assert {n: max(s.article for s in segs) for n, segs in PARSED.items()} == {
        "000": 0, "001": 1, "002": 0, "003": 1, "004": 0}
    assert article_text(PARSED["001"], 1)[0] == "أول اتصال رسمي بين مصر وسوريا بعد سقوط الأسد"
    markers = [s for segs in PARSED.values() for s in segs if s.kind == "read_also_marker"]
    assert [s.text for s in markers] == ["إقرأ أيضاً:", "إقرأ أيضاً:"]


def test_a_source_glued_to_a_title_is_cut_off():
    seg = {s.kind: s for s in PARSED["003"] if s.article == 1 and s.kind in ("title", "source")}
    assert seg["title"].text == (
        "سلطان عمان يبحث مع وزير خارجية بريطانيا التطورات الإقليمية والدولية")
    assert seg["source"].text == 'المصدر: الخارجية العمانية- منصة "إكس"'
    assert seg["source"].rule == "source_glued"
    assert seg["title"].end == seg["source"].start


def test_no_related_headline_reaches_a_body():
    for name, segments in PARSED.items():
        bodies = "\n".join(article_text(segments, a)[1] for a in {s.article for s in segments})
        listed = [s for s in segments if s.kind == "related_list"]
        assert len(listed) == (11 if name in ("001", "003") else 0)  # heading + 10 headlines
        for s in listed:
            assert s.text.lstrip("• ") not in bodies


def test_embedded_posts_and_their_dates():
    posts = {n: [(s.post_date, s.post_author) for s in segs if s.post_date]
             for n, segs in PARSED.items()}
    assert posts["001"] == [(dt.date(2024, 12, 31), "أسعد حسن الشيباني")]
    assert posts["002"] == [(dt.date(2024, 12, 1), "قناة الميادين")]
    assert all(not p for n, p in posts.items() if n not in ("001", "002"))
    post_002 = [s for s in PARSED["002"] if s.kind == "embedded_post"]
    assert [s.rule for s in post_002] == ["post_text", "post_credit", "post_media"]
    assert post_002[0].text.startswith('"سلاح الجو السوري')
    assert "pic.twitter.com" in post_002[2].text


def test_the_tail_of_004_is_a_comment_form_and_its_head_repeats_the_title():
    segments = PARSED["004"]
    assert [(s.kind, s.rule) for s in segments[:3]] == [
        ("title", None), ("byline_noise", "repeated_title"), ("byline_noise", "count_only")]
    assert [s.text for s in segments[-2:] if s.kind == "comment_form"] == [
        "اترك رد", "لن يتم نشر عنوان بريدك الإلكتروني."]


def test_source_and_keyword_lines_are_not_body():
    for name in ("001", "003"):
        by_kind = {s.kind: s.text for s in PARSED[name] if s.article == 0}
        assert by_kind["source"] == "المصدر: صدى البلد"
        assert by_kind["keywords"].startswith("كلمات دلالية:")


def test_a_lede_first_line_is_body_not_title():
    """001 and 003 start with a full sentence: no headline was saved."""
    assert article_text(PARSED["001"], 0)[0] is None
    assert PARSED["003"][0].kind == "body"
    assert PARSED["000"][0].kind == "title"


@pytest.mark.parametrize("article", DEV, ids=lambda a: a["id"].rsplit("/", 1)[-1][:-6])
def test_dev_feed_title_and_body(article):
    segments = parse_document(article["text"])
    check_invariants(article["text"], segments)
    title, body = article_text(segments, 0)
    assert title == article["title"]
    assert {s.article for s in segments} == {0}
    lines = [line.strip() for line in article["text"].split("\n\n", 1)[1].split("\n")]
    assert set(body.split("\n")) <= set(lines)


def test_agency_credit_lines_and_repeated_paragraphs():
    by_id = {a["id"].rsplit("/", 1)[-1][:-6]: a["text"] for a in DEV}
    afp = parse_document(by_id["FR-internationalNews-2285-20180714"])
    assert [(s.kind, s.rule, s.text) for s in afp[-1:]] == [
        ("source", "agency_credit", "فرانس 24/أ ف ب")]
    page = "العنوان\nفقرة تتكرر في الصفحة مرتين.\nفقرة أخرى.\nفقرة تتكرر في الصفحة مرتين.\nنعم\nنعم"
    assert [(s.kind, s.rule) for s in parse_document(page)] == [
        ("title", None), ("body", None), ("body", None), ("byline_noise", "repeated_line"),
        ("body", None), ("body", None)]  # a repeated word or two is not worth calling noise


GENERIC_PAGE = """\
عنوان الخبر الرئيسي
بقلم: أحمد محمد
الأحد 01 ديسمبر 2024 - 10:30 ص
أجرى وزير الخارجية اتصالاً هاتفياً بنظيره.
شارك
فيسبوك تويتر واتساب
شارك الرئيس في القمة العربية التي عقدت في الرياض أمس.
وقال المصدر: إن الاتصال تناول العلاقات الثنائية.
اقرأ أيضا: الرئيس يستقبل وفداً رفيع المستوى
المصدر : وكالة الأنباء الرسمية
الوسوم: العراق تركيا
تابعونا على فيسبوك وتويتر
اشترك في النشرة البريدية
جميع الحقوق محفوظة © 2024
واقرأ ايضاً
عنوان الخبر الثاني
نص الخبر الثاني هنا.
مواضيع ذات صلة
وزير الخارجية يستقبل السفير الروسي
الرئيس يبحث مع نظيره التركي التطورات
الأكثر قراءة
1
خبر شائع جدا اليوم
اتْرُكْ رَدًّا
الاسم *
البريد الإلكتروني *
"""


def test_markers_in_other_spellings_and_common_furniture():
    got = [(s.article, s.kind, s.rule) for s in parse_document(GENERIC_PAGE)]
    assert got == [
        (0, "title", None),
        (0, "byline_noise", "byline"),
        (0, "byline_noise", "dateline"),
        (0, "body", None),
        (0, "byline_noise", "share"),
        (0, "byline_noise", "share"),
        (0, "body", None),  # «شارك الرئيس في القمة» is news, not a share button
        (0, "body", None),  # «وقال المصدر:» is prose, not a source line
        (0, "related_list", "read_also_link"),
        (0, "source", "source_line"),
        (0, "keywords", "keywords"),
        (0, "byline_noise", "follow_us"),
        (0, "byline_noise", "newsletter"),
        (0, "byline_noise", "copyright"),
        (0, "read_also_marker", "read_also"),
        (1, "title", None),
        (1, "body", None),
        (1, "related_list", "related_list"),
        (1, "related_list", "related_list"),
        (1, "related_list", "related_list"),
        (1, "related_list", "read_more"),
        (1, "byline_noise", "count_only"),
        (1, "related_list", "read_more"),
        (1, "comment_form", "comment_form"),
        (1, "comment_form", "comment_notice"),
        (1, "comment_form", "comment_notice"),
    ]
    check_invariants(GENERIC_PAGE, parse_document(GENERIC_PAGE))


def test_a_list_of_headlines_ends_where_running_text_starts_again():
    page = ("العنوان\nالفقرة الأولى من الخبر.\nأخبار ذات صلة\nخبر أول مرتبط\n- خبر ثان مرتبط\n"
            "وأضاف الوزير أن المحادثات ستستمر خلال الأيام المقبلة بين الجانبين.\n")
    assert [k for _, k in kinds(page)] == [
        "title", "body", "related_list", "related_list", "related_list", "body"]


def test_read_also_over_a_list_of_links_is_not_a_new_article():
    page = "العنوان\nنص الخبر.\nاقرأ أيضاً:\n• خبر أول\n• خبر ثان\n"
    assert kinds(page) == [(0, "title"), (0, "body"), (0, "read_also_marker"),
                           (0, "related_list"), (0, "related_list")]


def test_a_comment_form_runs_to_the_next_marker():
    page = "العنوان\nنص.\nاترك تعليقا\nاسمك\nتعليقك هنا\nإقرأ أيضاً\nخبر آخر\nنص آخر."
    assert kinds(page) == [(0, "title"), (0, "body"), (0, "comment_form"), (0, "comment_form"),
                           (0, "comment_form"), (0, "read_also_marker"), (1, "title"),
                           (1, "body")]


def test_embedded_post_with_an_arabic_date_and_media_before_the_credit():
    page = ("العنوان\nنص الخبر.\nنص التغريدة هنا\npic.twitter.com/AbC123\n"
            "— وزارة الخارجية (@MofaQatar_AR) ١ ديسمبر ٢٠٢٤\nتكملة الخبر.")
    segments = parse_document(page)
    assert [(s.kind, s.rule) for s in segments[2:5]] == [
        ("embedded_post", "post_text"), ("embedded_post", "post_media"),
        ("embedded_post", "post_credit_ar")]
    assert segments[4].post_date == dt.date(2024, 12, 1)
    assert segments[4].post_author == "وزارة الخارجية"
    assert segments[5].kind == "body"


def test_an_impossible_post_date_is_none_not_an_error():
    segments = parse_document("نص.\n— فلان (@x) February 30, 2024")
    assert segments[-1].kind == "embedded_post" and segments[-1].post_date is None


def test_offsets_survive_crlf_nbsp_and_invisible_lines():
    page = "\ufeffالعنوان\r\n\r\n\u00a0\r\n\u200f\r\nنص الخبر الأول.\r\n  المصدر: سانا  \r\n"
    segments = parse_document(page)
    assert [(s.kind, s.text) for s in segments] == [
        ("title", "\ufeffالعنوان"), ("body", "نص الخبر الأول."), ("source", "المصدر: سانا")]
    check_invariants(page, segments)


def test_empty_and_blank_documents():
    assert parse_document("") == []
    assert parse_document(" \n\n\t\u00a0\n") == []


def test_article_text_and_event_bearing_kinds():
    assert EVENT_BEARING_KINDS == frozenset({"title", "body"})
    title, body = article_text(PARSED["002"], 0)
    assert title.startswith("العراق وتركيا")
    assert "AlMayadeenNews" not in body and "pic.twitter" not in body
    assert article_text(PARSED["002"], 5) == (None, "")


# One line per rule that the rule, and no rule before it, must claim.
RULE_EXAMPLES = {
    "read_also": "إقرأ أيضاً:",
    "read_also_link": "اقرأ أيضا: وزير الخارجية يصل إلى بغداد",
    "post_credit": "— قناة الميادين (@AlMayadeenNews) December 1, 2024",
    "post_credit_ar": "— الخارجية (@MofaQatar_AR) 3 أيار 2024",
    "post_credit_instagram": "A post shared by وزارة الخارجية (@mofa.gov) on Dec 1, 2024",
    "source_line": "مصدر الخبر: وكالة الأنباء الرسمية",
    "source_glued": "العنوان والدوليةالمصدر: الخارجية العمانية",
    "agency_credit": "(رويترز)",
    "keywords": "الكلمات المفتاحية: العراق",
    "related_list": "مقالات ذات صلة",
    "read_more": "الأكثر قراءة",
    "comment_form": "أضف تعليقك",
    "comment_notice": "لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *",
    "share": "شارك الخبر",
    "follow_us": "تابعونا على تطبيق نبض",
    "newsletter": "اشترك في النشرة الإخبارية اليومية",
    "copyright": "حقوق النشر محفوظة لموقع الأخبار 2024",
    "byline": "كتب: محمد علي",
    "timestamp": "آخر تحديث: 01 ديسمبر 2024",
    "count_only": "0",
    "dateline": "السبت 30 نوفمبر 2024 | 10:15 م",
    "bare_url": "https://example.com/news/123",
    "advert": "إعلان",
    "caption": "صورة أرشيفية",
}


def test_every_rule_has_an_example_it_claims():
    names = [r.name for r in rules()]
    assert sorted(names) == sorted(RULE_EXAMPLES)
    for name, line in RULE_EXAMPLES.items():
        if name == "source_glued":
            continue  # inline: tried only on lines no line rule claims (checked above)
        found = _first_rule(matching_form(line).strip())
        assert found is not None and found[0].name == name, (name, found)


def test_body_sentences_are_claimed_by_no_rule():
    for text in [*SEEDS.values(), *(a["text"] for a in DEV)]:
        for s in parse_document(text):
            if s.kind == "body":
                assert _first_rule(matching_form(s.text).strip()) is None


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([
    "عنوان", "نص الخبر.", "إقرأ أيضاً:", "مقالات مشابهة", "• خبر", "المصدر: سانا",
    "اترك رد", "0", "— فلان (@x) May 5, 2024", "pic.twitter.com/x", "\u00a0", "", "  ",
    "والدوليةالمصدر: جهة", "وزیر الخارجیة", "ًٌٍ", "\r", "\u200f", "شارك", "\u2028",
]), max_size=25))
def test_any_page_parses_with_valid_offsets(lines):
    text = "\n".join(lines)
    check_invariants(text, parse_document(text))
