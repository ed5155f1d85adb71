"""Date expressions and their resolution: each form, each rule, corpus sentences and variants.

Dates in the corpus were checked by hand (README «Dates»); Hijri ones against hijridate's Umm
al-Qura tables. The dev measure at the end reads the shared corpus and is skipped without it.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ittisal.events.dates import (
    DateExpression,
    DateResolution,
    find_date_expressions,
    publication_date_from_text,
    resolve,
    resolve_event_date,
    resolve_partner_date,
    writing_day,
)
from ittisal.text.normalize import matching_form
from tests.conftest import CORPUS, SEEDS, read_jsonl

D = dt.date
SUNDAY = D(2024, 12, 1)
WEDNESDAY = D(2018, 4, 18)
WEEKDAYS = ["الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]


def only(sentence: str) -> DateExpression:
    """The one expression a sentence holds (fails if there are none or several)."""
    found = find_date_expressions(matching_form(sentence))
    assert len(found) == 1, found
    return found[0]


def resolved(sentence: str, published: dt.date | None) -> DateResolution:
    return resolve(only(sentence), published)


def event_date(sentence: str, published: dt.date | None, trigger: str = "اتصال"
               ) -> DateResolution:
    text = matching_form(sentence)
    anchor = text.find(matching_form(trigger))
    assert anchor >= 0
    return resolve_event_date(text, anchor, published)


# --------------------------------------------------------------------------------------------
# Forms found, with their parts


@pytest.mark.parametrize(("phrase", "kind", "parts"), [
    ("1 ديسمبر 2024", "explicit", {"day": 1, "month": 12, "year": 2024}),
    ("الأول من ديسمبر", "explicit", {"day": 1, "month": 12, "year": None}),
    ("الحادي والعشرين من شهر آذار", "explicit", {"day": 21, "month": 3}),
    ("12 أبريل/ نيسان الجاري", "explicit", {"day": 12, "month": 4, "qualifier": "current"}),
    ("7 أكتوبر/تشرين الأول 2023", "explicit", {"day": 7, "month": 10, "year": 2023}),
    ("19 يناير/ كانون الثاني 2025", "explicit", {"day": 19, "month": 1, "year": 2025}),
    ("مارس/ آذار 2025", "month_only", {"month": 3, "year": 2025}),
    ("ديسمبر/ كانون الأول 2017", "month_only", {"month": 12, "year": 2017}),
    ("1/12/2024", "explicit", {"day": 1, "month": 12, "year": 2024}),
    ("2024-12-01", "explicit", {"day": 1, "month": 12, "year": 2024}),
    ("١٢/٠٥/٢٠٢٣", "explicit", {"day": 12, "month": 5, "year": 2023}),
    ("الأحد، 1 ديسمبر 2024", "explicit", {"day": 1, "month": 12, "year": 2024, "weekday": 6}),
    ("29 جمادى الأولى 1446 هـ", "explicit", {"day": 29, "month": 5, "year": 1446,
                                            "hijri": True}),
    ("اليوم", "relative", {"offset": 0, "weekday": None}),
    ("أمس", "relative", {"offset": 1}),
    ("امس الاول", "relative", {"offset": 2}),
    ("أمس الأول", "relative", {"offset": 2}),
    ("أول أمس", "relative", {"offset": 2}),
    ("أول من أمس", "relative", {"offset": 2}),
    ("البارحة", "relative", {"offset": 1}),
    ("البارحة الأولى", "relative", {"offset": 2}),
    ("الليلة الماضية", "relative", {"offset": 1}),
    ("مساء أمس", "relative", {"offset": 1, "part_of_day": "مساء"}),
    ("صباح أمس", "relative", {"offset": 1, "part_of_day": "صباح"}),
    ("ليل أمس", "relative", {"offset": 1, "part_of_day": "ليل"}),
    ("اليوم (السبت)", "relative", {"offset": 0, "weekday": 5}),
    ("في وقت سابق اليوم", "relative", {"offset": 0}),
    ("اليوم الأحد", "relative", {"offset": 0, "weekday": 6}),
    ("أمس السبت", "relative", {"offset": 1, "weekday": 5}),
    ("مساء أمس السبت", "relative", {"offset": 1, "weekday": 5, "part_of_day": "مساء"}),
    ("الأحد", "weekday", {"weekday": 6, "qualifier": None}),
    ("يوم الأحد", "weekday", {"weekday": 6}),
    ("الاحد", "weekday", {"weekday": 6}),
    ("الأحد الماضي", "weekday", {"weekday": 6, "qualifier": "past"}),
    ("الأحد المقبل", "weekday", {"weekday": 6, "qualifier": "future"}),
    ("الأحد القادم", "weekday", {"weekday": 6, "qualifier": "future"}),
    ("في اب / اغسطس الجاري", "month_only", {"month": 8, "qualifier": "current"}),
    ("الشهر الماضي", "period", {"unit": "month", "qualifier": "past"}),
    ("الأسبوع المقبل", "period", {"unit": "week", "qualifier": "future"}),
    ("في الأسبوع الأول من تموز/يوليو", "month_only", {"month": 7}),
    ("شهر رمضان", "month_only", {"month": 9, "hijri": True}),
    ("في العام 2013", "year_only", {"year": 2013}),
])
def test_each_form_is_found_with_its_parts(phrase, kind, parts):
    expr = only(phrase)
    assert expr.kind == kind
    assert {k: getattr(expr, k) for k in parts} == parts


def test_offsets_point_into_the_text_given():
    text = matching_form("قال الوزير، مساء أمس السبت، إن الاتصال جرى في 1 ديسمبر 2024.")
    found = find_date_expressions(text)
    assert [text[e.start:e.end] for e in found] == ["مساء امس السبت", "1 ديسمبر 2024"]
    assert all(e.text == text[e.start:e.end] for e in found)


def test_a_proclitic_is_left_out_of_the_span():
    text = matching_form("والسبت استضافت مسقط الجولة الثالثة")
    (expr,) = find_date_expressions(text)
    assert (text[expr.start:expr.end], expr.weekday) == ("السبت", 5)


def test_a_hijri_dateline_and_its_gregorian_twin_are_two_expressions():
    text = matching_form("الرياض 29 جمادى الأولى 1446 هـ الموافق 01 ديسمبر 2024 م واس")
    found = find_date_expressions(text)
    assert [(e.hijri, resolve(e, None).date) for e in found] == [(True, SUNDAY),
                                                                  (False, SUNDAY)]


MONTH_SYSTEMS = {
    "egypt_gulf": ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس",
                   "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"],
    "levant_iraq": ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب",
                    "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"],
    "maghreb": ["جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية", "أوت", "سبتمبر",
                "أكتوبر", "نوفمبر", "ديسمبر"],
    "morocco": ["يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر",
                "أكتوبر", "نونبر", "دجنبر"],
}


@pytest.mark.parametrize("system", sorted(MONTH_SYSTEMS))
@pytest.mark.parametrize("year", [1999, 2018, 2025])
def test_every_month_of_every_system(system, year):
    for number, name in enumerate(MONTH_SYSTEMS[system], start=1):
        res = resolved(f"جرى ذلك يوم 15 {name} {year}", None)
        assert res.date == D(year, number, 15), name
        expr = only(f"في شهر {name}")
        assert (expr.kind, expr.month) == ("month_only", number), name


@pytest.mark.parametrize(("phrase", "expected"), [
    ("29 جمادى الأولى 1446 هـ", D(2024, 12, 1)),
    ("1 رمضان 1445", D(2024, 3, 11)),
    ("10 ذو الحجة 1445 هـ", D(2024, 6, 16)),
    ("10 ذي الحجة 1445", D(2024, 6, 16)),
    ("1 محرم 1446", D(2024, 7, 7)),
    ("1 شوال 1444 هجرية", D(2023, 4, 21)),
])
def test_hijri_dates_convert_by_umm_al_qura(phrase, expected):
    res = resolved(phrase, None)
    assert (res.date, res.basis, "hijri" in res.flags) == (expected, "explicit", True)


def test_hijri_day_without_year_takes_the_hijri_year_of_publication():
    assert resolved("10 رمضان", D(2024, 6, 1)).date == D(2024, 3, 20)
    assert resolved("10 رمضان", D(2024, 3, 1)).date == D(2023, 4, 1)  # 10 Ramadan 1444


def test_an_impossible_hijri_or_gregorian_day_gives_no_date():
    assert resolved("31 جمادى الأولى 1446", None).date is None
    assert resolved("31 فبراير 2024", None).date is None


# --------------------------------------------------------------------------------------------
# False friends


@pytest.mark.parametrize("sentence", [
    "مارس الرئيس ضغوطاً كبيرة على الحكومة",
    "ومارس الضغط على حلفائه",
    "استقبل رجب طيب أردوغان ضيفه",
    "قال رمضان قديروف إن الوفد وصل",
    "التقى شعبان عبد الرحمن بالسفير",
    "قال إن الأب والابن وصلا",
    "تحدث آب عن ابنه",
    "تحدث إلى الأحدث من التقارير",
    "تعاقد الفريق مع الأحد عشر لاعبا",
    "اتفق الطرفان على الخلاف بين الاثنين",
    "في اليوم التالي وصل الوزير",
    "منذ ذلك اليوم لم يتصل",
    "قالت رئيسة الوزراء تيريزا ماي إن",
])
def test_false_friends_are_not_dates(sentence):
    assert find_date_expressions(matching_form(sentence)) == []


def test_a_month_name_counts_beside_a_day_a_year_shahr_or_a_qualifier():
    assert only("في 18 مارس").month == 3
    assert only("في مارس 2025").month == 3
    assert only("خلال شهر مارس").month == 3
    assert only("في مارس الماضي").month == 3
    assert find_date_expressions(matching_form("في مارس تصاعدت الضغوط")) == []


# --------------------------------------------------------------------------------------------
# Resolution rules


@pytest.mark.parametrize(("phrase", "offset"), [
    ("اليوم", 0), ("في وقت سابق اليوم", 0), ("أمس", 1), ("البارحة", 1), ("الليلة الماضية", 1),
    ("مساء أمس", 1), ("صباح أمس", 1), ("ليل أمس", 1), ("أمس الأول", 2), ("أول أمس", 2),
    ("أول من أمس", 2), ("البارحة الأولى", 2),
])
@pytest.mark.parametrize("published", [D(2024, 12, 1), D(2018, 3, 1), D(2020, 1, 1)])
def test_relative_words_count_back_from_publication(phrase, offset, published):
    res = resolved(phrase, published)
    assert (res.date, res.basis, res.offset) == (published - dt.timedelta(offset), "relative",
                                                 offset)


@pytest.mark.parametrize("weekday", range(7))
def test_a_weekday_beside_today_wins_over_the_publication_date(weekday):
    published = WEDNESDAY  # 2018-04-18
    res = resolved(f"اليوم {WEEKDAYS[weekday]}", published)
    assert res.date.weekday() == weekday
    assert 0 <= (published - res.date).days <= 6
    assert ("weekday_overrides_publication" in res.flags) == (weekday != 2)


def test_today_tuesday_in_a_wednesday_article_is_tuesday():
    assert resolved("اليوم الثلاثاء", WEDNESDAY).date == D(2018, 4, 17)


@pytest.mark.parametrize("weekday", range(7))
def test_yesterday_with_its_weekday_agrees_or_is_flagged(weekday):
    """«أمس الأحد» on a Monday agrees; «أمس السبت» is a text written on Sunday and stamped
    after midnight (README: the text's own day wins), so Saturday; any other day is flagged."""
    published = D(2024, 12, 2)  # a Monday
    res = resolved(f"أمس {WEEKDAYS[weekday]}", published)
    assert res.date == (D(2024, 11, 30) if weekday == 5 else D(2024, 12, 1))
    assert ("weekday_contradicts_relative" in res.flags) == (weekday not in (5, 6))
    assert ("weekday_overrides_publication" in res.flags) == (weekday == 5)


@pytest.mark.parametrize("weekday", range(7))
@pytest.mark.parametrize("published", [D(2024, 12, 1), D(2018, 6, 19), D(2025, 4, 27)])
def test_a_bare_weekday_is_the_latest_such_day_on_or_before_publication(weekday, published):
    res = resolved(f"يوم {WEEKDAYS[weekday]}", published)
    assert res.date.weekday() == weekday
    assert 0 <= (published - res.date).days <= 6
    past = resolved(f"{WEEKDAYS[weekday]} الماضي", published)
    assert past.date.weekday() == weekday and 1 <= (published - past.date).days <= 7
    coming = resolved(f"{WEEKDAYS[weekday]} المقبل", published)
    assert coming.date.weekday() == weekday and 1 <= (coming.date - published).days <= 7
    assert "future" in coming.flags
    assert "future" in resolved(f"{WEEKDAYS[weekday]} القادم", published).flags


def test_a_bare_sunday_in_a_sunday_article_is_that_day():
    assert resolved("الأحد", SUNDAY).date == SUNDAY


@pytest.mark.parametrize(("phrase", "published", "expected"), [
    ("الأول من ديسمبر", D(2024, 12, 3), D(2024, 12, 1)),
    ("الأول من ديسمبر", D(2024, 11, 3), D(2023, 12, 1)),   # the year that is not ahead
    ("18 مارس الماضي", D(2025, 4, 27), D(2025, 3, 18)),
    ("12 أبريل/ نيسان الجاري", D(2025, 4, 27), D(2025, 4, 12)),
    ("5 غشت", D(2019, 9, 1), D(2019, 8, 5)),
    ("3 كانون الثاني", D(2025, 1, 5), D(2025, 1, 3)),
    ("3 كانون الثاني", D(2024, 12, 30), D(2024, 1, 3)),
])
def test_an_explicit_day_without_year_takes_the_nearest_year_not_after(phrase, published,
                                                                       expected):
    assert resolved(phrase, published).date == expected


def test_an_explicit_date_after_publication_is_flagged_future():
    res = resolved("في 14 تموز/يوليو 2018", D(2018, 7, 13))
    assert (res.date, res.flags) == (D(2018, 7, 14), ("future",))


def test_a_dateline_weekday_that_contradicts_its_date_is_flagged():
    assert "weekday_contradicts_date" in resolved("الاثنين 1 ديسمبر 2024", None).flags
    assert resolved("الأحد 1 ديسمبر 2024", None).flags == ()


def test_without_publication_date_relative_words_keep_weekday_and_offset():
    res = resolved("مساء أمس السبت", None)
    assert (res.date, res.basis, res.weekday, res.offset) == (None, "relative", 5, 1)
    res = resolved("الخميس", None)
    assert (res.date, res.basis, res.weekday) == (None, "weekday", 3)


def test_month_and_period_expressions_have_coarse_precision():
    res = resolved("مارس/ آذار 2025", D(2025, 4, 27))
    assert (res.date, res.precision, res.year, res.month) == (None, "month", 2025, 3)
    assert "past_period" in res.flags
    res = resolved("الشهر الماضي", D(2025, 1, 10))
    assert (res.precision, res.year, res.month) == ("month", 2024, 12)
    res = resolved("في اب / اغسطس الجاري", D(2021, 8, 25))
    assert (res.year, res.month, res.flags) == (2021, 8, ())
    assert resolved("العام الماضي", D(2025, 1, 10)).year == 2024
    assert resolved("الأسبوع المقبل", SUNDAY).flags == ("future",)


# --------------------------------------------------------------------------------------------
# The date that governs an event


@pytest.mark.parametrize(("sentence", "published", "trigger", "expected"), [
    # seeds
    ("بحث نائب رئيس مجلس الوزراء ووزير الخارجية العراقي فؤاد حسين، اليوم الأحد، عبر اتصال "
     "هاتفي، مع وزير الخارجية التركي هاكان فيدان", SUNDAY, "اتصال", SUNDAY),
    ("أجرى وزير الخارجية العراقي، فؤاد حسين، اليوم الأحد، اتصالاً هاتفياً بنظيره التركي",
     SUNDAY, "اتصال", SUNDAY),
    ("كذلك أجرى وزير الخارجية العراقي، اتصالاً هاتفياً مع نظيره السوري بسام صباغ، في وقت سابق "
     "اليوم", SUNDAY, "اتصال", SUNDAY),
    ("وبحث الجانبان خلال المحادثة الهاتفية التي أجريت مساء أمس السبت، تطورات الأوضاع",
     SUNDAY, "المحادثة", D(2024, 11, 30)),
    ("أعلن وزير الخارجية السوري أسعد الشيباني، أمس الثلاثاء، أنه تلقى اتصالاً هاتفياً من "
     "نظيره المصري بدر عبدالعاطي", D(2025, 1, 1), "اتصال", D(2024, 12, 31)),
    ("بحث سلطان عمان هيثم بن طارق، الأحد، مع وزير خارجية بريطانيا ديفيد لامي",
     D(2025, 4, 27), "بحث", D(2025, 4, 27)),
    # variants
    ("قال الرئيس في اتصال هاتفي اليوم الثلاثاء", WEDNESDAY, "اتصال", D(2018, 4, 17)),
    ("جرى اتصال هاتفي اليوم (الأربعاء)", WEDNESDAY, "اتصال", WEDNESDAY),
    ("جرى اتصال هاتفي أول من أمس", WEDNESDAY, "اتصال", D(2018, 4, 16)),
    ("جرى اتصال هاتفي البارحة", WEDNESDAY, "اتصال", D(2018, 4, 17)),
    ("جرى اتصال هاتفي الخميس الماضي", WEDNESDAY, "اتصال", D(2018, 4, 12)),
    ("جرى اتصال هاتفي في 3 كانون الثاني 2025", D(2025, 1, 5), "اتصال", D(2025, 1, 3)),
    ("جرى اتصال هاتفي يوم 5 جويلية 2019", SUNDAY, "اتصال", D(2019, 7, 5)),
    ("جرى اتصال هاتفي بتاريخ 29 جمادى الأولى 1446 هـ", None, "اتصال", SUNDAY),
    ("جرى اتصال هاتفي بتاريخ ١٢/٠٥/٢٠٢٣", None, "اتصال", D(2023, 5, 12)),
    ("والسبت استضافت مسقط الجولة الثالثة من المفاوضات", D(2025, 4, 27), "استضافت",
     D(2025, 4, 26)),
])
def test_event_dates(sentence, published, trigger, expected):
    assert event_date(sentence, published, trigger).date == expected


def test_without_a_date_word_the_event_is_todays_news():
    res = event_date("تلقى الرئيس اتصالاً هاتفياً من نظيره", SUNDAY)
    assert (res.date, res.basis, res.offset) == (SUNDAY, "publication", 0)
    res = event_date("تلقى الرئيس اتصالاً هاتفياً من نظيره", None)
    assert (res.date, res.basis) == (None, "unknown")


def test_an_undated_page_keeps_offset_and_weekday_for_later_agreement():
    res = event_date("المحادثة الهاتفية التي أجريت مساء أمس السبت", None, "المحادثة")
    assert (res.date, res.basis, res.offset, res.weekday) == (None, "relative", 1, 5)


def test_a_weekday_that_contradicts_yesterday_is_flagged_on_the_event():
    assert "weekday_contradicts_relative" in event_date("جرى اتصال هاتفي أمس الجمعة",
                                                        WEDNESDAY).flags


def test_since_and_future_expressions_do_not_date_a_past_event():
    res = event_date("جرى اتصال هاتفي بين البلدين منذ 7 أكتوبر/تشرين الأول 2023", SUNDAY)
    assert res.basis == "publication"
    res = event_date("جرى اتصال هاتفي وسيزور الوزير أنقرة الأسبوع المقبل", SUNDAY)
    assert res.basis == "publication"
    res = event_date("بحث الجانبان في اتصال هاتفي الهجمات المستمرة منذ الأربعاء الماضي",
                     SUNDAY)
    assert res.basis == "publication"
    for bound in ("قبل", "حتى", "بعد"):
        res = event_date(f"جرى اتصال هاتفي {bound} 20 نوفمبر 2024", SUNDAY)
        assert res.basis == "publication", bound


def test_a_since_clause_does_not_capture_a_later_weekday():
    sentence = ("ويعد هذا أول اجتماع بين الجانبين منذ الإعلان عن مجموعة العمل الأولية، الخميس "
                "الماضي، وأعيد تأسيسها خلال مكالمة هاتفية بين العاهل السعودي، الملك سلمان، "
                "والرئيس التركي رجب طيب أردوغان، الأحد.")
    assert event_date(sentence, D(2018, 10, 15), "مكالمة").date == D(2018, 10, 14)


def test_the_same_clause_wins_over_another_clause():
    sentence = "وصل الوزير إلى موسكو الأحد، وأجرى أمس الثلاثاء اتصالاً بنظيره"
    assert event_date(sentence, WEDNESDAY, "اتصال").date == D(2018, 4, 17)
    assert event_date(sentence, WEDNESDAY, "وصل").date == D(2018, 4, 15)


def test_explicit_wins_a_tie_with_relative():
    text = matching_form("جرى اليوم اتصال، 1 ديسمبر 2024")
    today, explicit = find_date_expressions(text)
    anchor = (today.end + explicit.start) // 2
    assert anchor - today.end == explicit.start - anchor  # equally far from both
    assert resolve_event_date(text, anchor, D(2024, 12, 3)).basis == "explicit"


def test_the_day_after_shifts_back_one_day():
    sentence = "وذلك في بيان مشترك وقع الاثنين غداة لقاء تاريخي بين الرئيسين في أسمرة"
    res = event_date(sentence, D(2018, 7, 14), "لقاء")
    assert (res.date, "day_before" in res.flags) == (D(2018, 7, 8), True)


def test_a_month_phrase_next_to_the_event_leaves_the_day_unknown():
    res = event_date("وزار رئيس الوزراء موسكو في الأسبوع الأول من تموز/يوليو", D(2018, 7, 12),
                     "وزار")
    assert (res.date, res.precision, res.month) == (None, "month", 7)
    res = event_date("أشاد بالاتفاق الذي وقعه البلدان عام 2015 خلال اتصال هاتفي", SUNDAY)
    assert res.basis == "publication"


@pytest.mark.parametrize("sentence", [
    "وكان الملك أجرى اتصالا هاتفيا بالرئيس التركي، أعرب فيه عن شكره",
    "وكان الرئيس قد تلقى اتصالا هاتفيا من نظيره",
    "ويأتي هذا التطور بعد وصول عدد من المسؤولين إلى تركيا",
    "وقال البيان إن الرئيسين بحثا الزيارات الأخيرة التي قام بها مسؤولون",
])
def test_earlier_undated_contacts_are_unknown_not_today(sentence):
    trigger = next(t for t in ("اتصال", "وصول", "الزيارات") if t in sentence)
    res = event_date(sentence, SUNDAY, trigger)
    assert (res.date, res.basis) == (None, "unknown")


def test_the_pluperfect_rule_leaves_kana_with_a_preposition_alone():
    res = event_date("وكان في استقبال الرئيس الضيف رئيس الوزراء", SUNDAY, "استقبال")
    assert res.basis == "publication"


def test_an_undated_sentence_continuing_the_previous_one_takes_its_day():
    text = ("شكر أمير قطر الشيخ تميم آل ثاني الخميس إيران على مواقفها.\n"
            "وأثنى في اتصال هاتفي مع الرئيس الإيراني حسن روحاني على موقف طهران.")
    res = event_date(text, D(2018, 5, 18))
    assert (res.date, "inherited" in res.flags) == (D(2018, 5, 17), True)


def test_the_next_sentence_can_date_the_contact_it_refers_back_to():
    text = ("وجاء ذلك خلال اتصال هاتفي أجراه السوداني بالرئيس السوري.\n\n"
            "وبحث الجانبان خلال المحادثة الهاتفية التي أجريت مساء أمس السبت تطورات الأوضاع.")
    res = event_date(text, SUNDAY)
    assert (res.date, "anaphoric" in res.flags) == (D(2024, 11, 30), True)


def test_today_inside_a_quoted_dispatch_is_flagged():
    text = 'وأوردت الوكالة: "تلقى ولي العهد اتصالا هاتفيا اليوم من وزير الخارجية".'
    assert "quoted" in event_date(text, D(2018, 8, 14)).flags
    assert "quoted" not in event_date("تلقى ولي العهد اتصالا هاتفيا اليوم", SUNDAY).flags


# --------------------------------------------------------------------------------------------
# A page's own publication date


def test_seed_002_is_dated_by_its_embedded_post_and_today_sunday():
    text = matching_form((SEEDS / "002_8ed349425e4bec21.txt").read_text(encoding="utf-8"))
    assert publication_date_from_text(text, [SUNDAY]) == (SUNDAY, "embedded_post")
    assert publication_date_from_text(text, [D(2024, 12, 2)])[0] is None  # a Monday


def test_yesterday_tuesday_and_a_post_of_tuesday_date_the_page_the_next_day():
    text = matching_form("أعلن الوزير، أمس الثلاثاء، أنه تلقى اتصالاً هاتفياً من نظيره")
    assert publication_date_from_text(text, [D(2024, 12, 31)]) == (D(2025, 1, 1),
                                                                   "embedded_post")


def test_a_dateline_gives_the_publication_date():
    text = matching_form("الرياض 29 جمادى الأولى 1446 هـ الموافق 01 ديسمبر 2024 م واس\n"
                         "تلقى ولي العهد اتصالا هاتفيا")
    assert publication_date_from_text(text, []) == (SUNDAY, "dateline")
    text = matching_form("الأحد، 1 ديسمبر 2024\nتلقى ولي العهد اتصالا هاتفيا")
    assert publication_date_from_text(text, []) == (SUNDAY, "dateline")


def test_a_date_inside_the_prose_is_not_a_dateline():
    text = matching_form("أعلن العراق، في ديسمبر/ كانون الأول 2017، أنه تلقى في 5 ديسمبر 2017 "
                         "رسالة")
    day, basis = publication_date_from_text(text, [])
    assert day is None and basis.startswith("unknown: ")


@pytest.mark.parametrize(("text", "posts", "reason"), [
    ("أجرى الرئيس اتصالاً", [], "no dateline and no embedded post"),
    ("أجرى الرئيس اتصالاً", [SUNDAY], "no weekday"),
    ("أجرى الرئيس اليوم الاثنين اتصالاً", [SUNDAY], "disagree"),
])
def test_an_undatable_page_says_why(text, posts, reason):
    day, basis = publication_date_from_text(matching_form(text), posts)
    assert day is None and basis.startswith("unknown: ") and reason in basis


# --------------------------------------------------------------------------------------------
# Properties

PAST_WORDS = ["اليوم", "أمس", "أول أمس", "أمس الأول", "مساء أمس", "البارحة", "الليلة الماضية",
              "في وقت سابق اليوم", "البارحة الأولى", "يوم"]
TOKENS = (list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإةى ،.0123456789/-()\n«»") + WEEKDAYS
          + ["أمس ", "اليوم ", " ديسمبر ", " رجب ", " هـ ", "الموافق ", "منذ ", "وكان "])
ARABIC = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), ARABIC),
       st.dates(min_value=D(1950, 1, 1), max_value=D(2090, 1, 1)), st.integers(-5, 5000))
