"""Reported contacts between states: who called, visited, met or wrote to whom, and when.

A sentence reports an event when it holds a trigger (data/event_triggers.csv) and officials
of at least two states or organisations. Cues around the trigger (data/event_cues.csv) decide
the initiator and drop planned, denied and hypothetical contacts; past contacts told in
passing are kept and flagged as background. Everything works on the matching form of the
text; offsets are matching offsets, which the caller maps to the display text.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache

from ahocorasick_rs import AhoCorasick, MatchKind

from ittisal.datafiles import read_rows
from ittisal.entities.gazetteer import PROCLITICS, organisation_codes
from ittisal.entities.tagging import EntityMention
from ittisal.events.dates import (
    DateExpression,
    DateResolution,
    find_date_expressions,
    past_dates,
    resolve_event_date,
    resolve_partner_date,
    writing_day,
)
from ittisal.events.frames import Arguments, blank_spans, bound_words, trigger_arguments
from ittisal.text.normalize import NormalizedText, matching_form

ACTOR_KINDS = frozenset({"person", "role"})
FRAMED_TYPES = frozenset({"call", "message"})  # participants are the trigger's arguments
DAY_KINDS = ("explicit", "relative", "weekday")
# «جاء ذلك خلال اتصال …»: the sentence tells when what was just reported was said
ABOUT_THE_ABOVE = re.compile(r"\W*(?:و|ف)?(?:جاء|ياتي|وياتي|اتي) (?:ذلك|هذا|ذاك)")
# «أجرى الرئيس اتصالات مع …» with no channel and no time word: a summary of a period's
# contacts, not the day's news
SUMMARY_OF_CONTACTS = re.compile(r"(?:و|ف)?(?:ال)?اتصالات(?: (?:مع|ب\w*))?")
ONGOING = re.compile(r"(?<!\w)(?:حاليا|الان)(?!\w)")
NEAR_CHARS = 60  # how far after a trigger a cue still belongs to it
NEXT_CHARS = 40  # how far after a trigger its own noun phrase reaches
_NOUN_PHRASE = re.compile(r"[\w ,]*")
BACKGROUND_DAYS = 30  # an event dated further back than this is told in passing


@dataclass(frozen=True)
class Trigger:
    event_type: str
    number: str  # singular | plural | present

    @property
    def plural(self) -> bool:
        return self.number == "plural"


@dataclass(frozen=True)
class Cue:
    cue: str
    where: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class EventMention:
    event_type: str
    start: int
    end: int
    countries: tuple[str, ...]
    initiator: str | None
    persons: tuple[str, ...]
    trigger: str
    background: bool
    date: DateResolution
    date_offset: int | None
    paragraph: int
    subject_carried: bool = False  # the subject is the previous sentence's (Arabic drops it)
    caller: str | None = None  # the official who called or wrote, as the subject names him
    # tells apart contacts of one type, states and day the article counts as several (the
    # caller's name, or «2/3» for «ثلاث مرات»); None for the usual one contact
    contact_key: str | None = None


def _compile(pattern: str) -> re.Pattern[str]:
    """Whole words, after an optional و / ف («ومن المقرر»)."""
    return re.compile(rf"(?<!\w)(?:و|ف)?(?:{pattern})(?!\w)")


@cache
def triggers() -> tuple[Trigger, ...]:
    return tuple(Trigger(r["event_type"], r["number"]) for r in read_rows("event_triggers.csv"))


@cache
def _all_triggers(active: frozenset[int] | None = None) -> re.Pattern[str]:
    """Every trigger in one alternation (group `t<i>` is row i): one pass over a text; where
    two rows match at one place the earlier row wins, so multi-word rows come first. With
    `active`, only those rows (the others cannot match the text at hand)."""
    rows = list(read_rows("event_triggers.csv"))
    body = "|".join(f"(?P<t{i}>{r['pattern']})" for i, r in enumerate(rows)
                    if active is None or i in active)
    return re.compile(rf"(?<!\w)(?:و|ف)?(?:{body})(?!\w)")


@cache
def _requires() -> tuple[tuple[str, ...], ...]:
    """Per trigger row, the words one of which its match needs further on (`requires`: «تسلم
    … دعوة» needs «دعو»); empty for most rows. A text holding none of them cannot match the
    row, so its common verb stems («سلم», «قدم», «حل», «عقد») open no window there."""
    return tuple(tuple(w for w in (r.get("requires") or "").split("|") if w)
                 for r in read_rows("event_triggers.csv"))


def _active_rows(text: str) -> frozenset[int]:
    return frozenset(i for i, words in enumerate(_requires())
                     if not words or any(w in text for w in words))


@cache
def cues() -> tuple[Cue, ...]:
    return tuple(Cue(r["cue"], r["where"], _compile(r["pattern"]))
                 for r in read_rows("event_cues.csv"))


_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n")


def sentences(text: str) -> list[tuple[int, int, int]]:
    """(start, end, paragraph number) of each sentence; paragraphs are lines."""
    out = []
    paragraph, start = 0, 0
    for m in _SENTENCE_END.finditer(text + "\n"):
        end = m.end() if m.group() != "\n" else m.start()
        if text[start:end].strip():
            lead = len(text[start:end]) - len(text[start:end].lstrip())
            out.append((start + lead, min(end, len(text)), paragraph))
        if m.group() == "\n":
            paragraph += 1
        start = m.end()
    return out


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    trigger: Trigger


@cache
def _stems(active: frozenset[int] | None = None) -> AhoCorasick:
    """The stems of every (active) trigger row in one automaton (data/event_triggers.csv,
    `stems`)."""
    return AhoCorasick(_stem_list(active), matchkind=MatchKind.Standard)


def _rows_of(active: frozenset[int] | None) -> list[dict[str, str]]:
    return [r for i, r in enumerate(read_rows("event_triggers.csv"))
            if active is None or i in active]


@cache
def _stem_list(active: frozenset[int] | None = None) -> list[str]:
    return sorted({s for r in _rows_of(active) for s in r["stems"].split("|")})


@cache
def _long_reach(active: frozenset[int] | None = None) -> tuple[bool, ...]:
    """Per stem of `_stem_list`: whether a row it belongs to looks ahead past punctuation
    («وصل … ، اليوم ، إلى»); the others' windows stop at the first punctuation."""
    long = {s for r in _rows_of(active) if "(?=[^" in r["pattern"]
            for s in r["stems"].split("|")}
    return tuple(s in long for s in _stem_list(active))


# How far a trigger reaches before its stem: a proclitic, «في », «ال», a word before it
# («المباحثات الهاتفية»); the window then goes back to a word start.
_STEM_BACK = 20
# What a trigger's lookahead can read after its stem: words, single spaces and the commas
# that set off an interjection («أجرى X، اليوم، مباحثات»), or for the long-reach rows («وصل …
# إلى») the rest of the sentence, as far as their lookahead reads.
_WORDS_AND_SPACES = re.compile(r"[\w ,]*")
_LOOKAHEAD = re.compile(r"[^.!?؟\n]{0,240}")


def _trigger_windows(text: str, active: frozenset[int] | None = None
                     ) -> list[tuple[int, int]]:
    """Stretches of `text` that hold every trigger (of the `active` rows): around each stem,
    from the word start a little before it to the end of the run of words and spaces after
    it, or of the sentence for a long-reach stem (no pattern reads past a sentence end),
    merged."""
    spans: list[tuple[int, int]] = []
    long = _long_reach(active)
    for stem, start, end in _stems(active).find_matches_as_indexes(text, overlapping=True):
        start = max(0, start - _STEM_BACK)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        end = (_LOOKAHEAD if long[stem] else _WORDS_AND_SPACES).match(text, end).end()
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def trigger_hits(text: str, *, windowed: bool = True) -> list[_Hit]:
    """Non-overlapping triggers of a text, in order. The alternation runs only around the
    triggers' stems (`windowed`), which finds what a scan of the whole text finds (a test
    holds the two equal) at a fraction of the cost."""
    rows = triggers()
    if not windowed:
        return [_Hit(m.start(), m.end(), rows[int(m.lastgroup[1:])])
                for m in _all_triggers().finditer(text)]
    active = _active_rows(text)
    pattern = _all_triggers(active)
    return [_Hit(m.start(), m.end(), rows[int(m.lastgroup[1:])])
            for start, end in _trigger_windows(text, active)
            for m in pattern.finditer(text, start, end)]


def _word_end(text: str, pos: int) -> int:
    """`pos`, or the end of the word it falls inside: a window cut mid-word would let «المقبل»
    match the first letters of «المقبلة»."""
    while pos < len(text) and (text[pos].isalnum() or text[pos] == "_"):
        pos += 1
    return pos


