"""Visits and receptions: stated travel makes a visit, a reception alone a meeting, and the
royal-court style of SPA dispatches (a whole chain of titles between the verb and «إلى») is
read to its end. Sentences of dev2 tune and variants written here."""

from __future__ import annotations

import datetime as dt

import pytest

from ittisal.entities.tagging import tag
from ittisal.events.mentions import extract_events
from ittisal.text.normalize import normalize
from tests.conftest import corpus_article

TUE = dt.date(2015, 8, 4)


def contacts(text: str, published: dt.date | None = TUE) -> set[tuple]:
    """(type, countries, initiator, date) of every foreground mention."""
    n = normalize(text)
    return {(e.event_type, e.countries, e.initiator, e.date.date)
            for e in extract_events(n, tag(n, published), published) if not e.background}


@pytest.mark.parametrize(("text", "expected"), [
    # dev2 tune (SPA): the verb, the prince with his lineage and four offices, then the day
    ("وصل الأمير محمد بن سلمان بن عبد العزيز ولي ولي العهد النائب الثاني لرئيس مجلس الوزراء "
     "وزير الدفاع، اليوم (الثلاثاء)، إلى المملكة الأردنية الهاشمية، تلبية لدعوة من الملك "
     "عبدالله الثاني بن الحسين ملك المملكة الأردنية الهاشمية.",
     ("visit", ("JOR", "SAU"), "SAU", TUE)),
    # variants: another prince and state, the honorific chain, no comma
    ("وصل صاحب السمو الشيخ محمد بن زايد آل نهيان ولي عهد أبوظبي نائب القائد الأعلى للقوات "
     "المسلحة اليوم إلى القاهرة في زيارة رسمية لمصر.",
     ("visit", ("ARE", "EGY"), "ARE", TUE)),
    ("وصل وزير الخارجية السعودي عادل الجبير، مساء اليوم، إلى العاصمة الألمانية برلين.",
     ("visit", ("DEU", "SAU"), "SAU", TUE)),
    ("ووصلت رئيسة الوزراء البريطانية تيريزا ماي أمس إلى الرياض.",
     ("visit", ("GBR", "SAU"), "GBR", TUE - dt.timedelta(days=1))),
    # the visitor after the destination
    ("ووصل إلى القاهرة أمس الرئيس اليمني عبد ربه منصور هادي.",
     ("visit", ("EGY", "YEM"), "YEM", TUE - dt.timedelta(days=1))),
])
def test_an_arrival_is_a_visit_however_long_the_titles_between_verb_and_destination(
        text, expected):
    assert expected in contacts(text)


@pytest.mark.parametrize("text", [
    "وصلت المفاوضات بين إيران والولايات المتحدة إلى طريق مسدود.",
    "وصل عدد اللاجئين السوريين في تركيا إلى ثلاثة ملايين.",
    # dev2 tune: citizens arrived, after a sentence about an official
    "وقال الأمين العام لمجلس التعاون إن الدعم مستمر. في مقابل ذلك، وصل 120 يمنيًا عالقًا إلى "
    "اليمن عبر مطاري عدن وسيئون.",
])
def test_reaching_a_figure_or_a_deadlock_is_no_visit(text):
    assert not any(t == "visit" for t, *_ in contacts(text))


@pytest.mark.parametrize(("text", "expected"), [
    # dev2 tune (SPA): a reception in the host's city, no travel stated
    ("استقبل صاحب السمو الملكي الأمير محمد بن سلمان بن عبدالعزيز ولي ولي العهد وزير الدفاع "
     "في قصر السلام بجدة مساء اليوم وزير الدولة لشؤون الدفاع القطري الدكتور خالد العطية.",
     ("QAT", "SAU")),
    ("استقبل الرئيس المصري عبد الفتاح السيسي اليوم في القاهرة وزير الخارجية الأردني أيمن الصفدي.",
     ("EGY", "JOR")),
])
def test_a_reception_is_a_meeting_and_not_a_visit(text, expected):
    found = contacts(text)
    assert ("meeting", expected, None, TUE) in found
    assert not any(t == "visit" for t, *_ in found)