def test_never_raises_and_past_expressions_never_follow_publication(text, published, anchor):
    text = matching_form(text)
    for expr in find_date_expressions(text):
        assert 0 <= expr.start < expr.end <= len(text)
        assert expr.text == text[expr.start:expr.end]
        res = resolve(expr, published)
        past_tense = (expr.kind in ("relative", "weekday", "explicit")
                      and expr.qualifier not in ("future", "current")
                      and (expr.offset is None or expr.offset >= 0)
                      and not (expr.kind == "explicit" and expr.year))
        if past_tense and res.date:
            assert res.date <= published
    res = resolve_event_date(text, anchor, published)
    assert res.date is None or res.date <= published
    publication_date_from_text(text, [published])


@given(st.sampled_from(PAST_WORDS[:-1]), st.sampled_from(WEEKDAYS + [""]),
       st.sampled_from(["", "الماضي"]),
       st.dates(min_value=D(2000, 1, 1), max_value=D(2030, 1, 1)))
def test_past_words_with_any_weekday_resolve_on_or_before_publication(rel, day, qual, published):
    for phrase in (f"{rel} {day}", f"يوم {day} {qual}" if day else rel):
        res = event_date(f"جرى اتصال هاتفي {phrase}", published)
        assert res.date is not None and res.date <= published


