"""Officials placed without a country word beside their name: titles that name their state,
royal-family names, construct-state titles, honorifics between a title and a name.

Each pattern has a corpus sentence (read from ../shared/corpus, never copied here: the dev
articles belong to their publishers) and variants written for the test (other countries,
persons, titles and word orders)."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest

from ittisal.entities.tagging import EntityMention, tag
from ittisal.text.normalize import matching_form, normalize
from tests.conftest import CORPUS, read_jsonl

DAY = dt.date(2018, 6, 1)


@cache
def _articles() -> dict[str, dict]:
    out = {}
    for name in ("dev/articles.jsonl", "dev2/tune/articles.jsonl"):
        out.update({a["id"]: a for a in read_jsonl(CORPUS / name)})
    return out


def corpus_sentence(id_suffix: str, anchor: str) -> tuple[str, dt.date]:
    """The sentence of a dev or dev2-tune article that holds `anchor`, and its date."""
    [article] = [a for i, a in _articles().items() if i.endswith(id_suffix)]
    text = article["text"]
    at = text.index(anchor)
    start = max(text.rfind(".", 0, at), text.rfind("\n", 0, at)) + 1
    ends = [e for e in (text.find(".", at), text.find("\n", at)) if e >= 0]
    return text[start:min(ends, default=len(text))], dt.date.fromisoformat(article["published"])


def mentions(text: str, on: dt.date | None = DAY) -> list[EntityMention]:
    return tag(normalize(text), on)


def placed(text: str, name: str, on: dt.date | None = DAY) -> EntityMention:
    """The person or role mention that covers `name`."""
    key = matching_form(name)
    found = [m for m in mentions(text, on) if m.kind in ("person", "role") and key in m.surface
             or m.kind in ("person", "role") and m.surface and m.surface in key]
    assert found, (name, [(m.kind, m.surface, m.country) for m in mentions(text, on)])
    return max(found, key=lambda m: len(m.surface))


# --- titles that name their state ------------------------------------------------------------

def test_deputy_custodian_is_the_saudi_crown_prince_in_the_corpus():
    text, day = corpus_sentence("2015-07-31.json#1838", "كما بعث نائب خادم الحرمين")
    role = placed(text, "نائب خادم الحرمين الشريفين", day)
    assert (role.country, role.role) == ("SAU", "crown_prince")
    prince = placed(text, "محمد بن نايف بن عبدالعزيز", day)
    assert (prince.country, prince.role) == ("SAU", "crown_prince")


@pytest.mark.parametrize(("sentence", "title", "country", "role"), [
    ("أجرى خادم الحرمين الشريفين اتصالاً هاتفياً", "خادم الحرمين الشريفين", "SAU",
     "head_of_state"),
    ("تلقى نائب خادم الحرمين الشريفين برقية", "نائب خادم الحرمين الشريفين", "SAU",
     "crown_prince"),
    ("استقبل العاهل البحريني وفداً", "العاهل البحريني", "BHR", "head_of_state"),
    ("تلقى العاهل الأردني اتصالاً", "العاهل الأردني", "JOR", "head_of_state"),
    ("بعث العاهل المغربي رسالة", "العاهل المغربي", "MAR", "head_of_state"),
    ("قال العاهل السعودي إن", "العاهل السعودي", "SAU", "head_of_state"),
    ("استقبل أمير دولة الكويت ضيفه", "أمير دولة الكويت", "KWT", "head_of_state"),
    ("نقل رسالة من أمير دولة قطر إلى", "أمير دولة قطر", "QAT", "head_of_state"),
    ("بحث سلطان عمان مع ضيفه", "سلطان عمان", "OMN", "head_of_state"),
    ("تلقى ملك البحرين اتصالاً", "ملك البحرين", "BHR", "head_of_state"),
    ("قال ملك الأردن إن", "ملك الأردن", "JOR", "head_of_state"),
    ("قال المرشد الأعلى الإيراني إن", "المرشد الأعلى الإيراني", "IRN", "supreme_leader"),
    ("قال ولي عهد أبوظبي إن", "ولي عهد أبوظبي", "ARE", "crown_prince"),
    ("استقبل أمير منطقة الرياض السفير", "أمير منطقة الرياض", "SAU", "governor"),
])
def test_a_title_that_names_its_state(sentence, title, country, role):
    found = placed(sentence, title)
    assert (found.country, found.role) == (country, role)


def test_the_corpus_bahraini_king_by_title_and_family():
    text, day = corpus_sentence("middleEast-2649-20180628.txt#0", "والعاهل البحريني الملك")
    assert placed(text, "العاهل البحريني", day).country == "BHR"
    assert placed(text, "حمد بن عيسى آل خليفة", day).country == "BHR"


# --- «ولي العهد» with no country -------------------------------------------------------------

def test_the_corpus_crown_princes_are_placed_by_their_names():
    text, day = corpus_sentence("middleEast-138-20180301.txt#0", "وولي عهد أبوظبي")
    assert placed(text, "محمد بن زايد آل نهيان", day).country == "ARE"
    assert placed(text, "الأمير محمد بن سلمان", day).country == "SAU"
    text, day = corpus_sentence("internationalNews-256-20180228.txt#0", "وولي العهد الأمير")
    crown = placed(text, "وولي العهد", day)
    assert (crown.country, crown.role) == ("SAU", "crown_prince")


@pytest.mark.parametrize(("sentence", "country"), [
    ("استقبل ولي العهد الأمير محمد بن سلمان الوزير", "SAU"),
    ("استقبل ولي العهد الأمير سلمان بن حمد آل خليفة الوزير", "BHR"),
    ("استقبل ولي العهد الأمير الحسين بن عبدالله الثاني الوزير", "JOR"),
    ("استقبل ولي العهد الشيخ مشعل الأحمد الجابر الصباح الوزير", "KWT"),
    ("استقبل ولي العهد الكويتي الوزير", "KWT"),
    ("استقبل ولي ولي العهد الأمير محمد بن سلمان الوزير", "SAU"),
])
def test_a_crown_prince_takes_the_state_of_the_name_beside_him(sentence, country):
    on = dt.date(2016, 1, 1) if "ولي ولي" in sentence else dt.date(2021, 1, 1)
    assert placed(sentence, "ولي", on).country == country


@pytest.mark.parametrize("sentence", [
    "استقبل ولي العهد الوزير في مكتبه",
    "وصل ولي ولي العهد إلى العاصمة",
    "قال الأمير إن الزيارة ناجحة",
])
def test_a_crown_prince_with_no_name_stays_unplaced(sentence):
    assert [m for m in mentions(sentence) if m.country] == []


# --- royal-family names ----------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "name", "country"), [
    ("استقبل الشيخ ناصر بن حمد آل خليفة الوفد", "ناصر بن حمد آل خليفة", "BHR"),
    ("استقبل الشيخ هزاع بن زايد آل نهيان الوفد", "هزاع بن زايد آل نهيان", "ARE"),
    ("استقبل الشيخ مكتوم بن محمد بن راشد آل مكتوم الوفد", "مكتوم بن محمد بن راشد آل مكتوم",
     "ARE"),
    ("استقبل الشيخ جوعان بن حمد آل ثاني الوفد", "جوعان بن حمد آل ثاني", "QAT"),
    ("استقبل الشيخ ناصر صباح الأحمد الصباح الوفد", "ناصر صباح الأحمد الصباح", "KWT"),
    ("استقبل السيد شهاب بن طارق آل سعيد الوفد", "شهاب بن طارق آل سعيد", "OMN"),
    ("استقبل الأمير تركي بن محمد بن فهد بن عبدالعزيز الوفد", "تركي بن محمد بن فهد بن عبدالعزيز",
     "SAU"),
    ("استقبل الأمير خالد بن سلطان آل سعود الوفد", "خالد بن سلطان آل سعود", "SAU"),
    ("استقبل الأمير فيصل بن الحسين الوفد", "فيصل بن الحسين", "JOR"),
    ("استقبل الشيخ سلطان بن محمد القاسمي الوفد", "بن محمد القاسمي", "ARE"),
])
def test_a_royal_family_name_places_its_bearer(sentence, name, country):
    person = placed(sentence, name)
    assert (person.kind, person.country) == ("person", country)


def test_a_family_name_wins_over_a_registered_name_of_another_state():
    text, day = corpus_sentence("middleEast-660-20180418.txt#0", "محمد بن عبدالرحمن بن عبدالعزيز")
    assert placed(text, "محمد بن عبدالرحمن بن عبدالعزيز", day).country == "SAU"
    variant = "التقى وزير الخارجية القطري الشيخ محمد بن عبدالرحمن آل ثاني بنظيره"
    assert placed(variant, "محمد بن عبدالرحمن آل ثاني", day).country == "QAT"


@pytest.mark.parametrize("sentence", [
    "وصل الوفد في الصباح الباكر إلى الرياض",
    "قال المواطن سليمان بن عبدالعزيز إن الطريق مغلق",
    "قال المتحدث إن فترة الصباح شهدت هدوءاً",
])
def test_a_family_name_that_is_also_a_common_word_or_patronymic_places_nobody(sentence):
    assert [m for m in mentions(sentence) if m.kind == "person"] == []


# --- construct-state titles and portfolios ---------------------------------------------------

@pytest.mark.parametrize(("sentence", "title", "country", "role"), [
    ("قال رئيس وزراء اليابان إن", "رئيس وزراء اليابان", "JPN", "head_of_government"),
    ("قال رئيس وزراء سنغافورة إن", "رئيس وزراء سنغافورة", "SGP", "head_of_government"),
    ("التقى وزير خارجية فرنسا بنظيره", "وزير خارجية فرنسا", "FRA", "foreign_minister"),
    ("التقى وزير خارجية بريطانيا بنظيره", "وزير خارجية بريطانيا", "GBR", "foreign_minister"),
    ("استقبل وزير الدفاع بدولة الإمارات ضيفه", "وزير الدفاع بدولة الإمارات", "ARE",
     "defence_minister"),
    ("استقبل وزير الداخلية بمملكة البحرين ضيفه", "وزير الداخلية بمملكة البحرين", "BHR",
     "interior_minister"),
    ("قال وزير الدفاع الروسي إن", "وزير الدفاع الروسي", "RUS", "defence_minister"),
    ("التقى وزير الخارجية بجمهورية ألمانيا الاتحادية ضيفه", "وزير الخارجية بجمهورية ألمانيا",
     "DEU", "foreign_minister"),
    ("التقى وزير الخارجية بمملكة السويد ضيفه", "وزير الخارجية بمملكة السويد", "SWE",
     "foreign_minister"),
    ("قال سفير جمهورية إندونيسيا لدى المملكة إن", "سفير جمهورية إندونيسيا", "IDN",
     "ambassador"),
    ("قال ولي عهد البحرين إن", "ولي عهد البحرين", "BHR", "crown_prince"),
    ("قال رئيس هيئة الأركان الأمريكية إن", "رئيس هيئة الأركان الأمريكية", "USA", "military"),
    ("قال وزير الدولة للشؤون الخارجية السعودي إن", "وزير الدولة للشؤون الخارجية السعودي",
     "SAU", "foreign_minister"),
    ("تسلم وزير الدفاع والإنتاج الحربي بمصر الطائرات", "وزير الدفاع والإنتاج الحربي بمصر",
     "EGY", "defence_minister"),
])
def test_a_construct_state_title_takes_the_country_after_it(sentence, title, country, role):
    found = placed(sentence, title)
    assert (found.country, found.role) == (country, role)


def test_the_corpus_chiefs_of_staff_and_treasury_secretary():
    text, day = corpus_sentence("middleEast-273-20180314.txt#0", "إن رئيس هيئة الأركان العامة")
    assert placed(text, "ورئيس هيئة الأركان الأمريكية", day).country == "USA"
    assert placed(text, "رئيس هيئة الأركان العامة للجيش الروسي", day).country == "RUS"
    text, day = corpus_sentence("AL-economy-300-20180324.txt#0", "ستيفن منوتشين")
    assert placed(text, "وزير_الخزانة_الأميركي", day).country == "USA"


def test_the_corpus_german_minister_named_by_the_formal_style_of_his_state():
    text, day = corpus_sentence("2015-08-10.json#1644", "بجمهورية ألمانيا")
    assert placed(text, "وزير الخارجية بجمهورية ألمانيا", day).country == "DEU"
    minister = placed(text, "فرانك فالتر شتاينماير", day)
    assert (minister.country, minister.role) == ("DEU", "foreign_minister")
    assert placed(text, "عادل بن أحمد الجبير", day).country == "SAU"


def test_a_definite_title_takes_no_portfolio():
    assert [m for m in mentions("أكد الرئيس حرص الجانب المصري على") if m.kind == "role"
            and m.country] == []


# --- sub-national heads and apposition -------------------------------------------------------

def test_the_corpus_chechen_head_is_coded_to_russia_with_the_flag():
    text, day = corpus_sentence("2015-07-21.json#1040", "زار فخامة الرئيس رمضان")
    head = placed(text, "رمضان أحمد قاديروف", day)
    assert head.country == "RUS"
    role = placed(text, "رئيس جمهورية الشيشان", day)
    assert (role.country, role.subnational) == ("RUS", True)


@pytest.mark.parametrize(("sentence", "name", "country", "subnational"), [
    ("بعث برقية لفخامة الرئيس جورج وياه رئيس جمهورية ليبيريا بمناسبة", "جورج وياه", "LBR",
     False),
    ("التقى الرئيس رستم مينيخانوف رئيس جمهورية تتارستان في قازان", "رستم مينيخانوف", "RUS",
     True),
    ("استقبل رئيس إقليم كردستان العراق نيجيرفان بارزاني الوفد", "إقليم كردستان العراق", "IRQ",
     True),
    ("استقبل رئيس جمهورية الشيشان رمضان قاديروف الوفد", "رئيس جمهورية الشيشان", "RUS", True),
])
def test_a_sub_national_or_apposed_title_places_the_name(sentence, name, country, subnational):
    found = placed(sentence, name)
    assert (found.country, found.subnational) == (country, subnational)


def test_the_corpus_apposed_colombian_president():
    text, day = corpus_sentence("2015-07-21.json#2417", "لفخامة الرئيس خوان")
    assert placed(text, "خوان مانويل سانتوس", day).country == "COL"


# --- honorifics and ranks between a title and a name; unregistered officials ----------------

def test_the_corpus_intelligence_chief_behind_his_rank():
    text, day = corpus_sentence("middleEast-247-20180311.txt#0", "اللواء عباس كامل")
    assert placed(text, "عباس كامل", day).country == "EGY"


@pytest.mark.parametrize(("sentence", "name", "country"), [
    ("التقى وزير الخارجية القطري الشيخ خالد بن سعد الوفد", "خالد بن سعد", "QAT"),
    ("قال رئيس الأركان المصري الفريق أول محمود حجازي إن", "محمود حجازي", "EGY"),
    ("قال وزير الخارجية الأمريكي الأسبق هنري كيسنجر إن", "هنري كيسنجر", "USA"),
    ("قال الرئيس الملاوي لازاروس تشاكويرا إن", "لازاروس تشاكويرا", "MWI"),
    ("قال الرئيس التنزاني جون ماغوفولي إن", "جون ماغوفولي", "TZA"),
    ("قال الرئيس الكيني أوهورو كينياتا إن", "أوهورو كينياتا", "KEN"),
    ("اتصل بنظيره اليوناني ألكسيس تسيبراس، وقدم", "ألكسيس تسيبراس", "GRC"),
    ("اتصل بنظيره البلجيكي ألكسندر دي كرو، وقدم", "ألكسندر دي كرو", "BEL"),
])
def test_an_official_is_placed_by_the_title_and_country_beside_the_name(sentence, name, country):
    person = placed(sentence, name)
    assert (person.kind, person.country) == ("person", country)


def test_an_adjective_with_the_article_is_no_name():
    assert [m for m in mentions("قال الرئيس السوري المخلوع إن") if m.kind == "person"] == []


def test_the_register_places_officials_of_the_world_on_their_day():
    cases = [("شينزو آبي", dt.date(2018, 5, 1), "JPN", "head_of_government"),
             ("ناريندرا مودي", dt.date(2020, 1, 1), "IND", "head_of_government"),
             ("جاستن ترودو", dt.date(2020, 1, 1), "CAN", "head_of_government"),
             ("أنطونيو غوتيريس", dt.date(2018, 5, 1), "UN", "secretary_general"),
             ("دونالد توسك", dt.date(2012, 1, 1), "POL", "head_of_government"),
             ("دونالد توسك", dt.date(2016, 1, 1), "EU", "head_of_state"),
             ("محمد بن سلمان", dt.date(2016, 1, 1), "SAU", "deputy_crown_prince"),
             ("سيريل رامافوزا", dt.date(2019, 5, 1), "ZAF", "head_of_state")]
    for name, day, country, role in cases:
        [person] = [m for m in mentions(f"التقى {name} ضيفه.", day) if m.kind == "person"]
        assert (person.country, person.role) == (country, role), name


@pytest.mark.parametrize(("sentence", "title", "country"), [
    # dev2 tune: «خلال اتصال هاتفي مع الوزير التركي» — the bare «الوزير» with its nisba
    ("أدلى وانغ بهذه التصريحات خلال اتصال هاتفي مع الوزير التركي", "الوزير التركي", "TUR"),
    ("التقى الوزير السعودي نظيره", "الوزير السعودي", "SAU"),
    ("قالت الوزيرة الألمانية إن", "الوزيرة الألمانية", "DEU"),
    ("وصل الوزير الألباني إلى روما", "الوزير الألباني", "ALB"),
])
def test_the_bare_minister_title_takes_the_nisba_after_it(sentence, title, country):
    role = placed(sentence, title)
    assert (role.country, role.role) == (country, "minister")


@pytest.mark.parametrize(("sentence", "title", "country"), [
    # «ألمانيا», «ألبانيا»: their «أل» is part of the name, not the article (data/demonyms.csv)
    ("قال الرئيس الألماني إن", "الرئيس الألماني", "DEU"),
    ("قالت وزيرة الخارجية الألمانية إن", "وزيرة الخارجية الألمانية", "DEU"),
    ("قال وزير الدفاع الألباني إن", "وزير الدفاع الألباني", "ALB"),
])
def test_a_name_that_opens_with_al_keeps_it_in_its_nisba(sentence, title, country):
    assert placed(sentence, title).country == country


@pytest.mark.parametrize(("sentence", "title", "country", "host"), [
    # dev2 tune (SPA): «سفير خادم الحرمين الشريفين لدى لبنان» is the Saudi ambassador; «لدى»
    # names where an envoy is accredited, never his state
    ("التقى نبيه بري في بيروت أمس معالي سفير خادم الحرمين الشريفين لدى لبنان علي عسيري",
     "خادم الحرمين الشريفين", "SAU", "LBN"),
    ("قال السفير الأمريكي لدى تركيا إن", "السفير الأمريكي", "USA", "TUR"),
    ("قال المندوب الروسي لدى الأمم المتحدة إن", "المندوب الروسي", "RUS", "UN"),
    ("قال سفير الإمارات لدى مصر إن", "سفير الإمارات", "ARE", "EGY"),
])
def test_an_envoy_accredited_with_lada_keeps_his_own_state(sentence, title, country, host):
    assert placed(sentence, title).country == country
    assert not any(m.kind == "role" and m.country == host for m in mentions(sentence))


@pytest.mark.parametrize(("sentence", "countries"), [
    # dev2 tune (Asharq Al-Awsat): «أجريا اتصالا هاتفيا مع زعيمي روسيا وأوكرانيا»
    ("أجريا اتصالا هاتفيا مع زعيمي روسيا وأوكرانيا", ["RUS", "UKR"]),
    # variants: plural titles, three states, a comma
    ("اجتمع وزراء خارجية مصر والأردن والعراق في بغداد", ["EGY", "JOR", "IRQ"]),
    ("التقى رؤساء السودان، وتشاد في الخرطوم", ["SDN", "TCD"]),
    ("وأكد زعيما الكوريتين أن", []),
])
def test_a_dual_or_plural_title_names_an_official_of_each_coordinated_state(
        sentence, countries):
    assert [m.country for m in mentions(sentence) if m.kind == "role" and m.country] == countries


def test_a_pronoun_or_a_negation_after_a_title_is_no_name():
    """«والرئيس الفرنسي إنهما أجريا …», «… لا تريده»: no person named «انهما اجريا»."""
    found = mentions("قالت المستشارة الألمانية والرئيس الفرنسي إنهما أجريا اتصالا هاتفيا")
    assert [m.country for m in found if m.kind == "role"] == ["DEU", "FRA"]
    assert not [m for m in found if m.kind == "person"]


@pytest.mark.parametrize("sentence", [
    "وخلال اتصالات هاتفية مع الرئيس التركي دعا الرئيس الروسي إلى التهدئة.",
    "وقالت إن المستشارة الألمانية أعربت عن قلقها.",
    "وكان وزير الخارجية الإيراني حذر من التصعيد.",
    "وأن رئيس الوزراء الهندي رحب بالاتفاق.",
])
def test_a_verb_of_saying_after_a_title_and_nisba_is_no_name(sentence):
    assert not [m.surface for m in mentions(sentence) if m.kind == "person"]


def test_a_verb_or_a_count_after_a_title_is_no_name():
    """«إن الرئيس الأمريكي اتصل بنظيره الفرنسي ثلاث مرات»: no person «اتصل», «ثلاث مرات»."""
    found = mentions("وقال إن الرئيس الأمريكي اتصل بنظيره الفرنسي ثلاث مرات خلال الأسبوع")
    assert [m.country for m in found if m.kind == "role"] == ["USA", "FRA"]
    assert not [m for m in found if m.kind == "person"]


@pytest.mark.parametrize(("sentence", "title", "country"), [
    # dev2 tune (Al Arabiya): «المسؤول الاقتصادي الرئيسي في #الصين ليو هي تحدث هاتفيا …»
    *[(corpus_sentence("AL-economy-300-20180324.txt#0", "المسؤول الاقتصادي")[0],
       "المسؤول الاقتصادي", "CHN")],
    # variants: other states, titles and adjectives
    ("وأجرى المسؤول الأمني الكبير في العراق اتصالا هاتفيا مع وزير الداخلية الإيراني",
     "المسؤول الأمني الكبير في العراق", "IRQ"),
    ("قال رئيس الوزراء المؤقت في تونس إن", "رئيس الوزراء المؤقت في تونس", "TUN"),
])
def test_a_title_and_its_definite_adjectives_take_the_state_after_fi(sentence, title, country):
    assert placed(sentence, title).country == country


@pytest.mark.parametrize(("sentence", "host"), [
    # «في» after an ambassador's adjectives names his post, not his state
    ("قال السفير المعتمد في مصر إن", "EGY"),
    # a verb between the title and «في» ends the title
    ("قال الرئيس حرص في مصر على", "EGY"),
])
def test_fi_after_a_post_or_a_verb_places_no_official(sentence, host):
    assert not any(m.kind in ("role", "person") and m.country == host
                   for m in mentions(sentence))


@pytest.mark.parametrize(("sentence", "state"), [
    # dev2 tune (Okaz, 2015): «… مع رئيس حزب القوات اللبنانية سمير جعجع»
    *[(corpus_sentence("2015-07-21.json#2523", "رئيس حزب القوات")[0], "LBN")],
    # variants: other bodies, states and word orders
    ("والتقى وزير الخارجية التركي رئيس الحزب الحاكم في ألمانيا", "DEU"),
    ("استقبل الرئيس المصري رئيس حركة النهضة التونسية", "TUN"),
    ("اجتمع ولي العهد مع رئيس شركة النفط الوطنية الليبية", "LBY"),
])
def test_the_head_of_a_party_movement_or_company_is_no_official_of_its_state(sentence, state):
    assert not any(m.kind in ("role", "person") and m.country == state
                   for m in mentions(sentence))


def test_a_portfolio_still_places_a_minister_when_no_body_opens_it():
    """The guard reads only the first word: «وزير الخزانة الأمريكي» is still American."""
    assert placed("التقى الرئيس التركي وزير الخزانة الأمريكي", "وزير الخزانة الأمريكي"
                  ).country == "USA"


@pytest.mark.parametrize(("sentence", "title", "country"), [
    # «الأممي» is the UN's nisba: its envoy, its secretary-general (written for the test)
    ("تلقى الرئيس المصري اتصالا هاتفيا من المبعوث الأممي إلى سوريا.", "المبعوث الأممي", "UN"),
    ("وبحث وزير الخارجية الأردني مع المبعوثة الأممية إلى ليبيا الوضع.", "المبعوثة الأممية", "UN"),
    # the two Congos by their long names
    ("استقبل الرئيس المصري رئيس جمهورية الكونغو الديمقراطية.",
     "رئيس جمهورية الكونغو الديمقراطية", "COD"),
    ("التقى وزير الخارجية المغربي رئيس الكونغو برازافيل.", "رئيس الكونغو برازافيل", "COG"),
])
def test_un_nisba_and_long_state_names_place_the_title(sentence, title, country):
    assert placed(sentence, title).country == country


@pytest.mark.parametrize("text", [
    # headlines put a present-tense verb right after the title; «أول أمس» is a day
    "ولي العهد السعودي يختتم زيارته إلى الأردن",
    "الرئيس الكيني يصل إلى باريس في زيارة رسمية",
    "رئيس الوزراء الهندي يلتقي نظيره الياباني",
    "ووصل الرئيس الكيني أول أمس إلى باريس",
])
def test_a_verb_or_a_day_after_a_title_is_no_name(text):
    assert [m for m in mentions(text) if m.kind == "person"] == []


@pytest.mark.parametrize(("text", "states"), [
    # dev2 tune (SPA): «وصاحب السمو الملكي الأمير تركي العبدالله الفيصل» is a Saudi prince,
    # no Turkish one: an adjective agrees with a definite title, a bare nisba is a name
    ("واستقبل الأمير تركي الفيصل السفير الفرنسي", {"FRA"}),
    ("واستقبل الأمير تركي بن محمد بن فهد السفير الفرنسي", {"FRA"}),
    ("والتقى وزير الخارجية تركي السفير الفرنسي", {"FRA"}),
    # the nisba that agrees still places its title
    ("والتقى وزير خارجية تركي السفير الفرنسي", {"FRA", "TUR"}),
    ("والتقى وزير الخارجية التركي السفير الفرنسي", {"FRA", "TUR"}),
])
def test_a_bare_nisba_after_a_definite_title_is_a_name(text, states):
    assert {m.country for m in mentions(text) if m.kind == "role" and m.country} == states


@pytest.mark.parametrize(("text", "state"), [
    # Central Asian nisbas: both the short and the «-ستاني» forms are in use
    ("والتقى الرئيس الأوزبكي نظيره", "UZB"),
    ("والتقى الرئيس الأوزبكستاني نظيره", "UZB"),
    ("وصرح الرئيس الكازاخي", "KAZ"),
    ("وصرح وزير الخارجية الطاجيكي", "TJK"),
    ("وصرح رئيس الوزراء القيرغيزي", "KGZ"),
    ("وصرح رئيس جمهورية القمر المتحدة", "COM"),
])
def test_titles_of_more_states_are_placed(text, state):
    assert {m.country for m in mentions(text) if m.kind == "role" and m.country} == {state}


@pytest.mark.parametrize(("text", "state"), [
    # SPA: «وبعث سمو ولي العهد برقية تهنئة مماثلة …» after the king's cable
    ("بعث خادم الحرمين الشريفين برقية تهنئة لرئيس كينيا. وبعث سمو ولي العهد برقية مماثلة.",
     "SAU"),
    ("استقبل العاهل الأردني الرئيس الكيني. كما التقى ولي العهد الرئيس الكيني.", "JOR"),
    ("استقبل أمير الكويت وزير الخارجية الهندي. واستقبل ولي ولي العهد الوزير الهندي.", "KWT"),
])
def test_a_bare_crown_prince_is_of_the_monarchy_named_before(text, state):
    princes = [m for m in mentions(text) if m.role == "crown_prince"]
    assert princes and all(m.country == state for m in princes)


def test_a_bare_crown_prince_with_no_monarchy_before_stays_unplaced():
    assert [m.country for m in mentions("واستقبل ولي العهد الرئيس الكيني.")
            if m.role == "crown_prince"] == [None]


@pytest.mark.parametrize(("text", "states", "role"), [
    # a dual in construct with its portfolio, then the nisbas of both states
    ("واجتمع وزيرا الخارجية الكيني والفرنسي أمس.", {"KEN", "FRA"}, "foreign_minister"),
    ("وبحث وزيرا الدفاع التركي واليوناني الأزمة.", {"TUR", "GRC"}, "defence_minister"),
    ("والتقى رئيسا الوزراء الهندي والياباني في طوكيو.", {"IND", "JPN"}, "head_of_government"),
])
def test_a_dual_with_its_portfolio_names_an_official_of_each_state(text, states, role):
    found = [m for m in mentions(text) if m.kind == "role" and m.country]
    assert {m.country for m in found} == states
    assert {m.role for m in found} == {role}


@pytest.mark.parametrize(("text", "code"), [
    # heads of UN bodies are the UN's (corpus README: «UN for the Secretary-General, envoys
    # and UN bodies»); other organisations' heads are theirs
    ("والتقى الرئيس الكيني المدير العام لمنظمة الصحة العالمية.", "UN"),
    ("والتقى الرئيس الكيني المفوض السامي للأمم المتحدة لشؤون اللاجئين.", "UN"),
    ("والتقى الرئيس الكيني منسق الأمم المتحدة للشؤون الإنسانية.", "UN"),
    ("والتقى الرئيس الكيني رئيس مفوضية الاتحاد الأفريقي.", "AU"),
    # dev2 tune (SPA): «مبعوث أمين عام الأمم المتحدة في اليمن» (the title without its article)
    ("والتقى الرئيس الكيني مبعوث أمين عام الأمم المتحدة في الصومال.", "UN"),
    ("والتقى الرئيس الكيني أمين عام جامعة الدول العربية.", "ARL"),
    ("والتقى الرئيس الكيني المدير العام للوكالة الدولية للطاقة الذرية.", "IAEA"),
    ("والتقى الرئيس الكيني المدير العام لمنظمة حظر الأسلحة الكيميائية.", "OPCW"),
])
def test_heads_of_international_bodies_are_placed_at_their_body(text, code):
    assert code in {m.country for m in mentions(text) if m.kind == "role"}


@pytest.mark.parametrize(("text", "state"), [
    # officials or a delegation «from» a state (dev2 tune, AFP: «استقبل … كيم جونغ أون وفدا
    # من كوريا الجنوبية رفيع المستوى»; «نتائج لقاء مسؤولين من كوريا الجنوبية مع كيم»)
    ("استقبل الرئيس الإثيوبي وفدا من الصومال رفيع المستوى.", "SOM"),
    ("وأطلع الرئيس الكيني نظيره على نتائج لقاء مسؤولين من الصومال مع الرئيس الإثيوبي.", "SOM"),
    ("وقال مسؤول من اليابان إن المحادثات مستمرة.", "JPN"),
])
def test_officials_from_a_state_are_placed_there(text, state):
    assert state in {m.country for m in mentions(text) if m.kind == "role"}


def test_a_preposition_with_the_article_opens_no_name_after_a_title():
    found = mentions("وقال الرئيس الكيني للصحفيين بعدما أطلع نظيره على النتائج.")
    assert [m for m in found if m.kind == "person"] == []


# --- «الوزير الأول»: the head of government in Maghreb and West African usage ----------------

@pytest.mark.parametrize(("sentence", "title", "country"), [
    ("استقبل الرئيس الجزائري الوزير الأول الفرنسي", "الوزير الأول الفرنسي", "FRA"),
    ("أجرى الوزير الأول الموريتاني اتصالا هاتفيا", "الوزير الأول الموريتاني", "MRT"),
    ("قالت الوزيرة الأولى التونسية إن", "الوزيرة الأولى التونسية", "TUN"),
])
def test_the_first_minister_heads_the_government(sentence, title, country):
    found = placed(sentence, title)
    assert (found.country, found.role) == (country, "head_of_government")


# --- what follows a title and names nobody ----------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "وتلقى أمير قطر دعوة من أمير الكويت لحضور القمة",
    "وتلقى الرئيس الكيني دعوة من الرئيس الأوغندي لزيارة كمبالا",
    "وبعث الملك المغربي تهنئة إلى الرئيس السنغالي",
])
def test_an_invitation_or_greeting_after_a_title_is_no_name(sentence):
    assert [m.surface for m in mentions(sentence) if m.kind == "person"] == []


# --- two offices of one official, the state said once at the end ---------------------------

@pytest.mark.parametrize(("sentence", "title", "country"), [
    ("رسالة من نائب رئيس مجلس الوزراء وزير الخارجية الكويتي", "نائب رئيس مجلس الوزراء", "KWT"),
    ("استقبل نائب رئيس الوزراء وزير الداخلية البحريني الوفد", "نائب رئيس الوزراء", "BHR"),
    ("قال النائب الأول لرئيس الوزراء وزير الدفاع القطري إن", "النائب الأول لرئيس الوزراء",
     "QAT"),
])
def test_a_deputy_prime_minister_takes_the_state_of_his_other_office(sentence, title, country):
    assert placed(sentence, title).country == country


def test_a_title_before_another_officials_title_keeps_its_own_state():
    # «استقبل الرئيس وزير الخارجية الكويتي»: the subject and the guest, two officials
    assert placed("استقبل الرئيس وزير الخارجية الكويتي", "الرئيس").country is None


@pytest.mark.parametrize(("sentence", "title", "country"), [
    ("التقى الرئيس المصري قائد القيادة المركزية الأمريكية", "قائد القيادة المركزية الأمريكية",
     "USA"),
    ("استقبل رئيس الوزراء العراقي قائد القوات البريطانية", "قائد القوات البريطانية", "GBR"),
])
def test_a_commander_is_an_officer_of_the_state_his_command_names(sentence, title, country):
    found = placed(sentence, title)
    assert (found.country, found.role) == (country, "military")


# --- «أمير البلاد» in a dispatch from home ---------------------------------------------------

@pytest.mark.parametrize(("sentence", "title", "country"), [
    ("الكويت - كونا: تسلم حضرة صاحب السمو أمير البلاد المفدى رسالة", "أمير البلاد", "KWT"),
    ("المنامة (بنا): استقبل عاهل البلاد المفدى بقصر الصخير الوزير", "عاهل البلاد", "BHR"),
    ("الرياض (واس): تلقى ولي عهد البلاد اتصالا هاتفيا", "ولي عهد البلاد", "SAU"),
    ("مسقط - العمانية: بعث سلطان البلاد برقية تهنئة", "سلطان البلاد", "OMN"),
])
def test_the_countrys_ruler_is_of_the_datelines_state(sentence, title, country):
    assert placed(sentence, title).country == country


@pytest.mark.parametrize(("sentence", "title"), [
    ("تسلم حضرة صاحب السمو أمير البلاد المفدى رسالة من الرئيس التونسي", "أمير"),  # no dateline
    ("قالت مصادر في باريس - حسب وكالة: استقبل رئيس البلاد الوزير", "رئيس"),  # a city, not it
])
def test_the_countrys_ruler_without_a_dateline_stays_unplaced(sentence, title):
    assert placed(sentence, title).country is None