def test_a_titled_registered_name_does_not_take_the_verb_before_it_into_the_name():
    """«وصل الأمير محمد بن سلمان بن عبد العزيز»: the lineage ends at the title, not at «وصل»."""
    n = normalize("وصل الأمير محمد بن سلمان بن عبد العزيز إلى عمان.")
    [person] = [m for m in tag(n, TUE) if m.kind == "person"]
    assert n.matching[person.start:person.end].startswith("الامير")


@pytest.mark.parametrize("text", [
    # dev2 tune
    "وردا على سؤال عن موعد زيارة الرئيس الفرنسي إلى إيران قال المصدر إن ماكرون سيزورها.",
    "وعن زيارته إلى لبنان، والتي كانت مقررة مبدئياً في شهر أبريل، قال المصدر إنها تأجلت.",
    "وتأتي القمة قبل اللقاء المقرر مع الرئيس الأميركي دونالد ترامب.",
    "وقالت المستشارة الألمانية أنجيلا ميركل إن أنباء عقد اجتماع محتمل أعطت مبررا للأمل.",
    "لكن الدبلوماسيين سينتظرون زيارة جون كيري إلى هافانا هذا الصيف.",
    # variants: other states and nouns
    "وأعلنت الرئاسة التركية تأجيل زيارة الرئيس أردوغان إلى ألمانيا.",
    "وبحث الجانبان الترتيبات للزيارة المرتقبة لولي العهد السعودي إلى باكستان.",
    "وأكد وزير الخارجية المصري سامح شكري أن الاجتماع المزمع مع نظيره الإثيوبي سيعقد قريبا.",
    "وربما زيارة الرئيس الإيراني حسن روحاني إلى واشنطن.",
    # dev2 tune: an imperfect verb of going or carrying announces the contact
    "يتوجه ولي ولي العهد السعودي الأمير محمد بن سلمان اليوم إلى الأردن في زيارة رسمية.",
    # variant
    "ويتوجه وزير الخارجية التركي غدا إلى موسكو في زيارة تستغرق يومين.",
])
def test_a_planned_postponed_or_possible_visit_or_meeting_is_no_event(text):
    assert not {t for t, *_ in contacts(text)} & {"visit", "meeting"}



WED = dt.date(2018, 5, 3)


@pytest.mark.parametrize(("text", "expected"), [
    # dev2 tune: the meeting noun with its possessive
    ("أعلن وزير الخارجية المغربي ناصر بوريطة الأربعاء عقب لقائه في نيويورك الأمين العام للأمم "
     "المتحدة أنطونيو غوتيريش أن بلاده متمسكة بالحل السياسي.",
     ("meeting", ("MAR", "UN"), None, dt.date(2018, 5, 2))),
    # variants
    ("وقال وزير الخارجية الأردني أيمن الصفدي خلال اجتماعهما في عمان مع نظيره الألماني إن الحل "
     "سياسي.", ("meeting", ("DEU", "JOR"), None, WED)),
    # dev2 tune: talks held in a place, and yesterday's talks are news though «جاء … عقب»
    ("جاء هذا الإعلان عقب محادثات أجراها الرئيس السوداني عمر البشير في الخرطوم مع رئيس الوزراء "
     "الإثيوبي أمس الأربعاء.", ("meeting", ("ETH", "SDN"), None, dt.date(2018, 5, 2))),
    ("ويأتي ذلك بعد مباحثات عقدها وزير الخارجية التركي في أنقرة مع نظيره الإيراني أمس.",
     ("meeting", ("IRN", "TUR"), None, dt.date(2018, 5, 2))),
])
def test_meeting_nouns_with_possessives_and_talks_held(text, expected):
    assert expected in contacts(text, WED)