# --------------------------------------------------------------------------------------------
# Dev gold: how many event dates come out right

TRIGGER = re.compile(r"اتصال|اتصل|هاتف|تحادث|تشاور|مفاوض|مكالم|زيار|زار|وصول|وصل|استقبل|"
                     r"استقبال|التقي|لقاء|اجتماع|محادث|مباحث|رساله|بحث")
needs_corpus = pytest.mark.skipif(not (CORPUS / "dev" / "gold.jsonl").exists(),
                                  reason="shared corpus not beside the checkout")


def dev_cases(folder: str = "dev") -> list[tuple[str, str, dt.date, int, int, str | None]]:
    """(id, matching text, published, evidence start, trigger offset, gold date) for each
    gold event of a feed set whose evidence (its first part) is found in its article."""
    if not (CORPUS / folder / "gold.jsonl").exists():
        return []
    articles = {a["id"]: a for a in read_jsonl(CORPUS / folder / "articles.jsonl")}
    cases = []
    for gold in read_jsonl(CORPUS / folder / "gold.jsonl"):
        article = articles[gold["id"]]
        text = matching_form(article["text"])
        for event in gold["events"]:
            evidence = matching_form(event["evidence"].split("...")[0].strip())
            at = text.find(evidence)
            if at < 0:
                continue
            trigger = TRIGGER.search(evidence)
            cases.append((gold["id"], text, D.fromisoformat(article["published"]), at,
                          at + (trigger.start() if trigger else 0), event["date"]))
    return cases