def _cue(text: str, s_start: int, hit: _Hit, kinds: set[str], s_end: int | None = None
         ) -> tuple[str, re.Match] | None:
    """The nearest cue of `kinds` governing a trigger: before it in the sentence, or near after
    (never past the sentence's end: «… أوباما. وتلقى …» is the next report's verb)."""
    end = len(text) if s_end is None else s_end
    best: tuple[int, str, re.Match] | None = None
    for c in cues():
        if c.cue not in kinds:
            continue
        windows = []
        if c.where in ("before", "either"):
            windows.append((s_start, hit.start))
        if c.where in ("near", "either"):
            # up to the next comma: «رسالة خطية من X، سلمها وزير الخارجية» — the verb after
            # the comma is the courier's, the sentence's «تلقى» still says who sent it
            near = _word_end(text, min(end, hit.end + NEAR_CHARS))
            comma = text.find(",", hit.end, near)
            windows.append((hit.end, near if comma < 0 else comma))
        if c.where == "next":
            # the trigger's own noun phrase: «الزيارة المقررة», «زيارته إلى لبنان، والتي كانت
            # مقررة»; only words and commas between
            gap = _NOUN_PHRASE.match(text, hit.end, min(end, hit.end + NEXT_CHARS))
            windows.append((hit.end, gap.end()))
        for lo, hi in windows:
            for m in c.pattern.finditer(text, lo, hi):
                distance = hit.start - m.end() if m.start() < hit.start else m.start() - hit.end
                if best is None or distance < best[0]:
                    best = (distance, c.cue, m)
    return (best[1], best[2]) if best else None


def _is_actor(m: EntityMention) -> bool:
    return m.country is not None and m.kind in ACTOR_KINDS


def _countries(mentions: Sequence[EntityMention]) -> list[str]:
    seen: list[str] = []
    for m in mentions:
        if m.country and m.country not in seen:
            seen.append(m.country)
    return seen


def _after(mentions: Sequence[EntityMention], text: str, pos: int, word: str
           ) -> EntityMention | None:
    """First actor after the first `word` (e.g. «من») that follows `pos`."""
    m = re.compile(rf"(?<!\w){word}(?!\w)|(?<!\w){word}(?=ال)").search(text, pos)
    if not m:
        return None
    return next((a for a in mentions if a.start >= m.start()), None)


@dataclass
class _Context:
    """What earlier sentences of the article tell a later one."""

    subjects: list[EntityMention]  # first official of each earlier sentence, newest first
    previous: EventMention | None  # the last event reported
    publication_weekday: int | None  # the weekday the article says it is published on


def _participants(hit: _Hit, actors: Sequence[EntityMention], context: _Context,
                  paragraph: int) -> list[str]:
    """States taking part: the officials of the sentence, else the subject named just before
    («وأثنى في اتصال هاتفي مع …»), else the event just reported («وبحث الجانبان خلال المحادثة
    الهاتفية …» refers back to the same call)."""
    countries = _countries(actors)
    if len(countries) == 1:
        for prior in context.subjects:
            if prior.country not in countries:
                countries.insert(0, prior.country)
                break
    if not countries and context.previous is not None and (
            context.previous.event_type == hit.trigger.event_type
            and paragraph - context.previous.paragraph <= 2):
        countries = list(context.previous.countries)
    return countries


class _DateIndex:
    """An article's date expressions (in text order) with their starts and the running
    maximum of their ends, so a sentence finds its own by bisection instead of reading all
    of them (which made a long record quadratic)."""

    def __init__(self, expressions: Sequence[DateExpression]) -> None:
        self.expressions = list(expressions)
        self._starts = [e.start for e in self.expressions]
        self._max_end: list[int] = []
        for e in self.expressions:
            self._max_end.append(max(e.end, self._max_end[-1] if self._max_end else e.end))

    def starting_in(self, lo: int, hi: int) -> list[DateExpression]:
        """The expressions that start at `lo` or after and before `hi`, in text order."""
        return self.expressions[bisect_left(self._starts, lo):bisect_left(self._starts, hi)]

    def covered_until(self, pos: int) -> int | None:
        """Where the expressions covering `pos` end (the furthest), or None if none does."""
        k = bisect_right(self._starts, pos) - 1
        return self._max_end[k] if k >= 0 and self._max_end[k] > pos else None


_NOT_SPACE = re.compile(r"\S")


def _words_outside_dates(text: str, lo: int, hi: int, dates: _DateIndex) -> bool:
    """Whether `text[lo:hi]` holds anything but spaces and date expressions."""
    pos = lo
    while (m := _NOT_SPACE.search(text, pos, hi)) is not None:
        until = dates.covered_until(m.start())
        if until is None:
            return True
        pos = until
    return False


def _visit_participants(text: str, hit: _Hit, actors: Sequence[EntityMention],
                        mentions: Sequence[EntityMention], context: _Context,
                        paragraph: int, dates: _DateIndex) -> list[str]:
    """The visitor's state and the state visited: the first place or country named after the
    trigger («وزار … نتنياهو موسكو», «وصل … إلى العاصمة العمانية مسقط»)."""
    if _LEFT.fullmatch(text, hit.start, hit.end):
        return _place_left(text, hit, actors, mentions, dates)
    if _OWN_ARRIVAL.fullmatch(text, hit.start, hit.end):
        # «في استقبال رئيس الوزراء الإثيوبي لدى وصوله إلى مطار القاهرة»: the pronoun is the
        # official named last before it, the place after «إلى» where he arrived; with no
        # place named («لدى وصوله») the reception is all the sentence tells
        guest = next((a for a in reversed(actors) if a.end <= hit.start), None)
        place = next((m for m in mentions if m.start > hit.end and m.country
                      and m.kind in ("place", "country")), None)
        if (guest is None or place is None or place.country == guest.country
                or not _TO_PLACE.fullmatch(text, hit.end, place.start)):
            return []
        return [guest.country, place.country]
    arriving = None
    if _ARRIVAL_NOUN.fullmatch(text, hit.start, hit.end):
        arriving = next((a for a in actors if a.start >= hit.end
                         and _ARRIVAL_GAP.fullmatch(text, hit.end, a.start)), None)
        if arriving is None:
            return []  # «وصول المعونات الإنسانية إلى الحديدة»: an official's arrival names him
    if _ARRIVED.fullmatch(text, hit.start, hit.end):
        to = _TO.search(text, hit.end)
        if to is not None:
            between = [a for a in actors if hit.end <= a.start < to.start()]
            # the day words («مساء أمس») are no subject
            if not between and _words_outside_dates(text, hit.end, to.start(), dates) and not any(
                    a.end <= hit.start for a in actors):
                return []  # «وصل 120 يمنياً عالقاً إلى اليمن»: nobody of state office arrived
    countries = _participants(hit, actors, context, paragraph)
    # «عقب وصول الرئيس الفرنسي إلى نيروبي»: the official the noun names arrived
    visitor = arriving.country if arriving else (countries[0] if countries else None)
    own = [a for a in actors if a.country == visitor]
    if actors and (not own or all(a.role == "ambassador" for a in own)):
        # the sentence names officials but none of the guest's state: the guest carried from
        # before is not this sentence's traveller; «زار سفير كينيا لدى المملكة مقر الغرفة
        # التجارية»: an ambassador lives where he goes
        return []
    destination = next((m.country for m in mentions if m.start >= hit.start and m.country
                        and m.kind in ("place", "country") and m.country != visitor), None)
    if destination is None:
        # «وتوجه X أمس إلى باريس في زيارة رسمية», «قال X في باريس، حيث يقوم بزيارة»:
        # where he went or is, told before the noun
        destination = next((m.country for m in reversed(mentions) if m.end <= hit.start
                            and m.country and m.kind in ("place", "country")
                            and m.country != visitor
                            and _TOWARDS.search(text, max(0, m.start - 5), m.start)), None)
    if visitor and destination:
        return [visitor, destination, *_more_destinations(text, hit, mentions, visitor)]
    if arriving is not None:  # no place named: the other state's official received him
        hosts = [c for c in _countries(actors) if c != visitor]
        return [visitor, hosts[0]] if hosts else []
    return countries


_AND_NEXT = re.compile(r"\s*(?:,\s*)?و\s*")


