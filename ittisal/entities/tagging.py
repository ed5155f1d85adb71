"""Countries, organisations, places, officials and their offices in an Arabic text.

One automaton pass finds every known name (the gazetteer); a few rules then read them as
an Arabic reader does: a title followed by a demonym or a country and a name is one official
of that country («وزير الخارجية العراقي فؤاد حسين»), with honorifics and ranks between them
skipped («… القطري الشيخ محمد بن عبدالرحمن»); an indefinite title may carry its portfolio
before the nisba («وزير الخزانة الأميركي»); a title and name may be followed by the title
that places them («الرئيس خوان مانويل سانتوس رئيس جمهورية كولومبيا»); some titles name
their state themselves («خادم الحرمين الشريفين»); a name ending in a ruling family is an
official of that house's state («خالد بن أحمد آل خليفة»); «نظيره التركي» is the same office
in the other country; a registered person holds the office of the article's date, not
today's; and a surname alone after the full name is that person (حسين → فؤاد حسين; السوداني
the Iraqi prime minister, not a Sudanese).

A title that many states share and that names none («ولي العهد», «ولي ولي العهد», «الأمير»)
is placed only through the name beside it (registered, or carrying a family name): Saudi
Arabia, Bahrain, Kuwait, Abu Dhabi, Jordan and others all have crown princes, and guessing
one from the title alone would put officials in the wrong state more often than it helps.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from bisect import bisect_left, bisect_right
from collections import deque
from dataclasses import dataclass, replace
from functools import cache

from ahocorasick_rs import AhoCorasick, MatchKind

from ittisal.datafiles import read_rows
from ittisal.entities.gazetteer import PROCLITICS, Entry, Gazetteer, load, with_proclitics
from ittisal.text.normalize import NormalizedText, matching_form

_ADJACENT = re.compile(r"[\s,]*(?:(?:في|ب)\s+)?")
_NAME_TOKEN = re.compile(r"[\s,]*([^\W\d][\w-]*)")
# words that follow a title but open no name: prepositions, pronouns, and the nouns and
# verbs of the sentences this tagger reads («وزير الخارجية العراقي اتصالاً هاتفياً …»)
_NAME_STOPWORDS = frozenset(
    "في مع علي الي من عن ان انه بان الذي التي اليوم امس خلال حول بعد قبل لدي عبر و ثم "
    "حيث كما وقد قد الذين هذا هذه ذلك تلك اتصالا اتصال اتصالات هاتفيا رساله برقيه زياره "
    "بيانا بيان كلمه وفدا لقاء اجتماعا مباحثات محادثات امام خطابا تصريحا نظيره نظيرته "
    "يوم ليل مساء صباح سابقا حاليا ايضا كذلك بمناسبه لمناسبه بشان لبحث وذلك نيابه عن "
    "وبحث وناقش واكد واعرب وتناول وجري وتم والوفد المرافق له نائب ونائب رفيع المستوي "
    "والمندوب ومندوب انها انهما انهم بانه بانها لا لم لن ما "
    # verbs a title is often followed by, and counts: «الرئيس الأمريكي اتصل بنظيره … ثلاث مرات»
    "اتصل اتصلت قال قالت اكد اكدت اعلن اعلنت التقي التقت استقبل استقبلت زار زارت وصل وصلت "
    "بعث بعثت هاتف تلقي تلقت اجري اجرت بحث بحثت مرتين مرات ثلاث اربع خمس "
    # verbs of what was said: «… الرئيس التركي دعا الرئيس الروسي …»
    "دعا دعت اعرب اعربت شدد شددت اشار اشارت اوضح اوضحت طالب طالبت رحب رحبت هنا هنات "
    "ناقش ناقشت تناول تناولت عبرت حذر حذرت اتهم اتهمت نفي نفت ابلغ ابلغت اعتبر اعتبرت "
    "وصف وصفت قدم قدمت اضاف اضافت غادر غادرت "
    # what an official receives or is asked to: «تلقى أمير قطر دعوة من أمير الكويت لحضور …»
    "دعوه دعوتين دعوات لحضور لزياره لتسليم تهنئه تعزيه ضيفا ضيف "
    # present-tense verbs of a visit, as headlines write them: «ولي العهد السعودي يختتم
    # زيارته …», «الرئيس الكيني يصل إلى …»; «أول» of «أول أمس»
    "يختتم تختتم يبدا تبدا يزور تزور يصل تصل يلتقي تلتقي يستقبل تستقبل يبحث تبحث يجري "
    "تجري يتلقي تتلقي يغادر تغادر يتوجه تتوجه اول منذ بعيد".split())
_NAME_PARTICLES = ("عبد", "ابو", "بن", "ابن", "ال", "ولد", "بنت")


@cache
def _day_words() -> frozenset[str]:
    """Weekdays, «أمس», parts of the day, with «و/ف» before them: a coordinated day
    («… مع الرئيس الفرنسي والخميس مع …») ends a name, it never is one."""
    words = {matching_form(r["word"]) for r in read_rows("date_words.csv")
             if r["kind"] in ("weekday", "relative", "part_of_day")}
    return frozenset(p + w for w in words for p in ("", "و", "ف") if " " not in w)
MAX_NAME_TOKENS = 3
MAX_APPOSED_NAME_TOKENS = 4  # «أندريس مانويل لوبيز أوبرادور»: safe when a title follows
MAX_PORTFOLIO_TOKENS = 3  # «وزير الدفاع والإنتاج الحربي بمصر»
MAX_FAMILY_RUN_TOKENS = 6  # «محمد بن نايف بن عبدالعزيز آل سعود»
_WORD = re.compile(r" +([^\W\d][\w-]*)")
_BACK_WORD = re.compile(r"([^\W\d][\w-]*) +$")
# a title word that opens with the article (with its proclitics) is definite and cannot be
# followed by a portfolio: «الرئيس حرص الجانب المصري» is no Egyptian president
_DEFINITE = re.compile(r"(?:[وف]?[بك]?ال|[وف]?لل)")
ATTACHABLE = frozenset({"demonym", "country", "organisation"})
# «الجانبان», «البلدين», «الوزيران»: the two parties named last (matching forms, dual
# nominative and oblique)
DUALS = ("الجانبان", "الجانبين", "الطرفان", "الطرفين", "البلدان", "البلدين", "الوزيران",
         "الوزيرين", "الرئيسان", "الرئيسين", "الزعيمان", "الزعيمين", "القائدان", "القائدين")
# what a dual can point back to, in order of preference
_REFERABLE = (frozenset({"person", "role"}), frozenset({"country", "demonym", "organisation"}))


@dataclass(frozen=True)
class EntityMention:
    start: int
    end: int
    surface: str
    kind: str  # country | demonym | organisation | place | person | role | reference
    canonical: str
    country: str | None
    role: str | None
    person_id: str | None
    resolved_by: str
    subnational: bool = False  # placed through a region coded to its parent state (الشيشان)


def _scan_text(matching: str) -> str:
    """Hashtags read as words: «#كوريا_الجنوبية» → « كوريا الجنوبية» (same length)."""
    return matching.replace("#", " ").replace("_", " ")