def test_a_contact_the_story_comes_after_is_background_without_a_day_of_its_own():
    """«يأتي ذلك بعد … مكالمة …، إذ اتفق الطرفان … الخميس الماضي»: the Thursday is the
    agreement's clause, not the call's; the call stays a past one told in passing."""
    text = ("يأتي ذلك بعد يوم من مكالمة العاهل السعودي مع الرئيس التركي، إذ اتفق الطرفان على "
            "تشكيل مجموعة عمل مشتركة في أعقاب إعلان مماثل، الخميس الماضي.")
    n = normalize(text)
    [call] = [e for e in extract_events(n, tag(n, WED), WED) if e.event_type == "call"]
    assert call.background


def test_a_farewell_at_the_airport_is_a_meeting():
    """SPA: «وكان في وداع فخامته لدى مغادرته مطار …» after the guest's arrival was told
    (dev2 tune, Al Madina 21 July 2015), and a variant."""
    article = corpus_article("dev2/tune/articles.jsonl", "2015-07-21.json#1040")
    found = contacts(article["text"], dt.date.fromisoformat(article["published"]))
    assert ("meeting", ("RUS", "SAU"), None, dt.date(2015, 7, 20)) in found
    text = ("وصل الرئيس الشيشاني رمضان قاديروف إلى جدة أمس. وكان في وداعه لدى مغادرته المطار "
            "وزير الخارجية السعودي عادل الجبير.")
    assert ("meeting", ("RUS", "SAU"), None, dt.date(2015, 7, 20)) in contacts(
        text, dt.date(2015, 7, 21))


@pytest.mark.parametrize(("text", "expected"), [
    # dev2 tune (BBC): «ينقل … الإثنين رسالة» in a Sunday article is tomorrow's
    ("ومن ناحية أخرى ينقل وزير الخارجية المصري سامح شكري الإثنين رسالة شفهية من الرئيس "
     "السيسي إلى رئيس الوزراء الإثيوبي.", None),
    # the past tense delivered it
    ("ونقل وزير الخارجية المصري أمس رسالة من الرئيس السيسي إلى رئيس الوزراء الإثيوبي.",
     ("message", ("EGY", "ETH"), "EGY", dt.date(2018, 8, 25))),
])
def test_a_message_to_be_carried_is_a_plan(text, expected):
    found = {x for x in contacts(text, dt.date(2018, 8, 26)) if x[0] == "message"}
    assert found == ({expected} if expected else set())


def _mentions_of(text: str, published: dt.date) -> list:
    n = normalize(text)
    return [(e.event_type, e.countries, e.date.date)
            for e in extract_events(n, tag(n, published), published) if not e.background]


@pytest.mark.parametrize("more", [
    # dev2 tune (SPA): what was said at the meeting, who attended it
    "وجرى خلال اللقاء بحث عدد من المسائل ذات الاهتمام المشترك.",
    "وحضر الاجتماع وزير الخارجية عادل الجبير.",
    # variants
    "وتم خلال الاستقبال استعراض العلاقات الثنائية.",
    "وناقش الجانبان خلال المباحثات سبل التعاون.",
])
def test_a_sentence_telling_more_of_a_contact_is_not_another_contact(more):
    text = ("التقى ولي ولي العهد السعودي الأمير محمد بن سلمان في جدة أمس الرئيس الشيشاني رمضان "
            "قاديروف. " + more)
    assert _mentions_of(text, dt.date(2015, 7, 21)) == [
        ("meeting", ("RUS", "SAU"), dt.date(2015, 7, 20))]


def test_a_later_sentence_that_dates_the_contact_still_counts():
    """«… المحادثة الهاتفية التي أجريت مساء أمس السبت»: it gives the day the first lacked."""
    text = ("تلقى رئيس الوزراء العراقي اتصالا هاتفيا من الرئيس السوري. وجاء خلال المكالمة "
            "الهاتفية التي أجريت مساء أمس السبت بحث الأوضاع.")
    assert {d for _, _, d in _mentions_of(text, dt.date(2024, 12, 1))} == {dt.date(2024, 11, 30)}