def _more_destinations(text: str, hit: _Hit, mentions: Sequence[EntityMention],
                       visitor: str) -> list[str]:
    """«زار الرئيس الكيني أوغندا وتنزانيا»: states coordinated right after the first
    destination are visited too (a tour: one visit each)."""
    after = [m for m in mentions if m.start >= hit.end and m.country
             and m.kind in ("place", "country")]
    more: list[str] = []
    for first, nxt in zip(after, after[1:], strict=False):
        # «و» + the state: the conjunction is the mention's own proclitic or stands apart
        joined = _AND_NEXT.fullmatch(text, first.end, nxt.start) or (
            nxt.surface.startswith("و") and _BLANK.fullmatch(text, first.end, nxt.start))
        if not joined:
            break
        if nxt.country not in (visitor, first.country, *more):
            more.append(nxt.country)
    return more


_BLANK = re.compile(r"\s*(?:,\s*)?")


def _place_left(text: str, hit: _Hit, actors: Sequence[EntityMention],
                mentions: Sequence[EntityMention], dates: _DateIndex) -> list[str]:
    """«وغادر X جدة مساء أمس»: X visited the state of the place he left, when that place is
    the verb's object (honorifics before X; after him only day words, «في وقت لاحق» and
    «العاصمة») and not X's own («غادر … مطار قاعدة الملك خالد الجوية» is a trip at home;
    «غادر إلى الرياض» says where he goes, not where he was; «غادر الاجتماع» leaves no place)."""
    # the one who left is the verb's subject: right before it («وكان X قد غادر أمس …») or
    # right after it
    before = next((a for a in reversed(actors) if a.end <= hit.start), None)
    visitor = None
    if before is not None:
        # his offices the tagger cannot place may stand between («… وزير الدفاع قد غادر»)
        offices = [(m.start, m.end) for m in mentions if m.kind == "role" and m.country is None]
        gap = blank_spans(text, before.end, hit.start, offices)
        visitor = before.country if _JUST_BEFORE.fullmatch(gap) else None
    pos = hit.end
    for m in mentions:
        if m.start < hit.end:
            continue
        gap = text[pos:m.start]
        later = [x.span() for x in _LATER.finditer(gap)]
        words = [w for w in _WORD_RE.finditer(gap)
                 if dates.covered_until(pos + w.start()) is None
                 and not any(a <= w.start() < b for a, b in later)]
        capital = bool(words) and words[-1].group() in _PLACE_NOUNS
        if visitor is not None:
            words = [w for w in words if w.group() not in _PLACE_NOUNS]
        if words and (visitor is not None or len(words) > _HONORIFIC_WORDS) or re.search(
                r"[.,:؛]", gap):
            return []
        if visitor is not None and m.country and (
                m.kind in ("place", "country") or (m.kind == "demonym" and capital)):
            return [] if m.country == visitor else [visitor, m.country]
        if not _is_actor(m) and m.kind != "role":
            return []
        visitor = visitor or m.country
        pos = m.end
    return []


_LEFT = re.compile(r"(?:و|ف)?(?:غادر|غادرت|غادروا)")
_JUST_BEFORE = re.compile(r"\s*(?:قد\s+)?")
_LATER = re.compile(r"في وقت (?:لاحق|متاخر)(?: من)?")
_PLACE_NOUNS = frozenset({"العاصمه", "الاراضي", "مدينه"})
_WORD_RE = re.compile(r"\w+")
_HONORIFIC_WORDS = 4  # «صاحب السمو الملكي», «فخامة», «دولة» before the one who left
_ARRIVAL_NOUN = re.compile(r"(?:و|ف)?وصول")  # bare: «لدى وصوله» names him by its pronoun
_ARRIVAL_GAP = re.compile(r"\s+(?:\w+\s+){0,2}")  # «وصول الرئيس», «وصول فخامة الرئيس»
_CHANNEL = re.compile(r" (?:\w+ ){0,2}")  # the meeting noun and its channel: «اجتماعاً ثنائياً عبر»
_OWN_ARRIVAL = re.compile(r"(?:و|ف)?وصول(?:ه|ها|هم|هما)(?!\w)")  # «لدى وصوله»
_TO_PLACE = re.compile(r"(?:ه|ها|هم|هما)? الي (?:(?:ال)?(?:مطار|العاصمه|مدينه) (?:\w+ ){0,3}?)?")
_TOWARDS = re.compile(r"(?<!\w)(?:الي|في) $")
_ARRIVED = re.compile(r"(?:و|ف)?(?:وصل|وصلت|وصلوا)")
_TO = re.compile(r"(?<!\w)الي(?!\w)")