def _adjacent(text: str, end: int, hits: list[tuple[int, int, Entry]], j: int
              ) -> tuple[int, int, Entry] | None:
    """The hit `j` if only spaces, commas or «في» separate it from `end`."""
    if j >= len(hits):
        return None
    gap = _ADJACENT.fullmatch(text, end, hits[j][0])
    return hits[j] if gap else None


def _unregistered_name(text: NormalizedText, scan: str, end: int, stop: int,
                       most: int = MAX_NAME_TOKENS) -> tuple[int, int] | None:
    """Up to `most` name tokens after a title and demonym («… الأردني أيمن الصفدي»)."""
    pos, first, last, count, previous = end, None, None, 0, ""
    while count < most:
        m = _NAME_TOKEN.match(scan, pos)
        if not m or m.end(1) > stop:
            break
        word = m.group(1)
        if word in _day_words() or word.startswith(_NO_NAME_OPENING):
            break  # «للصحفيين», «بالرئيس»: a preposition with the article opens no name
        if word in _NAME_STOPWORDS and not (word == "علي" and previous in _NAME_PARTICLES):
            break  # «علي» is «على» folded, except in «حمد بن علي العطية»
        first = m.start(1) if first is None else first
        last, pos, count, previous = m.end(1), m.end(1), count + 1, word
        if scan[pos:pos + 1] in {",", ".", ":", "\n", '"'}:
            break
    if first is None or (count == 1 and scan[first:last] in _NAME_PARTICLES):
        return None
    if scan.startswith("ال", first) and text.display[text.to_display(first)] == "ا":
        return None  # names do not open with the article; «الرئيس السوري المخلوع» is no name,
        # but «ألكسيس» opens with a hamza the matching form folded
    return first, last


def _is_prefix(gaz: Gazetteer, text: str, hit: tuple[int, int, Entry]) -> bool:
    return hit[2].kind == "prefix" or (hit[2].kind == "role"
                                       and text[hit[0]:hit[1]] in gaz.prefixes)


def _skip_prefixes(gaz: Gazetteer, text: str, end: int, hits: list[tuple[int, int, Entry]],
                   j: int) -> tuple[int, int]:
    """Past the honorifics, ranks and office adjectives that follow a title («… القطري الشيخ
    محمد», «… المصرية اللواء عباس كامل»): the offset and hit index where the name starts."""
    while (h := _adjacent(text, end, hits, j)) and _is_prefix(gaz, text, h):
        end, j = h[1], j + 1
    return end, j


def _portfolio(gaz: Gazetteer, text: str, end: int, hits: list[tuple[int, int, Entry]], j: int
               ) -> tuple[int, int, Entry] | None:
    """The nisba or «ب»+country that closes an indefinite title's portfolio («وزير الخزانة
    الأميركي», «رئيس هيئة الأركان الأمريكية», «وزير الدفاع والإنتاج الحربي بمصر»)."""
    pos = end
    for _ in range(MAX_PORTFOLIO_TOKENS):
        m = _WORD.match(text, pos)
        if not m or m.group(1) in _NAME_STOPWORDS or (j < len(hits) and m.end(1) > hits[j][0]):
            return None
        if pos == end and m.group(1) in gaz.bodies:
            return None  # «رئيس حزب القوات اللبنانية» heads a party, not Lebanon
        pos = m.end(1)
        nxt = _adjacent(text, pos, hits, j)
        if nxt and (nxt[2].kind == "demonym" or (
                nxt[2].kind == "country" and text[nxt[0]] in "بل"
                and text[nxt[0] + 1:nxt[1]] in gaz.key_set)):
            return nxt
    return None


