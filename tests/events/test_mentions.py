"""Event extraction on real corpus sentences and variants written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ittisal.entities.tagging import tag
from ittisal.events.mentions import extract_events, trigger_hits
from ittisal.text.normalize import normalize
from tests.conftest import CORPUS, SEEDS, read_jsonl

SUNDAY = dt.date(2024, 12, 1)


def events_of(text: str, published: dt.date | None = SUNDAY):
    n = normalize(text)
    return [e for e in extract_events(n, tag(n, published), published) if not e.background]


def one(text: str, published: dt.date | None = SUNDAY):
    found = events_of(text, published)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(("text", "countries", "initiator"), [
    # seeds
    ("تلقى وزير الخارجية السوري بسام صباغ اتصالاً هاتفياً من نظيره العراقي فؤاد حسين، تركز حول "
     "التطورات الأخيرة في الشمال السوري.", ("IRQ", "SYR"), "IRQ"),
    ("أجرى وزير الخارجية العراقي، فؤاد حسين، اليوم الأحد، اتصالاً هاتفياً بنظيره التركي هاكان "
     "فيدان، ناقشا خلاله الأوضاع الراهنة في سوريا.", ("IRQ", "TUR"), "IRQ"),
    ("تحدث الرئيس السوري بشار الأسد في اتصال هاتفي مع رئيس الوزراء العراقي محمد شياع السوداني "
     "حول التطورات الأخيرة في سوريا.", ("IRQ", "SYR"), None),
    # dev
    ("تلقى الرئيس المصري، عبد الفتاح السيسي، الاثنين، اتصالا هاتفيا من الرئيس الأميركي دونالد "
     "ترامب.", ("EGY", "USA"), "USA"),
    # variants: other countries, other verbs
    ("أجرى وزير الخارجية الأردني اتصالاً هاتفياً مع نظيره الفرنسي، اليوم الأحد.",
     ("FRA", "JOR"), "JOR"),
    ("تلقى العاهل المغربي اتصالا هاتفيا من الرئيس الروسي.", ("MAR", "RUS"), "RUS"),
    ("جرى اتصال هاتفي بين الرئيس التونسي والرئيس الجزائري اليوم.", ("DZA", "TUN"), None),
])
def test_calls_with_their_countries_and_initiator(text, countries, initiator):
    ev = one(text)
    assert ev.event_type == "call"
    assert ev.countries == countries
    assert ev.initiator == initiator


def test_two_calls_in_one_sentence_are_two_events():
    text = ("أجرى الرئيس السوري، اتصالات مع رئيس الوزراء العراقي محمد شياع السوداني، وأيضاً مع "
            "الرئيس الإماراتي محمد بن زايد آل نهيّان.")
    found = events_of(text)
    assert sorted(e.countries for e in found) == [("ARE", "SYR"), ("IRQ", "SYR")]
    assert {e.initiator for e in found} == {"SYR"}


def test_a_three_way_call_is_one_event():
    text = ("أعلن الكرملين، الأحد، أن الرئيس الروسي فلاديمير بوتن بحث الأزمة السورية في اتصال "
            "هاتفي مع الرئيس الفرنسي إيمانويل ماكرون والمستشارة الألمانية أنغيلا ميركل.")
    assert one(text).countries == ("DEU", "FRA", "RUS")


@pytest.mark.parametrize("text", [
    "ومن المقرر أن يجري وزير الخارجية العراقي اتصالاً هاتفياً مع نظيره التركي.",
    "سيزور رئيس الوزراء العراقي طهران الأسبوع المقبل.",
    "نفى وزير الخارجية المصري إجراء أي اتصال هاتفي مع نظيره الإيراني.",
    "أجرى وزير الخارجية العراقي اتصالاً هاتفياً مع وزير الداخلية العراقي.",
    "وتلقى الرئيس السوري اتصالاً من مراسل صحيفة محلية.",
    # dev (Al Arabiya): «ستستضيف مسؤولة السياسة الخارجية بالاتحاد الأوروبي … اجتماعاً لوزراء
    # خارجية بريطانيا وفرنسا وألمانيا»; variants with «سيستضيف» and «سوف»
    "وستستضيف مسؤولة السياسة الخارجية بالاتحاد الأوروبي اجتماعاً لوزراء خارجية بريطانيا وفرنسا.",
    "وسيستضيف الرئيس الكيني نظيره الفرنسي في نيروبي.",
    "وسوف يلتقي الرئيس الكيني نظيره الفرنسي على هامش القمة.",
    # a call not received, or awaited
    "ولم يتلق الرئيس الكيني أي اتصال من نظيره الفرنسي.",
    "ولم يلتق وزير الخارجية التركي نظيره اليوناني.",
    "وينتظر الرئيس الكيني اتصالا من نظيره الفرنسي.",
])
def test_planned_denied_domestic_and_press_contacts_are_not_events(text):
    assert events_of(text) == []


@pytest.mark.parametrize("text", [
    # an invitation to visit: the «before» window ends where the visit noun starts, so the cue
    # reads up to «إلى» / «ل» (it once asked for «زيارة» itself and never fired)
    "ودعا الرئيس الكيني نظيره الفرنسي إلى زيارة نيروبي.",
    "وجدد رئيس الوزراء الهندي دعوته لنظيره الياباني لزيارة نيودلهي.",
    # a visit called off or put off, by verb or by noun
    "وألغى الرئيس الكيني زيارته إلى فرنسا.",
    "وأجل وزير الخارجية التركي زيارته إلى اليونان.",
    "وأعلنت الرئاسة إرجاء زيارة الرئيس الكيني إلى فرنسا.",
    "وقرر رئيس الوزراء الهندي تأجيل زيارته إلى اليابان.",
    # a visit in a «خلال» phrase shares the main clause's plan (dev2 tune, BBC: «ينقل X …
    # الإثنين رسالة شفهية … خلال زيارة إلى العاصمة الإثيوبية»; SPA: «وسيلتقي سموه خلال الزيارة»)
    "وينقل وزير الخارجية المصري الإثنين رسالة شفهية إلى رئيس الوزراء الإثيوبي خلال زيارة إلى "
    "أديس أبابا.",
    "وسيلتقي ولي العهد الكويتي خلال الزيارة العاهل الأردني.",
    "وسيبحث وزير الخارجية الياباني خلال زيارته إلى سيول العلاقات مع كوريا الجنوبية.",
    # a visit of the past recalled: «زيارته السابقة»
    "وأشاد الرئيس الكيني بنتائج زيارته السابقة إلى فرنسا.",
])
def test_invited_cancelled_and_earlier_visits_are_not_events(text):
    assert events_of(text) == []


@pytest.mark.parametrize(("text", "countries"), [
    # «من أجل» (for) is no «أجّل» (postponed)
    ("وصل الرئيس الكيني إلى روما من أجل زيارة رسمية.", ("ITA", "KEN")),
    # a hope about what the visit brings is no hope that it happens
    ("وأعرب الرئيس الكيني عن أمله في أن تسهم زيارته إلى فرنسا في تعزيز العلاقات.",
     ("FRA", "KEN")),
    ("وزار وزير الخارجية التركي اليونان أمس.", ("GRC", "TUR")),
])
def test_visits_beside_those_words_still_count(text, countries):
    ev = one(text)
    assert (ev.event_type, ev.countries) == ("visit", countries)


@pytest.mark.parametrize(("text", "countries"), [
    # «عقد X اجتماعاً مع Y», «عقد X و Y اجتماعاً» (the noun with its tanween alef)
    ("وعقد الرئيس الإندونيسي اجتماعاً مع الرئيس الكيني في نيروبي.", ("IDN", "KEN")),
    ("عقد وزير الخارجية البرازيلي ورئيس وزراء إسبانيا الثلاثاء اجتماعاً بحثا خلاله التعاون.",
     ("BRA", "ESP")),
    ("وعقدت المستشارة الألمانية اجتماعا ثنائيا مع رئيس الوزراء الكندي جاستن ترودو.",
     ("CAN", "DEU")),
])
def test_a_meeting_held_is_a_meeting(text, countries):
    ev = one(text)
    assert (ev.event_type, ev.countries, ev.initiator) == ("meeting", countries, None)


def test_the_date_follows_the_weekday_beside_today():
    ev = one("أجرى وزير الخارجية العراقي، فؤاد حسين، اليوم الأحد، اتصالاً هاتفياً بنظيره "
             "التركي هاكان فيدان.", published=SUNDAY)
    assert ev.date.date == SUNDAY


def test_yesterday_evening_is_the_day_before_publication():
    text = ("تحدث الرئيس السوري بشار الأسد في اتصال هاتفي مع رئيس الوزراء العراقي محمد شياع "
            "السوداني مساء أمس السبت.")
    assert one(text).date.date == dt.date(2024, 11, 30)


def test_an_undated_page_keeps_the_weekday_for_later_inference():
    ev = one("أجرى وزير الخارجية العراقي، فؤاد حسين، اليوم الأحد، اتصالاً هاتفياً بنظيره "
             "التركي هاكان فيدان.", published=None)
    assert ev.date.date is None and ev.date_offset == 0 and ev.date.weekday == 6


def test_a_message_carried_by_an_envoy_is_from_the_sender():
    ev = one("تلقى الرئيس السوري بشار الأسد اليوم الأربعاء، رسالة شفهية من رئيس الوزراء العراقي "
             "مصطفى الكاظمي نقلها المبعوث الخاص للكاظمي فالح الفياض.", published=None)
    assert (ev.event_type, ev.countries, ev.initiator) == ("message", ("IRQ", "SYR"), "IRQ")


def test_the_subject_named_in_the_previous_sentence_takes_part():
    text = ("أشاد أمير قطر الشيخ تميم بن حمد آل ثاني بالعلاقات بين البلدين. "
            "وأثنى في اتصال هاتفي مع الرئيس الإيراني حسن روحاني على المواقف.")
    assert one(text).countries == ("IRN", "QAT")


def test_a_since_date_in_the_lead_never_dates_a_later_call():
    """Found by the asset check on synthetic articles: «منذ 7 أكتوبر 2023» in a lead dated a
    2018 article's call in 2023."""
    text = ("أعرب وزير الخارجية الأردني عن قلقه من الحرب منذ 7 أكتوبر/تشرين الأول 2023.\n"
            "جاء ذلك خلال اتصال هاتفي مع نظيره الفرنسي.")
    published = dt.date(2018, 6, 13)
    for ev in events_of(text, published):
        assert ev.date.date is None or ev.date.date <= published


