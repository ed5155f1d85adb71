"""A chart of the daily calls of the most active countries, as PNG bytes.

One panel per country, stacked on a shared day axis and a shared count axis: no line can hide
another (most days are zero for most countries), and no legend sits over the data, because
each panel is labelled beside its axis. Drawn with matplotlib's Agg backend (no screen needed)
and without a timestamp or software tag in the file, so the same table always gives the same
bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

WIDTH_INCHES, DPI = 9.0, 100
PANEL_INCHES, FRAME_INCHES = 0.9, 1.3  # each country's panel; title and day labels


def top_countries(rows: Iterable[tuple[dt.date, str, int]], top: int) -> list[str]:
    """The `top` countries with the most calls, ties broken by code."""
    totals: dict[str, int] = defaultdict(int)
    for _, country, calls in rows:
        totals[country] += calls
    return sorted(totals, key=lambda c: (-totals[c], c))[:top]


def chart_height(countries: int) -> float:
    """Inches of a chart of `countries` panels (an empty chart is one panel high)."""
    return FRAME_INCHES + PANEL_INCHES * max(countries, 1)


def daily_calls_figure(rows: list[tuple[dt.date, str, int]], top: int = 5, days: int = 90
                       ) -> Figure:
    """One bar panel per country among the `top` most active of the last `days` days of data
    (ending on the latest day, not today): calls per day. The caller closes the figure."""
    if rows:
        end = max(r[0] for r in rows)
        rows = [r for r in rows if r[0] > end - dt.timedelta(days=days)]
    countries = top_countries(rows, top)
    fig, axes = plt.subplots(max(len(countries), 1), 1, sharex=True, sharey=True, squeeze=False,
                             figsize=(WIDTH_INCHES, chart_height(len(countries))), dpi=DPI)
    panels = [ax for [ax] in axes]
    if rows:
        _draw_panels(panels, rows, countries)
    else:
        panels[0].text(0.5, 0.5, "no dated calls", ha="center", va="center",
                       transform=panels[0].transAxes)
        panels[0].set_xticks([])
        panels[0].set_yticks([])
    fig.suptitle(f"Daily calls of the {len(countries)} most active countries "
                 f"(last {days} days of data)" if countries else "Daily calls")
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def daily_calls_png(rows: list[tuple[dt.date, str, int]], top: int = 5, days: int = 90
                    ) -> bytes:
    """`daily_calls_figure` as PNG bytes."""
    fig = daily_calls_figure(rows, top, days)
    try:
        out = io.BytesIO()
        fig.savefig(out, format="png", metadata={"Software": None})
        return out.getvalue()
    finally:
        plt.close(fig)


def _draw_panels(panels: list, rows: list[tuple[dt.date, str, int]], countries: list[str]
                 ) -> None:
    first, last = min(r[0] for r in rows), max(r[0] for r in rows)
    counts = {(day, country): calls for day, country, calls in rows}
    peak = max(counts.get((r[0], c), 0) for r in rows for c in countries)
    for ax, country in zip(panels, countries, strict=True):
        days = sorted(day for day, c in counts if c == country)
        calls = [counts[(day, country)] for day in days]
        ax.bar(days, calls, width=0.8, color="#1f77b4")
        total = sum(calls)
        ax.set_ylabel(f"{country}\n{total} call{'s' if total != 1 else ''}", rotation=0,
                      ha="right", va="center", fontsize=9)
        ax.grid(axis="y", color="#dddddd", linewidth=0.5)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    panels[0].set_ylim(0, peak * 1.15)  # shared: every panel has the same scale
    panels[0].set_xlim(first - dt.timedelta(days=1), last + dt.timedelta(days=1))
    panels[0].yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