def dev_accuracy(use_trigger: bool, folder: str = "dev") -> tuple[int, int]:
    cases = dev_cases(folder)
    right = 0
    for _, text, published, at, trigger_at, gold in cases:
        res = resolve_event_date(text, trigger_at if use_trigger else at, published)
        right += (res.date.isoformat() if res.date else None) == gold
    return right, len(cases)


@needs_corpus
def test_dev_event_dates_match_the_gold():
    """Measured 2026-11-22: 44/45 at the trigger inside the evidence, 42/45 at the evidence's
    first character. The miss at the trigger: «اليوم» inside a quoted SPA dispatch from the day
    before the (early-morning) publication."""
    right, total = dev_accuracy(use_trigger=True)
    assert total == 45
    assert right >= 44, f"{right}/{total}"
    right, total = dev_accuracy(use_trigger=False)
    assert right >= 42, f"{right}/{total}"


@needs_corpus
def test_dev2_tune_event_dates_match_the_gold():
    """Measured 2026-12-02 at the trigger inside the evidence: 134/170 before nights across
    two days, «غداة» and the stamp after midnight, 135/170 after (the «غداة مفاوضات» of
    France 24). Most misses are the event layer's to fix: background contacts the gold leaves
    undated (pluperfect «كان قد», «آخر زيارة … عام 1945», a chronology), and a stamp a day
    after the text that only another sentence shows («أمس الجمعة» further down)."""
    right, total = dev_accuracy(use_trigger=True, folder="dev2/tune")
    assert total == 170
    assert right >= 135, f"{right}/{total}"