def _sentence_events(text: str, s_start: int, s_end: int, paragraph: int,
                     mentions: Sequence[EntityMention], context: _Context,
                     published: dt.date | None, p_start: int, lead: bool,
                     hits: list[_Hit], dates: _DateIndex) -> list[EventMention]:
    actors = [m for m in mentions if _is_actor(m)]
    # «بين الرئيسين»: a dual stands for the two officials named last
    arguable = [m for m in mentions if _is_actor(m) or (m.kind == "reference" and m.country)]
    titles = [(m.start, m.end) for m in mentions if m.kind == "role" and m.country is None]
    day_spans = [(e.start, e.end) for e in dates.starting_in(s_start, s_end) if e.end <= s_end]
    events: list[EventMention] = []
    window = [replace(e, start=e.start - p_start, end=e.end - p_start)
              for e in dates.starting_in(p_start, s_end + 1) if e.end <= s_end]
    # «يصل … الجمعة إلى موسكو في زيارة …»: a planned visit, and so is the noun beside it
    planned = {h.trigger.event_type for h in hits if h.trigger.number == "present"
               and not ONGOING.search(text, s_start, s_end)}
    if _QUESTION.search(text, s_start, s_end):
        return []  # «ما الذي تعنيه زيارة الرئيس الإريتري لإثيوبيا؟» asks, it reports nothing
    for hit in hits:
        if hit.trigger.event_type in planned or _cue(
                text, _own_clause(text, s_start, hit, plans=True), hit,
                {"future", "denied", "hypothetical", "press"}, s_end):
            continue
        # the partners of one trigger end where a contact word after one of them begins («تلقى X
        # اتصالاً من A، وتلقى مكالمة مماثلة من B»: two calls, not one of three states)
        next_hit = min((h.start for h in hits if h.start >= hit.end and not _OWN_ARRIVAL.fullmatch(
            text, h.start, h.end) and any(
            hit.end <= a.start and a.end <= h.start for a in actors)), default=s_end)
        args = trigger_arguments(text, hit.start, hit.end, arguable, s_start, next_hit, titles,
                                 day_spans)
        relative = _relative_contact(text, s_start, hit, hits, actors)
        if relative is not None:
            args = relative
        titled = None if relative else _titled_subject(text, hit, args, mentions, actors)
        if titled is not None:
            args = Arguments((titled,), args.partners)
        carried = None if titled is not None else _dropped_subject(text, s_start, hit, args,
                                                                   context)
        if carried is not None:
            args = Arguments((carried,), args.partners)
        else:
            args = _main_clause_subject(text, s_start, hit, args, actors)
        # visits and receptions name their guest across venues and times («استقبل X في
        # مكتبه بقصر … الأربعاء، Y»): their frames are not written yet, they keep the sentence
        if hit.trigger.event_type in FRAMED_TYPES or (
                args.subjects and args.partners and _OWNED_MEETING.fullmatch(
                    text, hit.start, hit.end)):
            own = args.actors
        elif hit.trigger.event_type == "meeting" and _MEETING_NOUN.fullmatch(
                text, hit.start, hit.end) and len({a.country for a in args.partners}) >= 2:
            # «… أطلع ترامب على نتائج لقاء مسؤولين من كوريا الجنوبية مع كيم»: the noun's own
            # phrase names who met, not the sentence's subject
            own = list(args.partners)
        elif relative is None and hit.trigger.event_type == "meeting" and args.partners and (
                _RELATIVE_VERB.search(
                    text, max(s_start, hit.start - 8), hit.start)):
            # «… الزعيم الكوري الجنوبي الذي التقى نظيره الشمالي»: the antecedent met him
            antecedent = [a for a in actors if a.end <= hit.start][-1:]
            own = antecedent + list(args.partners) if antecedent else list(args.partners)
        else:
            # up to the next contact word after a partner, as for frames
            own = [a for a in actors if a.start < next_hit]
        if hit.trigger.event_type == "meeting":
            own = [a for a in own if not _at_venue(text, a)]
            if any(h.trigger.event_type == "call" and _CHANNEL.fullmatch(text, hit.end, h.start)
                   and text.startswith("عبر", h.start) for h in hits):
                continue  # «عقد X اجتماعاً عبر تقنية الاتصال المرئي مع Y»: a call, not in person
        if hit.trigger.event_type == "visit":
            ctry = _visit_participants(text, hit, own, mentions, context, paragraph, dates)
        else:
            ctry = _participants(hit, own, context, paragraph)
        if len(ctry) < 2:
            continue
        if (_TALKS.fullmatch(text, hit.start, hit.end) or _HELD_TALKS.match(
                text, hit.start)) and not _talks_in_person(
                text, hit, hits, mentions, s_end):
            continue
        if _HELD.fullmatch(text, hit.start, hit.end) and any(
                0 <= hit.start - a.end <= 1 for a in actors):
            continue  # «واقترح الرئيس الكيني عقد قمة …»: the verbal noun after its subject
        if _RE_MENTION.fullmatch(text, hit.start, hit.end) and _COMMENT_VERB.search(
                text, max(s_start, hit.start - 8), hit.start) and not _OWN_PARTIES.match(
                text, hit.end) and not any(0 <= a.start - hit.end <= 3 for a in actors):
            # «وتأتي الزيارة بعد …», «وجاء الاتصال في إطار …»: of the contact just told («وجاء
            # الاتصال بين X و Y …» names its own)
            continue
        if not own and _RE_MENTION.fullmatch(text, hit.start, hit.end) and not _day_of_its_own(
                text, hit, s_end, dates):
            # «وجرى خلال اللقاء …», «حضر الاجتماع …»: more of the contact just reported, not
            # another one (one contact, one mention)
            continue
        previous = context.previous
        if (_RE_MENTION.fullmatch(text, hit.start, hit.end) and previous is not None
                and previous.event_type == hit.trigger.event_type
                and previous.countries == tuple(sorted(ctry))
                and not _day_of_its_own(text, hit, s_end, dates)):
            continue  # «وأكد X خلال اللقاء مع Y …» after the meeting of X and Y: the same one
        initiator = _initiator(text, s_start, s_end, hit, own, ctry) or _caller_by_ba(
            text, hit, args)
        if relative is not None:
            initiator = args.subjects[0].country if hit.trigger.event_type == "call" else None
        date = resolve_event_date(text[p_start:s_end], hit.start - p_start, published,
                                  _own_days(text, hit, hits, window, p_start))
        offset = _offset(date)
        if _today_news(date):
            if lead:
                date = replace(date, weekday=context.publication_weekday)
            else:
                date = replace(date, date=None, basis="unknown", precision="none")
                offset = None
        # «مضيفاً أن الاتصال آنذاك كان …»: no official named, the contact just reported;
        # a past one stays past
        anaphoric = not own and context.previous is not None
        # «وتعود آخر زيارة لوزير خارجية أميركي إلى كوبا إلى العام 1945»: a past year in the
        # trigger's clause tells an old contact
        past_year = _past_year(text, hit, s_end, dates, published) or _chronology(
            text, s_start, published)
        # «جاء ذلك عقب محادثات أجراها …»: an earlier contact, unless it has a day of its own
        # («… أمس الأربعاء»: yesterday's talks are news too)
        own_day = _day_of_its_own(text, hit, s_end, dates)
        background = past_year or (anaphoric and context.previous.background) or bool(
            _cue(text, s_start, hit, {"background"}, s_end)) or (
            _told_earlier(text, s_start, hit, s_end, date, published)) or (
            not own_day and bool(_cue(text, s_start, hit, {"follows"}, s_end))) or (
            "past_period" in date.flags) or bool(
            date.date and published and (published - date.date).days > BACKGROUND_DAYS)
        persons = tuple(dict.fromkeys(m.canonical for m in mentions if m.kind == "person"))
        base = EventMention(hit.trigger.event_type, s_start, s_end, tuple(sorted(ctry)),
                            initiator, persons, text[hit.start:hit.end], background, date,
                            offset, paragraph, carried is not None,
                            _caller(args, initiator, mentions))
        hub = _hub(args, initiator)
        host = _meeting_host(text, hit, args, own) if len(ctry) > 2 else None
        if host:
            # «استقبل X … Y و Z», «التقى X Y و Z»: each counterpart met is a meeting of its own
            events += [replace(base, countries=tuple(sorted({host, c}))) for c in ctry
                       if c != host]
        elif hit.trigger.event_type == "visit" and len(ctry) > 2:
            # a tour: the visitor's visit to each state named
            events += [replace(base, countries=tuple(sorted({ctry[0], c}))) for c in ctry[1:]]
        elif hit.trigger.plural and hub and len(ctry) > 2:
            # «تلقى X الاتصالات من A و B»: each partner placed its own call
            events += [replace(base, countries=tuple(sorted({hub, c})),
                               initiator=initiator if initiator in (hub, None) else c)
                       for c in ctry if c != hub]
        else:
            split = _split_by_day(base, hit, args, hub, text, p_start, s_end, published,
                                  window)
            # the count belongs to a partner the frame reached, not to one guessed
            events += _times(split, text, hit, args, s_end) if args.partners else split
    # no event between organisations alone (corpus README): «اجتمع الأمين العام لمجلس
    # التعاون … مع مبعوث الأمين العام للأمم المتحدة»
    return _one_per_type([e for e in events if not set(e.countries) <= organisation_codes()])


# a meeting noun with its owner's pronoun («وذلك غداة استقباله لمدير المخابرات المصرية»,
# «عقب لقائه بـ …»): its frame is the owner and whom he met, not the whole sentence
_OWNED_MEETING = re.compile(r"(?:ال|و|ب|في |ل)?(?:استقبال|لقاء|لقائ|اجتماع)(?:ه|ها|هما|هم)")
_TALKS = re.compile(r"(?:و|ف)?(?:بحث|بحثت|بحثا|تباحث|تباحثت|تباحثا)")
# «أجرى X محادثات مع Y» needs a venue as «بحث مع» does; «عقد X قمة/مباحثات» is in person
_HELD_TALKS = re.compile(r"(?:و|ف)?(?:اجري|اجرت|اجريا)(?!\w)(?= (?:\w+,? ){0,8}?(?:ال)?"
                         r"(?:مباحثات|محادثات)(?!\w))")
_HELD = re.compile(r"(?:و|ف)?(?:اجري|اجرت|اجريا|عقد|عقدت|عقدا)")
_VENUE = re.compile(r"(?<!\w)(?:في|ب)(?: (?:العاصمه|مدينه)(?: \w+)?)? ?$")
# a palace the tagger reads as its state's office («قصر الإليزيه», titles.csv) is a venue too
_PALACE = re.compile(r"(?:ال)?قصر ")
# «في قصر الإليزيه», «بمقر الأمم المتحدة»: where they met, not who (corpus README: the venue
# of a meeting is not a party)
_VENUE_OF = re.compile(r"(?<!\w)(?:في|ب) ?(?:(?:ال)?(?:قصر|مقر|مبني) )?$")


def _at_venue(text: str, m: EntityMention) -> bool:
    before = _VENUE_OF.search(text, max(0, m.start - 12), m.start)
    return before is not None and (before.group().rstrip().endswith(("قصر", "مقر", "مبني"))
                                   or _PALACE.match(text, m.start) is not None)


def _talks_in_person(text: str, hit: _Hit, hits: Sequence[_Hit],
                     mentions: Sequence[EntityMention], s_end: int) -> bool:
    """«بحث X مع Y في باريس»: talks with no channel are a meeting only when a venue places the
    parties together and no call word of the sentence makes them a call (corpus README)."""
    if any(h.trigger.event_type == "call" for h in hits):
        return False
    if any(h.trigger.event_type == "visit" and h.end <= hit.start for h in hits):
        return True  # «ووصل X إلى مقديشو وأجرى محادثات مع Y»: talks where he travelled
    # the venue of these talks, not of the next contact told («… وتوافقا على أن يلتقيا في برلين»)
    end = min((h.start for h in hits if h.start >= hit.end), default=s_end)
    return any((m.kind == "place" or _PALACE.match(text, m.start)) and hit.end <= m.start < end
               and (_VENUE.search(text, max(hit.end, m.start - 20), m.start) or _place_with_ba(m))
               for m in mentions)


def _place_with_ba(m: EntityMention) -> bool:
    """«بالرباط», «وببغداد»: the place's own span holds the preposition of its venue."""
    name = matching_form(m.canonical)
    return m.kind == "place" and any(m.surface == p + name for p in PROCLITICS if "ب" in p)