@pytest.mark.parametrize("sentence", [
    # dev (BBC): the contacts happened before the story, on a day the article does not give
    "ويأتي هذا التطور بعد وصول عدد من المسؤولين السعوديين إلى تركيا، بينما تحدث الملك سلمان "
    "هاتفيا مع الرئيس، رجب طيب أردوغان، في هذه القضية، لأول مرة.",
    # variants
    "وجاء ذلك عقب اتصال هاتفي أجراه وزير الخارجية الأردني أيمن الصفدي مع نظيره المصري.",
    "يأتي ذلك بعد أن تلقى الرئيس الفرنسي اتصالا هاتفيا من نظيره الروسي.",
])
def test_a_contact_placed_before_the_story_is_background(sentence):
    lead = "أعلنت السلطات التركية الاثنين توقيف عشرة أشخاص في إسطنبول.\n"
    n = normalize(lead + sentence)
    found = extract_events(n, tag(n, SUNDAY), SUNDAY)
    assert found and all(e.background for e in found)


def test_the_same_words_about_what_follows_the_call_do_not_make_it_background():
    found = events_of("أجرى وزير الخارجية الأردني أيمن الصفدي اليوم الأحد اتصالا هاتفيا مع "
                      "نظيره المصري، وجاء ذلك بعد يوم من اجتماع وزاري في عمّان.")
    assert [e.countries for e in found] == [("EGY", "JOR")]


