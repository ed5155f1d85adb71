"""The day an event happened, read from Arabic date expressions and the publication date.

News dates events relative to the report («اليوم الأحد», «مساء أمس السبت», a bare «الاثنين»)
or explicitly in one of several month systems («1 ديسمبر 2024», «مارس/ آذار 2025», «5 جويلية»,
Hijri «29 جمادى الأولى 1446 هـ»). Off-the-shelf parsers know one month system per call and
miss most of these forms, so the words are data (data/date_words.csv) and the grammar is here.

A month name counts only where it cannot be something else: beside a day or a year, after
«شهر», before الماضي/المقبل/الجاري, paired with its name in another system («تموز/يوليو») or
after «مطلع / أواخر / الأسبوع الأول من». So مارس the verb, آب the father and رجب the first name
are not dates. A night across two days («ليل الخميس - الجمعة») is its first day; «غداة» before
a day is the next day, and before an event noun makes that event the day before its report. All
texts are in matching form (ittisal.text.normalize.matching_form); offsets are
offsets in the text given.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cache

from ahocorasick_rs import AhoCorasick, MatchKind
from hijridate import Gregorian, Hijri

from ittisal.datafiles import read_rows
from ittisal.text.normalize import matching_form

DATELINE_CHARS = 200  # a dateline sits in the first lines of a page
DAY_PRECISE = ("explicit", "relative", "weekday")
NON_DAY_REACH = 100  # a month / year / week phrase dates an event only this close to it


@dataclass(frozen=True)
class DateExpression:
    """One date phrase found in a text, with the parts the words give (nothing resolved yet)."""

    start: int
    end: int
    kind: str  # explicit | month_only | year_only | relative | weekday | period | vague
    day: int | None = None
    month: int | None = None
    year: int | None = None
    offset: int | None = None  # days before publication (relative words); negative = ahead
    weekday: int | None = None  # 0 = Monday, the weekday the words name
    qualifier: str | None = None  # past | current | future (الماضي / الجاري / المقبل …)
    hijri: bool = False
    part_of_day: str | None = None  # مساء / صباح / ليل … as written (matching form)
    unit: str | None = None  # week | month | year, for a period («الأسبوع الماضي»)
    text: str = ""
    shift: int = 0  # days after the day the words name: «غداة الأحد» is the Monday


@dataclass(frozen=True)
class DateResolution:
    """A calendar day (or coarser) for an expression or an event, and how it was reached.

    `offset` is days before publication when the day depends on it, so that a page without a
    publication date can be dated later by agreement with a dated report."""

    date: dt.date | None
    basis: str  # explicit | relative | weekday | publication | unknown
    precision: str  # day | week | month | year | none
    expression: str | None
    weekday: int | None = None
    offset: int | None = None
    flags: tuple[str, ...] = field(default=())
    year: int | None = None  # for month / year precision: which month of which year
    month: int | None = None


# --------------------------------------------------------------------------------------------
# Words


@dataclass(frozen=True)
class _Words:
    months: dict[str, int]
    hijri_months: dict[str, int]
    weekdays: dict[str, int]
    relative: dict[str, int]
    parts_of_day: tuple[str, ...]
    ordinals: dict[str, int]
    periods: dict[str, str]
    qualifiers: dict[str, str]
    next_day: tuple[str, ...]


@cache
def _words() -> _Words:
    """date_words.csv keyed by matching form, so text and keys fold the same way."""
    tables: dict[str, dict[str, str]] = {}
    for row in read_rows("date_words.csv"):
        tables.setdefault(row["kind"], {})[matching_form(row["word"]).strip()] = row["value"]
    ints = {k: {w: int(v) for w, v in tables[k].items()}
            for k in ("month", "hijri_month", "weekday", "relative", "ordinal_day")}
    return _Words(ints["month"], ints["hijri_month"], ints["weekday"], ints["relative"],
                  tuple(tables["part_of_day"]), ints["ordinal_day"], dict(tables["period"]),
                  dict(tables["qualifier"]), tuple(tables["next_day"]))


def _alt(words) -> str:
    """Longest first, so «أمس الأول» wins over «أمس»; a space matches any run of spaces."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+")
                    for w in sorted(words, key=len, reverse=True))


def _key(words: str) -> str:
    return " ".join(words.split())


# An expression may follow a one-letter proclitic («والسبت», «وأمس»); the span leaves it out.
_E = r"(?:(?<!\w)|(?<=(?<!\w)[وف]))"
_END = r"(?!\w)"
_MONTH_PREFIXES = (r"مطلع|مستهل|اوائل|بدايه|منتصف|اواسط|اواخر|نهايه|اخر|"
                   r"(?:الاسبوع|الاسابيع|الايام|النصف|العشر|الثلث)\s+(?:الاول|الاولي|الثاني|"
                   r"الثالث|الرابع|الاخير|الاخيره|الاواخر|الاوائل)\s+من")
