"""Date expressions and their resolution, on corpus sentences and variants."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ittisal.dates import (
    find_date_expressions,
    publication_date_from_text,
    resolve,
    resolve_event_date,
)
from ittisal.normalize import matching_form

SUNDAY = dt.date(2024, 12, 1)
WEDNESDAY = dt.date(2018, 4, 18)


def event_date(sentence: str, published: dt.date | None, trigger: str = "اتصال"):
    text = matching_form(sentence)
    return resolve_event_date(text, text.find(matching_form(trigger)), published)


@pytest.mark.parametrize(("sentence", "published", "expected"), [
    # seeds
    ("أجرى وزير الخارجية العراقي، فؤاد حسين، اليوم الأحد، اتصالاً هاتفياً", SUNDAY, SUNDAY),
    ("المحادثة الهاتفية التي أجريت مساء أمس السبت", SUNDAY, dt.date(2024, 11, 30)),
    ("أجرى اتصالاً هاتفياً مع نظيره السوري، في وقت سابق اليوم", SUNDAY, SUNDAY),
    # dev (published 2018-06-19, a Tuesday: «الاثنين» is the day before)
    ("بحث وزير الخارجية الروسي مع نظيره الأميركي في اتصال هاتفي الاثنين",
     dt.date(2018, 6, 19), dt.date(2018, 6, 18)),
    # variants: a weekday beside «اليوم» wins over the publication date
    ("قال الرئيس في اتصال هاتفي اليوم الثلاثاء", WEDNESDAY, dt.date(2018, 4, 17)),
    ("جرى اتصال هاتفي اليوم (الأربعاء)", WEDNESDAY, WEDNESDAY),
    ("جرى اتصال هاتفي أول من أمس", WEDNESDAY, dt.date(2018, 4, 16)),
    ("جرى اتصال هاتفي البارحة", WEDNESDAY, dt.date(2018, 4, 17)),
    ("جرى اتصال هاتفي الخميس الماضي", WEDNESDAY, dt.date(2018, 4, 12)),
    ("جرى اتصال هاتفي في 3 كانون الثاني 2025", dt.date(2025, 1, 5), dt.date(2025, 1, 3)),
    ("جرى اتصال هاتفي في 12 أبريل/ نيسان الجاري", dt.date(2025, 4, 27), dt.date(2025, 4, 12)),
    ("جرى اتصال هاتفي يوم 5 جويلية 2019", SUNDAY, dt.date(2019, 7, 5)),
    ("جرى اتصال هاتفي يوم 5 غشت 2019", SUNDAY, dt.date(2019, 8, 5)),
    ("جرى اتصال هاتفي في الأول من ديسمبر", dt.date(2024, 12, 3), SUNDAY),
    ("جرى اتصال هاتفي في 18 مارس الماضي", dt.date(2025, 4, 27), dt.date(2025, 3, 18)),
    ("جرى اتصال هاتفي بتاريخ 29 جمادى الأولى 1446 هـ", None, SUNDAY),
    ("جرى اتصال هاتفي بتاريخ ١٢/٠٥/٢٠٢٣", None, dt.date(2023, 5, 12)),
])
def test_event_dates(sentence, published, expected):
    assert event_date(sentence, published).date == expected


def test_without_a_date_word_the_event_is_todays_news():
    res = event_date("تلقى الرئيس اتصالاً هاتفياً من نظيره", SUNDAY)
    assert (res.date, res.basis, res.offset) == (SUNDAY, "publication", 0)


def test_an_undated_page_keeps_offset_and_weekday():
    res = event_date("المحادثة الهاتفية التي أجريت مساء أمس السبت", None, "المحادثة")
    assert (res.date, res.offset, res.weekday) == (None, 1, 5)


def test_a_weekday_that_contradicts_yesterday_is_flagged():
    res = event_date("جرى اتصال هاتفي أمس الجمعة", WEDNESDAY)
    assert "weekday_contradicts_relative" in res.flags


@pytest.mark.parametrize("sentence", [
    "مارس الرئيس ضغوطاً كبيرة على الحكومة",
    "استقبل رجب طيب أردوغان ضيفه",
    "قال إن الأب والابن وصلا",
    "تحدث إلى الأحدث من التقارير",
])
def test_false_friends_are_not_dates(sentence):
    assert find_date_expressions(matching_form(sentence)) == []


def test_since_and_future_dates_do_not_date_a_past_event():
    res = event_date("جرى اتصال هاتفي بين البلدين منذ 7 أكتوبر/تشرين الأول 2023", SUNDAY)
    assert res.basis == "publication"
    res = event_date("جرى اتصال هاتفي وسيزور الوزير أنقرة الأسبوع المقبل", SUNDAY)
    assert res.basis == "publication"


def test_publication_date_from_embedded_post_and_dateline():
    assert publication_date_from_text(matching_form("أجرى اليوم الأحد اتصالاً"),
                                      [SUNDAY]) == (SUNDAY, "embedded_post")
    assert publication_date_from_text(matching_form("أعلن، أمس الثلاثاء، أنه تلقى اتصالاً"),
                                      [dt.date(2024, 12, 31)]) == (dt.date(2025, 1, 1),
                                                                  "embedded_post")
    assert publication_date_from_text(
        matching_form("الرياض 29 جمادى الأولى 1446 هـ الموافق 01 ديسمبر 2024 م واس"), []
    )[0] == SUNDAY
    assert publication_date_from_text(matching_form("أجرى اتصالاً"), [])[0] is None


@given(st.text(), st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 1, 1)))
def test_never_raises_and_past_dates_never_follow_publication(text, published):
    text = matching_form(text)
    for expr in find_date_expressions(text):
        assert 0 <= expr.start < expr.end <= len(text)
        res = resolve(expr, published, text)
        if expr.kind in ("relative", "weekday") and res.date and "future" not in res.flags:
            assert res.date <= published
    resolve_event_date(text, len(text) // 2, published)


@given(st.sampled_from(["اليوم", "أمس", "أول أمس", "مساء أمس", "البارحة"]),
       st.sampled_from(["الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة",
                        "السبت", ""]),
       st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 1, 1)))
def test_relative_words_with_any_weekday_resolve_on_or_before_publication(rel, day, published):
    res = event_date(f"جرى اتصال هاتفي {rel} {day}", published)
    assert res.date is not None and res.date <= published