@needs_corpus
def test_seed_event_dates_match_the_gold():
    """10 of 12: the two misses are «أجرى الرئيس السوري اتصالات …», undated in a story about
    other calls, which the event stage (not date resolution) leaves undated."""
    right = 0
    for gold in read_jsonl(SEEDS / "seeds.gold.jsonl"):
        text = matching_form((SEEDS / gold["id"]).read_text(encoding="utf-8"))
        for event in gold["events"]:
            published = event.get("segment_published") or gold["published"]
            evidence = matching_form(event["evidence"].split("...")[0].strip())
            at = text.find(evidence)
            trigger = TRIGGER.search(evidence)
            res = resolve_event_date(text, at + (trigger.start() if trigger else 0),
                                     D.fromisoformat(published) if published else None)
            right += (res.date.isoformat() if res.date else None) == event["date"]
    assert right >= 10


LONG_LEADS = [
    "وفي النصف الثاني من شهر ديسمبر/ كانون الأول 2024 زار الوزير بغداد.",
    "وصل مساء يوم الأحد، الموافق 1 ديسمبر 2024 الوزير إلى أنقرة.",
    "في الأسبوع الأول من أكتوبر الماضي، وفي 12/10/2018 و2018-10-14، والثلاثاء المقبل.",
    "غادر في الثامن عشر من شهر رمضان 1445 هـ، ثم في 3 رجب 1446 هجرية.",
]