_DEFINITE_WORD = re.compile(r" +(ال[^\W\d]\w*)")
_IN = re.compile(r" +في +")
_NO_NAME_OPENING = ("لل", "بال", "كال")
_FROM = re.compile(r"(?:ا)? +من +")  # «وفدا من», «مسؤولين من»
_POSTED = frozenset({"ambassador", "envoy"})  # «في» after them names the host, not the state


def _seat(gaz: Gazetteer, text: str, end: int, hits: list[tuple[int, int, Entry]], j: int
          ) -> tuple[tuple[int, int, Entry], int] | None:
    """The state a title's definite adjectives close with «في» («المسؤول الاقتصادي الرئيسي
    في الصين», «رئيس الوزراء المؤقت في تونس»), and the index of the hit after it. Only
    adjectives (definite words that are no entity, or office adjectives) may stand between,
    so «الرئيس حرص في مصر» places nobody."""
    pos = end
    for _ in range(MAX_PORTFOLIO_TOKENS):
        m = _DEFINITE_WORD.match(text, pos)
        if not m or m.group(1) in _NAME_STOPWORDS or m.group(1) in gaz.bodies:
            return None
        if j < len(hits) and m.end(1) > hits[j][0]:
            if not (hits[j][:2] == m.span(1) and _is_prefix(gaz, text, hits[j])):
                return None
            j += 1  # «المؤقت», «الحالي»: an office adjective of data/name_prefixes.csv
        pos = m.end(1)
        gap = _IN.match(text, pos)
        if gap and j < len(hits) and hits[j][0] == gap.end() and hits[j][2].kind == "country":
            return hits[j], j + 1
    return None


def _disagrees(text: str, start: int, end: int, nxt: tuple[int, int, Entry]) -> bool:
    """An adjective agrees with its noun in definiteness: after a definite title («الأمير»,
    «وزير الخارجية») a bare nisba is no adjective but a name («الأمير تركي الفيصل»)."""
    if nxt[2].kind != "demonym" or _DEFINITE.match(text, nxt[0]):
        return False
    last = text.rfind(" ", start, end) + 1
    return bool(_DEFINITE.match(text, start) or _DEFINITE.match(text, max(start, last)))


def _title_state(gaz: Gazetteer, text: str, hits: list[tuple[int, int, Entry]], k: int
                 ) -> tuple[Entry | None, int, int, str]:
    """What places the title at hit `k`: the entry that gives its state (the title itself,
    an adjacent nisba or country, or the end of its portfolio), where the title ends, the
    index of the next unread hit, and how it was placed."""
    start, end, entry = hits[k]
    nxt = _adjacent(text, end, hits, k + 1)
    if nxt and nxt[2].kind in ATTACHABLE and not _disagrees(text, start, end, nxt):
        return nxt[2], nxt[1], k + 2, "title+demonym"
    if entry.country:
        return entry, end, k + 1, "title"
    indefinite = entry.kind == "role" and not _DEFINITE.match(text, start)
    if indefinite and nxt and nxt[2].kind == "place":
        return nxt[2], nxt[1], k + 2, "title+place"  # «ولي عهد أبوظبي», «أمير منطقة الرياض»
    if indefinite:
        closing = _portfolio(gaz, text, end, hits, k + 1)
        if closing:
            return closing[2], closing[1], k + 2, "title+portfolio"  # closing is hits[k + 1]
    if entry.kind == "role" and entry.role == "official" and k + 1 < len(hits) and (
            hits[k + 1][2].kind == "country" and _FROM.fullmatch(text, end, hits[k + 1][0])):
        # «وفداً من كوريا الجنوبية», «مسؤولين من الصومال»: officials from a state
        return hits[k + 1][2], hits[k + 1][1], k + 2, "title+origin"
    if entry.kind == "role" and entry.role not in _POSTED:
        seat = _seat(gaz, text, end, hits, k + 1)
        if seat:
            return seat[0][2], seat[0][1], seat[1], "title+seat"
    return None, end, k + 1, "title"