_YEAR = r"(?P<year>(?:18|19|20)\d\d)(?:\s*م(?!\w))?"
_YEAR_LEAD = r"(?:\s*,?\s*(?:من\s+)?(?:عام|العام|سنه)?\s*)"
_DAY = r"(?<![\d/.-])(?P<day>0?[1-9]|[12]\d|3[01])(?![\d/])"


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    w = _words()
    month, hijri = _alt(w.months), _alt(w.hijri_months)
    weekday, rel, part = _alt(w.weekdays), _alt(w.relative), _alt(w.parts_of_day)
    ordinal, period, qual = _alt(w.ordinals), _alt(w.periods), _alt(w.qualifiers)
    months = (rf"(?P<month>{month})(?:\s*[/\\(-]\s*(?P<month2>{month})\s*\)?)?")
    tail = rf"(?:{_YEAR_LEAD}{_YEAR}|\s+(?P<qual>{qual}))?"
    lead = (rf"(?:(?:(?P<part>{part})\s+)?(?:يوم\s+)?(?P<wd>{weekday})\s*,?\s*"
            rf"(?:الموافق\s+)?)?(?:(?:يوم|بتاريخ)\s+)?")
    return (
        ("hijri", re.compile(
            rf"{_E}{lead}{_DAY}\s+(?:من\s+)?(?:شهر\s+)?(?P<month>{hijri})"
            rf"(?:\s*,?\s*(?:من\s+)?(?:عام|سنه)?\s*(?P<year>1[34]\d\d))?"
            rf"(?:\s*(?:ه|هجري|هجريه)(?!\w))?{_END}")),
        ("hijri_month", re.compile(
            rf"{_E}(?:(?P<shahr>شهر)\s+)?(?P<month>{hijri})(?:\s+(?P<year>1[34]\d\d)"
            rf"(?:\s*(?:ه|هجري|هجريه)(?!\w))?)?{_END}")),
        ("numeric", re.compile(
            rf"{_E}{lead}(?<![\d/.-])(?P<day>\d{{1,2}})(?P<sep>[/.-])(?P<month>\d{{1,2}})(?P=sep)"
            rf"(?P<year>(?:18|19|20)\d\d)(?![\d/.-])")),
        ("iso", re.compile(
            r"(?<![\d/.-])(?P<year>(?:18|19|20)\d\d)(?P<sep>[/-])(?P<month>\d{1,2})(?P=sep)"
            r"(?P<day>\d{1,2})(?![\d/.-])")),
        ("explicit", re.compile(
            rf"{_E}{lead}{_DAY}\s*(?:من\s+)?(?:شهر\s+)?{months}{tail}{_END}")),
        ("ordinal", re.compile(
            rf"{_E}{lead}(?P<ord>{ordinal})\s+من\s+(?:شهر\s+)?{months}{tail}{_END}")),
        # «في السابع من الشهر الجاري», «في 7 من هذا الشهر»: a day of the publication's month
        ("this_month", re.compile(
            rf"{_E}{lead}(?:(?P<ord>{ordinal})|(?P<day>\d{{1,2}}))\s+من\s+"
            rf"(?:هذا\s+الشهر|الشهر\s+(?:الجاري|الحالي)){_END}")),
        ("month", re.compile(
            rf"{_E}(?:(?P<pre>{_MONTH_PREFIXES})\s+)?(?:(?P<shahr>شهر)\s+)?{months}{tail}{_END}")),
        ("relative", re.compile(
            rf"{_E}(?:(?P<part>{part})\s+)?(?:يوم\s+)?(?P<rel>{rel})"
            rf"(?:\s*,?\s*\(?\s*(?:يوم\s+)?(?P<wd>{weekday})\s*\)?)?{_END}")),
        # «ليل الخميس - الجمعة», «ليلة الخميس الجمعة», «ليل الخميس إلى الجمعة»
        ("night", re.compile(
            rf"{_E}(?P<part>ليل|ليله)\s+(?:يوم\s+)?(?P<wd>{weekday})\s*(?:[-–—/]|الي|علي)?\s*"
            rf"(?:يوم\s+)?(?P<wd2>{weekday})(?:\s+(?P<qual>{qual}))?{_END}")),
        ("weekday", re.compile(
            rf"{_E}(?:(?P<part>{part})\s+)?(?:يوم\s+)?(?P<wd>{weekday})"
            rf"(?:\s+(?P<qual>{qual}))?{_END}")),
        # «خلال عطلة نهاية الأسبوع (الماضي)»: the week's end, no day of its own
        ("weekend", re.compile(
            rf"{_E}(?:(?:خلال|في)\s+)?(?:عطله\s+)?نهايه\s+الاسبوع(?:\s+(?P<qual>{qual}))?{_END}")),
        ("period", re.compile(
            rf"{_E}(?:(?P<this>هذا|هذه)\s+)?(?P<period>{period})(?:\s+(?P<qual>{qual}))?{_END}")),
        ("year", re.compile(
            rf"{_E}(?:عام|العام|سنه|خلال|في)\s+{_YEAR}{_END}")),
        ("vague", re.compile(
            rf"{_E}(?:مؤخرا|في\s+(?:الاونه|الفتره|الايام)\s+الاخيره){_END}")),
    )


# «اليوم التالي», «ذلك اليوم», «اليوم العالمي» are not today
_NOT_TODAY_AFTER = re.compile(
    r"\s+(?:التالي|السابق|نفسه|ذاته|الاول|الثاني|الثالث|الاخير|العالمي|الوطني|الدولي|"
    r"الموعود|المحدد)(?!\w)")
_NOT_TODAY_BEFORE = re.compile(r"(?:ذلك|هذا|ذات|نفس|منذ ذلك)\s+$")
# «الأحد عشر» is eleven, «بين الاثنين» the two of them
_NOT_WEEKDAY_AFTER = re.compile(r"\s+(?:عشر|معا|الاخرين)(?!\w)")
_NOT_WEEKDAY_BEFORE = re.compile(r"(?:بين|كلا|كلتا|هذين|هذان|الواحد)\s+$")


def _int(value: str | None) -> int | None:
    return int(value) if value else None