_COMMENT_VERB = re.compile(r"(?<!\w)(?:و|ف)?(?:تاتي|ياتي|جاءت|جاء) $")
_OWN_PARTIES = re.compile(r" (?:(?:بين|مع|من|الي)(?!\w)|بال|لل)")
# a definite contact noun, the way a later sentence refers back to the contact just told
_RE_MENTION = re.compile(r"(?:و|ف|ب|ل)?(?:ال|لل)(?:لقاء|اجتماع|استقبال|زياره|اتصال|مكالمه|"
                         r"مباحثات|محادثات|محادثه|رساله|برقيه)(?: (?:ال)?هاتفي(?:ه)?)?|"
                         r"(?:في|خلال) (?:ال)?(?:لقاء|اجتماع|استقبال)")


def _caller(args: Arguments, initiator: str | None, mentions: Sequence[EntityMention]
            ) -> str | None:
    """The name (or office) of the official who made the contact, when the subject names
    one: «بعث خادم الحرمين الشريفين الملك سلمان …» and «كما بعث ولي العهد …» are two cables.
    A title is named by the person right after it («الرئيس الأمريكي دونالد ترامب»)."""
    if initiator is None:
        return None
    for m in args.subjects:
        if m.country != initiator:
            continue
        if m.kind == "person":
            return m.canonical
        named = next((p for p in mentions if p.kind == "person" and p.country == initiator
                      and m.end <= p.start <= m.end + 2), None)
        if named is not None:
            return named.canonical
    return next((m.role for m in args.subjects if m.country == initiator and m.role), None)


_NUMBER_WORDS = {"مرتين": 2, "مرتان": 2, "ثلاث": 3, "اربع": 4, "خمس": 5, "ست": 6}
_TIMES_AFTER = re.compile(r"[\w ]{0,40}?(?<!\w)(?:(مرتين|مرتان)|(ثلاث|اربع|خمس|ست|\d+) مرات)"
                          r"(?!\w)")


def _times(events: list[EventMention], text: str, hit: _Hit, args: Arguments, s_end: int
           ) -> list[EventMention]:
    """«اتصل به ثلاث مرات», «تحادثا هاتفياً مع X مرتين»: one contact per time (corpus
    README); the count stands right after the trigger or its last partner."""
    m = _TIMES_AFTER.match(text, hit.end, s_end)
    if m is None or len(events) != 1:
        return events
    count_start = m.start(1) if m.group(1) else m.start(2)
    after = max([hit.end, *(a.end for a in args.partners if a.end <= count_start)])
    if len(text[after:count_start].split()) > 1 or _bounds_between(text, hit.end, count_start):
        return events
    word = m.group(1) or m.group(2)
    n = _NUMBER_WORDS.get(word) or (int(word) if word.isdigit() else 1)
    if not 1 < n <= 10:
        return events
    return [replace(events[0], contact_key=f"{i}/{n}") for i in range(1, n + 1)]


def _bounds_between(text: str, lo: int, hi: int) -> bool:
    """Whether a clause or topic word stands between the trigger and its count."""
    return bool(_OTHER_CLAUSE.search(text, lo, hi) or re.search(
        r"(?<!\w)(?:حول|بشان|عن|خلال|منذ)(?!\w)", text[lo:hi]))


# «…، وذلك بعد اتصال هاتفي بـ …»: a contact told in an adverbial phrase of time
_ADVERBIAL = re.compile(r"(?<!\w)(?:وذلك )?(?:(?:و|ف)?(?:بعد|عقب|اثر|خلال)) $")
_EARLIER = re.compile(r"(?<!\w)(?:وذلك )?(?:(?:و|ف)?(?:بعد|عقب|اثر)) $")


def _own_clause(text: str, s_start: int, hit: _Hit, plans: bool = False) -> int:
    """Where the words that can plan, deny or suppose a contact begin: the sentence start, or
    the adverbial phrase the trigger opens («أكد ترامب أن القمة التي سيعقدها …، وذلك بعد
    اتصال هاتفي بـ …»: the plan is the summit's, the call happened). For `plans`, a phrase
    of «خلال» shares the main clause's time («وسيلتقي سموه خلال الزيارة …», «ينقل X … رسالة
    … خلال زيارة إلى …»: the visit is planned too)."""
    m = (_EARLIER if plans else _ADVERBIAL).search(text, max(s_start, hit.start - 12),
                                                   hit.start)
    return m.start() if m else s_start


OWN_RELATIVE_CHARS = 25  # «المكالمة الهاتفية التي أجريت مساء أمس»: the trigger's own clause
_RELATIVE = re.compile(rf"(?<!\w)(?:{bound_words('relative')})(?!\w)")
# a relative clause whose verb says an event took place tells of the contact, never of a
# person: «الاتصال … بين X و Y، الذي جرى مساء أمس» (of the nearest contact noun before it:
# «جاءت الزيارة تالية للاتصال الذي جرى الاثنين» dates the call, not the visit)
_OCCURRED = re.compile(r" (?:جري|جرت|تم|تمت|اجري|اجريت|عقد|عقدت)(?!\w)")
_CONTACT_NOUN = re.compile(r"(?:اتصال|مكالم|زياره|لقاء|اجتماع|مباحثات|محادثات|قمه)")


def _own_days(text: str, hit: _Hit, hits: Sequence[_Hit], window: list[DateExpression],
              p_start: int) -> list[DateExpression]:
    """The day words that can date the contact at `hit`: not one in a relative clause about a
    party named after it, unless that clause tells a contact itself («… بالرئيس الكوري الجنوبي
    الذي التقى كيم الجمعة» is Kim's day; «ترامب الذي اتصل به ليل الخميس» is the call's)."""
    out = []
    for e in window:
        start = e.start + p_start
        clause = next((m for m in _RELATIVE.finditer(text, hit.start, start)
                       if m.start() - hit.start > OWN_RELATIVE_CHARS), None)
        if clause is not None and not (_OCCURRED.match(text, clause.end())
                                       and not _CONTACT_NOUN.search(text, hit.end,
                                                                    clause.start())) and not any(
                clause.end() <= h.start < start and h.trigger.event_type == hit.trigger.event_type
                for h in hits):
            continue
        out.append(e)
    return out


# what ends a trigger's own clause on its way to a day word («…، إذ اتفق الطرفان …»)
_OTHER_CLAUSE = re.compile(rf"(?<!\w)(?:و|ف)?(?:{bound_words('clause', 'relative')}|اذ|بينما|"
                           r"فيما)(?!\w)|[.:;؛\n]")


_QUESTION = re.compile(r"[?؟]\W*$")


def _past_year(text: str, hit: _Hit, s_end: int, dates: _DateIndex,
               published: dt.date | None) -> bool:
    """Whether a year before the publication's stands in the trigger's clause after it."""
    if published is None:
        return False
    for e in dates.starting_in(hit.end, min(s_end, hit.end + NEAR_CHARS)):
        if (e.year is not None
                and e.kind in ("year_only", "month_only", "explicit") and e.year < published.year
                and not _OTHER_CLAUSE.search(text, hit.end, e.start)):
            return True
    return False


def _chronology(text: str, s_start: int, published: dt.date | None) -> bool:
    """«1980- صدام حسين يقوم بزيارة إلى السعودية …»: a line of a chronology («في مثل هذا
    اليوم») opens with its past year and a dash, and tells history in the present tense."""
    m = _CHRONOLOGY.match(text, s_start)
    return bool(m and published and int(m.group(1)) < published.year)


_CHRONOLOGY = re.compile(r"\s*(1[5-9]\d\d|20\d\d)\s*(?:-|–|:|م\s*[-–:])")
_OWN_RELATIVE_AFTER = re.compile(r"(?: (?:ال)?هاتفي(?:ه)?)? (?:التي|الذي)(?!\w)")


def _day_of_its_own(text: str, hit: _Hit, s_end: int, dates: _DateIndex) -> bool:
    """Whether a day word after the trigger belongs to its clause («عقب محادثات أجراها
    البشير في الخرطوم مع … أمس الأربعاء»), not to a clause after it («… مكالمة العاهل
    السعودي مع الرئيس التركي، إذ اتفق الطرفان … الخميس الماضي»)."""
    day = next((e for e in dates.starting_in(hit.end, s_end) if e.kind in DAY_KINDS), None)
    if day is None:
        return False
    # «المكالمة الهاتفية التي أجريت مساء أمس»: a relative clause right after the trigger is
    # its own
    own = _OWN_RELATIVE_AFTER.match(text, hit.end)
    return not _OTHER_CLAUSE.search(text, own.end() if own else hit.end, day.start)


_CALL_NOUN = re.compile(r"(?:و|ف|ب|ال|بال)?(?:اتصال|مكالمه)(?:ه|ها)?(?: هاتفي(?:ا)?)?")