def _stems_of(row: dict) -> list[str]:
    return row["stems"].split("|")


def test_every_trigger_found_in_the_corpus_holds_a_stem_of_its_row_and_windows_miss_none():
    """The trigger alternation runs only around the rows' stems: this holds the data file's
    promise (every match contains one of its row's stems) on every corpus text, and the
    windowed scan to the whole-text scan."""
    from ittisal.datafiles import read_rows
    from ittisal.events.mentions import _all_triggers, trigger_hits
    from ittisal.text.normalize import matching_form

    rows = list(read_rows("event_triggers.csv"))
    texts = [r["text"] for r in read_jsonl(CORPUS / "dev" / "articles.jsonl")]
    texts += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    matches = 0
    for text in map(matching_form, texts):
        for m in _all_triggers().finditer(text):
            row = rows[int(m.lastgroup[1:])]
            assert any(stem in m.group() for stem in _stems_of(row)), (m.group(), row)
            matches += 1
        assert trigger_hits(text) == trigger_hits(text, windowed=False)
    assert matches > 100


@pytest.mark.parametrize("text", [
    "وأجرى الرئيسان والمباحثات الهاتفيه تناولت العلاقات",
    "وصل وزير الخارجيه التركي مساء امس في زياره رسميه الي القاهره",
    "وفي استقبال الوفد اكد الوزير",
    "يصل الرئيس الفرنسي غدا في جوله تقوده الي الرياض وابوظبي",
    "اتصل\nهاتفيا بنظيره; تلقي اتصالا من نظيره",
])
def test_windowed_triggers_equal_the_whole_scan_on_hard_leads(text):
    from ittisal.events.mentions import trigger_hits

    assert trigger_hits(text) == trigger_hits(text, windowed=False)
    assert trigger_hits(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("اتصلهفيزروبقمحدثنعجسطكلء \n.،")), max_size=300))