def _build(kind: str, m: re.Match[str], text: str) -> DateExpression | None:
    """A DateExpression from one regex match, or None when the words are not a date here."""
    w = _words()
    g = {k: v for k, v in m.groupdict().items() if v}
    base = {"start": m.start(), "end": m.end(), "text": m.group()}
    weekday = w.weekdays.get(_key(g.get("wd", "")))
    part = _key(g["part"]) if "part" in g else None
    qualifier = w.qualifiers.get(_key(g.get("qual", "")))
    if kind in ("hijri", "hijri_month"):
        month = w.hijri_months[_key(g["month"])]
        if kind == "hijri":
            return DateExpression(kind="explicit", day=int(g["day"]), month=month,
                                  year=_int(g.get("year")), weekday=weekday, hijri=True,
                                  part_of_day=part, **base)
        if "year" not in g and "shahr" not in g:
            return None  # رجب طيب أردوغان, رمضان the name
        return DateExpression(kind="month_only", month=month, year=_int(g.get("year")),
                              hijri=True, **base)
    if kind in ("numeric", "iso"):
        day, month = int(g["day"]), int(g["month"])
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        return DateExpression(kind="explicit", day=day, month=month, year=int(g["year"]),
                              weekday=weekday, part_of_day=part, **base)
    if kind == "this_month":
        day = w.ordinals[_key(g["ord"])] if "ord" in g else int(g["day"])
        if not 1 <= day <= 31:
            return None
        return DateExpression(kind="explicit", day=day, month=THIS_MONTH, weekday=weekday,
                              qualifier="current", part_of_day=part, **base)
    if kind in ("explicit", "ordinal", "month"):
        month = w.months[_key(g["month"])]
        if "month2" in g and w.months[_key(g["month2"])] != month:
            return None  # «مارس/ أبريل» is a span of months, not one
        year = _int(g.get("year"))
        if kind == "month":
            licensed = year or qualifier or "shahr" in g or "month2" in g or "pre" in g
            if not licensed:
                return None  # مارس the verb, آب the father
            return DateExpression(kind="month_only", month=month, year=year,
                                  qualifier=qualifier, **base)
        day = w.ordinals[_key(g["ord"])] if kind == "ordinal" else int(g["day"])
        return DateExpression(kind="explicit", day=day, month=month, year=year,
                              weekday=weekday, qualifier=qualifier, part_of_day=part, **base)
    if kind == "relative":
        rel = _key(g["rel"])
        if rel == "اليوم" and "wd" not in g and (
                _NOT_TODAY_AFTER.match(text, m.end())
                or _NOT_TODAY_BEFORE.search(text, max(0, m.start() - 12), m.start())):
            return None
        return DateExpression(kind="relative", offset=w.relative[rel], weekday=weekday,
                              part_of_day=part, **base)
    if kind == "night":
        if w.weekdays[_key(g["wd2"])] != (weekday + 1) % 7:
            return None  # two days that do not make one night
        return DateExpression(kind="weekday", weekday=weekday, qualifier=qualifier,
                              part_of_day=part, **base)
    if kind == "weekday":
        if _NOT_WEEKDAY_AFTER.match(text, m.end()) or _NOT_WEEKDAY_BEFORE.search(
                text, max(0, m.start() - 8), m.start()):
            return None
        return DateExpression(kind="weekday", weekday=weekday, qualifier=qualifier,
                              part_of_day=part, **base)
    if kind == "weekend":
        return DateExpression(kind="period", unit="week", qualifier=qualifier or "current",
                              **base)
    if kind == "period":
        if "this" in g:
            qualifier = "current"
        if qualifier is None:
            return None  # «العام» alone is not a date
        return DateExpression(kind="period", unit=w.periods[_key(g["period"])],
                              qualifier=qualifier, **base)
    if kind == "year":
        return DateExpression(kind="year_only", year=int(g["year"]), **base)
    return DateExpression(kind="vague", **base)


# Every expression contains at least one of these words (or a number); the patterns only run
# in windows around them. How far a match may reach beyond its anchors: part-of-day and
# «الأسبوع الأول من» leads, «الماضي» and «هجري» tails, all well under the margin.
_ANCHOR_MARGIN = 40


_DIGITS = re.compile(r"\d+")
_SPACE_RUNS = re.compile(r"\s{2,}")
_WHITESPACE = re.compile(r"\s+")


# The kind of word each pattern cannot match without: a window holding none of that kind
# is not searched with it.
_NEEDS = {"hijri": "hijri_month", "hijri_month": "hijri_month", "numeric": "digits",
          "iso": "digits", "explicit": "month", "ordinal": "month", "month": "month",
          "relative": "relative", "weekday": "weekday", "night": "weekday", "period": "period",
          "year": "digits", "this_month": "period", "weekend": "period",
          "vague": "vague"}


@cache
def _anchors() -> tuple[AhoCorasick, list[frozenset[str]]]:
    """Every date word and phrase (words one space apart) in one automaton, with the kinds
    each belongs to: one pass over a text in Rust, where an alternation of 130 phrases costs
    Python's regex engine a try of each at every word start."""
    w = _words()
    kinds: dict[str, set[str]] = {}
    for kind, phrases in (("month", w.months), ("hijri_month", w.hijri_months),
                          ("weekday", w.weekdays), ("relative", w.relative),
                          ("ordinal", w.ordinals), ("period", w.periods),
                          ("vague", ("مؤخرا", "الاونه", "الفتره", "الايام"))):
        for phrase in phrases:
            kinds.setdefault(" ".join(phrase.split()), set()).add(kind)
    words = sorted(kinds)
    return (AhoCorasick(words, matchkind=MatchKind.Standard),
            [frozenset(kinds[word]) for word in words])


def _is_word(ch: str) -> bool:
    """What `\\w` matches in a str pattern."""
    return ch.isalnum() or ch == "_"


def _date_words(text: str) -> list[tuple[int, int, frozenset[str], bool]]:
    """Numbers and every occurrence of a date word or phrase, in text order: (start, end,
    kinds, whether it stands alone or behind the proclitic و/ف). Phrases are found in a copy
    of the text with every whitespace run made one space, as the patterns' `\\s+` allow."""
    found = [(m.start(), m.end(), _DIGIT_KINDS, True) for m in _DIGITS.finditer(text)]
    # for each run of 2+ whitespace characters: the collapsed offset its following text starts
    # at, and the characters removed up to there
    runs, removed = [], 0
    for m in _SPACE_RUNS.finditer(text):
        removed += m.end() - m.start() - 1
        runs.append((m.end() - removed, removed))
    flat = _WHITESPACE.sub(" ", text)

    def original(offset: int) -> int:
        k = bisect.bisect_right(runs, (offset, float("inf"))) - 1
        return offset + (runs[k][1] if k >= 0 else 0)

    automaton, kinds = _anchors()
    for index, start, end in automaton.find_matches_as_indexes(flat, overlapping=True):
        before = start - 1 if start and flat[start - 1] in "وف" else start
        alone = not (end < len(flat) and _is_word(flat[end])) and not (
            start and _is_word(flat[start - 1]) and before == start) and not (
            before and _is_word(flat[before - 1]))
        found.append((original(start), original(end - 1) + 1, kinds[index], alone))
    return sorted(found, key=lambda f: (f[0], f[1]))