@pytest.mark.parametrize("text", [
    # dev2 tune (AFP): the last such visit, in a past year
    "وتعود آخر زيارة لوزير خارجية أميركي إلى كوبا إلى العام 1945.",
    # variants
    "وكانت زيارة الرئيس الإيراني إلى مصر في 2013 الأولى منذ الثورة.",
    "والتقى الرئيس المصري نظيره السوداني في أغسطس 2014 في الخرطوم.",
])
def test_a_contact_in_a_past_year_is_background(text):
    n = normalize(text)
    found = extract_events(n, tag(n, TUE), TUE)
    assert found and all(e.background for e in found)


@pytest.mark.parametrize("text", [
    # dev2 tune (BBC): a question asks, it reports nothing
    "ما الذي تعنيه زيارة الرئيس الإريتري التاريخية لإثيوبيا؟",
    "هل تنجح زيارة وزير الخارجية الأمريكي إلى الصين في تخفيف التوتر؟",
])
def test_a_question_reports_no_contact(text):
    assert not contacts(text)


MON = dt.date(2015, 7, 20)


@pytest.mark.parametrize(("text", "expected"), [
    # dev2 tune (SPA): «غادر» + the visitor with his titles + the host's city + the day
    ("وقد غادر فخامة الرئيس رمضان أحمد قاديروف رئيس جمهورية الشيشان جدة مساء أمس.",
     ("visit", ("RUS", "SAU"), "RUS", MON)),
    # variants: other visitors, capitals, honorifics and time words
    ("وغادرت المستشارة الألمانية في وقت لاحق أمس بكين.", ("visit", ("CHN", "DEU"), "DEU", MON)),
    ("وغادر رئيس الوزراء الهندي العاصمة اليابانية طوكيو أمس بعد زيارة استغرقت يومين.",
     ("visit", ("IND", "JPN"), "IND", MON)),
    ("وغادر سمو الأمير محمد بن سلمان في وقت لاحق أمس المملكة الأردنية الهاشمية.",
     ("visit", ("JOR", "SAU"), "SAU", MON)),
])
def test_leaving_a_place_of_another_state_is_a_visit_there(text, expected):
    assert contacts(text, MON + dt.timedelta(days=1)) == {expected}


@pytest.mark.parametrize("text", [
    # dev2 tune (SPA): leaving an airport at home is no visit
    "عقب ذلك غادر ولي ولي العهد مطار قاعدة الملك خالد الجوية بخميس مشيط.",
    # variants: leaving home for abroad (where he goes is not where he was), a meeting, an office
    "وغادر الرئيس الكيني نيروبي متوجها إلى باريس.",
    "وغادر الرئيس الكيني إلى الرياض مساء أمس.",
    "وغادر وزير الخارجية التركي الاجتماع في بروكسل.",
    "وغادر الرئيس الكيني منصبه.",
])
def test_leaving_home_a_meeting_or_an_office_is_no_visit(text):
    assert contacts(text) == set()


@pytest.mark.parametrize(("text", "day"), [
    # the shape of dev2 tune's SPA dispatches: a title naming both states, the departure
    # «أمس», then the farewell at the airport with no day of its own
    ("ولي العهد السعودي يختتم زيارته إلى الأردن\n"
     "وكان ولي العهد السعودي قد غادر أمس المملكة الأردنية الهاشمية بعد زيارة رسمية لها.\n"
     "وكان في وداعه لدى مغادرته المطار العاهل الأردني الملك عبدالله الثاني.",
     TUE - dt.timedelta(1)),
    # variants: an arrival two days ago and the reception at the airport
    ("الرئيس الكيني في فرنسا\n"
     "ووصل الرئيس الكيني أول أمس إلى باريس في زيارة رسمية.\n"
     "وكان في استقباله لدى وصوله المطار وزير الخارجية الفرنسي.", TUE - dt.timedelta(2)),
])
def test_a_welcome_or_farewell_takes_the_day_of_the_arrival_or_departure(text, day):
    meetings = {c for c in contacts(text) if c[0] == "meeting"}
    assert {c[3] for c in meetings} == {day}


SUN = dt.date(2018, 3, 11)