@pytest.mark.parametrize("text", LONG_LEADS + [p.read_text(encoding="utf-8") for p in
                                               sorted(SEEDS.glob("*.txt"))]
                         + [r["text"] for r in read_jsonl(CORPUS / "dev" / "articles.jsonl")])
def test_scanning_around_date_words_finds_what_a_whole_scan_finds(text):
    text = matching_form(text)
    assert find_date_expressions(text) == find_date_expressions(text, windowed=False)


@settings(max_examples=300, deadline=None)
@given(ARABIC)
def test_the_windowed_scan_equals_the_whole_scan_on_any_text(text):
    text = matching_form(text)
    assert find_date_expressions(text) == find_date_expressions(text, windowed=False)


@pytest.mark.parametrize(("text", "phrase"), [
    ("اتصل الرئيس امس الاول بنظيره", "امس الاول"),
    ("اتصل الرئيس امس  \n\t الاول بنظيره في 3   كانون\n\nالثاني", "كانون الثاني"),
    ("  وفي\u00a0\u00a0 ذي   الحجه 1446 زار الوزير", "ذي الحجه"),
    ("زار الوزير عمان في   وقت  سابق    من\nاليوم، والتقى", "في وقت سابق من اليوم"),
])
def test_date_phrases_are_anchored_at_their_place_in_the_original_text(text, phrase):
    """Phrases are looked up in a copy with whitespace runs collapsed; every anchor must map
    back onto the very words (or number) in the text, and the windows still find what a scan
    of the whole text finds."""
    from ittisal.events.dates import _date_words

    text = matching_form(text)
    spans = [(start, end) for start, end, _, alone in _date_words(text) if alone]
    for start, end in spans:
        piece = text[start:end]
        assert piece == piece.strip() and (piece.isdigit() or not piece[0].isdigit())
    assert phrase in {" ".join(text[s:e].split()) for s, e in spans}
    assert find_date_expressions(text) == find_date_expressions(text, windowed=False)


@pytest.mark.parametrize("text", ["زار الوزير دمشق في 3مارس 2024 والتقى نظيره",
                                  "اتصل الرئيس بنظيره الاحد15 ديسمبر",
                                  "وصل الوفد في 1كانون  الثاني 2025"])
def test_a_window_is_searched_for_words_glued_to_a_number(text):
    """A pattern runs in a window only if a word it needs is there; a month glued to its day
    («3مارس») is not a standalone anchor but still counts as there."""
    text = matching_form(text)
    found = find_date_expressions(text)
    assert found == find_date_expressions(text, windowed=False)
    assert any(e.kind == "explicit" for e in found), found


# --------------------------------------------------------------------------------------------
# Nights across two days, «غداة», parts of the day, a stamp after midnight, several days


@pytest.mark.parametrize(("phrase", "published", "expected"), [
    # dev2 tune: «ترمب الذي إتصل به ليل الخميس - الجمعة», «في خطاب سابق ليل الخميس الجمعة»
    ("ليل الخميس - الجمعة", D(2018, 3, 6), D(2018, 3, 1)),
    ("ليل الخميس الجمعة", D(2018, 8, 11), D(2018, 8, 9)),
    # variants: other days, ليلة, إلى / على, a dash without spaces, يوم, a qualifier
    ("ليلة الخميس الجمعة", D(2018, 8, 11), D(2018, 8, 9)),
    ("ليل الخميس إلى الجمعة", D(2018, 8, 11), D(2018, 8, 9)),
    ("ليلة السبت على الأحد", D(2018, 8, 13), D(2018, 8, 11)),
    ("ليل الأحد-الإثنين", D(2018, 8, 13), D(2018, 8, 12)),
    ("ليلة يوم الثلاثاء – الأربعاء", D(2018, 8, 15), D(2018, 8, 14)),
    ("ليل الجمعة - السبت الماضي", D(2018, 8, 18), D(2018, 8, 17)),
])
def test_a_night_across_two_days_is_the_first_day(phrase, published, expected):
    expr = only(f"جرى الاتصال {phrase} بين الرئيسين")
    assert (expr.kind, expr.weekday, expr.part_of_day) == ("weekday", expected.weekday(),
                                                           expr.part_of_day)
    assert resolve(expr, published).date == expected