_DIGIT_KINDS = frozenset({"digits"})


def _windows(text: str) -> list[tuple[int, int, frozenset[str]]]:
    """Stretches of `text` around date words, merged, widened to whole words, with the kinds
    of date word found anywhere inside each (standing alone or not: «3مارس» holds a month)."""
    words = _date_words(text)
    spans: list[tuple[int, int]] = []
    for a_start, a_end, _, alone in words:
        if not alone:
            continue
        start, end = max(0, a_start - _ANCHOR_MARGIN), a_end + _ANCHOR_MARGIN
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    out = []
    word_starts = [s for s, _, _, _ in words]  # in text order: the words of a span are a run
    for start, end in spans:
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        end = min(end, len(text))
        run = words[bisect.bisect_left(word_starts, start):bisect.bisect_right(word_starts, end)]
        inside = frozenset().union(*(k for _, e, k, _ in run if e <= end))
        out.append((start, end, inside))
    return out


def find_date_expressions(matching_text: str, *, windowed: bool = True
                          ) -> list[DateExpression]:
    """Every date expression in a matching-form text, in text order; where two overlap the
    longer one wins («الأحد، 1 ديسمبر 2024» over «الأحد»). The patterns run only around date
    words (`windowed`), each only where a word it needs is, which finds the same expressions
    as a scan of the whole text at a fraction of the cost; a test holds the two equal."""
    spans = (_windows(matching_text) if windowed
             else [(0, len(matching_text), frozenset(_NEEDS.values()))])
    found: list[DateExpression] = []
    for kind, pattern in _patterns():
        for start, end, inside in spans:
            if _NEEDS[kind] not in inside:
                continue
            for m in pattern.finditer(matching_text, start, end):
                if m.end() > m.start():
                    expr = _build(kind, m, matching_text)
                    if expr is not None:
                        found.append(expr)
    found.sort(key=lambda e: (-(e.end - e.start), e.start))
    kept = _Kept()
    for e in found:
        if not kept.overlaps(e):
            kept.add(e, _day_after(e, matching_text))
    return sorted(kept.expressions, key=lambda e: e.start)


class _Kept:
    """The expressions kept so far, ordered by where they were found (disjoint spans, so their
    ends are in the same order); each is kept as `_day_after` widened it, at most
    NEXT_DAY_REACH characters to the left. Whether a new one overlaps any is then a bisection
    and a look at the few that start near it, not a pass over all (quadratic on a long
    record)."""

    def __init__(self) -> None:
        self._found_starts: list[int] = []
        self._ends: list[int] = []
        self.expressions: list[DateExpression] = []

    def overlaps(self, e: DateExpression) -> bool:
        k = bisect.bisect_right(self._ends, e.start)  # the first that ends after e starts
        while k < len(self._ends) and self._found_starts[k] - NEXT_DAY_REACH < e.end:
            if self.expressions[k].start < e.end:
                return True
            k += 1
        return False

    def add(self, found: DateExpression, kept: DateExpression) -> None:
        k = bisect.bisect_left(self._found_starts, found.start)
        self._found_starts.insert(k, found.start)
        self._ends.insert(k, kept.end)
        self.expressions.insert(k, kept)


NEXT_DAY_REACH = 12  # how far before a day expression «غداة» is looked for


@cache
def _next_day_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """«غداة» and its like (date_words.csv, next_day): the word anywhere, and the word
    right before a day expression."""
    word = rf"{_E}(?:{_alt(_words().next_day)})"
    return re.compile(rf"{word}{_END}"), re.compile(rf"{word}\s+$")


def _day_after(expr: DateExpression, text: str) -> DateExpression:
    """«غداة» right before a day names the day after it («غداة يوم الأحد» is the Monday)."""
    if expr.kind not in DAY_PRECISE:
        return expr
    m = _next_day_words()[1].search(text, max(0, expr.start - NEXT_DAY_REACH), expr.start)
    if m is None:
        return expr
    return replace(expr, start=m.start(), text=text[m.start():expr.end], shift=1)


# --------------------------------------------------------------------------------------------
# Resolution against the publication date


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _hijri_date(year: int, month: int, day: int) -> dt.date | None:
    """Umm al-Qura via hijridate; local calendars may differ by a day."""
    try:
        g = Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return dt.date(g.year, g.month, g.day)


def _hijri_year(day: dt.date) -> int | None:
    try:
        return Gregorian(day.year, day.month, day.day).to_hijri().year
    except (ValueError, OverflowError):
        return None


def _latest_weekday(weekday: int, on_or_before: dt.date, strictly: bool = False) -> dt.date:
    back = (on_or_before.weekday() - weekday) % 7
    if strictly and back == 0:
        back = 7
    return on_or_before - dt.timedelta(days=back)


def _next_weekday(weekday: int, after: dt.date) -> dt.date:
    ahead = (weekday - after.weekday()) % 7 or 7
    return after + dt.timedelta(days=ahead)


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    n = year * 12 + (month - 1) + by
    return n // 12, n % 12 + 1


THIS_MONTH = 0  # the month of «الشهر الجاري»: the publication's


def _explicit_day(expr: DateExpression, published: dt.date | None) -> dt.date | None:
    """An explicit day; without a year, the year that puts it on or before publication (or
    after it for «المقبل»)."""
    assert expr.month is not None and expr.day is not None
    if expr.month == THIS_MONTH:
        return _safe_date(published.year, published.month, expr.day) if published else None
    make = _hijri_date if expr.hijri else _safe_date
    if expr.year:
        return make(expr.year, expr.month, expr.day)
    if published is None:
        return None
    year = _hijri_year(published) if expr.hijri else published.year
    if year is None:
        return None
    if expr.qualifier == "future":
        for y in (year, year + 1):
            day = make(y, expr.month, expr.day)
            if day and day > published:
                return day
        return None
    for y in (year, year - 1):
        day = make(y, expr.month, expr.day)
        if day and (day <= published or expr.qualifier == "current"):
            return day
    return None