def _caller_by_ba(text: str, hit: _Hit, args: Arguments) -> str | None:
    """«اتصال ترامب بأمير قطر», «اتصاله بولي العهد»: the call noun's owner, with «بـ» before
    the one called, made the call (corpus README); «اتصال … مع» names no caller."""
    if hit.trigger.event_type != "call" or not _CALL_NOUN.fullmatch(text, hit.start, hit.end):
        return None
    if args.subjects and args.partners:
        subject, partner = args.subjects[-1], args.partners[0]
    elif len(args.partners) >= 2 and not _with_ba(args.partners[0]):
        subject, partner = args.partners[0], args.partners[1]  # «اتصال ترامب بأمير قطر»
    else:
        return None
    if not _with_ba(partner) or subject.country == partner.country:
        return None
    return subject.country


_CUE_CLAUSE = re.compile(r"(?:,\s*|(?<!\w))كما(?!\w)")
_PREPOSITION_BEFORE = re.compile(r"(?<!\w)(?:مع|الي|من|ل|ب)\s*$")


def _governed_by_preposition(text: str, m: EntityMention) -> bool:
    """Whether a preposition takes the official: a proclitic «بـ / لـ» on him («بالرئيس»,
    «للرئيس», «ببوتين») or «مع / إلى / من» just before him."""
    if m.kind != "person" and m.surface.startswith(("ب", "ل")) and not m.surface.startswith(
            ("بن ", "ابن")):
        return True
    return _with_ba(m) or bool(_PREPOSITION_BEFORE.search(text, max(0, m.start - 6), m.start))


def _with_ba(m: EntityMention) -> bool:
    """Whether the mention carries the proclitic «بـ» («بأمير قطر», «ببوتين»), not a name that
    opens with the letter («بوتين»)."""
    if not m.surface.startswith("ب"):
        return False
    if m.kind != "person":
        return True  # a title or a state's name: «بالرئيس», «بولي العهد», «بأمير قطر»
    first = m.surface.split()[0]
    names = matching_form(m.canonical).split()
    return first not in names and first[1:] in names


_POSSESSIVE = re.compile(r"(?:اتصال|اتصالات|مكالم|رسال|برقيت)(?:ه|ها|هما)(?!\w)")


def _main_clause_subject(text: str, s_start: int, hit: _Hit, args: Arguments,
                         actors: Sequence[EntityMention]) -> Arguments:
    """«أكد ترامب أن …، وذلك بعد اتصال هاتفي بالرئيس الكوري الجنوبي», «وقال روحاني عقب اتصال
    هاتفي مع أمير قطر …», «اتصال ترامب بأمير قطر … يأتي بعد يوم على اتصاله بولي العهد
    السعودي»: a contact told in an adverbial phrase, or by a noun with a possessive pronoun,
    with a partner and no subject of its own is the main clause's subject's, the sentence's
    first official."""
    if args.partners and _OWNED_MEETING.fullmatch(text, hit.start, hit.end):
        # «استقبل X … Y، وذلك غداة استقباله لـ Z»: the pronoun's owner is the sentence's
        # first official, not the chain of names before the noun
        subject = next((a for a in actors if a.start < hit.start), None)
        if subject is None or subject.country in {a.country for a in args.partners}:
            return args
        return Arguments((subject,), args.partners)
    possessive = _POSSESSIVE.search(text, hit.start, hit.end) is not None
    # «أجرى X اتصالاً مع A، وبحث هاتفياً مع B»: a coordinated verb with its subject dropped
    coordinated = _COORDINATED_VERB.search(text, s_start, hit.start) is not None
    if (args.subjects or not args.partners or hit.trigger.event_type not in FRAMED_TYPES
            or (_own_clause(text, s_start, hit) == s_start and not possessive
                and not coordinated)):
        return args
    partners = {a.country for a in args.partners}
    subject = next((a for a in actors if a.start < hit.start), None)
    if subject is None or subject.country in partners:
        return args
    return Arguments((subject,), args.partners)


_COORDINATED_VERB = re.compile(r",\s*(?:(?:و|ف)(?:كما )?|كما )\w+\s*$")  # «، وتلقى», «، كما تلقى»
_LEADING_VERB = re.compile(r"\W*(?:و|ف)?(?:كما )?\w+ ?(?:\w+)?\s*$")


_MEETING_NOUN = re.compile(r"(?:ال|و|ب|ل)?(?:لقاء|اجتماع|مباحثات|محادثات)")
# a verb right after a relative pronoun (data/event_frames.csv): «… ترمب الذي اتصل به»
_RELATIVE_VERB = re.compile(rf"(?<!\w)(?:{bound_words('relative')}) $")


def _relative_contact(text: str, s_start: int, hit: _Hit, hits: Sequence[_Hit],
                      actors: Sequence[EntityMention]) -> Arguments | None:
    """«… القادة الذين اتصل بهم، وهم ترمب الذي اتصل به ليل الخميس وروحاني الذي هاتفه الأحد
    واردوغان وبوتين اللذان اتصل بهما الإثنين»: the verb's dropped subject is the sentence's
    first official, its objects the officials named since the previous contact word."""
    if hit.trigger.number != "plural" or not _RELATIVE_VERB.search(
            text, max(s_start, hit.start - 8), hit.start):
        return None
    if not actors or actors[0].start >= hit.start:
        return None
    subject = actors[0]
    since = max([s_start, *(h.end for h in hits if h.end <= hit.start)])
    antecedents = tuple(a for a in actors if since <= a.start and a.end <= hit.start
                        and a.country != subject.country)
    return Arguments((subject,), antecedents) if antecedents else None


_VERB_BETWEEN = re.compile(r"\s*(?:قد\s+)?(?:[^\W\d]+\s+)?")  # «الرئيس تلقى اتصالاً»


def _titled_subject(text: str, hit: _Hit, args: Arguments, mentions: Sequence[EntityMention],
                    actors: Sequence[EntityMention]) -> EntityMention | None:
    """«قال مكتب الرئيس الكيني إن الرئيس تلقى …», «ذكرت الرئاسة الكينية أن الرئيس تلقى …»:
    a bare title right before the verb is the official of the same office (or of the state
    body) named earlier in the sentence."""
    if args.subjects or not args.partners:
        return None
    title = next((m for m in reversed(mentions) if m.end <= hit.start), None)
    if (title is None or title.kind != "role" or title.country is not None
            or not _VERB_BETWEEN.fullmatch(text, title.end, hit.start)):
        return None
    earlier = [a for a in actors if a.end <= title.start
               and (a.role == title.role or a.role == "official")]
    partners = {a.country for a in args.partners}
    found = earlier[-1] if earlier else None
    return found if found is not None and found.country not in partners else None


def _dropped_subject(text: str, s_start: int, hit: _Hit, args: Arguments,
                     context: _Context) -> EntityMention | None:
    """«وتلقى الاتصالات من …», «كما أجرى اتصالاً مع …»: a sentence that opens with the verb and
    names no subject continues the previous one's; its first official is the subject."""
    if args.subjects or hit.trigger.event_type not in FRAMED_TYPES or not args.partners:
        return None
    if not _LEADING_VERB.fullmatch(text, s_start, hit.start):
        return None
    partners = {a.country for a in args.partners}
    return next((s for s in context.subjects[:1] if s.country not in partners), None)


_MEETING_VERB = re.compile(r"(?:و|ف)?(?:استقبل|استقبلت|التقي|التقت|اجتمع|اجتمعت)")


def _meeting_host(text: str, hit: _Hit, args: Arguments,
                  actors: Sequence[EntityMention]) -> str | None:
    """The one state that met each of the others, when the trigger is a verb of meeting: its
    subject before it, else the first official after it (the verb comes first in Arabic:
    «استقبل الرئيس الكيني … وزيري خارجية فرنسا وألمانيا»). A noun («عقد … اجتماعاً ثلاثياً»)
    or a plural verb («التقوا») tells one meeting of all."""
    if not _MEETING_VERB.fullmatch(text, hit.start, hit.end):
        return None
    states = {a.country for a in args.subjects}
    if len(states) == 1:
        return states.pop()
    if states:
        return None
    return next((a.country for a in actors if a.start >= hit.end), None)


def _hub(args: Arguments, initiator: str | None) -> str | None:
    """The one state every partner of a plural call talked to: a subject of one state («بحث
    ترامب في اتصالين هاتفيين مع …», «وتلقى الاتصالات من A و B»), else the initiator, else a
    partner of one state («خلال اتصالات هاتفية مع إردوغان دعا بوتين وماي»)."""
    states = {a.country for a in args.subjects}
    if len(states) == 1:
        return states.pop()
    if initiator:
        return initiator
    states = {a.country for a in args.partners}
    return states.pop() if len(states) == 1 else None


