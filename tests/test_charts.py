"""The daily-calls chart: a real PNG, the same bytes for the same table, one panel per country
so no series hides another, and nothing drawn over the data."""

from __future__ import annotations

import datetime as dt
import io

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from PIL import Image

from ittisal.charts import DPI, chart_height, daily_calls_figure, daily_calls_png, top_countries

DAY = dt.date(2024, 12, 1)
ROWS = [(DAY, "IRQ", 2), (DAY, "SYR", 1), (DAY, "TUR", 1),
        (DAY - dt.timedelta(days=1), "IRQ", 1), (DAY - dt.timedelta(days=1), "SYR", 1),
        (DAY + dt.timedelta(days=30), "EGY", 1), (DAY + dt.timedelta(days=30), "SYR", 1)]


def test_the_most_active_countries_come_first_ties_by_code():
    assert top_countries(ROWS, 2) == ["IRQ", "SYR"]  # 3 calls each
    assert top_countries(ROWS, 10) == ["IRQ", "SYR", "EGY", "TUR"]


def test_the_chart_is_a_png_and_the_same_table_gives_the_same_bytes():
    png = daily_calls_png(ROWS)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (900, round(chart_height(4) * DPI))
    assert png == daily_calls_png(list(reversed(ROWS)))
    assert png != daily_calls_png(ROWS[:-1])


def _bars(ax) -> dict[dt.date, int]:
    return {mdates.num2date(p.get_x() + p.get_width() / 2).date(): round(p.get_height())
            for p in ax.patches}


def test_each_country_has_its_own_panel_of_its_own_calls_and_no_legend_covers_them():
    fig = daily_calls_figure(ROWS)
    try:
        panels = fig.axes
        assert [ax.get_ylabel().split("\n")[0] for ax in panels] == ["IRQ", "SYR", "EGY", "TUR"]
        for ax, country in zip(panels, ["IRQ", "SYR", "EGY", "TUR"], strict=True):
            assert _bars(ax) == {d: n for d, c, n in ROWS if c == country}
            assert ax.get_legend() is None
            # the highest day of all fits under every panel's top: the scale is shared
            assert ax.get_ylim()[1] > 2
    finally:
        plt.close(fig)


def test_an_empty_table_still_draws_a_chart():
    assert Image.open(io.BytesIO(daily_calls_png([]))).format == "PNG"


def test_only_the_last_days_of_data_are_drawn():
    old = [(DAY - dt.timedelta(days=400), "USA", 50)]
    assert daily_calls_png(ROWS + old) == daily_calls_png(ROWS)