def _resolve_month(expr: DateExpression, published: dt.date | None) -> DateResolution:
    flags: list[str] = []
    year, month = expr.year, expr.month
    if expr.kind == "period" and published:
        by = {"past": -1, "future": 1}.get(expr.qualifier or "", 0)
        if expr.unit == "month":
            year, month = _shift_month(published.year, published.month, by)
        elif expr.unit == "year":
            year, month = published.year + by, None
    elif expr.kind == "month_only" and year is None and published and not expr.hijri:
        assert month is not None
        if expr.qualifier == "current":
            year = published.year
        elif expr.qualifier == "future":
            year = published.year + (month <= published.month)
        elif expr.qualifier == "past":
            year = published.year - (month >= published.month)
        else:
            year = published.year - (month > published.month)
    if expr.qualifier == "future":
        flags.append("future")
    elif expr.qualifier == "past":
        flags.append("past_period")
    elif published and year and not expr.hijri:
        if (year, month or 12) < (published.year, published.month):
            flags.append("past_period")
        elif (year, month or 1) > (published.year, published.month):
            flags.append("future")
    if expr.hijri:
        flags.append("hijri")
    precision = {"week": "week", "year": "year"}.get(expr.unit or "", "month")
    if expr.kind == "year_only" or (expr.kind == "period" and month is None and year):
        precision = "year"
    if expr.kind == "period" and expr.unit == "week":
        precision = "week"
    basis = "relative" if expr.kind == "period" else "explicit"
    return DateResolution(None, basis, precision, expr.text, None, None, tuple(flags),
                          year, month if precision == "month" else None)


def resolve(expr: DateExpression, published: dt.date | None) -> DateResolution:
    """The day (or coarser period) an expression names, given the publication date d.

    اليوم = d, أمس = d−1, أول أمس = d−2; a weekday beside «اليوم» wins over d; a bare weekday
    is the latest such day on or before d, «الماضي» strictly before, «المقبل» after (flagged
    future). Without d, relative words keep their weekday and offset for later agreement.
    «غداة» before the words (`shift`) names the next day."""
    if expr.shift:
        later = dt.timedelta(days=expr.shift)
        # a weekday is looked for on or before d − shift, so that the day after it is not
        # after d; its offset from d − shift is then the next day's offset from d
        weekday_with_date = expr.kind == "weekday" and published is not None
        named = resolve(replace(expr, shift=0),
                        published - later if weekday_with_date and published else published)
        offset = named.offset if weekday_with_date or named.offset is None else (
            named.offset - expr.shift)
        return replace(named, expression=expr.text or None, offset=offset,
                       date=named.date + later if named.date else None,
                       weekday=None if named.weekday is None else (
                           named.weekday + expr.shift) % 7,
                       flags=named.flags + ("day_after",))
    words = expr.text or None
    if expr.kind == "explicit":
        day = _explicit_day(expr, published)
        flags: list[str] = ["hijri"] if expr.hijri else []
        if day and published and day > published:
            flags.append("future")
        if day and expr.weekday is not None and day.weekday() != expr.weekday:
            flags.append("weekday_contradicts_date")
        offset = (published - day).days if day and published else None
        return DateResolution(day, "explicit", "day" if day else "none", words, expr.weekday,
                              offset, tuple(flags), expr.year, expr.month)
    if expr.kind == "relative":
        assert expr.offset is not None
        flags = ["future"] if expr.offset < 0 else []
        if expr.offset >= 7:
            flags.append("approximate")
        if published is None:
            return DateResolution(None, "relative", "day", words, expr.weekday, expr.offset,
                                  tuple(flags))
        day = published - dt.timedelta(days=expr.offset)
        if expr.weekday is not None and day.weekday() != expr.weekday:
            if expr.offset == 0:
                # «اليوم الثلاثاء» in an article dated Wednesday: the named weekday wins
                day = _latest_weekday(expr.weekday, published)
                flags.append("weekday_overrides_publication")
            elif (day.weekday() - expr.weekday) % 7 == 1:
                # «أمس الجمعة» stamped Sunday 00:10: written on Saturday, the text's day wins
                day -= dt.timedelta(days=1)
                flags.append("weekday_overrides_publication")
            else:
                flags.append("weekday_contradicts_relative")
        return DateResolution(day, "relative", "day", words, expr.weekday,
                              (published - day).days, tuple(flags))
    if expr.kind == "weekday":
        assert expr.weekday is not None
        if published is None:
            flags = ["future"] if expr.qualifier == "future" else []
            return DateResolution(None, "weekday", "day", words, expr.weekday, None,
                                  tuple(flags))
        if expr.qualifier == "future":
            day = _next_weekday(expr.weekday, published)
            return DateResolution(day, "weekday", "day", words, expr.weekday,
                                  (published - day).days, ("future",))
        day = _latest_weekday(expr.weekday, published, strictly=expr.qualifier == "past")
        return DateResolution(day, "weekday", "day", words, expr.weekday,
                              (published - day).days)
    if expr.kind == "vague":
        return DateResolution(None, "unknown", "none", words, flags=("vague_past",))
    return _resolve_month(expr, published)


DATELINE_CHARS = 150  # «عدن 26 شوال 1436 هـ الموافق 11 اغسطس 2015 م واس» opens the text
DATELINE_DAYS = 3  # a dispatch reprinted by a paper a day or two later