def test_windowed_triggers_equal_the_whole_scan_on_any_text(text):
    from ittisal.events.mentions import trigger_hits

    assert trigger_hits(text) == trigger_hits(text, windowed=False)


@pytest.mark.parametrize(("text", "expected"), [
    # «each named counterpart of one التقى/استقبل is its own meeting» (shared/corpus/README.md);
    # written for the test: other states, titles and word orders
    ("استقبل الرئيس الكيني في نيروبي اليوم وزير الخارجية الفرنسي ووزير الخارجية الألماني.",
     {("DEU", "KEN"), ("FRA", "KEN")}),
    ("والتقى ولي العهد السعودي الأمير محمد بن سلمان رئيس الوزراء البريطاني والرئيس الفرنسي.",
     {("GBR", "SAU"), ("FRA", "SAU")}),
    ("اجتمع وزير الخارجية الهندي مع نظيره الياباني ووزير الخارجية الأسترالي.",
     {("IND", "JPN"), ("AUS", "IND")}),
])
def test_each_counterpart_of_one_reception_or_meeting_verb_is_a_meeting(text, expected):
    found = [e for e in events_of(text) if e.event_type == "meeting"]
    assert sorted(e.countries for e in found) == sorted(expected)


def test_a_meeting_noun_of_three_states_stays_one_meeting():
    ev = one("وعقد وزراء خارجية مصر والأردن والعراق اجتماعاً ثلاثياً في عمان.")
    assert (ev.event_type, ev.countries) == ("meeting", ("EGY", "IRQ", "JOR"))


