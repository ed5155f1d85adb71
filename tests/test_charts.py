"""The daily-calls chart: a real PNG, the same bytes for the same table, the right lines."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image

from ittisal.charts import daily_calls_png, top_countries

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
    assert image.format == "PNG" and image.size == (900, 400)
    assert png == daily_calls_png(list(reversed(ROWS)))
    assert png != daily_calls_png(ROWS[:-1])


def test_an_empty_table_still_draws_a_chart():
    assert Image.open(io.BytesIO(daily_calls_png([]))).format == "PNG"


def test_only_the_last_days_of_data_are_drawn():
    old = [(DAY - dt.timedelta(days=400), "USA", 50)]
    assert daily_calls_png(ROWS + old) == daily_calls_png(ROWS)