def _split_by_day(base: EventMention, hit: _Hit, args: Arguments, hub: str | None,
                  text: str, p_start: int, s_end: int, published: dt.date | None,
                  window: list[DateExpression]) -> list[EventMention]:
    """«تشاور أردوغان هاتفيا الأربعاء مع ميركل والخميس مع ماكرون»: partners told with days of
    their own are contacts of their own days; otherwise the one event as it is."""
    if not hub or len(args.partners) < 2:
        return [base]
    days: dict[dt.date, set[str]] = {}
    for partner in args.partners:
        if partner.country == hub:
            continue
        res = resolve_partner_date(text[p_start:s_end], hit.start - p_start,
                                   partner.start - p_start, published, window)
        if "partner_day" not in res.flags or res.date is None:
            return [base]
        days.setdefault(res.date, set()).add(partner.country)
    if len(days) < 2:
        return [base]
    out = []
    for _, states in sorted(days.items()):
        res = resolve_partner_date(text[p_start:s_end], hit.start - p_start,
                                   next(a.start for a in args.partners if a.country in states)
                                   - p_start, published, window)
        out.append(replace(base, countries=tuple(sorted(states | {hub})), date=res,
                           date_offset=_offset(res)))
    return out


def _one_per_type(events: list[EventMention]) -> list[EventMention]:
    """Several triggers of one type in a sentence report one event («اتصال … المحادثة»); the
    day one of them states is the event's («زيارة المبعوث … الذي وصلها أمس»: the arrival's
    «أمس» dates the visit the noun opened)."""
    seen: dict[tuple[str, tuple[str, ...], str | None], EventMention] = {}
    for ev in events:
        key = (ev.event_type, ev.countries, ev.contact_key)
        kept = seen.get(key)
        if kept is None:
            seen[key] = ev
            continue
        if kept.initiator is None and ev.initiator:
            kept, ev = ev, kept  # the one that names its initiator is kept, the day may move
        if (_stated(ev.date) and not _stated(kept.date) and kept.date.basis == "publication"
                and ev.background == kept.background):
            kept = replace(kept, date=ev.date, date_offset=ev.date_offset)
        seen[key] = kept
    return list(seen.values())


_QAD = re.compile(r"(?<!\w)قد(?!\w)")
_PAST_VERB = re.compile(r"(?:التقي|التقت|التقيا|استقبل|استقبلت|اجتمع|اجتمعت|زار|زارت|اتصل|"
                        r"اتصلت|هاتف|هاتفت|بعث|بعثت|تلقي|تلقت|اجري|اجرت|بحث|بحثت|تباحث|"
                        r"تحادث|تحدث|عقد|عقدت)")
_KANA_BEFORE = re.compile(r"(?<!\w)(?:و|ف)?كان(?:ت)? (?:\w+,? ){0,12}?$")


def _told_earlier(text: str, s_start: int, hit: _Hit, s_end: int, date: DateResolution,
                  published: dt.date | None) -> bool:
    """A pluperfect tells a contact in passing («وكان X قد التقى Y»), unless it is the news
    idiom «وكان X قد …» with the contact's recent day stated («وكان X قد تلقى مساء أمس
    اتصالاً», «قد وصل إلى الرياض يوم الجمعة»); «كان التقى، الاثنين، …» without «قد» is an
    earlier step of the story."""
    cue = _cue(text, s_start, hit, {"pluperfect"}, s_end)
    if cue is None:
        # «وكان وزير خارجيته مايك بومبيو التقى الزعيم الكوري الشمالي …»: «كان» and the
        # trigger verb itself, no «قد»
        return bool(_PAST_VERB.fullmatch(text, hit.start, hit.end)
                    and _KANA_BEFORE.search(text, s_start, hit.start))
    recent = (_stated(date) and published is not None
              and 0 <= (published - date.date).days <= BACKGROUND_DAYS)
    return not (recent and _QAD.search(cue[1].group()))


def _stated(date: DateResolution) -> bool:
    """A day the text itself states (not the publication's, not unknown)."""
    return date.date is not None and date.basis in ("explicit", "relative", "weekday")


def _own_cue(text: str, hit: _Hit) -> tuple[str, re.Match] | None:
    """A trigger that is itself a verb of making or receiving («اتصل الرئيس … بنظيره»)."""
    for c in cues():
        if c.cue in ("receive", "make"):
            m = c.pattern.match(text, hit.start, hit.end)
            if m:
                return c.cue, m
    return None


def _initiator(text: str, s_start: int, s_end: int, hit: _Hit,
               actors: Sequence[EntityMention], countries: Sequence[str]) -> str | None:
    if hit.trigger.event_type == "meeting":
        return None
    if hit.trigger.event_type == "visit":
        return countries[0] if actors else None
    own = _own_cue(text, hit)
    # the cue of the trigger's own clause: «… اللذان اتصل بهما الإثنين، كما تحادث ماكرون
    # هاتفياً …» — the earlier clause's «اتصل» says nothing of the later call
    clause = max((m.end() for m in _CUE_CLAUSE.finditer(text, s_start, hit.start)),
                 default=s_start)
    cue = own or _cue(text, clause, hit, {"receive", "make"}, s_end)
    if cue is None:
        return None
    kind, m = cue
    if kind == "receive":
        sender = _after(actors, text, max(m.end(), hit.start), "من")
        return sender.country if sender else None
    # «أجرى X اتصالاً», «اتصال أجراه X»: the official after the verb made it; «برقية وجهها
    # للرئيس …»: one after a preposition received it
    subject = next((a for a in actors if a.start >= m.end() and a.start - m.end() <= 3
                    and not _governed_by_preposition(text, a)), None)
    if subject is None and m.group().endswith(("ه", "ها")) and m.start() > hit.start:
        subject = next((a for a in actors if a.start >= m.end()), None)
        if subject is not None and _governed_by_preposition(text, subject):
            subject = None
    if subject is None and own is not None:
        # «اتصل بالرئيس الروسي وزير الخارجية الأمريكي»: the verb, the one called, the caller
        subject = next((a for a in actors if a.start >= m.end()
                        and not _governed_by_preposition(text, a)), None)
    subject = subject or (actors[0] if actors else None)
    return subject.country if subject else (countries[0] if countries else None)




def _today_news(date: DateResolution) -> bool:
    """No date words: the event is the day's news (publication date, known or not)."""
    return date.basis == "publication" or "publication_date_unknown" in date.flags


def _offset(date: DateResolution) -> int | None:
    """Days before publication, for dates that depend on it (what lets undated pages be
    dated later by agreement with other reports)."""
    relative = date.basis in ("relative", "weekday") or _today_news(date)
    return date.offset if relative else None


def publication_weekday(dates: Sequence[DateExpression]) -> int | None:
    """The weekday an article is written on, from its first «اليوم الأحد» / «أمس السبت»."""
    for expr in dates:
        if expr.kind == "relative" and expr.weekday is not None:
            return (expr.weekday + expr.offset) % 7
    return None


def extract_events(text: NormalizedText, mentions: Sequence[EntityMention],
                   published: dt.date | None) -> list[EventMention]:
    """Every contact an article reports, one per sentence and type (or per partner)."""
    matching = text.matching
    ordered = sorted(mentions, key=lambda m: m.start)
    events: list[EventMention] = []
    dates = find_date_expressions(matching)
    published = writing_day(dates, published) or published
    all_hits = trigger_hits(matching)
    context = _Context([], None, publication_weekday(dates))
    paragraph_start = {0: 0}
    for line_no, m in enumerate(re.finditer(r"\n", matching), start=1):
        paragraph_start[line_no] = m.end()
    first_paragraph = None
    starts = [m.start for m in ordered]
    hit_starts = [h.start for h in all_hits]
    date_index = _DateIndex(dates)
    for s_start, s_end, paragraph in sentences(matching):
        inside = ordered[bisect_left(starts, s_start):bisect_left(starts, s_end)]
        if first_paragraph is None:
            first_paragraph = paragraph
        hits = all_hits[bisect_left(hit_starts, s_start):bisect_left(hit_starts, s_end)]
        if not hits:
            found = []
        else:
            found = _sentence_events(matching, s_start, s_end, paragraph, inside, context,
                                     published, paragraph_start[paragraph],
                                     paragraph == first_paragraph, hits, date_index)
        events += found
        if found:
            context.previous = found[-1]
        actors = [m for m in inside if _is_actor(m)]
        if actors:
            context.subjects.insert(0, actors[0])
    events = _story_dates(matching, ordered, _share_dates(events), published, context, dates)
    return _tell_apart(events)


