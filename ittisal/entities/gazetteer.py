"""Every name the tagger knows, expanded to the forms Arabic writes, behind one automaton.

Countries (CLDR names and news variants), sub-national entities (coded to their parent state),
demonyms in every gender and number, organisations, places, titles (some of which name their
state: «خادم الحرمين الشريفين»), royal-family names, the honorifics and ranks that stand
between a title and a name, and registered officeholders are loaded from data/*.csv, turned
into matching form keys with proclitics (و ف ب ل ك and pairs; ل + ال → لل), and compiled into a
single leftmost-longest Aho-Corasick automaton: one pass over a text finds them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property

from ahocorasick_rs import AhoCorasick, MatchKind

from ittisal.datafiles import read_rows
from ittisal.text.normalize import matching_form

PROCLITICS = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك")
NISBA_ENDINGS = ("ي", "يه", "يين", "يون", "يان", "يات", "يا", "يتين", "يتان")


@dataclass(frozen=True)
class Entry:
    # country | demonym | organisation | place | role | person | counterpart | family | prefix
    kind: str
    canonical: str
    country: str | None = None
    role: str | None = None
    person_id: str | None = None
    subnational: bool = False  # a region coded to its parent state (الشيشان → RUS)
    needs: str = ""  # family names: what must surround them to be read as one (royal_families.csv)


@dataclass(frozen=True)
class Office:
    person_id: str
    country: str
    office: str
    start: dt.date
    end: dt.date | None
    approximate: bool


def with_proclitics(key: str) -> Iterator[str]:
    """A matching-form key and the forms it takes after proclitics."""
    for p in PROCLITICS:
        if p.endswith("ل") and key.startswith("ال"):
            yield p + key[1:]  # ل + العراق → للعراق
        else:
            yield p + key


@cache
def organisation_codes() -> frozenset[str]:
    """The codes of data/organisations.csv (UN, EU, GCC …): what a contact needs a state beside."""
    return frozenset(r["code"] for r in read_rows("organisations.csv"))


def nisba_stem(name: str) -> str | None:
    """The demonym stem of a one-word country name: drop ال and a final ا / يا / ه, add ي.
    A name whose «أل» is its own first letters (ألمانيا, ألبانيا) needs its stem in
    data/demonyms.csv: the matching form folds «أل» to «ال» and the rule would drop it."""
    word = matching_form(name)
    if " " in word:
        return None
    word = word.removeprefix("ال")
    for ending in ("يا", "ا", "ه"):
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            word = word[: -len(ending)]
            break
    return word if word.endswith("ي") else word + "ي"


def nisba_forms(stem: str) -> Iterator[str]:
    """Every gender/number form of a (possibly multi-word) masculine nisba, with and without
    ال: كوري جنوبي → الكوريه الجنوبيه …"""
    words = [w.removesuffix("ي") for w in matching_form(stem).split()]
    for ending in NISBA_ENDINGS:
        plain = " ".join(w + ending for w in words)
        yield plain
        yield " ".join("ال" + w + ending for w in words)


@dataclass(frozen=True)
class Gazetteer:
    keys: tuple[str, ...]
    entries: tuple[Entry, ...]
    automaton: AhoCorasick
    offices: dict[str, tuple[Office, ...]]
    not_states: frozenset[str]
    prefixes: frozenset[str]  # matching forms of name_prefixes.csv, with proclitics
    bodies: frozenset[str]  # matching forms of non_state_bodies.csv, with proclitics

    @cached_property
    def key_set(self) -> frozenset[str]:
        return frozenset(self.keys)

    def find(self, text: str) -> Iterator[tuple[int, int, Entry]]:
        """Whole-word hits, leftmost-longest, in order."""
        n = len(text)
        for index, start, end in self.automaton.find_matches_as_indexes(text):
            if (start > 0 and text[start - 1].isalnum()) or (end < n and text[end].isalnum()):
                continue
            yield start, end, self.entries[index]

    def office_on(self, person_id: str | None, day: dt.date | None) -> Office | None:
        """The office a person held on `day` (the latest one when `day` is None); None when
        they held none that day — a former president is not the president."""
        offices = self.offices.get(person_id, ()) if person_id else ()
        if day is None:
            return offices[-1] if offices else None
        held = [o for o in offices if o.start <= day and (o.end is None or day <= o.end)]
        # a prime minister who keeps the foreign ministry is reported as prime minister
        return min(held, key=lambda o: OFFICE_RANK.get(o.office, len(OFFICE_RANK)),
                   default=None)


OFFICE_RANK = {office: rank for rank, office in enumerate(
    ("head_of_state", "supreme_leader", "secretary_general", "head_of_government",
     "high_representative", "crown_prince", "deputy_crown_prince", "deputy_prime_minister",
     "foreign_minister", "defence_minister", "interior_minister", "regional_head", "minister",
     "intelligence_chief", "national_security_adviser", "ambassador", "envoy"))}


def _iso(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@cache
def load() -> Gazetteer:
    """The gazetteer, built once per process."""
    table: dict[str, Entry] = {}

    def add(name: str, entry: Entry, clitics: bool = True) -> None:
        key = matching_form(name).strip()
        if not key:
            return
        for form in with_proclitics(key) if clitics else (key,):
            table.setdefault(form, entry)

    # order sets precedence when two entries share a key: persons, titles, countries, …
    offices: dict[str, list[Office]] = {}
    for row in read_rows("officeholders.csv"):
        office = Office(row["person_id"], row["country"], row["office"], _iso(row["start"]),
                        _iso(row["end"]), row["approximate"] == "true")
        offices.setdefault(row["person_id"], []).append(office)
        names = row["names"].split("|")
        for name in names:
            add(name, Entry("person", names[0], row["country"], None, row["person_id"]))
    for row in read_rows("titles.csv"):
        for title in row["titles"].split("|"):
            add(title, Entry("role", row["role"], row["country"], row["role"]))
    for row in read_rows("roles.csv"):
        for title in row["titles"].split("|"):
            add(title, Entry("role", row["role"], None, row["role"]))
    prefixes: set[str] = set()
    for row in read_rows("name_prefixes.csv"):
        add(row["word"], Entry("prefix", row["kind"]))
        prefixes.update(with_proclitics(matching_form(row["word"])))
    for row in read_rows("royal_families.csv"):
        for name in row["names"].split("|"):
            add(name, Entry("family", row["names"].split("|")[0], row["country"],
                            needs=row["needs"]))
    for word in ("نظيره", "نظيرته", "نظيرها", "نظيريه", "نظيرتها", "نظرائه", "نظيرهم"):
        add(word, Entry("counterpart", "counterpart"))
    names_by_country: dict[str, list[str]] = {}
    english = {}
    for row in read_rows("countries.csv"):
        names_by_country.setdefault(row["alpha3"], []).append(row["name_ar"])
        english[row["alpha3"]] = row["name_en"]
    for row in read_rows("country_variants.csv"):
        names_by_country.setdefault(row["alpha3"], []).extend(row["names"].split("|"))
    forms = [r["word"] for r in read_rows("state_forms.csv")]
    for code, names in names_by_country.items():
        for name in names:
            add(name, Entry("country", english.get(code, code), code))
        for form in forms:  # «بجمهورية ألمانيا الاتحادية», «لمملكة السويد»
            add(f"{form} {names[0]}", Entry("country", english.get(code, code), code))
    for row in read_rows("subnational.csv"):
        for name in row["names"].split("|"):
            add(name, Entry("country", row["names"].split("|")[0], row["country"],
                            subnational=True))
    for row in read_rows("organisations.csv"):
        for name in row["names"].split("|"):
            add(name, Entry("organisation", row["code"], row["code"]))
    for file in ("places_curated.csv", "places.csv"):
        for row in read_rows(file):
            add(row["name_ar"], Entry("place", row["name_ar"], row["country"]))
    stems: dict[str, list[str]] = {}
    for row in read_rows("demonyms.csv"):
        stems[row["alpha3"]] = row["stems"].split("|")
    for code, names in names_by_country.items():
        for stem in stems.get(code) or [s for s in map(nisba_stem, names[:1]) if s]:
            for form in nisba_forms(stem):
                add(form, Entry("demonym", english.get(code, code), code))
    not_states = frozenset(matching_form(r["word"]) for r in read_rows("not_states.csv"))
    bodies = frozenset(form for r in read_rows("non_state_bodies.csv")
                       for form in with_proclitics(matching_form(r["word"])))
    for word in not_states:
        for form in nisba_forms(word.removeprefix("ال")):
            for key in with_proclitics(form):
                table.pop(key, None)
    keys = tuple(table)
    return Gazetteer(keys, tuple(table[k] for k in keys),
                     AhoCorasick(keys, matchkind=MatchKind.LeftmostLongest),
                     {p: tuple(sorted(o, key=lambda x: x.start)) for p, o in offices.items()},
                     not_states, frozenset(prefixes), bodies)