def dateline_day(expressions: list[DateExpression], published: dt.date) -> dt.date | None:
    """The day an agency dispatch's dateline gives, when the page is stamped a few days later:
    its «اليوم» and «أمس» are the dispatch's («نيروبي … الموافق 9 مايو 2018 م واس … تلقى
    الرئيس اليوم …» in a paper of 10 May is the 9th)."""
    for expr in expressions:
        if expr.start > DATELINE_CHARS:
            break
        if expr.kind == "explicit" and expr.year is not None:
            day = resolve(expr, published).date
            if day is not None and 0 < (published - day).days <= DATELINE_DAYS:
                return day
            return None
    return None


def writing_day(expressions: list[DateExpression], published: dt.date | None
                ) -> dt.date | None:
    """The day the text says it is written on, when its stamp is the next day.

    A page stamped just after midnight tells the day before as today: «اليوم الجمعة» or
    «أمس الخميس» in a text stamped Saturday. The first «اليوم / أمس …» with a weekday decides;
    a stamp that agrees with it, or one further off than a day (a weekday of another week, a
    quoted dispatch), keeps the publication date (None)."""
    if published is None:
        return None
    dated = dateline_day(expressions, published)
    if dated is not None:
        return dated
    for expr in expressions:
        if expr.kind == "relative" and expr.weekday is not None and expr.offset is not None \
                and expr.offset >= 0 and not expr.shift:
            written = (expr.weekday + expr.offset) % 7
            return published - dt.timedelta(days=1) if (
                published.weekday() - written) % 7 == 1 else None
    return None


# --------------------------------------------------------------------------------------------
# Which expression dates an event

_SENTENCE_END = re.compile(r"[!?;\n]|\.(?!\d)")
# a new clause: «، و…» and subordinating words; a comma alone often just sets off a date
_CLAUSE = re.compile(r",\s*(?=[وف]\w)|(?<!\w)(?:حيث|بينما|فيما|في حين|بعدما|بعد ان|قبل ان|"
                     r"منذ ان|كما)(?!\w)")
# a date after these is not the day of an event in the clause: «منذ 7 أكتوبر», «حتى 2021»
_GOVERNED = re.compile(r"(?<!\w)(?:منذ|حتي|لغايه|الي|قبل|بعد|اعتبارا من|ابتداء من|ثوره|حرب|"
                       r"احداث|هجمات|اتفاق|اتفاقيه|انتخابات)\s*$")
_SINCE = re.compile(r"(?<!\w)منذ(?!\w)")
_RELATIVE_PRONOUN = re.compile(r"(?<!\w)(?:الذي|التي|اللذين|اللتين|الذين|الموقع|الموقعه)(?!\w)")
# «وكان الملك أجرى اتصالا» (pluperfect) tells something earlier, not today's news
_PLUPERFECT = re.compile(r"^\W*(?:و|ف)?(?:كان|كانت)(?:\s+قد)?\s+(?!في|من|علي|عن|ل|ب|هناك)\w")
_COMES_AFTER = re.compile(r"^\W*و?(?:ياتي|تاتي|جاء|جاءت|يجيء)(?!\w).*(?<!\w)(?:بعد|عقب)(?!\w)")
_RECENT_AFTER = re.compile(r"^\w*\s+(?:الاخيره|الاخير|السابقه|السابق|الماضيه)(?!\w)")
GHADAT_WORDS = 3  # «غداة» governs an event noun at most this many words after it
# «… خلال المحادثة الهاتفية التي أجريت مساء أمس السبت»: the next sentence dates the same contact
_ANAPHOR = re.compile(r"(?<!\w)(?:الاتصال|المحادثه|المكالمه|الزياره|اللقاء|الاجتماع|المباحثات|"
                      r"الرساله)(?:\s+(?:الهاتفي|الهاتفيه))?\s+(?:التي|الذي)\s+")
_CONTINUES = re.compile(r"\W*[وف]\w")  # used with match(pos)
# «وفي اتصال هاتفي مع نظيره المنغولي نفى وزير الخارجية التركي …»: a phrase that opens a new
# report with its own subject after it, not the previous sentence's contact continued
_NEW_REPORT = re.compile(r"\W*[وف](?:في|خلال|عبر) (?:ال)?(?:اتصال|مكالمه|محادثه|لقاء|اجتماع)")


def _sentence(text: str, pos: int) -> tuple[int, int]:
    start = 0
    for m in _SENTENCE_END.finditer(text, 0, pos):
        start = m.end()
    end_match = _SENTENCE_END.search(text, pos)
    return start, end_match.start() if end_match else len(text)