def _tell_apart(events: list[EventMention]) -> list[EventMention]:
    """Two officials of one state who contact the same counterpart on one day make two
    contacts: mentions of one type, states, day and initiating state whose callers differ
    are keyed by their caller (a mention naming none stays unkeyed and joins the first in
    `events`)."""
    def key(ev: EventMention) -> tuple:
        return ev.event_type, ev.countries, ev.date.date, ev.date_offset, ev.initiator

    callers: dict[tuple, set[str]] = {}
    for ev in events:
        if ev.caller and not ev.background and ev.contact_key is None:
            callers.setdefault(key(ev), set()).add(ev.caller)
    return [replace(ev, contact_key=ev.caller)
            if ev.caller and ev.contact_key is None and not ev.background
            and len(callers.get(key(ev), ())) > 1 else ev
            for ev in events]


def _story_dates(matching: str, mentions: Sequence[EntityMention], events: list[EventMention],
                 published: dt.date | None, context: _Context,
                 dates: Sequence[DateExpression]) -> list[EventMention]:
    """A later paragraph that tells more of the lead's story, with no date of its own, takes
    the lead's date: its states must all be named in the lead paragraph. Any other contact
    with no time word is the day's news and takes the publication date (the corpus
    convention), except on a page that states none."""
    lead_end = matching.find("\n")
    lead_end = len(matching) if lead_end < 0 else lead_end
    lead_countries = {m.country for m in mentions if m.start < lead_end and m.country}
    # the lead's own day, not one of a relative clause about someone else in it («… الزعيم
    # الكوري الجنوبي الذي التقى نظيره الشمالي يوم الجمعة»)
    past = [(e, res) for e, res in past_dates(matching, dates, published) if e.kind in DAY_KINDS]
    past_starts = [e.start for e, _ in past]
    lead_days = [(e, res) for e, res in past if e.end <= lead_end]
    lead_dates = [res for _, res in lead_days]
    # a call's story day is not one of a relative clause about someone else in the lead
    # («… الزعيم الكوري الجنوبي الذي التقى نظيره الشمالي يوم الجمعة»); a visit's or a
    # meeting's often is («الرئيس … الذي يزور البلاد منذ الأحد» tells the same trip)
    call_lead_dates = [res for e, res in lead_days
                       if not _RELATIVE.search(matching, max(0, e.start - 40), e.start)]
    todays = DateResolution(published, "publication", "day" if published else "none",
                            None, context.publication_weekday, 0)
    lead_date = lead_dates[0] if lead_dates else todays
    call_lead_date = call_lead_dates[0] if call_lead_dates else todays
    out = []
    trip: EventMention | None = None  # the last visit dated by its own words
    for ev in events:
        undated = ev.date.date is None and ev.date_offset is None and ev.date.expression is None
        if ev.event_type == "visit" and not ev.background and ev.date.basis in _DAY_BASES:
            trip = ev
        departure = _departure(events, ev) if (
            ev.event_type == "message" and not ev.background
            and (undated or ev.date.basis == "publication")
            and _AFTER_THE_VISIT.search(matching, ev.start, ev.end)) else None
        if departure is not None:
            # «بعث X برقية شكر … وذلك بعد انتهاء زيارة سموه للأردن»: sent as he left
            ev = replace(ev, date=departure.date, date_offset=departure.date_offset)
        elif undated and not ev.background:
            if trip is not None and trip.countries == ev.countries and _WELCOME.fullmatch(
                    ev.trigger):
                # «وصل X أمس …، وكان في استقباله لدى وصوله Y»: the welcome or the farewell
                # is on the day of the arrival or departure told before it
                ev = replace(ev, date=trip.date, date_offset=trip.date_offset)
            elif set(ev.countries) <= lead_countries:
                day = call_lead_date if ev.event_type == "call" else lead_date
                ev = replace(ev, date=day, date_offset=_offset(day))
            elif ABOUT_THE_ABOVE.match(matching, ev.start) or ev.subject_carried:
                # the last day told before it (none after it starts can end before it)
                earlier = next((res for e, res in reversed(
                    past[:bisect_right(past_starts, ev.start)]) if e.end <= ev.start), None)
                if earlier:
                    ev = replace(ev, date=earlier, date_offset=_offset(earlier))
            elif published is not None and not SUMMARY_OF_CONTACTS.fullmatch(ev.trigger):
                # the day's news, wherever it is told; a page with no publication date
                # leaves it undated (only inference could date it, and a summary of
                # «contacts» on some other day would join that day's report)
                ev = replace(ev, date=todays, date_offset=_offset(todays))
        out.append(ev)
    return out


_DAY_BASES = ("explicit", "relative", "weekday")
_AFTER_THE_VISIT = re.compile(r"(?:بعد|اثر|عقب|في ختام|لدي) (?:انتهاء |اختتام )?(?:زيارت|زياره|"
                              r"مغادرت)")


def _departure(events: list[EventMention], ev: EventMention) -> EventMention | None:
    """The visit of the same states dated by its own words, the departure («غادر») first."""
    visits = [o for o in events if o.event_type == "visit" and o.countries == ev.countries
              and not o.background and o.date.basis in _DAY_BASES]
    left = [o for o in visits if _LEFT.fullmatch(o.trigger)]
    return (left or visits or [None])[-1]
# a reception or a farewell told as a noun («وكان في استقباله», «في وداعه»)
_WELCOME = re.compile(r"(?:ال|و|ب|في )?(?:استقبال|وداع|توديع)(?:ه|ها)?")


@dataclass
class _Donor:
    """The first of some dated mentions (its index in the article's events) and whether they
    all give one day: all a mention needs to know of the mentions it may take its day from."""

    first: int
    day: tuple
    several: bool = False

    def add(self, day: tuple) -> None:
        self.several = self.several or day != self.day


@dataclass
class _Donors:
    """The dated mentions of one contact type and states, summed up three ways: all of them,
    those naming no official, and those naming each official. A mention's donors (the same
    contact: no two different officials named) are then read in a few lookups instead of a
    pass over every mention (which made a long record quadratic)."""

    every: _Donor | None = None
    anonymous: _Donor | None = None
    by_person: dict[str, _Donor] = field(default_factory=dict)

    def add(self, index: int, ev: EventMention) -> None:
        day = (ev.date.date, ev.date_offset, ev.date.weekday)
        groups = [("every", None)] + ([(None, p) for p in dict.fromkeys(ev.persons)]
                                      if ev.persons else [("anonymous", None)])
        for name, person in groups:
            current = getattr(self, name) if name else self.by_person.get(person)
            if current is None:
                current = _Donor(index, day)
                if name:
                    setattr(self, name, current)
                else:
                    self.by_person[person] = current
            else:
                current.add(day)

    def donor(self, persons: tuple[str, ...]) -> int | None:
        """The index of the first donor for a mention naming `persons`, when all its donors
        give one day; else None."""
        if persons:
            found = [d for d in [self.anonymous, *(self.by_person.get(p) for p in persons)]
                     if d is not None]
        else:
            found = [self.every] if self.every is not None else []
        if not found or any(d.several for d in found) or len({d.day for d in found}) != 1:
            return None
        return min(d.first for d in found)


def _share_dates(events: list[EventMention]) -> list[EventMention]:
    """An undated mention takes the day of the one dated mention of the same contact in its
    article («اتصال أجراه السوداني …» then «المحادثة التي أجريت مساء أمس السبت»): same type
    and states, not background, and no two different officials named."""
    dated: dict[tuple[str, tuple[str, ...]], _Donors] = {}  # for an undated mention
    told: dict[tuple[str, tuple[str, ...]], _Donors] = {}  # dated by its own words
    for index, o in enumerate(events):
        if not o.background and (o.date.date or o.date_offset is not None):
            dated.setdefault((o.event_type, o.countries), _Donors()).add(index, o)
            if o.date.basis in _DAY_BASES:
                told.setdefault((o.event_type, o.countries), _Donors()).add(index, o)
    out = []
    for ev in events:
        undated = ev.date.date is None and ev.date_offset is None
        if (undated or ev.date.basis == "publication") and not ev.background:
            # the day's news by default only: a later sentence that states the contact's day
            # («المكالمة الهاتفية التي أجريت مساء أمس السبت») dates it
            donors = (dated if undated else told).get((ev.event_type, ev.countries))
            first = donors.donor(ev.persons) if donors else None
            if first is not None:
                ev = replace(ev, date=events[first].date, date_offset=events[first].date_offset)
        out.append(ev)
    return out