@pytest.mark.parametrize(("text", "expected"), [
    # dev2 tune (CNN): a reception, then «غداة استقباله لـ …» one the day before
    ("استقبل الرئيس السوداني عمر البشير، الأحد، وزير الخارجية القطري الشيخ محمد بن "
     "عبدالرحمن، وذلك غداة استقباله لمدير المخابرات العامة المصرية اللواء عباس كامل.",
     {("meeting", ("QAT", "SDN"), None, SUN),
      ("meeting", ("EGY", "SDN"), None, SUN - dt.timedelta(1))}),
    # variants: other hosts and guests, «بعد لقائه بـ»
    ("التقى الرئيس الكيني، أمس، وزير الخارجية الفرنسي، وذلك بعد لقائه بوزير الخارجية الألماني.",
     {("meeting", ("FRA", "KEN"), None, SUN - dt.timedelta(1)),
      ("meeting", ("DEU", "KEN"), None, SUN - dt.timedelta(1))}),
])
def test_a_meeting_noun_with_its_owner_is_the_owners_meeting_with_whom_follows(text, expected):
    assert contacts(text, SUN) == expected


def test_a_reception_with_its_pronoun_is_a_reception():
    # «وكان في استقباله» (the noun with its pronoun; only «في استقبال» was read)
    found = contacts("ووصل الرئيس الكيني أمس إلى باريس.\nوكان في استقباله وزير الخارجية الفرنسي.",
                     SUN)
    assert ("meeting", ("FRA", "KEN"), None, SUN - dt.timedelta(1)) in found


@pytest.mark.parametrize(("text", "expected"), [
    # «قام بزيارة» (the noun with «ب»; it was no trigger) — dev2 tune (AFP): «وفدا … قام بزيارة
    # تاريخية إلى الشمال»; variants
    ("وقام الرئيس الكيني أمس بزيارة رسمية إلى فرنسا.", ("visit", ("FRA", "KEN"), "KEN", MON)),
    ("وقامت المستشارة الألمانية أمس بزيارة إلى الصين.", ("visit", ("CHN", "DEU"), "DEU", MON)),
    # where he went told before the noun: «توجه X إلى Y في زيارة»
    ("وتوجه الرئيس الكيني أمس إلى باريس في زيارة رسمية.", ("visit", ("FRA", "KEN"), "KEN", MON)),
    ("وتوجه وزير الخارجية التركي أمس إلى أثينا في زيارة تستغرق يومين.",
     ("visit", ("GRC", "TUR"), "TUR", MON)),
])
def test_a_visit_made_or_travelled_to(text, expected):
    assert contacts(text, MON + dt.timedelta(days=1)) == {expected}


@pytest.mark.parametrize("text", [
    # visits in general, wished, asked for or advised against are no event
    "وأكد الجانبان أهمية تبادل الزيارات بين المسؤولين في كينيا وفرنسا.",
    "وقال الرئيس الكيني إنه يتطلع إلى زيارة فرنسا.",
    "وأبدى الرئيس الكيني رغبته في زيارة فرنسا.",
    "ونصحت الخارجية الفرنسية مواطنيها بعدم زيارة كينيا.",
    # dev (AFP): «أشادا بزيارة مقبلة لبعثة …»: an indefinite «مقبلة» after the noun
    "وأشاد الرئيس الكيني بزيارة مقبلة لوزير الخارجية الفرنسي إلى نيروبي.",
    "وناقش الوزيران الترتيبات الخاصة بزيارة الرئيس الكيني المقبلة إلى فرنسا.",
    # dev (CNN): «كان قد قام بزيارة … في نوفمبر» told in passing
    "وكان الرئيس الكيني قد قام بزيارة إلى فرنسا.",
    # dev2 tune: a chronology line opens with its year
    "1980- صدام حسين يقوم بزيارة إلى السعودية هي الأولى لرئيس عراقي منذ سقوط الملكية.",
    "1994 - الرئيس الكيني يقوم بزيارة إلى فرنسا.",
])
def test_visits_in_general_wished_recalled_or_in_history_are_no_event(text):
    assert contacts(text) == set()


