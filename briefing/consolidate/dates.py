"""Dates: the day a phrase such as "on Friday" means for an article, so two reports of one
meeting can be compared.

"On Friday" in a held meeting is the last Friday on or before publication; in a planned one, the
first Friday on or after it. "Yesterday", "today" and "tomorrow" resolve too; anything vaguer
("last week", "in March") keeps only its ``date_text`` and resolves to None: nothing is invented.
"""

from __future__ import annotations

import datetime as dt
import re

from briefing.rules.text import MONTHS
from briefing.schemas import MeetingStatus

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(
    r"\b(?:(last|next|this|coming|previous|past|following)\s+)?(" + "|".join(_WEEKDAYS) + r")s?\b"
)
_MONTH = "(" + "|".join(m[:3] + r"[a-z]*\.?" for m in MONTHS) + ")"
_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"
_DAY_MONTH = re.compile(r"\b" + _ORDINAL + r"\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(\d{4}))?\b")
_MONTH_DAY = re.compile(r"\b" + _MONTH + r"\s+" + _ORDINAL + r"\b(?:,?\s+(\d{4}))?")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_RELATIVE = {"yesterday": -1, "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0,
             "this evening": 0, "tomorrow": 1}
_VAGUE = re.compile(r"\b(week|weekend|month|year|days|ago|since|early|late|coming)\b")


def weekday_in(text: str | None) -> int | None:
    """The one weekday a date phrase names (0 = Monday), qualified or not; None if none or
    several."""
    days = {m.group(2) for m in _WEEKDAY.finditer((text or "").casefold())}
    return _WEEKDAYS.index(days.pop()) if len(days) == 1 else None


def resolve_date(
    date_text: str | None, published: dt.date | None, status: MeetingStatus = "held"
) -> dt.date | None:
    """The date a phrase such as "on Friday" means for an article published on ``published``;
    None when the phrase is vague or there is nothing to anchor it to, so nothing is invented."""
    text = " ".join((date_text or "").casefold().split())
    if not text:
        return None
    absolute = _absolute(text, published, status)
    if absolute is not None or published is None:
        return absolute
    for phrase, shift in _RELATIVE.items():
        if re.search(rf"\b{phrase}\b", text):
            return published + dt.timedelta(days=shift)
    return _weekday_date(text, published, status)


def _weekday_date(text: str, published: dt.date, status: MeetingStatus) -> dt.date | None:
    """A bare weekday ("on Friday", "Wednesday evening"): held meetings look back from the
    publication date, planned ones forward. "Last Friday", "next Friday" and anything with a
    week in it are ambiguous and left alone."""
    found = list(_WEEKDAY.finditer(text))
    if len(found) != 1 or found[0].group(1) or _VAGUE.search(text):
        return None
    day = _WEEKDAYS.index(found[0].group(2))
    if status == "planned":
        return published + dt.timedelta(days=(day - published.weekday()) % 7)
    return published - dt.timedelta(days=(published.weekday() - day) % 7)


def _absolute(text: str, published: dt.date | None, status: MeetingStatus) -> dt.date | None:
    """A calendar date in the phrase; a missing year is taken from the publication date (and
    never guessed without one)."""
    if m := _ISO.search(text):
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    day_month = _DAY_MONTH.search(text)
    month_day = _MONTH_DAY.search(text)
    if day_month:
        day, month, year = day_month.group(1), day_month.group(2), day_month.group(3)
    elif month_day:
        month, day, year = month_day.group(1), month_day.group(2), month_day.group(3)
    else:
        return None
    number = next(i for i, name in enumerate(MONTHS, 1) if month.startswith(name[:3]))
    if year:
        return _safe_date(int(year), number, int(day))
    if published is None:
        return None
    return _nearest_year(published, number, int(day), status)


def _nearest_year(
    published: dt.date, month: int, day: int, status: MeetingStatus
) -> dt.date | None:
    """The year that puts a held meeting's date on or before publication, a planned one's on
    or after."""
    found = _safe_date(published.year, month, day)
    if found is None:
        return None
    if status == "held" and found > published:
        return _safe_date(published.year - 1, month, day)
    if status == "planned" and found < published:
        return _safe_date(published.year + 1, month, day)
    return found


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None