@pytest.mark.parametrize(("text", "expected"), [
    # a plural cable or letter noun: one message per partner, from its sender
    ("تلقى أمير قطر برقيتي تهنئة من الرئيس الفرنسي والرئيس التركي.",
     {(("FRA", "QAT"), "FRA"), (("QAT", "TUR"), "TUR")}),
    ("بعث العاهل الأردني برقيات تهنئة إلى الرئيس الكيني والرئيس النيجيري والرئيس الغاني.",
     {(("JOR", "KEN"), "JOR"), (("JOR", "NGA"), "JOR"), (("GHA", "JOR"), "JOR")}),
])
def test_plural_cables_are_one_message_per_partner(text, expected):
    assert {(e.countries, e.initiator) for e in events_of(text)
            if e.event_type == "message"} == expected


def test_a_coordinated_day_after_a_title_is_no_name_and_splits_the_calls():
    """«تشاور أردوغان هاتفيا الأربعاء مع ميركل والخميس مع ماكرون» (issue 14) with titles:
    «والخميس» after «الرئيس الفرنسي» is the next day, not his name."""
    found = events_of("تشاور الرئيس التركي هاتفيا الأربعاء مع الرئيس الفرنسي والخميس مع "
                      "الرئيس الألماني.", dt.date(2018, 3, 10))
    assert sorted((e.countries, e.date.date) for e in found) == sorted([
        (("FRA", "TUR"), dt.date(2018, 3, 7)), (("DEU", "TUR"), dt.date(2018, 3, 8))])


@pytest.mark.parametrize(("text", "expected"), [
    ("أجرى وزير الخارجية الأردني اتصالا هاتفيا مع نظيره الكويتي. كما أجرى اتصالا مماثلا مع "
     "نظيره العماني.", {("JOR", "KWT"), ("JOR", "OMN")}),
    ("تلقى الرئيس الكيني اتصالا هاتفيا من الرئيس الفرنسي، وتلقى مكالمة مماثلة من رئيس الوزراء "
     "الهندي.", {("FRA", "KEN"), ("IND", "KEN")}),
    # a comma and «و» open the next clause: its subject is not the last call's partner
    ("أجرى وزير الخارجية التركي اتصالا هاتفيا مع نظيره الروسي، وبحث هاتفيا مع نظيره الإيراني "
     "الأزمة.", {("RUS", "TUR"), ("IRN", "TUR")}),
])
def test_a_similar_call_is_a_call(text, expected):
    assert {e.countries for e in events_of(text) if e.event_type == "call"} == expected


@pytest.mark.parametrize(("text", "countries"), [
    # talks held or a summit («أجرى/عقد X مباحثات/قمة مع Y»), and «بحث X مع Y» with a venue
    # (corpus README: talks in person «بحث مع … في <place>» are a meeting)
    ("وأجرى الرئيس الكيني أمس مباحثات مع نظيره الفرنسي في باريس.", ("FRA", "KEN")),
    ("وعقد رئيس الوزراء الهندي قمة مع نظيره الياباني أمس.", ("IND", "JPN")),
    ("وبحث الرئيس الكيني مع نظيره الفرنسي أمس في باريس العلاقات الثنائية.", ("FRA", "KEN")),
    ("وتباحث وزير الخارجية التركي مع نظيره اليوناني في أثينا.", ("GRC", "TUR")),
])
def test_talks_held_in_person_are_a_meeting(text, countries):
    ev = one(text)
    assert (ev.event_type, ev.countries) == ("meeting", countries)


@pytest.mark.parametrize("text", [
    # no venue: the talks may be by telephone (dev2 tune, AFP: «أجرى وزير المال التركي …
    # محادثات الخميس مع نظيره الألماني … وتوافق الوزيران على أن يلتقيا في … برلين»)
    "وأجرى وزير المالية التركي محادثات الخميس مع نظيره الألماني وتوافق الوزيران على أن "
    "يلتقيا الشهر المقبل في برلين.",
    "وبحث الرئيس الكيني مع نظيره الفرنسي العلاقات الثنائية.",
    # a summit proposed or called for is a plan
    "واقترح الرئيس الكيني عقد قمة مع نظيره الفرنسي.",
    "ودعا الرئيس الكيني إلى عقد اجتماع مع نظيره الفرنسي.",
])
def test_talks_with_no_venue_and_summits_proposed_are_no_meeting(text):
    assert [e for e in events_of(text) if e.event_type == "meeting"] == []