def test_the_day_a_contact_was_announced_does_not_date_it():
    # dev2 tune (AFP): «… قام بزيارة تاريخية إلى الشمال، …، حسبما أعلن البلدان الثلاثاء»
    wed = dt.date(2018, 3, 7)
    found = contacts("وقام الرئيس الكيني بزيارة إلى فرنسا، حسبما أعلنت الرئاسة الكينية الثلاثاء.",
                     wed)
    assert found == {("visit", ("FRA", "KEN"), "KEN", wed)}


@pytest.mark.parametrize(("text", "day"), [
    # dev2 tune (SPA): a thank-you cable «بعد انتهاء زيارة سموه للأردن», the departure «أمس»
    ("بعث ولي العهد السعودي برقية شكر للعاهل الأردني، وذلك بعد انتهاء زيارة سموه للأردن.\n"
     "وكان ولي العهد السعودي قد غادر أمس المملكة الأردنية الهاشمية بعد زيارة رسمية لها.",
     TUE - dt.timedelta(1)),
    # variant: another guest and host, «إثر مغادرته», two days before
    ("وبعث الرئيس الكيني برقية شكر إلى الرئيس الفرنسي إثر مغادرته باريس.\n"
     "وغادر الرئيس الكيني باريس أول أمس.", TUE - dt.timedelta(2)),
])
def test_a_cable_sent_as_a_visit_ends_takes_the_day_of_the_departure(text, day):
    messages = {c for c in contacts(text) if c[0] == "message"}
    assert {c[3] for c in messages} == {day}


@pytest.mark.parametrize(("text", "expected"), [
    # «قادماً من» is where he came from, no «القادم» (next)
    ("وصل الرئيس الكيني إلى الرياض أمس قادما من باريس.", ("visit", ("KEN", "SAU"), "KEN", MON)),
    # «حل ضيفاً على»
    ("وحل الرئيس الكيني ضيفا على فرنسا أمس.", ("visit", ("FRA", "KEN"), "KEN", MON)),
    # the place he is in, told before «حيث يقوم بزيارة»
    ("وقال الرئيس الكيني أمس في باريس، حيث يقوم بزيارة رسمية، إن العلاقات ممتازة.",
     ("visit", ("FRA", "KEN"), "KEN", MON)),
])
def test_visits_told_with_where_he_came_from_or_is(text, expected):
    assert contacts(text, MON + dt.timedelta(days=1)) == {expected}


def test_a_visit_sentence_naming_only_another_states_official_is_not_the_earlier_guests():
    # dev (Al Arabiya): «يصل الرئيس الفلسطيني … إلى موسكو …» then «وزار رئيس الوزراء
    # الإسرائيلي بنيامين نتنياهو موسكو …» is no Palestinian visit to Israel; variant here
    text = ("يصل الرئيس الكيني الجمعة إلى باريس في زيارة رسمية.\n"
            "وزار رئيس الوزراء الهندي باريس في الأسبوع الأول من الشهر.")
    assert not any(c[0] == "visit" and c[1] == ("IND", "KEN") for c in contacts(text))


@pytest.mark.parametrize(("text", "expected"), [
    # dev (Al Arabiya): «… استمرار وصول المعونات الإنسانية إلى الحديدة»: an arrival of aid
    ("وجرى بحث أهمية استمرار وصول المعونات الإنسانية إلى الحديدة.", set()),
    ("وأكد الجانبان ضرورة وصول المساعدات إلى غزة.", set()),
    # the arriving official follows the noun, and he is the visitor
    ("وصرح المسؤول الكيني عقب وصول الرئيس الفرنسي إلى نيروبي أمس بأن العلاقات ممتازة.",
     {("visit", ("FRA", "KEN"), "FRA", MON)}),
])
def test_an_arrival_noun_is_a_visit_of_the_official_it_names(text, expected):
    assert contacts(text, MON + dt.timedelta(days=1)) == expected