def tag(text: NormalizedText, on: dt.date | None) -> list[EntityMention]:
    """Every entity mention in `text`, offsets in its matching form, sorted by start."""
    gaz = load()
    matching = text.matching
    scan = _scan_text(matching)
    hits = _royal_names(gaz, scan, list(gaz.find(scan)))
    mentions: list[EntityMention] = []
    last_role: str | None = None
    i = 0

    def person(start: int, end: int, entry: Entry) -> EntityMention:
        office = gaz.office_on(entry.person_id, on)
        return EntityMention(start, end, matching[start:end], "person", entry.canonical,
                             office.country if office else entry.country,
                             office.office if office else None, entry.person_id,
                             "register" if entry.person_id else "royal family")

    while i < len(hits):
        start, end, entry = hits[i]
        i += 1
        if entry.kind == "person":
            mentions.append(person(start, end, entry))
            continue
        if entry.kind == "prefix":
            continue
        if entry.kind not in ("role", "counterpart"):
            how = {"demonym": "nisba", "place": "place"}.get(entry.kind, "gazetteer")
            mentions.append(EntityMention(start, end, matching[start:end], entry.kind,
                                          entry.canonical, entry.country, None, None, how,
                                          entry.subnational))
            continue
        role = entry.role if entry.kind == "role" else last_role
        if _is_prefix(gaz, scan, hits[i - 1]) and _adjacent(scan, end, hits, i):
            role = None  # «الأمير محمد …», «الملك سلمان …»: an honorific before a name
        placing, role_end, i, how = _title_state(gaz, scan, hits, i - 1)
        if entry.kind == "counterpart":
            how = "counterpart"
        if entry.kind == "counterpart" and placing is None:
            other = _other_half(scan, role_end, mentions)
            if other is not None:
                placing, role_end, how = Entry("demonym", other[0], other[0]), other[1], (
                    "counterpart+half")
        country = placing.country if placing else None
        subnational = placing.subnational if placing else False
        name_from, i = _skip_prefixes(gaz, scan, role_end, hits, i)
        official = _adjacent(scan, name_from, hits, i)
        if official and official[2].kind == "person":
            found = person(*official)
            country = country or found.country
            if found.role is None:
                found = replace(found, role=role)
            mentions.append(found)
            i += 1
        elif not (entry.country and role == "official"):  # «البيت الأبيض» names nobody
            stop = hits[i][0] if i < len(hits) else len(scan)
            most = MAX_NAME_TOKENS if country else MAX_APPOSED_NAME_TOKENS
            span = _unregistered_name(text, scan, name_from, stop, most)
            if span and not country and entry.kind == "role":
                apposed = _adjacent(scan, span[1], hits, i)
                if apposed and apposed[2].kind == "role":
                    placing, _, _, _ = _title_state(gaz, scan, hits, i)
                    if placing:
                        country, subnational = placing.country, placing.subnational
                        how = "title+apposition"
            if span and country:
                mentions.append(EntityMention(span[0], span[1], matching[span[0]:span[1]],
                                              "person", matching[span[0]:span[1]], country,
                                              role, None, how, subnational))
        if entry.kind == "role" or country:
            mentions.append(EntityMention(start, role_end, matching[start:role_end], "role",
                                          role or entry.canonical, country, role, None, how,
                                          subnational))
        if entry.kind == "role":
            last_role = entry.role
    mentions = _resolve_surnames(scan, mentions, on)
    mentions = _coordinated_officials(scan, mentions)
    mentions = _royal_court(sorted(mentions, key=lambda m: (m.start, -m.end, m.kind)))
    mentions = _concurrent_offices(scan, mentions)
    mentions = _of_the_country(scan, mentions)
    mentions = _homograph_cities(text, scan, mentions)
    return sorted(mentions + _resolve_duals(scan, mentions),
                  key=lambda m: (m.start, -m.end, m.kind, m.country or ""))


_MONARCH = re.compile(r"(?:[وف]?[بل]?(?:ال|ل))?(?:ملك|عاهل|امير|سلطان|خادم الحرمين)")


def _royal_court(mentions: list[EntityMention]) -> list[EntityMention]:
    """A bare «ولي العهد» / «ولي ولي العهد» («وبعث سمو ولي العهد برقية مماثلة») is the crown
    prince of the monarchy the text last named: a king, emir or sultan, a crown prince or a
    royal family's member placed before it. With none before it, it stays unplaced."""
    court: str | None = None
    out = []
    for m in mentions:
        if m.kind == "role" and m.role == "crown_prince" and m.country is None and court:
            m = replace(m, country=court, resolved_by="royal court")
        elif m.country and (m.role == "crown_prince" or m.resolved_by == "royal family"
                            or (m.kind == "role" and _MONARCH.match(m.surface))):
            court = m.country
        out.append(m)
    return out


@cache
def _halves() -> dict[str, dict[str, str]]:
    """States whose demonym is a shared word and a second one (data/demonyms.csv: «كوري
    جنوبي», «كوري شمالي»): the shared word → {matching form of the second word: state}."""
    groups: dict[str, dict[str, str]] = {}
    for row in read_rows("demonyms.csv"):
        for stem in row["stems"].split("|"):
            words = matching_form(stem).split()
            if len(words) == 2:
                groups.setdefault(words[0], {})[words[1]] = row["alpha3"]
    return {k: v for k, v in groups.items() if len(v) > 1}


_HALF = re.compile(r" ال(\w+?)(?:ه|ين|ان)?(?!\w)")


def _other_half(scan: str, end: int, before: list[EntityMention]) -> tuple[str, int] | None:
    """«الرئيس الكوري الجنوبي … نظيره الشمالي»: the counterpart's one word names the other
    half of the state named before it; the state and where the counterpart ends."""
    m = _HALF.match(scan, end)
    last = next((b.country for b in reversed(before) if b.country), None)
    if m is None or last is None:
        return None
    for half in _halves().values():
        if last in half.values() and m.group(1) in half and half[m.group(1)] != last:
            return half[m.group(1)], m.end()
    return None