@pytest.mark.parametrize(("text", "countries", "initiator"), [
    # an invitation received or handed over is a message (corpus README, «Messages»)
    ("وتسلم الرئيس الكيني دعوة من نظيره الفرنسي لزيارة باريس.", ("FRA", "KEN"), "FRA"),
    ("وتلقى رئيس الوزراء الهندي دعوة من نظيره الياباني لحضور القمة.", ("IND", "JPN"), "JPN"),
    ("وسلم السفير الفرنسي الرئيس الكيني دعوة لزيارة باريس.", ("FRA", "KEN"), "FRA"),
])
def test_an_invitation_received_or_handed_over_is_a_message(text, countries, initiator):
    ev = one(text)
    assert (ev.event_type, ev.countries, ev.initiator) == ("message", countries, initiator)


@pytest.mark.parametrize("text", [
    "وسينقل وزير الخارجية الكيني رسالة إلى الرئيس الفرنسي.",
    "وسيسلم المبعوث الياباني رسالة من رئيس الوزراء الياباني إلى الرئيس الكوري الجنوبي.",
])
def test_a_message_to_be_carried_is_a_plan(text):
    assert events_of(text) == []


@pytest.mark.parametrize(("text", "countries"), [
    # a bare title before the verb is the official of the office or state body named first
    ("قال مكتب الرئيس الكيني إن الرئيس تلقى اتصالا هاتفيا من نظيره الفرنسي.", ("FRA", "KEN")),
    ("وذكرت الرئاسة الكينية في بيان أن الرئيس تلقى اتصالا هاتفيا من نظيره الفرنسي.",
     ("FRA", "KEN")),
    ("وأعلنت الخارجية اليابانية أن الوزير أجرى اتصالا هاتفيا مع نظيره الهندي.",
     ("IND", "JPN")),
])
def test_a_bare_title_is_the_official_of_the_office_named_before(text, countries):
    ev = one(text)
    assert (ev.event_type, ev.countries) == ("call", countries)


def test_each_official_of_a_relative_list_is_called_on_the_day_of_his_clause():
    # dev2 tune (Al Arabiya): «… للقادة الذين إتصل بهم …، وهم الرئيس الأميركي دونالد ترمب الذي
    # إتصل به ليل الخميس - الجمعة والرئيس الإيراني حسن روحاني الذي هاتَفَهُ الأحد والرئيسان
    # التركي … والروسي … اللذان إتصل بهما الإثنين»; a variant with other states and days
    tue = dt.date(2018, 3, 6)
    text = ("وكشف مصدر في الرئاسة أن الرئيس الكيني أبلغ القادة الذين اتصل بهم هاتفيا بموقف "
            "بلاده، وهم الرئيس الفرنسي الذي اتصل به الخميس والرئيس النيجيري الذي هاتفه الأحد "
            "والرئيسان الغاني والإثيوبي اللذان اتصل بهما الإثنين.")
    found = {(e.event_type, e.countries, e.initiator, e.date.date) for e in events_of(text, tue)}
    assert found == {("call", ("FRA", "KEN"), "KEN", dt.date(2018, 3, 1)),
                     ("call", ("KEN", "NGA"), "KEN", dt.date(2018, 3, 4)),
                     ("call", ("GHA", "KEN"), "KEN", dt.date(2018, 3, 5)),
                     ("call", ("ETH", "KEN"), "KEN", dt.date(2018, 3, 5))}


def test_an_official_met_in_a_relative_clause_is_met_by_the_first_official():
    tue = dt.date(2018, 3, 6)
    found = events_of("وأشاد الرئيس الكيني بوزير الخارجية الفرنسي الذي التقاه الأحد في نيروبي.",
                      tue)
    assert {(e.event_type, e.countries, e.date.date) for e in found} == {
        ("meeting", ("FRA", "KEN"), dt.date(2018, 3, 4))}


