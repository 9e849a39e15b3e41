"""The day's window and --tz (issue 11, item 3)."""

from __future__ import annotations

import datetime as dt

import pytest

from briefing.errors import ConfigError
from briefing.schemas import Article
from briefing.settings import load_settings
from briefing.window import Window, parse_window, today

D = dt.date(2026, 11, 28)


def art(day: dt.date | None, text: str) -> Article:
    return Article(id=Article.make_id(text), title=text, text=text, published=day)


def test_windows_are_calendar_days_ending_with_the_date():
    assert parse_window("1d", D) == Window(D, D)
    assert parse_window("7d", D) == Window(dt.date(2026, 11, 22), D)
    assert parse_window(" 2 days ", D) == Window(dt.date(2026, 11, 27), D)
    assert parse_window("all", D) == Window(None, None)
    for bad in ("0d", "fortnight", "-1d", "400d"):
        with pytest.raises(ConfigError, match="invalid setting window"):
            parse_window(bad, D)


def test_split_keeps_undated_articles_and_counts_the_rest():
    older, inside, undated, newer = (art(dt.date(2026, 11, 26), "a"), art(D, "b"),
                                     art(None, "c"), art(dt.date(2026, 11, 29), "d"))
    kept, old, new = parse_window("2d", D).split([older, inside, undated, newer])
    assert (kept, old, new) == ([inside, undated], [older], [newer])
    assert parse_window("all", D).split([older, newer])[0] == [older, newer]


def test_tz_decides_today_when_no_date_is_given():
    kiritimati = load_settings({"tz": "Pacific/Kiritimati"}, env={}).date  # UTC+14
    pago = load_settings({"tz": "Pacific/Pago_Pago"}, env={}).date  # UTC-11
    assert kiritimati > pago  # 25 hours apart: never the same date
    assert kiritimati == today("Pacific/Kiritimati")
    assert load_settings({"tz": "Pacific/Kiritimati", "date": D}, env={}).date == D
    with pytest.raises(ConfigError, match="unknown time zone"):
        load_settings({"tz": "Mars/Olympus"}, env={})
