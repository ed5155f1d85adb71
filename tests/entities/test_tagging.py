"""Entity tagging on corpus sentences and variants; the officeholder register's shape."""

from __future__ import annotations

import csv
import datetime as dt
import itertools

import pytest

from ittisal.datafiles import DATA, read_rows
from ittisal.entities.gazetteer import load
from ittisal.entities.tagging import tag
from ittisal.text.normalize import normalize
from ittisal.text.segments import article_text, parse_document
from tests.conftest import CORPUS, read_jsonl

SUNDAY = dt.date(2024, 12, 1)


def tags(text: str, on: dt.date | None = SUNDAY):
    return tag(normalize(text), on)


def officials(text: str, on: dt.date | None = SUNDAY) -> set[tuple[str, str, str | None]]:
    return {(m.kind, m.country, m.role) for m in tags(text, on) if m.kind in ("person", "role")}


def test_seed_officials_carry_country_and_office():
    text = ("بحث نائب رئيس مجلس الوزراء ووزير الخارجية العراقي فؤاد حسين، اليوم الأحد، عبر اتصال "
            "هاتفي، مع وزير الخارجية التركي هاكان فيدان، التطورات في سوريا.")
    found = officials(text)
    assert ("person", "IRQ", "foreign_minister") in found
    assert ("person", "TUR", "foreign_minister") in found


def test_counterpart_takes_the_office_and_the_other_country():
    text = "أجرى وزير الخارجية العراقي، فؤاد حسين، اتصالاً هاتفياً بنظيره التركي هاكان فيدان"
    counterpart = next(m for m in tags(text) if m.resolved_by == "counterpart")
    assert (counterpart.country, counterpart.role) == ("TUR", "foreign_minister")


def test_sudani_is_iraqi_and_never_sudanese():
    path = sorted((CORPUS / "seeds").glob("001_*.txt"))[0]
    text = path.read_text(encoding="utf-8")
    mentions = tags(text)
    assert all(m.country != "SDN" for m in mentions)
    sudani = [m for m in mentions if "السوداني" in m.surface and m.kind == "person"]
    assert sudani and {(m.country, m.role) for m in sudani} == {("IRQ", "head_of_government")}
    assert any(m.resolved_by == "surname" for m in sudani)


def test_the_office_is_the_one_held_on_the_articles_date():
    text = "تلقى بشار الأسد اتصالاً"
    assert ("person", "SYR", "head_of_state") in officials(text, SUNDAY)
    after = [m for m in tags(text, dt.date(2025, 1, 1)) if m.kind == "person"]
    assert after[0].country == "SYR" and after[0].role is None  # no longer in office


@pytest.mark.parametrize(("word", "country"), [
    ("والعراق", "IRQ"), ("للعراق", "IRQ"), ("بالعراق", "IRQ"), ("وللعراقيين", "IRQ"),
    ("العراقية", "IRQ"), ("العراقيين", "IRQ"), ("عراقياً", "IRQ"), ("سورية", "SYR"),
    ("الأميركي", "USA"), ("الأمريكية", "USA"), ("والإماراتيين", "ARE"), ("بالسعودية", "SAU"),
    ("الأردنيون", "JOR"), ("لبنان", "LBN"), ("المصريتين", "EGY"), ("بمسقط", "OMN"),
])
def test_clitics_and_every_nisba_form(word, country):
    found = [m for m in tags(f"قال مصدر {word} أمس") if m.country]
    assert [m.country for m in found] == [country]


@pytest.mark.parametrize(("word", "country"), [
    ("ميانمار", "MMR"), ("بورما", "MMR"),  # CLDR's one name is «ميانمار (بورما)»
    ("البيرو", "PER"), ("الأوروغواي", "URY"), ("الفيليبين", "PHL"), ("بنغلادش", "BGD"),
    ("كمبالا", "UGA"), ("أبوجا", "NGA"), ("سيول", "KOR"), ("هانوي", "VNM"),
    ("بوينس آيرس", "ARG"), ("بكراكاس", "VEN"),
])
def test_names_news_gives_states_and_capitals_besides_cldr(word, country):
    found = [m for m in tags(f"ووصل الوفد إلى {word} أمس") if m.country]
    assert [m.country for m in found] == [country]


@pytest.mark.parametrize(("demonym", "country"), [
    ("الإيفواري", "CIV"), ("العاجية", "CIV"), ("الأذري", "AZE"), ("الفيليبيني", "PHL"),
    ("المقدوني", "MKD"), ("البوركيني", "BFA"), ("الملغاشية", "MDG"), ("الدنماركية", "DNK"),
    ("الهنغاري", "HUN"), ("المجري", "HUN"), ("التايلندي", "THA"), ("البيروفي", "PER"),
    ("الأوروغواياني", "URY"), ("الدومينيكاني", "DOM"), ("البورمي", "MMR"),
])
def test_a_title_with_the_demonym_news_uses_besides_the_rules(demonym, country):
    found = [m for m in tags(f"وقال الرئيس {demonym} إن") if m.kind == "role"]
    assert [m.country for m in found] == [country]