@pytest.mark.parametrize(("text", "countries"), [
    # credentials received or presented are an audience (a reception)
    ("وتسلم الرئيس الكيني أوراق اعتماد السفير الفرنسي الجديد.", ("FRA", "KEN")),
    ("وقدم سفير اليابان الجديد أوراق اعتماده إلى الرئيس الهندي أمس.", ("IND", "JPN")),
])
def test_credentials_presented_are_a_meeting(text, countries):
    ev = one(text)
    assert (ev.event_type, ev.countries, ev.initiator) == ("meeting", countries, None)


@pytest.mark.parametrize(("text", "countries"), [
    # a meeting verb in a relative clause: its antecedent met whom follows, not the subject of
    # the sentence (dev2 tune, AFP: «قال … ترامب إن محادثات … جرت بينه وبين الزعيم الكوري
    # الجنوبي الذي التقى نظيره الشمالي يوم الجمعة»); variant with states the tagger places
    ("وقال الرئيس الأمريكي إن محادثات جرت بينه وبين الرئيس الكيني الذي التقى وزير الخارجية "
     "الفرنسي يوم الجمعة.", ("FRA", "KEN")),
    # a meeting noun whose own phrase names two states: «نتائج لقاء مسؤولين من X مع Y»
    ("وأطلع الرئيس الكيني الرئيس الفرنسي على نتائج لقاء مسؤولين من الصومال مع الرئيس "
     "الإثيوبي يوم الاثنين.", ("ETH", "SOM")),
])
def test_a_meeting_is_between_the_parties_of_its_own_phrase(text, countries):
    meetings = [e for e in events_of(text) if e.event_type == "meeting"]
    assert [e.countries for e in meetings] == [countries]


def test_a_call_in_a_kama_clause_is_its_own():
    # dev2 tune (Al Arabiya): «… اللذان إتصل بهما الإثنين وإتصاله ببوتين هو الثاني خلال أيام،
    # كما تحادث ماكرون هاتفياً ثلاث مرات خلال عطلة نهاية الأسبوع بالأمين العام للأمم المتحدة»;
    # variant: «كما» opens a clause with its own subject (no state of the earlier clause, no
    # initiator from its «اتصل»), «خلال عطلة نهاية الأسبوع» is a time, not a gap
    tue = dt.date(2018, 3, 6)
    text = ("وأبلغ الرئيس الكيني القادة الذين اتصل بهم، وهم الرئيس الفرنسي الذي اتصل به الإثنين "
            "واتصاله بالرئيس الفرنسي هو الثاني خلال أيام، كما تحادث الرئيس الكيني هاتفيا مرتين "
            "خلال عطلة نهاية الأسبوع بالأمين العام للأمم المتحدة.")
    calls = [e for e in events_of(text, tue) if "UN" in e.countries]
    assert [(e.countries, e.initiator, e.date.date) for e in calls] == [
        (("KEN", "UN"), None, None), (("KEN", "UN"), None, None)]


def test_rows_that_need_a_rarer_word_are_skipped_where_it_is_absent_and_nothing_is_lost():
    """The prefilter of `requires` (data/event_triggers.csv): a text without «دعو» leaves the
    invitation row out, a text with it keeps it, and the hits equal the whole-text scan."""
    from ittisal.events.mentions import _active_rows, _requires
    from ittisal.text.normalize import matching_form

    needing = [i for i, words in enumerate(_requires()) if "دعو" in words]
    assert needing
    without = matching_form("وسلم السفير الفرنسي الرئيس الكيني رسالة من الرئيس الفرنسي.")
    with_word = matching_form("وسلم السفير الفرنسي الرئيس الكيني دعوة لزيارة باريس.")
    assert not set(needing) & _active_rows(without)
    assert set(needing) <= _active_rows(with_word)
    for text in (without, with_word):
        assert trigger_hits(text) == trigger_hits(text, windowed=False)
    assert any(h.trigger.event_type == "message" for h in trigger_hits(with_word))