@cache
def _homographs() -> dict[str, dict[str, str]]:
    return {matching_form(r["word"]): r for r in read_rows("homographs.csv")}


_CAPITAL_OF = re.compile(r"العاصمه (\w+) $")
_AT = re.compile(r"(?:(?<!\w)في |(?<!\w)(?:و|ف)?ب)$")


def _homograph_cities(text: NormalizedText, scan: str, mentions: list[EntityMention]
                      ) -> list[EntityMention]:
    """«عمّان», «العاصمة الأردنية عمان», «وبحث الوزير الأردني في عمان مع …»: the city that
    shares a state's name (data/homographs.csv), not the state."""
    out = list(mentions)
    for k, m in enumerate(out):
        name = _bare(m.surface)
        row = _homographs().get(name) if m.kind == "country" else None
        if row is None or m.country != row["country"]:
            continue
        display = text.display[text.to_display(m.start):text.to_display(m.end)]
        capital = _CAPITAL_OF.search(scan, max(0, m.start - 30), m.start)
        same = _sentence_states(scan, out, m)
        city = (row["city"] in display
                or (capital is not None and any(
                    o.kind == "demonym" and o.country == row["city_country"]
                    and o.start == capital.start(1) for o in out))
                or (row["city_country"] in same and row["country"] not in same
                    and (_AT.search(scan, max(0, m.start - 4), m.start) is not None
                         or "ب" in m.surface[:len(m.surface) - len(name)])))
        if city:
            out[k] = replace(m, kind="place", canonical=row["city"], country=row["city_country"],
                             resolved_by="homograph")
    return out


def _bare(surface: str) -> str:
    """The name without a proclitic («بعمان» → «عمان»)."""
    for p in sorted(PROCLITICS, key=len, reverse=True):
        if p and surface.startswith(p) and surface[len(p):] in _homographs():
            return surface[len(p):]
    return surface


def _sentence_states(scan: str, mentions: list[EntityMention], m: EntityMention) -> set[str]:
    """The states of the officials and nisbas of `m`'s sentence, `m` aside."""
    start = max(scan.rfind(".", 0, m.start), scan.rfind("\n", 0, m.start)) + 1
    ends = [e for e in (scan.find(".", m.end), scan.find("\n", m.end)) if e >= 0]
    end = min(ends, default=len(scan))
    return {o.country for o in mentions if o is not m and o.country and start <= o.start < end
            and o.kind in ("role", "person", "demonym")}


# an agency dispatch opens with its city and the agency: «الكويت - كونا:», «الرياض (واس)»,
# «المنامة/بنا/»
_DATELINE = re.compile(r"\s*[-–/(]\s*\w+")
_DATELINE_CHARS = 40
_THE_COUNTRY = re.compile(r" البلاد(?!\w)")


def _of_the_country(scan: str, mentions: list[EntityMention]) -> list[EntityMention]:
    """«أمير البلاد», «عاهل البلاد», «رئيس البلاد» in a dispatch datelined in a state's city
    are that state's: the agency writes from home."""
    first = next((m for m in mentions if m.kind in ("place", "country") and m.country), None)
    if (first is None or first.start > _DATELINE_CHARS or scan[:first.start].strip()
            or not _DATELINE.match(scan, first.end)):
        return mentions
    return [replace(m, country=first.country, resolved_by="title+dateline")
            if m.kind == "role" and m.country is None and _THE_COUNTRY.match(scan, m.end)
            else m for m in mentions]


# offices a deputy prime minister holds with his own in Gulf and Levant usage: «نائب رئيس
# مجلس الوزراء وزير الخارجية الكويتي» is one Kuwaiti, the state said once at the chain's end
_CONCURRENT = frozenset({"foreign_minister", "defence_minister", "interior_minister",
                         "minister"})


def _concurrent_offices(scan: str, mentions: list[EntityMention]) -> list[EntityMention]:
    """An unplaced deputy prime minister right before a placed minister (a space between)
    takes the minister's state: one official with two offices, not two officials."""
    out = list(mentions)
    for k in range(len(out) - 2, -1, -1):
        m, nxt = out[k], out[k + 1]
        if (m.kind == "role" and m.role == "deputy_prime_minister" and m.country is None
                and nxt.kind == "role" and nxt.role in _CONCURRENT and nxt.country
                and scan[m.end:nxt.start] == " "):
            out[k] = replace(m, country=nxt.country, resolved_by="title chain",
                             subnational=nxt.subnational)
    return out


# dual and plural titles in the construct state (data/roles.csv), matching forms without
# proclitics: «زعيمي روسيا وأوكرانيا» names two officials
_GROUP_TITLE = re.compile(r"(?:و|ب|ل|ف)?(?:زعيمي|زعماء|قاده|رؤساء|رءساء|رئيسا|زعيما|"
                          r"وزيري|وزراء|وزيرا)(?!\w)")
_AND = re.compile(r"\s*(?:,\s*)?و?")