@pytest.mark.parametrize("word", ["العربي", "الإسلامية", "الكردي", "الدولية", "المالي"])
def test_adjectives_that_name_no_state(word):
    assert [m for m in tags(f"قال المسؤول {word} أمس") if m.country] == []


def test_a_name_with_and_without_honorifics():
    for text in ("أجرى الملك سلمان بن عبدالعزيز آل سعود اتصالاً",
                 "أجرى خادم الحرمين الشريفين الملك سلمان بن عبد العزيز اتصالاً"):
        assert ("person", "SAU", "head_of_state") in officials(text, dt.date(2018, 10, 14))


def test_unregistered_official_after_title_and_demonym():
    found = [m for m in tags("أجرى وزير الخارجية الموريتاني إسماعيل ولد الشيخ أحمد اتصالاً")
             if m.kind == "person"]
    assert found and found[0].country == "MRT" and found[0].role == "foreign_minister"


def test_dev_gold_countries_are_found_in_their_evidence():
    """Recall of gold countries among the tags of each evidence's paragraph (dev set).

    Measured 0.956 (87 of 91; 0.934 before «الرئيسين» and its kin were resolved): the misses
    need a reference resolved across sentences («مسؤولون شماليون … للجنوب», a minister named
    only by her office)."""
    articles = {a["id"]: a for a in read_jsonl(CORPUS / "dev" / "articles.jsonl")}
    found = total = 0
    for gold in read_jsonl(CORPUS / "dev" / "gold.jsonl"):
        article = articles[gold["id"]]
        _, body = article_text(parse_document(article["text"]), 0)
        text = normalize(body)
        mentions = tag(text, dt.date.fromisoformat(gold["published"]))
        for event in gold["events"]:
            evidence = event["evidence"].split("...")[0].strip()
            at = body.find(evidence[:40])
            if at < 0:
                continue
            start = body.rfind("\n", 0, at) + 1
            end = body.find("\n", at) % (len(body) + 1)
            countries = {m.country for m in mentions
                         if start <= text.to_display(m.start) < end}
            total += len(event["countries"])
            found += len(set(event["countries"]) & countries)
    assert total > 60
    assert found / total >= 0.95, f"recall {found / total:.3f}"


OFFICES = frozenset(
    "head_of_state head_of_government supreme_leader foreign_minister crown_prince "
    "deputy_crown_prince deputy_prime_minister defence_minister interior_minister minister "
    "military "
    "intelligence_chief national_security_adviser regional_head governor_general ambassador "
    "envoy secretary_general high_representative".split())


def test_register_is_well_formed():
    codes = {r["alpha3"] for r in read_rows("countries.csv")}
    codes |= {r["code"] for r in read_rows("organisations.csv")}
    rows = list(read_rows("officeholders.csv"))
    assert len(rows) > 500
    assert len({r["country"] for r in rows}) > 80
    names_of: dict[str, str] = {}
    owner: dict[str, str] = {}
    for r in rows:
        assert r["country"] in codes, r
        assert r["office"] in OFFICES, r
        assert r["approximate"] in ("true", "false"), r
        start = dt.date.fromisoformat(r["start"])
        end = dt.date.fromisoformat(r["end"]) if r["end"] else None
        assert end is None or start <= end, r
        assert names_of.setdefault(r["person_id"], r["names"]) == r["names"], r["person_id"]
        for name in r["names"].split("|"):
            assert name.strip() == name and name, r
            assert owner.setdefault(name, r["person_id"]) == r["person_id"], name
    single_seat = ("head_of_state", "head_of_government", "foreign_minister")
    for a, b in itertools.combinations(rows, 2):
        if a["person_id"] == b["person_id"] or a["country"] != b["country"]:
            continue
        if a["office"] != b["office"] or a["office"] not in single_seat:
            continue
        a_end = a["end"] or "9999-12-31"
        b_end = b["end"] or "9999-12-31"
        assert a_end <= b["start"] or b_end <= a["start"], (a["person_id"], b["person_id"])


