"""Countries, organisations, places, officials and their offices in an Arabic text.

One automaton pass finds every known name (the gazetteer); a few rules then read them as
an Arabic reader does: a title followed by a demonym or a country and a name is one official
of that country («وزير الخارجية العراقي فؤاد حسين»); «نظيره التركي» is the same office in the
other country; a registered person holds the office of the article's date, not today's; and a
surname alone after the full name is that person (حسين → فؤاد حسين; السوداني the Iraqi prime
minister, not a Sudanese).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import cache

from ittisal.entities.gazetteer import Entry, load, with_proclitics
from ittisal.text.normalize import NormalizedText

_ADJACENT = re.compile(r"[\s,]*(?:(?:في|لدي|ب)\s+)?")
_NAME_TOKEN = re.compile(r"[\s,]*([^\W\d][\w-]*)")
# words that follow a title but open no name: prepositions, pronouns, and the nouns and
# verbs of the sentences this tagger reads («وزير الخارجية العراقي اتصالاً هاتفياً …»)
_NAME_STOPWORDS = frozenset(
    "في مع علي الي من عن ان انه بان الذي التي اليوم امس خلال حول بعد قبل لدي عبر و ثم "
    "حيث كما وقد قد الذين هذا هذه ذلك تلك اتصالا اتصال اتصالات هاتفيا رساله برقيه زياره "
    "بيانا بيان كلمه وفدا لقاء اجتماعا مباحثات محادثات امام خطابا تصريحا نظيره نظيرته "
    "يوم ليل مساء صباح سابقا حاليا ايضا كذلك".split())
_NAME_PARTICLES = ("عبد", "ابو", "بن", "ابن", "ال", "ولد", "بنت")
MAX_NAME_TOKENS = 3
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


def _unregistered_name(text: str, end: int, stop: int) -> tuple[int, int] | None:
    """Up to three name tokens after a title and demonym («… الأردني أيمن الصفدي»)."""
    pos, first, last, count = end, None, None, 0
    while count < MAX_NAME_TOKENS:
        m = _NAME_TOKEN.match(text, pos)
        if not m or m.end(1) > stop or m.group(1) in _NAME_STOPWORDS:
            break
        if count == 0 and m.group(1).startswith("ال"):
            return None  # names do not open with the article; «الرئيس السوري الجديد» is no name
        first = m.start(1) if first is None else first
        last, pos, count = m.end(1), m.end(1), count + 1
        if text[pos:pos + 1] in {",", ".", ":", "\n", '"'}:
            break
    if first is None or (count == 1 and text[first:last] in _NAME_PARTICLES):
        return None
    return first, last


def tag(text: NormalizedText, on: dt.date | None) -> list[EntityMention]:
    """Every entity mention in `text`, offsets in its matching form, sorted by start."""
    gaz = load()
    matching = text.matching
    scan = _scan_text(matching)
    hits = list(gaz.find(scan))
    mentions: list[EntityMention] = []
    last_role: str | None = None
    i = 0

    def person(start: int, end: int, entry: Entry, how: str) -> EntityMention:
        office = gaz.office_on(entry.person_id, on)
        return EntityMention(start, end, matching[start:end], "person", entry.canonical,
                             office.country if office else entry.country,
                             office.office if office else None, entry.person_id, how)

    while i < len(hits):
        start, end, entry = hits[i]
        i += 1
        if entry.kind == "person":
            mentions.append(person(start, end, entry, "register"))
            continue
        if entry.kind not in ("role", "counterpart"):
            how = {"demonym": "nisba", "place": "place"}.get(entry.kind, "gazetteer")
            mentions.append(EntityMention(start, end, matching[start:end], entry.kind,
                                          entry.canonical, entry.country, None, None, how))
            continue
        role = entry.role if entry.kind == "role" else last_role
        how = "title" if entry.kind == "role" else "counterpart"
        country, role_end = None, end
        nxt = _adjacent(scan, end, hits, i)
        if nxt and nxt[2].kind in ATTACHABLE:
            country, role_end = nxt[2].country, nxt[1]
            how = "title+demonym" if entry.kind == "role" else "counterpart"
            i += 1
        official = _adjacent(scan, role_end, hits, i)
        if official and official[2].kind == "person":
            found = person(official[0], official[1], official[2], "register")
            country = country or found.country
            if found.role is None:
                found = replace(found, role=role)
            mentions.append(found)
            i += 1
        elif country:
            stop = hits[i][0] if i < len(hits) else len(scan)
            span = _unregistered_name(scan, role_end, stop)
            if span:
                mentions.append(EntityMention(span[0], span[1], matching[span[0]:span[1]],
                                              "person", matching[span[0]:span[1]], country,
                                              role, None, how))
        if entry.kind == "role" or country:
            mentions.append(EntityMention(start, role_end, matching[start:role_end], "role",
                                          role or "official", country, role, None, how))
        if entry.kind == "role":
            last_role = entry.role
    mentions = _resolve_surnames(scan, mentions, on)
    mentions = sorted(mentions, key=lambda m: (m.start, -m.end, m.kind))
    return sorted(mentions + _resolve_duals(scan, mentions),
                  key=lambda m: (m.start, -m.end, m.kind, m.country or ""))


@cache
def _dual_pattern() -> re.Pattern[str]:
    forms = sorted({f for d in DUALS for f in with_proclitics(d)}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, forms)) + r")(?!\w)")


def _resolve_duals(scan: str, mentions: list[EntityMention]) -> list[EntityMention]:
    """«الجانبان» and its kin refer to the last two states named before them: officials
    first, else countries and nisbas. One `reference` mention per state; none when fewer than
    two states came before."""
    out = []
    for m in _dual_pattern().finditer(scan):
        before = [x for x in mentions if x.end <= m.start() and x.country]
        for kinds in _REFERABLE:
            states: list[str] = []
            for x in reversed(before):
                if x.kind in kinds and x.country not in states:
                    states.append(x.country)
                if len(states) == 2:
                    break
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
    return [s for s in out if len(s) > 2 and s not in _NAME_PARTICLES]


@cache
def _surname_pattern(surname: str) -> re.Pattern[str]:
    forms = sorted(set(with_proclitics(surname)), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, forms)) + r")(?!\w)")


def _resolve_surnames(scan: str, mentions: list[EntityMention], on: dt.date | None
                      ) -> list[EntityMention]:
    """A surname alone, after its full name appeared, refers to that person."""
    people = [m for m in mentions if m.kind == "person" and m.person_id]
    for full in people:
        for surname in _surnames(full.surface):
            for m in _surname_pattern(surname).finditer(scan, full.end):
                if any(o.start < m.end() and m.start() < o.end and o.kind not in (
                        "demonym", "country") for o in mentions):
                    continue
                mentions = [o for o in mentions if not (o.start < m.end() and m.start() < o.end)]
                mentions.append(replace(full, start=m.start(), end=m.end(), surface=m.group(),
                                        resolved_by="surname"))
    return mentions