def _coordinated_officials(scan: str, mentions: list[EntityMention]) -> list[EntityMention]:
    """«زعيمي روسيا وأوكرانيا», «وزراء خارجية مصر والأردن والعراق»: each state coordinated
    after a dual or plural title is an official's too (the title's role, placed there)."""
    ordered = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in ordered]
    out = list(ordered)
    # where each mention still stands unchanged in `out`, first first: `out.index` without
    # a pass over the list for every state coordinated
    unchanged: dict[EntityMention, deque[int]] = {}
    for position, m in enumerate(ordered):
        unchanged.setdefault(m, deque()).append(position)

    def coordinated(k: int, end: int, kind: str, role: str | None, first: bool) -> None:
        for nxt in itertools.islice(ordered, k, None):
            if nxt.start < end:
                continue
            gap = _AND.fullmatch(scan, end, nxt.start)
            if nxt.kind != kind or not gap or not (first or "و" in scan[end:nxt.start + 1]):
                break
            if not unchanged.get(nxt):
                raise ValueError(f"{nxt!r} is not in list")
            out[unchanged[nxt].popleft()] = replace(
                nxt, kind="role", canonical=role or nxt.canonical, role=role,
                resolved_by="coordinated title")
            end, first = nxt.end, False

    for k, m in enumerate(ordered):
        if m.kind == "role" and m.country is not None and _GROUP_TITLE.match(m.surface):
            coordinated(k + 1, m.end, "country", m.role, False)
    # «الرئيسين الروسي والإيراني», «الوزيرين المصري والأردني»: a dual and its nisbas
    for dual in _DUAL_TITLE.finditer(scan):
        coordinated(bisect_left(starts, dual.end()), dual.end(), "demonym",
                    _DUAL_ROLES[dual.group(1)], True)
    # «وزيرا الخارجية الكيني والفرنسي», «رئيسا الوزراء الهندي والياباني»: a dual in construct
    # with its portfolio; the first nisba went into the portfolio's body («الخارجية الكيني»)
    for dual in _DUAL_PORTFOLIO.finditer(scan):
        role = _title_roles().get(f"{dual['title']} ال{dual['portfolio']}")
        if role is None:
            continue  # a portfolio data/roles.csv does not name with this title
        k = bisect_left(starts, dual.start())
        while k < len(ordered) and ordered[k].start < dual.end() and ordered[k].end <= dual.end():
            k += 1  # a mention of the bare title word alone
        first = ordered[k] if k < len(ordered) else None
        after_portfolio = dual.end() + len("ال" + dual["portfolio"]) + 1  # «وزيرا الدفاع التركي»
        if first is None or first.start not in (dual.start(), dual.end(), after_portfolio) or (
                not first.country):
            continue
        if unchanged.get(first):
            out[unchanged[first].popleft()] = replace(
                first, start=dual.start(), surface=scan[dual.start():first.end], kind="role",
                canonical=role, role=role, resolved_by="coordinated title")
        coordinated(k + 1, first.end, "demonym", role, False)
    return out


_DUAL_TITLE = re.compile(
    r"(?<!\w)(?:و|ب|ل|ف)?(?:ال|لل)(رئيس|وزير|زعيم|قائد|ملك|امير)(?:ان|ين)(?!\w)")
_DUAL_PORTFOLIO = re.compile(
    r"(?<!\w)(?:و|ب|ل|ف)?(?P<title>وزير|رئيس)(?:ا|ي) (?=ال(?P<portfolio>\w+))")


@cache
def _title_roles() -> dict[str, str]:
    """Each title of data/roles.csv (matching form) → its role: «وزير الخارجيه» →
    foreign_minister, so a dual in construct («وزيرا الخارجية») takes its singular's role."""
    return {matching_form(t): r["role"] for r in read_rows("roles.csv")
            for t in r["titles"].split("|")}
_DUAL_ROLES = {"رئيس": "head_of_state", "زعيم": "head_of_state", "قائد": "head_of_state",
               "ملك": "head_of_state", "امير": "head_of_state", "وزير": "minister"}


def _name_run_start(gaz: Gazetteer, text: str, end: int, before: list[tuple[int, int, Entry]]
                    ) -> int | None:
    """Where the name that ends at `end` (just before a family name) begins: words joined by
    single spaces, back to a title, an honorific, punctuation or a word no name holds; a
    registered person inside the run is taken whole (محمد بن عبدالرحمن + بن عبدالعزيز)."""
    start, count, k = None, 0, len(before) - 1
    while count < MAX_FAMILY_RUN_TOKENS:
        while k >= 0 and before[k][0] >= end:
            k -= 1
        if k >= 0 and not text[before[k][1]:end].strip(" "):
            if before[k][2].kind != "person" and not _name_word(text, before[k]):
                break
            start, end, count, k = before[k][0], before[k][0], count + 2, k - 1
            if text[start:text.find(" ", start)] in gaz.prefixes:
                break  # the registered name opens with its title («الأمير محمد بن سلمان»)
            continue
        m = _BACK_WORD.search(text, max(0, end - 40), end)
        if not m or m.group(1) in _NAME_STOPWORDS or (k >= 0 and before[k][1] > m.start(1)):
            break
        start, end, count = m.start(1), m.start(1), count + 1
    if start is None or text[start:text.find(" ", start)] in _NAME_PARTICLES:
        return None
    return start