def test_two_days_that_are_not_one_night_stay_two_days():
    found = find_date_expressions(matching_form("ليل الخميس - السبت"))
    assert [e.weekday for e in found] == [3, 5]


def test_the_day_after_a_night_is_not_a_separate_day():
    """dev2 tune: the Friday of «ليل الخميس - الجمعة» used to date Rouhani's call; the
    Sunday right after «هاتفه» does."""
    text = matching_form("الرئيس الأميركي دونالد #ترمب الذي إتصل به ليل الخميس - الجمعة "
                         "والرئيس الإيراني حسن روحاني الذي هاتَفَهُ الأحد")
    published = D(2018, 3, 6)
    assert resolve_event_date(text, text.find("اتصل"), published).date == D(2018, 3, 1)
    assert resolve_event_date(text, text.find("هاتفه"), published).date == D(2018, 3, 4)


@pytest.mark.parametrize(("phrase", "published", "expected"), [
    ("غداة يوم الأحد", D(2018, 3, 6), D(2018, 3, 5)),
    ("غداة الأحد", D(2018, 3, 5), D(2018, 3, 5)),
    ("غداة الثلاثاء", D(2018, 3, 6), D(2018, 2, 28)),  # a Tuesday page: last week's Tuesday
    ("غداة أمس", D(2018, 3, 6), D(2018, 3, 6)),
    ("غداة 3 مارس 2018", D(2018, 3, 6), D(2018, 3, 4)),
    ("وغداة الجمعة", D(2018, 8, 11), D(2018, 8, 11)),
])
def test_ghadat_before_a_day_is_the_next_day(phrase, published, expected):
    expr = only(f"وصل الوزير إلى القاهرة {phrase}")
    res = resolve(expr, published)
    assert (res.date, res.offset, "day_after" in res.flags) == (
        expected, (published - expected).days, True)
    assert res.weekday in (None, expected.weekday())
    assert event_date(f"وصل الوزير إلى القاهرة {phrase}", published, "وصل").date == expected


def test_ghadat_a_weekday_without_publication_keeps_the_next_weekday():
    res = resolved("غداة الأحد", None)
    assert (res.date, res.weekday) == (None, 0)
    assert resolved("غداة أمس", None).offset == 0


@pytest.mark.parametrize(("sentence", "published", "trigger", "expected"), [
    # dev2 tune (CNN, 11 March 2018): the Egyptian visit came the day before the Sunday one
    ("استقبل الرئيس السوداني عمر البشير، الأحد، وزير الخارجية القطري الشيخ محمد بن "
     "عبدالرحمن، وذلك غداة استقباله لمدير المخابرات العامة المصرية", D(2018, 3, 11),
     "استقباله", D(2018, 3, 10)),
    ("استقبل الرئيس السوداني عمر البشير، الأحد، وزير الخارجية القطري الشيخ محمد بن "
     "عبدالرحمن، وذلك غداة استقباله لمدير المخابرات العامة المصرية", D(2018, 3, 11),
     "استقبل", D(2018, 3, 11)),
    # its title: the message is the day's news, the visit the day before
    ("رسالة من أمير قطر إلى البشير غداة زيارة مدير المخابرات المصرية للسودان",
     D(2018, 3, 11), "زيارة", D(2018, 3, 10)),
    ("رسالة من أمير قطر إلى البشير غداة زيارة مدير المخابرات المصرية للسودان",
     D(2018, 3, 11), "رسالة", D(2018, 3, 11)),
    # dev2 tune (France 24): the day before «الخميس», not the Thursday
    ("وكانت الليرة التركية تراجعت الخميس بأكثر من 5% مقابل العملة الأمريكية غداة مفاوضات "
     "غير مثمرة بين دبلوماسيين أمريكيين وأتراك", D(2018, 8, 11), "مفاوضات", D(2018, 8, 8)),
    # dev2 tune: a call the day after a publication (an event with no day): today's news
    ("وتابع لافروف أنه تلقى اتصالا هاتفيا من نظيره الهولندي، غداة نشر نتائج التحقيق الدولي",
     D(2018, 5, 25), "اتصال", D(2018, 5, 25)),
    # variants
    ("أجرى الرئيس اتصالا هاتفيا بنظيره أمس الثلاثاء غداة لقاء الوزيرين", D(2018, 4, 18),
     "لقاء", D(2018, 4, 16)),
    ("وصل الوزير إلى باريس غداة اجتماعه مع نظيره الفرنسي", D(2018, 4, 18), "اجتماعه",
     D(2018, 4, 17)),
    ("وصل الوزير إلى باريس غداة اجتماعه يوم الأحد مع نظيره", D(2018, 4, 18), "اجتماعه",
     D(2018, 4, 15)),
])
def test_an_event_after_ghadat_is_the_day_before_its_report(sentence, published, trigger,
                                                            expected):
    assert event_date(sentence, published, trigger).date == expected


def test_an_event_after_ghadat_in_an_undated_page_keeps_its_offset():
    res = event_date("رسالة من أمير قطر إلى البشير غداة زيارة مدير المخابرات", None, "زيارة")
    assert (res.date, res.offset, "day_before" in res.flags) == (None, 1, True)