def test_every_iso_country_is_registered():
    with open(DATA / "countries.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    assert len({r["alpha3"] for r in rows}) >= 249
    assert len(load().keys) > 20000


def _references(text: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for m in tag(normalize(text), SUNDAY):
        if m.kind == "reference":
            out.setdefault(m.surface, set()).add(m.country)
    return out


@pytest.mark.parametrize(("text", "word", "states"), [
    # seed 002
    ("أجرى وزير الخارجية العراقي، فؤاد حسين، اليوم الأحد، اتصالاً هاتفياً بنظيره التركي هاكان "
     "فيدان، ناقشا خلاله الأوضاع الراهنة في سوريا. وأكد الجانبان ضرورة التنسيق.",
     "الجانبان", {"IRQ", "TUR"}),
    # variants: oblique case, a proclitic, other offices and countries
    ("استقبل الملك عبدالله الثاني الرئيس الفرنسي إيمانويل ماكرون، وبحث مع الرئيسين العلاقات.",
     "الرئيسين", {"FRA", "JOR"}),
    ("تلقى أمير قطر اتصالا من الرئيس الإيراني، تناول العلاقات بين البلدين.", "البلدين",
     {"IRN", "QAT"}),
    ("التقى وزير الخارجية المغربي بنظيره الموريتاني، وأكد الوزيران أهمية التعاون.", "الوزيران",
     {"MAR", "MRT"}),
    # no officials named: the last two countries
    ("تشهد العلاقات بين الجزائر وتونس تحسنا، ويسعى البلدان إلى فتح الحدود.", "البلدان",
     {"DZA", "TUN"}),
])
def test_a_dual_refers_to_the_last_two_states_named(text, word, states):
    assert _references(text) == {word: states}


def test_a_dual_with_one_state_before_it_refers_to_nothing():
    assert _references("قال وزير الخارجية العراقي إن الجانبين سيلتقيان قريبا.") == {}


ARAB_LEAGUE = ("SAU", "ARE", "QAT", "KWT", "BHR", "OMN", "YEM", "IRQ", "SYR", "JOR", "LBN", "PSE",
               "EGY", "LBY", "TUN", "DZA", "MAR", "MRT", "SDN", "SOM", "DJI", "COM")
OTHERS = ("TUR", "IRN", "ISR", "USA", "GBR", "FRA", "RUS", "CHN", "DEU")


def _holder_on(rows: list[dict], country: str, office: str, day: dt.date) -> bool:
    return any(r["country"] == country and r["office"] == office
               and dt.date.fromisoformat(r["start"]) <= day
               and (not r["end"] or day <= dt.date.fromisoformat(r["end"])) for r in rows)


def test_the_register_names_the_heads_of_state_of_every_member_and_major_power():
    rows = list(read_rows("officeholders.csv"))
    vacant = {dt.date(2015, 6, 1): ["LBN"]}  # no president from May 2014 to October 2016
    for day in (dt.date(2015, 6, 1), dt.date(2025, 6, 1)):
        missing = [c for c in ARAB_LEAGUE + OTHERS if not _holder_on(rows, c, "head_of_state", day)]
        assert missing == vacant.get(day, []), day
    # foreign ministers of the states whose contacts the news reports most
    for day in (dt.date(2015, 6, 1), dt.date(2025, 6, 1)):
        missing = [c for c in ("SAU", "ARE", "QAT", "IRQ", "SYR", "JOR", "EGY", "DZA", "MAR",
                               "OMN", "TUR", "IRN", "USA", "GBR", "FRA", "RUS", "CHN", "DEU")
                   if not _holder_on(rows, c, "foreign_minister", day)]
        assert missing == [], day


@pytest.mark.parametrize(("sentence", "day", "role"), [
    ("التقى أحمد داود أوغلو بنظيره الإيراني.", dt.date(2012, 5, 1), "foreign_minister"),
    ("التقى أحمد داود أوغلو بنظيره الإيراني.", dt.date(2015, 5, 1), "head_of_government"),
    ("استقبل رجب طيب أردوغان ضيفه.", dt.date(2010, 1, 1), "head_of_government"),
    ("استقبل رجب طيب أردوغان ضيفه.", dt.date(2020, 1, 1), "head_of_state"),
    ("اتصل محمد بن عبدالرحمن آل ثاني بنظيره.", dt.date(2018, 1, 1), "foreign_minister"),
    ("اتصل محمد بن عبدالرحمن آل ثاني بنظيره.", dt.date(2024, 1, 1), "head_of_government"),
])
def test_an_office_is_the_one_held_on_the_day(sentence, day, role):
    [person] = [m for m in tags(sentence, day) if m.kind == "person"]
    assert person.role == role


def _place_or_state(text: str, word: str) -> tuple[str, str | None]:
    [m] = [m for m in tags(text) if m.kind in ("place", "country") and word in m.surface]
    return m.kind, m.country


@pytest.mark.parametrize("text", [
    "وبحث وزير الخارجية الأردني في عمّان مع نظيره العراقي العلاقات",  # the marks of the city
    "واستقبل وزير الخارجية الأردني في العاصمة الأردنية عمان نظيره العراقي",
    "وبحث وزير الخارجية الأردني في عمان مع نظيره العراقي العلاقات",
    "وعقد رئيس الوزراء الأردني بعمان اجتماعا مع وزير الخارجية المصري",
])
def test_amman_is_the_city_not_the_sultanate(text):
    assert _place_or_state(text, "عمان") == ("place", "JOR")


@pytest.mark.parametrize("text", [
    "وزار وزير الخارجية الأردني عمان والتقى السلطان",  # no «في»: the state visited
    "وقال وزير الخارجية العماني في عمان إن",  # the sultanate's own official
    "ووصل وزير الخارجية الأردني إلى عُمان",  # the marks of the state
    "ووصل الرئيس الإيراني إلى سلطنة عمان",
])
def test_oman_stays_the_state(text):
    kind, country = _place_or_state(text, "عمان")
    assert country == "OMN"
