"""The day an event happened, read from Arabic date expressions and the publication date.

News dates events relative to the report («اليوم الأحد», «مساء أمس السبت», a bare «الاثنين»)
or explicitly in one of several month systems («1 ديسمبر 2024», «مارس/ آذار 2025», Hijri).
Words are data (data/date_words.csv); a month name counts only beside a day or a year, or
before الجاري/الماضي/المقبل, so مارس the verb and رجب the name are not dates. Texts passed in
are in matching form (ittisal.normalize.matching_form).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache

from hijridate import Hijri

from ittisal.datafiles import read_rows
from ittisal.normalize import matching_form

DATELINE_CHARS = 200  # a full date this close to the start of a text is its dateline


@dataclass(frozen=True)
class DateExpression:
    start: int
    end: int
    kind: str  # explicit | month | year | relative | weekday | period
    day: int | None = None
    month: int | None = None
    year: int | None = None
    offset: int | None = None
    weekday: int | None = None
    qualifier: str | None = None  # الماضي / المقبل / الجاري …
    hijri: bool = False


@dataclass(frozen=True)
class DateResolution:
    date: dt.date | None
    basis: str  # explicit | relative | weekday | publication | unknown
    precision: str  # day | month | year | week | none
    expression: str | None
    weekday: int | None = None
    offset: int | None = None
    flags: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class _Words:
    months: dict[str, int]
    hijri_months: dict[str, int]
    weekdays: dict[str, int]
    relative: dict[str, int]
    parts_of_day: tuple[str, ...]
    periods: dict[str, str]


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _words() -> _Words:
    tables: dict[str, dict[str, str]] = {}
    for row in read_rows("date_words.csv"):
        tables.setdefault(row["kind"], {})[matching_form(row["word"])] = row["value"]
    return _Words(
        {k: int(v) for k, v in tables["month"].items()},
        {k: int(v) for k, v in tables["hijri_month"].items()},
        {k: int(v) for k, v in tables["weekday"].items()},
        {k: int(v) for k, v in tables["relative"].items()},
        tuple(tables["part_of_day"]),
        dict(tables["period"]),
    )


QUALIFIERS = {"الماضي": "past", "الماضيه": "past", "المنصرم": "past", "الفائت": "past",
              "المقبل": "future", "المقبله": "future", "القادم": "future", "القادمه": "future",
              "الجاري": "current", "الحالي": "current"}
ORDINAL_DAYS = {"الاول": 1, "اول": 1, "الثاني": 2, "الثالث": 3}


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    w = _words()
    month = _alternation(w.months)
    hijri = _alternation(w.hijri_months)
    weekday = _alternation(w.weekdays)
    relative = _alternation(w.relative)
    part = _alternation(w.parts_of_day)
    period = _alternation(w.periods)
    qual = _alternation(QUALIFIERS)
    # «الأول من تموز» is a day, «الأسبوع الأول من تموز» is not
    day = (rf"(?<!الاسبوع )(?<!الشهر )(?<!العام )(?<!النصف )(?<!الربع )"
           rf"(?P<day>[0-3]?\d|{_alternation(ORDINAL_DAYS)})")
    months = rf"(?P<month>{month})(?:\s*[/\\(-]\s*(?:{month})\)?)?"
    year = r"(?:من\s+)?(?:عام\s+|سنه\s+)?(?P<year>(?:19|20)\d\d)"
    edge = r"(?<!\w)"
    end = r"(?!\w)"
    return [
        ("hijri", re.compile(rf"{edge}(?P<day>[0-3]?\d)\s+(?P<month>{hijri})\s+"
                             rf"(?P<year>1[34]\d\d){end}(?:\s*ه{end})?")),
        ("numeric", re.compile(rf"{edge}(?P<day>[0-3]?\d)[/.-](?P<month>[01]?\d)[/.-]"
                               rf"(?P<year>(?:19|20)\d\d){end}")),
        ("iso", re.compile(rf"{edge}(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)"
                           rf"{end}")),
        ("explicit", re.compile(rf"{edge}{day}\s+(?:من\s+)?(?:شهر\s+)?{months}"
                                rf"(?:,?\s*{year}|\s+(?P<qual>{qual}))?{end}")),
        ("month", re.compile(rf"{edge}(?:شهر\s+)?{months}(?:,?\s*{year}|\s+(?P<qual>{qual})){end}"
                             )),
        ("month", re.compile(rf"{edge}شهر\s+{months}{end}")),
        ("relative", re.compile(rf"{edge}(?:(?:{part})\s+)?(?P<rel>{relative})(?:\s*,?\s*\(?\s*"
                                rf"(?:يوم\s+)?(?P<weekday>{weekday})\s*\)?)?{end}")),
        ("weekday", re.compile(rf"{edge}(?:(?:{part})\s+)?(?:يوم\s+)?(?P<weekday>{weekday})"
                               rf"(?:\s+(?P<qual>{qual}))?{end}")),
        ("period", re.compile(rf"{edge}(?P<period>{period})\s+(?P<qual>{qual}){end}")),
        ("year", re.compile(rf"{edge}(?:عام|العام|سنه)\s+(?P<year>(?:19|20)\d\d){end}")),
    ]


def _int_day(value: str) -> int:
    return ORDINAL_DAYS.get(value) or int(value)


def find_date_expressions(text: str) -> list[DateExpression]:
    """Every date expression in a matching-form text, longest first where they overlap."""
    w = _words()
    found: list[DateExpression] = []
    for kind, pattern in _patterns():
        for m in pattern.finditer(text):
            g = m.groupdict()
            qualifier = QUALIFIERS.get(g.get("qual") or "")
            if kind == "hijri":
                expr = DateExpression(m.start(), m.end(), "explicit", int(g["day"]),
                                      w.hijri_months[g["month"]], int(g["year"]), hijri=True)
            elif kind in ("numeric", "iso"):
                expr = DateExpression(m.start(), m.end(), "explicit", int(g["day"]),
                                      int(g["month"]), int(g["year"]))
            elif kind == "explicit":
                expr = DateExpression(m.start(), m.end(), "explicit", _int_day(g["day"]),
                                      w.months[g["month"]],
                                      int(g["year"]) if g.get("year") else None,
                                      qualifier=qualifier)
            elif kind == "month":
                expr = DateExpression(m.start(), m.end(), "month", None, w.months[g["month"]],
                                      int(g["year"]) if g.get("year") else None,
                                      qualifier=qualifier)
            elif kind == "relative":
                expr = DateExpression(m.start(), m.end(), "relative", offset=w.relative[g["rel"]],
                                      weekday=w.weekdays.get(g.get("weekday") or ""))
            elif kind == "weekday":
                expr = DateExpression(m.start(), m.end(), "weekday", weekday=w.weekdays[
                    g["weekday"]], qualifier=qualifier)
            elif kind == "period":
                expr = DateExpression(m.start(), m.end(), "period", qualifier=qualifier)
            else:
                expr = DateExpression(m.start(), m.end(), "year", year=int(g["year"]))
            found.append(expr)
    found.sort(key=lambda e: (e.start, -(e.end - e.start)))
    kept: list[DateExpression] = []
    for e in found:
        if not kept or e.start >= kept[-1].end:
            kept.append(e)
    return kept


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _latest_weekday(weekday: int, on_or_before: dt.date, strictly: bool = False) -> dt.date:
    back = (on_or_before.weekday() - weekday) % 7
    if strictly and back == 0:
        back = 7
    return on_or_before - dt.timedelta(days=back)


def resolve(expr: DateExpression, published: dt.date | None, text: str = "") -> DateResolution:
    """The day (or coarser period) an expression names, given the publication date."""
    words = text[expr.start:expr.end] if text else None
    if expr.kind == "explicit":
        if expr.hijri:
            try:
                day = Hijri(expr.year, expr.month, expr.day).to_gregorian()
            except (ValueError, OverflowError):
                return DateResolution(None, "unknown", "none", words)
            return DateResolution(dt.date(day.year, day.month, day.day), "explicit", "day",
                                  words)
        if expr.year:
            day = _safe_date(expr.year, expr.month, expr.day)
        elif published:
            day = _safe_date(published.year, expr.month, expr.day)
            if day and day > published and expr.qualifier != "future":
                day = _safe_date(published.year - 1, expr.month, expr.day)
        else:
            day = None
        flags = ("future",) if day and published and day > published else ()
        return DateResolution(day, "explicit", "day" if day else "none", words, flags=flags)
    if expr.kind == "relative":
        flags: tuple[str, ...] = ()
        if published is None:
            return DateResolution(None, "relative", "day", words, expr.weekday, expr.offset)
        day = published - dt.timedelta(days=expr.offset)
        if expr.weekday is not None and day.weekday() != expr.weekday:
            if expr.offset == 0:
                # «اليوم الثلاثاء» in an article dated Wednesday: the named weekday wins
                day = _latest_weekday(expr.weekday, published)
            else:
                flags = ("weekday_contradicts_relative",)
        return DateResolution(day, "relative", "day", words, expr.weekday,
                              (published - day).days, flags)
    if expr.kind == "weekday":
        if expr.qualifier == "future":
            return DateResolution(None, "weekday", "day", words, expr.weekday, None, ("future",))
        if published is None:
            return DateResolution(None, "weekday", "day", words, expr.weekday)
        day = _latest_weekday(expr.weekday, published, strictly=expr.qualifier == "past")
        return DateResolution(day, "weekday", "day", words, expr.weekday,
                              (published - day).days)
    flags = ()
    if expr.qualifier == "future":
        flags = ("future",)
    elif expr.qualifier == "past" or (expr.year and published and expr.year < published.year):
        flags = ("past_period",)
    precision = {"month": "month", "year": "year"}.get(expr.kind, "week")
    return DateResolution(None, "explicit" if expr.kind != "period" else "relative", precision,
                          words, flags=flags)


_CLAUSE_END = re.compile(r"[.!?\n]")
_SINCE = re.compile(r"(?:منذ|حتي|الي)\s*$")


def _day_precise(expr: DateExpression) -> bool:
    return expr.kind in ("explicit", "relative", "weekday")


def past_dates(text: str, expressions: list[DateExpression], published: dt.date | None
               ) -> list[tuple[DateExpression, DateResolution]]:
    """The expressions that can date a past event, resolved: not «منذ …» spans and not
    dates after publication («الأسبوع المقبل», an explicit date that lies ahead)."""
    out = []
    for expr in expressions:
        if _SINCE.search(text, max(0, expr.start - 8), expr.start):
            continue
        res = resolve(expr, published, text)
        if "future" in res.flags or (res.date and published and res.date > published):
            continue
        out.append((expr, res))
    return out


def resolve_event_date(text: str, anchor: int, published: dt.date | None,
                       expressions: list[DateExpression] | None = None) -> DateResolution:
    """The date governing an event whose trigger is at `anchor` in `text`.

    Expressions in the trigger's own sentence are preferred, day-precise ones first, then the
    nearest; «منذ …» spans and future dates do not date a past event. With no expression the
    event is today's news: the publication date (offset 0). `expressions` may pass the
    expressions of `text` when the caller has found them already.
    """
    starts = [0] + [m.end() for m in _CLAUSE_END.finditer(text, 0, anchor)]
    s_start = starts[-1]
    end_match = _CLAUSE_END.search(text, anchor)
    s_end = end_match.start() if end_match else len(text)
    found = find_date_expressions(text) if expressions is None else expressions
    candidates = []
    for expr, res in past_dates(text, found, published):
        same_sentence = s_start <= expr.start < s_end
        distance = expr.start - anchor if expr.start >= anchor else anchor - expr.end
        candidates.append(((not same_sentence, not _day_precise(expr), distance), res))
    if candidates:
        best = min(candidates, key=lambda c: c[0])
        if not best[0][0]:
            return best[1]
    return DateResolution(published, "publication", "day" if published else "none", None,
                          None, 0)


def publication_date_from_text(text: str, post_dates: list[dt.date]) -> tuple[dt.date | None,
                                                                                str]:
    """A page's publication date from its own words when no metadata gives one."""
    expressions = find_date_expressions(text)
    for expr in expressions:
        if expr.kind == "explicit" and expr.year and (
                expr.start < DATELINE_CHARS or "الموافق" in text[max(0, expr.start - 12):
                                                                 expr.start]):
            res = resolve(expr, None, text)
            if res.date:
                return res.date, "dateline"
    for post in post_dates:
        for expr in expressions:
            if expr.kind == "relative" and expr.weekday == post.weekday():
                return post + dt.timedelta(days=expr.offset), "embedded_post"
    return None, "unknown: no date in the text"