@pytest.mark.parametrize(("sentence", "published", "trigger", "expected"), [
    # dev2 tune
    ("وأورد التلفزيون الرسمي الليلة الماضية نبأ المحادثة", D(2018, 4, 5), "نبأ",
     D(2018, 4, 4)),
    ("إن التسجيل يزعم أن يوليا تحدثت هاتفيا مساء أمس الأربعاء مع فيكتوريا", D(2018, 4, 5),
     "هاتفيا", D(2018, 4, 4)),
    ("وكان رئيس الوزراء الإثيوبي قد وصل إلى الخرطوم مساء أمس الأربعاء تلبيةً لدعوة",
     D(2018, 5, 3), "وصل", D(2018, 5, 2)),
    ("اجتمع الأمير محمد بن سلمان في جدة مساء اليوم مع رئيس حزب القوات اللبنانية",
     D(2015, 7, 20), "اجتمع", D(2015, 7, 20)),
    ("وصل فخامة الرئيس رمضان أحمد قاديروف رئيس جمهورية الشيشان إلى جدة، صباح أمس",
     D(2015, 7, 21), "وصل", D(2015, 7, 20)),
    # variants
    ("تلقى الرئيس اتصالا هاتفيا ليلة أمس من نظيره", D(2018, 4, 18), "اتصال", D(2018, 4, 17)),
    ("تلقى الرئيس ليلة أمس الثلاثاء اتصالا هاتفيا", D(2018, 4, 18), "اتصال", D(2018, 4, 17)),
    ("وصل الوزير فجر اليوم إلى بغداد", D(2018, 4, 18), "وصل", D(2018, 4, 18)),
    ("وصل الوزير صباح اليوم الأربعاء إلى بغداد", D(2018, 4, 18), "وصل", D(2018, 4, 18)),
    ("التقى الوزير نظيره ظهر اليوم", D(2018, 4, 18), "التقى", D(2018, 4, 18)),
    ("جرى اتصال هاتفي مساء أمس بين الرئيسين", D(2018, 4, 18), "اتصال", D(2018, 4, 17)),
    ("جرى اتصال هاتفي في وقت متأخر من مساء أمس", D(2018, 4, 18), "اتصال", D(2018, 4, 17)),
    ("بحث الرئيسان هاتفيا الليلة الماضية الأوضاع", D(2018, 4, 18), "هاتفيا", D(2018, 4, 17)),
    ("وصل الوزير فجر أمس إلى بغداد", D(2018, 4, 18), "وصل", D(2018, 4, 17)),
])
def test_a_part_of_the_day_keeps_the_offset_of_its_day(sentence, published, trigger,
                                                        expected):
    assert event_date(sentence, published, trigger).date == expected


@pytest.mark.parametrize(("sentence", "published", "expected"), [
    # dev2 tune (Sky News, stamped Sunday 19 August 2018): written on the Saturday
    ("وصدر أول تعليق صيني رسمي على الموضوع أمس الجمعة في بيان لوزارة الخارجية",
     D(2018, 8, 19), D(2018, 8, 18)),
    # variants
    ("أجرى الرئيس اليوم الجمعة اتصالا هاتفيا", D(2018, 8, 18), D(2018, 8, 17)),
    ("أجرى الرئيس اليوم الجمعة اتصالا هاتفيا", D(2018, 8, 17), None),  # stamp agrees
    ("أجرى الرئيس أمس الخميس اتصالا هاتفيا", D(2018, 8, 18), D(2018, 8, 17)),
    ("أجرى الرئيس أول أمس الأربعاء اتصالا هاتفيا", D(2018, 8, 18), D(2018, 8, 17)),
    ("أجرى الرئيس اليوم الثلاثاء اتصالا هاتفيا", D(2018, 8, 18), None),  # not a stamp lag
    ("أجرى الرئيس اتصالا هاتفيا الجمعة", D(2018, 8, 18), None),  # a bare weekday says nothing
])
def test_the_texts_own_day_beats_a_stamp_after_midnight(sentence, published, expected):
    expressions = find_date_expressions(matching_form(sentence))
    assert writing_day(expressions, published) == expected
    assert writing_day(expressions, None) is None


def test_today_friday_in_a_saturday_article_dates_the_event_friday():
    assert event_date("أجرى الرئيس اليوم الجمعة اتصالا هاتفيا", D(2018, 8, 18)).date == (
        D(2018, 8, 17))
    assert event_date("أجرى الرئيس أمس الخميس اتصالا هاتفيا", D(2018, 8, 18)).date == (
        D(2018, 8, 16))


@pytest.mark.parametrize(("sentence", "first", "second"), [
    # dev2 tune (Sky News, 16 August 2018)
    ("تشاور أردوغان هاتفيا الأربعاء مع المستشارة الألمانية أنغيلا ميركل والخميس مع نظيره "
     "الفرنسي إيمانويل ماكرون", D(2018, 8, 15), D(2018, 8, 16)),
    # variants: days after the partners, «ثم», relative words, other days
    ("تحدث أردوغان هاتفيا مع ميركل الأربعاء ومع ماكرون الخميس", D(2018, 8, 15),
     D(2018, 8, 16)),
    ("اتصل أردوغان الثلاثاء بميركل ثم الأربعاء بماكرون", D(2018, 8, 14), D(2018, 8, 15)),
    ("اتصل أردوغان أمس بميركل واليوم بماكرون", D(2018, 8, 15), D(2018, 8, 16)),
    ("أجرى أردوغان اتصالين هاتفيين السبت مع ميركل والأحد مع ماكرون", D(2018, 8, 11),
     D(2018, 8, 12)),
    # one day for both
    ("تحدث أردوغان هاتفيا الأربعاء مع ميركل ومع ماكرون", D(2018, 8, 15), D(2018, 8, 15)),
    ("تحدث أردوغان هاتفيا مع ميركل وماكرون", D(2018, 8, 16), D(2018, 8, 16)),
])
def test_each_partner_takes_the_day_of_its_own_part(sentence, first, second):
    text = matching_form(sentence)
    anchor = min(i for i in (text.find("هاتفي"), text.find("اتصل")) if i >= 0)
    published = D(2018, 8, 16)
    merkel, macron = text.find("ميركل"), text.find("ماكرون")
    assert resolve_partner_date(text, anchor, merkel, published).date == first
    assert resolve_partner_date(text, anchor, macron, published).date == second


def test_a_partner_before_the_trigger_takes_the_triggers_date():
    text = matching_form("ميركل وماكرون تحادثا هاتفيا الأربعاء")
    assert resolve_partner_date(text, text.find("هاتفيا"), text.find("ماكرون"),
                                D(2018, 8, 16)) == resolve_event_date(
        text, text.find("هاتفيا"), D(2018, 8, 16))