def _quoted(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    return text.count('"', line_start, pos) % 2 == 1


def _governed(text: str, expr: DateExpression, anchor: int, floor: int) -> bool:
    """Whether «منذ / حتى / قبل …» makes the expression a bound, not the event's day."""
    if _GOVERNED.search(text, max(floor, expr.start - 14), expr.start):
        return True
    # only a clause boundary in the last 60 characters can narrow the «منذ» search below, so
    # the scan starts just before them (boundaries are a few characters long)
    clause_start = floor
    for m in _CLAUSE.finditer(text, max(floor, expr.start - 80), expr.start):
        clause_start = m.end()
    since = None
    for m in _SINCE.finditer(text, max(clause_start, expr.start - 60), expr.start):
        since = m
    return since is not None and not (since.start() < anchor < expr.start)


def past_dates(text: str, expressions: list[DateExpression], published: dt.date | None
               ) -> list[tuple[DateExpression, DateResolution]]:
    """The expressions that can date a past event, resolved: not «منذ …» bounds and not
    dates after publication («الأسبوع المقبل», an explicit date that lies ahead)."""
    out = []
    for expr in expressions:
        if _governed(text, expr, -1, 0):
            continue
        res = resolve(expr, published)
        if "future" in res.flags or (res.date and published and res.date > published):
            continue
        out.append((expr, res))
    return out


def _publication(published: dt.date | None, flags: tuple[str, ...] = ()) -> DateResolution:
    if published is None:
        return DateResolution(None, "unknown", "none", None, None, 0,
                              flags + ("publication_date_unknown",))
    return DateResolution(published, "publication", "day", None, None, 0, flags)


def _in_relative_clause(text: str, expr: DateExpression, anchor: int, floor: int) -> bool:
    """Whether «الذي / التي …» opens a clause holding the expression but not the anchor."""
    pronoun = None
    for m in _RELATIVE_PRONOUN.finditer(text, max(floor, expr.start - 40), expr.start):
        pronoun = m
    return pronoun is not None and not (pronoun.start() < anchor < expr.start)


# «حسبما أعلن البلدان», «بحسب ما ذكرت الوكالة», «وفق ما أفاد»: what follows is when it was told
_REPORTED_ON = re.compile(r"(?:حسبما|(?:ب|و)?حسب ما|وفق ما|وفقا لما|كما) (?:اعلن|ذكر|افاد|قال|"
                          r"اكد|اوضح|اورد|نقل)\w* (?:\w+ ){0,3}$")


def _best(text: str, anchor: int, s_start: int, s_end: int,
          expressions: list[DateExpression], published: dt.date | None
          ) -> tuple[DateExpression, DateResolution] | None:
    """The expression of the sentence [s_start, s_end) that governs the anchor: same clause
    first, day-precise before coarser, then the nearest (explicit over relative on a tie)."""
    ranked = []
    for expr in expressions:
        if not (s_start <= expr.start and expr.end <= s_end) or _governed(
                text, expr, anchor, s_start):
            continue
        if expr.start > anchor and _REPORTED_ON.search(text, max(s_start, expr.start - 40),
                                                       expr.start):
            continue  # «… قام بزيارة …، حسبما أعلن البلدان الثلاثاء»: the day it was told
        res = resolve(expr, published)
        if "future" in res.flags or (res.date and published and res.date > published):
            continue  # «الأسبوع المقبل»: a plan, not the day of a past event
        lo, hi = (anchor, expr.start) if expr.start >= anchor else (expr.end, anchor)
        same_clause = not _CLAUSE.search(text, lo, hi)
        distance = hi - lo
        if expr.kind not in DAY_PRECISE and not (
                same_clause and distance <= NON_DAY_REACH
                and not _RELATIVE_PRONOUN.search(text, lo, hi)
                and not _in_relative_clause(text, expr, anchor, s_start)):
            continue  # «الاتفاق الذي وقعه البلدان عام 2015» does not date the call
        ranked.append(((not same_clause, expr.kind not in DAY_PRECISE, distance,
                        expr.kind != "explicit"), expr, res))
    if not ranked:
        return None
    _, expr, res = min(ranked, key=lambda r: r[0])
    return expr, res


def _ghadat_before(text: str, anchor: int, s_start: int,
                   expressions: list[DateExpression]) -> int | None:
    """Where a «غداة» starts that the anchor's event noun follows closely in its clause, unless
    a day right after the noun dates the event itself («غداة لقائه الأحد …»)."""
    start = None
    for m in _next_day_words()[0].finditer(text, max(s_start, anchor - 60), anchor):
        if len(text[m.end():anchor].split()) < GHADAT_WORDS and not _CLAUSE.search(
                text, m.end(), anchor):
            start = m.start()
    if start is None:
        return None
    own_day = any(e.kind in DAY_PRECISE and anchor <= e.start <= anchor + 30
                  and not _CLAUSE.search(text, anchor, e.start) for e in expressions)
    return None if own_day else start


def resolve_event_date(matching_text: str, anchor: int, published: dt.date | None,
                       expressions: list[DateExpression] | None = None) -> DateResolution:
    """The date of an event whose trigger is at `anchor` in a sentence, paragraph or article.

    The governing expression is looked for in the trigger's sentence (same clause first,
    nearest, explicit over relative), leaving out bounds («منذ 7 أكتوبر 2023») and plans
    («الأسبوع المقبل»). An undated sentence that continues the previous one («وأثنى في
    اتصال …») takes its day, or the day the next sentence gives «المحادثة الهاتفية التي
    أجريت مساء أمس السبت»; a pluperfect («وكان … أجرى»), an «after X» clause or «الزيارات
    الأخيرة» is earlier but undated (unknown). Otherwise the event is today's news: the
    publication date, or unknown when there is none. `expressions` may pass the text's
    expressions when the caller has found them already.
    """
    text = matching_text
    anchor = max(0, min(anchor, len(text)))
    found = find_date_expressions(text) if expressions is None else expressions
    s_start, s_end = _sentence(text, anchor)
    ghadat = _ghadat_before(text, anchor, s_start, found)
    if ghadat is not None:
        # «وقع الاثنين غداة لقاء …», «استقبل الأحد … غداة استقباله …»: the event is the day
        # before the one the report is dated; an undatable report leaves it undated
        report = resolve_event_date(text, ghadat, published,
                                    [e for e in found if e.end <= ghadat])
        if report.date is None and report.offset is None:
            return report
        return DateResolution(
            report.date - dt.timedelta(days=1) if report.date else None,
            "relative" if report.basis == "publication" else report.basis, report.precision,
            report.expression, None if report.weekday is None else (report.weekday - 1) % 7,
            None if report.offset is None else report.offset + 1,
            report.flags + ("day_before",), report.year, report.month)
    best = _best(text, anchor, s_start, s_end, found, published)
    if best is not None:
        expr, res = best
        flags = list(res.flags)
        if expr.kind == "relative" and _quoted(text, expr.start):
            flags.append("quoted")  # «اليوم» of a quoted agency dispatch is the dispatch's day
        return DateResolution(res.date, res.basis, res.precision, res.expression, res.weekday,
                              res.offset, tuple(flags), res.year, res.month)
    before = text[s_start:anchor]
    after_anchor = text[anchor:s_end]
    if (_PLUPERFECT.match(text[s_start:s_end]) or _COMES_AFTER.match(before)
            or _RECENT_AFTER.match(after_anchor)):
        return DateResolution(None, "unknown", "none", None, flags=("earlier_undated",))
    first_clause = not _CLAUSE.search(text, s_start, anchor)
    if s_start > 0 and first_clause and _CONTINUES.match(text, s_start) and not _NEW_REPORT.match(
            text, s_start):
        last = s_start - 1
        while last > 0 and (text[last].isspace() or _SENTENCE_END.match(text, last)):
            last -= 1
        p_start, p_end = _sentence(text, last)
        previous = [(e, r) for e, r in past_dates(text, [
            e for e in found if p_start <= e.start and e.end <= p_end], published)
            if e.kind in DAY_PRECISE and (r.date or r.offset is not None or
                                           r.weekday is not None)]
        if previous and p_end > p_start:
            expr, res = previous[0]
            return DateResolution(res.date, res.basis, res.precision, res.expression,
                                  res.weekday, res.offset, res.flags + ("inherited",))
    nxt = s_end
    while nxt < len(text) and (text[nxt].isspace() or _SENTENCE_END.match(text, nxt)):
        nxt += 1
    if nxt < len(text):
        n_start, n_end = _sentence(text, nxt)
        for m in _ANAPHOR.finditer(text, n_start, n_end):
            following = [(e, r) for e, r in past_dates(text, found, published)
                         if e.kind in DAY_PRECISE and m.end() <= e.start < n_end
                         and len(text[m.end():e.start].split()) <= 2]
            if following:
                res = following[0][1]
                return DateResolution(res.date, res.basis, res.precision, res.expression,
                                      res.weekday, res.offset, res.flags + ("anaphoric",))
    return _publication(published)


# a new conjunct after a trigger: «… والخميس مع ماكرون», «… ومع ماكرون الخميس», «ثم …»
_CONJUNCT = re.compile(r"(?<!\w)(?:و(?=مع(?!\w))|ثم\s+)")


def _conjuncts(text: str, anchor: int, s_end: int, expressions: list[DateExpression]
               ) -> list[int]:
    """Where each coordinated part after the anchor starts: at «ومع» / «ثم», and at a day
    expression behind the proclitic «و» («والخميس»)."""
    starts = [m.start() for m in _CONJUNCT.finditer(text, anchor, s_end)]
    starts += [e.start - 1 for e in expressions if anchor < e.start - 1 and e.end <= s_end
               and text[e.start - 1] == "و" and e.kind in DAY_PRECISE]
    return sorted(set(starts))


def resolve_partner_date(matching_text: str, anchor: int, partner: int,
                         published: dt.date | None,
                         expressions: list[DateExpression] | None = None) -> DateResolution:
    """The date of the contact with the partner named at `partner`, when one trigger at
    `anchor` tells contacts on several days («تشاور أردوغان هاتفيا الأربعاء مع ميركل
    والخميس مع ماكرون», «تحدث مع ميركل الأربعاء ومع ماكرون الخميس»).

    The part of the sentence after the trigger is cut where a new conjunct starts; a day in
    the partner's part dates that partner's contact. A partner before the trigger, or a part
    with no day of its own, takes the trigger's date (`resolve_event_date`)."""
    text = matching_text
    found = find_date_expressions(text) if expressions is None else expressions
    s_start, s_end = _sentence(text, anchor)
    if anchor < partner < s_end:
        cuts = _conjuncts(text, anchor, s_end, found)
        lo = max([anchor, *(c for c in cuts if c <= partner)])
        hi = min([s_end, *(c for c in cuts if c > partner)])
        own = [e for e in found if lo <= e.start - (text[e.start - 1] == "و") and e.end <= hi
               and e.kind in DAY_PRECISE and not _governed(text, e, anchor, s_start)
               and not _in_relative_clause(text, e, anchor, s_start)]
        if own:
            res = resolve(min(own, key=lambda e: abs(e.start - partner)), published)
            if "future" not in res.flags and not (res.date and published
                                                  and res.date > published):
                return replace(res, flags=res.flags + ("partner_day",))
    return resolve_event_date(text, anchor, published, found)


# --------------------------------------------------------------------------------------------
# A page's own publication date

_LINE_HEAD = re.compile(r"^[^\S\n]*(?:[^\s\d,]+[^\S\n]+){0,3}$")


def publication_date_from_text(matching_text: str, post_dates: list[dt.date]
                               ) -> tuple[dt.date | None, str]:
    """A page's publication date from its own words when no metadata gives one.

    A dateline («الرياض 29 جمادى الأولى 1446 هـ الموافق 01 ديسمبر 2024 م», a full date at the
    head of a line near the top) wins; else an embedded post's date that agrees with the
    weekday words of the text: «اليوم الأحد» with a post of Sunday 1 December 2024 means the
    page is of that day, «أمس الثلاثاء» with a post of Tuesday 31 December means 1 January."""
    text = matching_text
    expressions = find_date_expressions(text)
    for expr in expressions:
        if expr.kind != "explicit" or not expr.year:
            continue
        line_start = text.rfind("\n", 0, expr.start) + 1
        head = _LINE_HEAD.match(text[line_start:expr.start]) and expr.start < DATELINE_CHARS
        agreed = text[max(0, expr.start - 10):expr.start].rstrip().endswith("الموافق")
        if head or agreed:
            res = resolve(expr, None)
            if res.date:
                return res.date, "dateline"
    votes: Counter[dt.date] = Counter()
    named = [e for e in expressions if e.kind == "relative" and e.weekday is not None
             and e.offset is not None and e.offset >= 0]
    for post in set(post_dates):
        for expr in named:
            if expr.weekday == post.weekday():
                assert expr.offset is not None
                votes[post + dt.timedelta(days=expr.offset)] += 1
    if votes:
        ranked = votes.most_common()
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            return ranked[0][0], "embedded_post"
        return None, "unknown: embedded posts agree with the weekday words on several days"
    if not post_dates:
        return None, "unknown: no dateline and no embedded post"
    if not named:
        return None, "unknown: no weekday beside اليوم/أمس to check the embedded post against"
    return None, "unknown: embedded post dates disagree with the weekday words"
