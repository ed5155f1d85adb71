"""A chart of the daily calls of the most active countries, as PNG bytes.

Drawn with matplotlib's Agg backend (no screen needed) and without a timestamp or software
tag in the file, so the same table always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)


def top_countries(rows: Iterable[tuple[dt.date, str, int]], top: int) -> list[str]:
    """The `top` countries with the most calls, ties broken by code."""
    totals: dict[str, int] = defaultdict(int)
    for _, country, calls in rows:
        totals[country] += calls
    return sorted(totals, key=lambda c: (-totals[c], c))[:top]


def daily_calls_png(rows: list[tuple[dt.date, str, int]], top: int = 5, days: int = 90
                    ) -> bytes:
    """One line per country among the `top` most active of the last `days` days of data
    (ending on the latest day, not today): calls per day, zero-filled."""
    if rows:
        end = max(r[0] for r in rows)
        rows = [r for r in rows if r[0] > end - dt.timedelta(days=days)]
    countries = top_countries(rows, top)
    fig, ax = plt.subplots(figsize=(9, 4), dpi=100)
    try:
        if rows:
            first, last = min(r[0] for r in rows), max(r[0] for r in rows)
            axis = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
            counts = {(day, country): calls for day, country, calls in rows}
            for country in countries:
                ax.plot(axis, [counts.get((d, country), 0) for d in axis], marker="o",
                        markersize=3, linewidth=1, label=country)
            ax.legend(loc="upper left", fontsize=8)
        else:
            ax.text(0.5, 0.5, "no dated calls", ha="center", va="center",
                    transform=ax.transAxes)
        ax.set_title(f"Daily calls of the {len(countries)} most active countries "
                     f"(last {days} days of data)")
        ax.set_ylabel("calls")
        ax.yaxis.get_major_locator().set_params(integer=True)
        fig.autofmt_xdate()
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png", metadata={"Software": None})
        return out.getvalue()
    finally:
        plt.close(fig)
