"""Who takes part in a contact: the arguments of its trigger, not every official of the sentence.

A sentence of Arabic news names more states than take part: «تأتي المكالمة في أعقاب العقوبات
التي اتخذها ترامب», «أعربا خلال مكالمة هاتفية عن قلقهما حيال تصريحات للرئيس الروسي», «طلب من
غوتيريش خلال مكالمة أن تتحقق الأمم المتحدة من …». The participants are the officials reached
from the trigger: after it the partners («مع / بـ / من / إلى Y و Z»), before it the subject
(«أجرى X اتصالاً», «بحث X مع Y هاتفياً»), each chain running across short gaps and ending at
a word that opens a topic, a subordinate or relative clause or a reported statement
(data/event_frames.csv). The engine knows no country and no name: only those words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from ittisal.datafiles import read_rows
from ittisal.entities.tagging import EntityMention

# how many plain words (titles, names the tagger did not place, a day word) may stand
# between two arguments of one chain
MAX_GAP_WORDS = {"after": 4, "before": 6}
_PUNCTUATION = re.compile(r'[.:;؛!?"«»()\n]')
_WORD = re.compile(r"\w+")
# «وخلال اتصالات هاتفية مع إردوغان دعا بوتين …»: a trigger that opens its clause as a
# phrase of time; the subject is the one of the verb after it
_OPENING_PHRASE = re.compile(r"(?:^|\W)(?:و|ف)?(?:خلال|في|عبر|اثناء)\s*$")


@dataclass(frozen=True)
class Arguments:
    subjects: tuple[EntityMention, ...]  # before the trigger (or of the verb it opens for)
    partners: tuple[EntityMention, ...]  # after the trigger

    @property
    def actors(self) -> list[EntityMention]:
        return sorted((*self.subjects, *self.partners), key=lambda m: m.start)


@cache
def _bounds(side: str) -> re.Pattern[str]:
    """One alternation of the bounding words of `side` (after | before), whole words, with
    an optional و / ف before them."""
    body = "|".join(f"(?:{r['pattern']})" for r in read_rows("event_frames.csv")
                    if r["side"] in (side, "both"))
    return re.compile(rf"(?<!\w)(?:و|ف)?(?:{body})(?!\w)")


@cache
def bound_words(*kinds: str) -> str:
    """The alternation of the bounding words of `kinds` (clause, relative, topic …) from
    data/event_frames.csv, for other rules that stop at the same words."""
    return "|".join(f"(?:{r['pattern']})" for r in read_rows("event_frames.csv")
                    if r["kind"] in kinds)


# a comma and a word with «و/ف» and no official: a new coordinated clause begins
_NEW_CLAUSE = re.compile(r",\s*((?:و(?!ذلك)|ف(?!ي(?!\w)))\w\w)")  # not «وذلك», «في»
_EMPTY_BRACKETS = re.compile(r"\(\s*\)")


def blank_spans(text: str, lo: int, hi: int, spans: Sequence[tuple[int, int]]) -> str:
    """text[lo:hi] with the characters inside any of `spans` read as spaces (the same length)."""
    return "".join(" " if any(a <= i < b for a, b in spans) else ch
                   for i, ch in enumerate(text[lo:hi], start=lo))


def _open_gap(text: str, lo: int, hi: int, side: str,
              titles: Sequence[tuple[int, int]] = (),
              dates: Sequence[tuple[int, int]] = ()) -> bool:
    """Whether a chain of arguments runs across text[lo:hi]. Words of `titles` (offices the
    tagger could not place, in apposition: «… بن عبدالعزيز ولي ولي العهد النائب الثاني لرئيس
    مجلس الوزراء وزير الدفاع برقية») are not counted as gap words; `dates` (the spans of the
    sentence's date expressions) are read as blank, brackets around them included."""
    gap = text[lo:hi]
    if dates:  # «اتصالاً هاتفياً في وقت سابق اليوم مع», «الاثنين (5 مارس) مع»: a day is no gap
        gap = _EMPTY_BRACKETS.sub(" ", blank_spans(text, lo, hi, dates))
    if _PUNCTUATION.search(gap) or _bounds(side).search(gap):
        return False
    if side == "before" and any(not any(a <= lo + m.start(1) < b for a, b in titles)
                                for m in _NEW_CLAUSE.finditer(gap)):
        return False  # «… من A، وتلقى مكالمة من B»: A is the last call's partner
    words = [m for m in _WORD.finditer(gap)
             if not any(a <= lo + m.start() and lo + m.end() <= b for a, b in titles)]
    return len(words) <= MAX_GAP_WORDS[side]


def _after(text: str, pos: int, end: int, actors: Sequence[EntityMention],
           dates: Sequence[tuple[int, int]] = ()) -> tuple[list[EntityMention], int]:
    """The chain of actors from `pos` onwards, and where it stopped."""
    chain: list[EntityMention] = []
    for a in actors:
        if a.start < pos:
            continue
        if a.start >= end or not _open_gap(text, pos, a.start, "after", dates=dates):
            break
        chain.append(a)
        pos = a.end
    return chain, pos


def _before(text: str, pos: int, start: int, actors: Sequence[EntityMention],
            titles: Sequence[tuple[int, int]] = (),
            dates: Sequence[tuple[int, int]] = ()) -> list[EntityMention]:
    chain: list[EntityMention] = []
    for a in reversed(actors):
        if a.end > pos:
            continue
        if a.start < start or not _open_gap(text, a.end, pos, "before", titles, dates):
            break
        chain.insert(0, a)
        pos = a.start
    return chain


def trigger_arguments(text: str, hit_start: int, hit_end: int,
                      actors: Sequence[EntityMention], s_start: int, s_end: int,
                      titles: Sequence[tuple[int, int]] = (),
                      dates: Sequence[tuple[int, int]] = ()) -> Arguments:
    """The subject and partner officials of the trigger at text[hit_start:hit_end], inside
    the sentence text[s_start:s_end]; `actors` are the sentence's placed officials in order,
    `titles` the spans of its unplaced offices (apposition a subject chain runs across),
    `dates` the spans of its date expressions (no gap either)."""
    ordered = sorted(actors, key=lambda m: m.start)
    own_clause = _OWN_RELATIVE.match(text, hit_end)
    partners, stop = _after(text, own_clause.end() if own_clause else hit_end, s_end, ordered,
                            dates)
    subjects = _before(text, hit_start, s_start, ordered, titles, dates)
    if not subjects and _OPENING_PHRASE.search(text[max(s_start, hit_start - 12):hit_start]):
        verb = _main_verb(text, stop, s_end)
        if verb is not None:
            subjects, _ = _after(text, verb, s_end, ordered)
    return Arguments(tuple(subjects), tuple(partners))


# «المكالمة الهاتفية التي جرت بين …», «الاتصال الذي أجراه …»: a relative clause right after the
# trigger tells of the contact itself, and its partners are the trigger's
_OWN_RELATIVE = re.compile(r"\s*(?:التي|الذي)\s+\w+")
_VERB_REACH = 3  # words between the opening phrase's partners and the main verb («الخميس»)


def _main_verb(text: str, pos: int, end: int) -> int | None:
    """Where the subject of the clause an opening phrase leads to starts: after the first
    verb within a few words («وفي مكالمة هاتفية الخميس، أكدت ميركل وترامب …»)."""
    verb = _bounds("after").search(text, pos, end)
    if verb is None:
        return None
    gap = text[pos:verb.start()]
    if re.search(r'[.:;؛!?"«»()\n]', gap) or len(_WORD.findall(gap)) > _VERB_REACH:
        return None
    return verb.end()