def _name_word(text: str, hit: tuple[int, int, Entry]) -> bool:
    """A one-word title or nisba inside a lineage is a given name: «تركي بن محمد», «خالد بن
    سلطان آل سعود»."""
    start, end, _ = hit
    word = text[start:end]
    return " " not in word and (text.startswith(" بن ", end) or text.endswith("بن ", 0, start))


def _family_needs_met(gaz: Gazetteer, text: str, start: int, family: tuple[int, int, Entry],
                      before: list[tuple[int, int, Entry]]) -> bool:
    run = text[start:family[0]].split()
    if family[2].needs == "definite":
        return len(run) >= 2 and run[-1].startswith("ال")
    if family[2].needs == "lineage":
        opener = next((h for h in reversed(before) if h[1] <= start), None)
        titled = opener is not None and not text[opener[1]:start].strip() and _is_prefix(
            gaz, text, opener)
        return "بن" in run or titled
    return True


def _royal_names(gaz: Gazetteer, text: str, hits: list[tuple[int, int, Entry]]
                 ) -> list[tuple[int, int, Entry]]:
    """The hits with each name that ends in a ruling family made one person of its state
    («الشيخ خالد بن أحمد آل خليفة» → BHR). A registered name of that state keeps its record
    and takes the family into its span; one registered in another state gives way
    («محمد بن عبدالرحمن بن عبدالعزيز» is a Saudi prince, not the Qatari minister)."""
    out: list[tuple[int, int, Entry]] = []
    for hit in hits:
        if hit[2].kind != "family":
            out.append(hit)
            continue
        start = _name_run_start(gaz, text, hit[0], out)
        if start is None or not _family_needs_met(gaz, text, start, hit, out):
            continue
        inside: list[tuple[int, int, Entry]] = []
        while out and out[-1][0] >= start:  # `out` is in text order: the run is its tail
            inside.insert(0, out.pop())
        same = next((h for h in inside if h[2].country == hit[2].country), None)
        entry = same[2] if same else Entry("person", text[start:hit[1]], hit[2].country)
        out.append((start, hit[1], entry))
    return out


@cache
def _dual_pattern() -> re.Pattern[str]:
    forms = sorted({f for d in DUALS for f in with_proclitics(d)}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, forms)) + r")(?!\w)")


class _LastStates:
    """The last two states named before a place by mentions of some kinds, in the order of
    `mentions` (sorted by start). A run of mentions of one state is jumped over in one step,
    so each question costs about the mentions that straddle the place, not all before it."""

    def __init__(self, mentions: list[EntityMention], kinds: frozenset[str]) -> None:
        self._q = [x for x in mentions if x.country and x.kind in kinds]
        self._starts = [x.start for x in self._q]
        self._other: list[int] = []  # per mention: the last one before it of another state
        for i, x in enumerate(self._q):
            if i == 0:
                self._other.append(-1)
            elif self._q[i - 1].country != x.country:
                self._other.append(i - 1)
            else:
                self._other.append(self._other[i - 1])

    def before(self, pos: int) -> list[str]:
        """Up to two states, newest first, of the mentions that end by `pos`."""
        states: list[str] = []
        i = bisect_right(self._starts, pos) - 1
        while i >= 0 and len(states) < 2:
            x = self._q[i]
            if x.country in states:
                i = self._other[i]
            elif x.end <= pos:
                states.append(x.country)
                i -= 1
            else:
                i -= 1
        return states


def _resolve_duals(scan: str, mentions: list[EntityMention]) -> list[EntityMention]:
    """«الجانبان» and its kin refer to the last two states named before them: officials
    first, else countries and nisbas. One `reference` mention per state; none when fewer than
    two states came before."""
    out = []
    named_after = {x.start for x in mentions if x.resolved_by == "coordinated title"}
    groups = [_LastStates(mentions, kinds) for kinds in _REFERABLE]
    for m in _dual_pattern().finditer(scan):
        if m.end() + 1 in named_after or m.end() + 2 in named_after:
            continue  # «الرئيسين الروسي والإيراني»: the dual names its states itself
        for group in groups:
            states = group.before(m.start())
            if len(states) == 2:
                out += [EntityMention(m.start(), m.end(), m.group(), "reference", m.group(),
                                      state, None, None, "dual reference")
                        for state in sorted(states)]
                break
    return out


def _surnames(canonical_surface: str) -> list[str]:
    words = canonical_surface.split()
    if len(words) < 2:
        return []
    out = [words[-1]]
    if len(words) >= 3 and words[-2] in _NAME_PARTICLES:
        out.insert(0, f"{words[-2]} {words[-1]}")
    if words[-2] in ("عبد", "ابو"):
        out.insert(0, f"{words[-2]}{words[-1]}")
    return [s for s in out if len(s) > 2 and s not in _NAME_PARTICLES
            and s not in _common_word_families()]


@cache
def _common_word_families() -> frozenset[str]:
    """Family names that are also common words («الصباح», the morning): never a surname alone."""
    return frozenset(e.canonical for e in load().entries if e.kind == "family" and e.needs)


@cache
def _surname_pattern(surname: str) -> re.Pattern[str]:
    forms = sorted(set(with_proclitics(surname)), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, forms)) + r")(?!\w)")


class _Spans:
    """Spans that block a surname: any of them overlapping a candidate refuses it. The fixed
    ones sorted by start with the running maximum of their ends; the claimed ones (surnames
    already resolved) never overlap each other, so their ends sort with their starts. Each
    question is a bisection, so resolving stays linear in the text (one scan per mention
    made every tagging of a long record cubic)."""

    def __init__(self, fixed: list[EntityMention]) -> None:
        ordered = sorted((m.start, m.end) for m in fixed)
        self._starts = [start for start, _ in ordered]
        self._max_end: list[int] = []
        for _, end in ordered:
            self._max_end.append(max(end, self._max_end[-1] if self._max_end else end))
        self._claimed_starts: list[int] = []
        self._claimed_ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect_left(self._starts, end)
        if k and self._max_end[k - 1] > start:
            return True
        return self.claimed(start, end)

    def claimed(self, start: int, end: int) -> bool:
        k = bisect_left(self._claimed_starts, end)
        return bool(k) and self._claimed_ends[k - 1] > start

    def claim(self, start: int, end: int) -> None:
        k = bisect_left(self._claimed_starts, start)
        self._claimed_starts.insert(k, start)
        self._claimed_ends.insert(k, end)


class _SurnameMatches:
    """Where each surname of a text's people matches, as `_surname_pattern(s).finditer(scan,
    after)` would find it. Every form of every surname is looked for in one automaton pass;
    the pattern then runs only where one of its forms starts, so a text with many surnames is
    still read once (a scan of the whole text for each surname made long records quadratic)."""

    def __init__(self, scan: str, surnames: list[str]) -> None:
        self._scan = scan
        self._surnames = sorted(set(surnames))
        forms = sorted({f for s in self._surnames for f in with_proclitics(s)})
        owners: dict[str, list[int]] = {}
        for k, s in enumerate(self._surnames):
            for f in with_proclitics(s):
                owners.setdefault(f, []).append(k)
        starts: list[set[int]] = [set() for _ in self._surnames]
        if forms:
            automaton = AhoCorasick(forms, matchkind=MatchKind.Standard)
            for index, start, _ in automaton.find_matches_as_indexes(scan, overlapping=True):
                for k in owners[forms[index]]:
                    starts[k].add(start)
        self._starts = {s: sorted(found) for s, found in zip(self._surnames, starts,
                                                              strict=True)}
        self._from_start: dict[str, tuple[list[int], list[re.Match[str]]]] = {}

    def _scan_from(self, surname: str, after: int) -> list[re.Match[str]]:
        """finditer from `after`: the pattern tried at each place a form starts, from the end
        of the last match on."""
        pattern, out, pos = _surname_pattern(surname), [], after
        starts = self._starts[surname]
        for start in starts[bisect_left(starts, after):]:
            if start < pos:
                continue
            m = pattern.match(self._scan, start)
            if m:
                out.append(m)
                pos = m.end()
        return out

    def after(self, surname: str, after: int) -> tuple[list[re.Match[str]], bool]:
        """The matches from `after` on, and whether they are the text's matches from its start
        (they are unless one of those straddles `after`, where a scan from there could read
        differently)."""
        if surname not in self._from_start:
            matches = self._scan_from(surname, 0)
            self._from_start[surname] = ([m.start() for m in matches], matches)
        starts, matches = self._from_start[surname]
        k = bisect_left(starts, after)
        if k and matches[k - 1].end() > after:
            return self._scan_from(surname, after), False
        return matches[k:], True


def _resolve_surnames(scan: str, mentions: list[EntityMention], on: dt.date | None
                      ) -> list[EntityMention]:
    """A surname alone, after its full name appeared, refers to that person: the first full
    name (in mention order) to reach it claims it, unless a mention other than a country or
    nisba is there already; the countries and nisbas it covers give way."""
    people = [m for m in mentions if m.kind == "person" and m.person_id]
    blocking = _Spans([m for m in mentions if m.kind not in ("demonym", "country")])
    found = _SurnameMatches(scan, [s for full in people for s in _surnames(full.surface)])
    # per surname, where the earliest full name that already read the text's matches ends:
    # every match after that was claimed or refused then, and what refused it is still there
    read_from: dict[str, int] = {}
    claimed: list[EntityMention] = []
    for full in people:
        for surname in _surnames(full.surface):
            matches, shared = found.after(surname, full.end)
            until = read_from.get(surname) if shared else None
            for m in matches:
                if until is not None and m.start() >= until:
                    break
                if blocking.overlaps(m.start(), m.end()):
                    continue
                blocking.claim(m.start(), m.end())
                claimed.append(replace(full, start=m.start(), end=m.end(), surface=m.group(),
                                       resolved_by="surname"))
            if shared and (until is None or full.end < until):
                read_from[surname] = full.end
    return [o for o in mentions if not blocking.claimed(o.start, o.end)] + claimed
