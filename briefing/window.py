"""The day's window: which articles a brief for date D covers.

``--window Nd`` (default ``1d``) covers the N calendar days ending at the end of D, D included;
``all`` turns the window off. Publication dates are calendar dates as the source gives them (a
page's date is its own local date), so the window compares dates, not instants; ``--tz`` only
decides which day "today" is when ``--date`` is not given. Articles with no known date are kept
(the brief marks them "publication date unknown"); articles outside the window are skipped and
counted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from briefing.errors import ConfigError
from briefing.schemas import Article

_SPEC = re.compile(r"^\s*(\d{1,3})\s*d(ays?)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Window:
    """Calendar days ``start`` .. ``end`` (both included); None bounds mean no limit."""

    start: dt.date | None
    end: dt.date | None

    def split(
        self, articles: Sequence[Article]
    ) -> tuple[list[Article], list[Article], list[Article]]:
        """(inside or undated, older than the window, newer than the window), in input order."""
        inside, older, newer = [], [], []
        for article in articles:
            when = article.published
            if when is not None and self.start is not None and when < self.start:
                older.append(article)
            elif when is not None and self.end is not None and when > self.end:
                newer.append(article)
            else:
                inside.append(article)
        return inside, older, newer


def parse_window(spec: str, day: dt.date) -> Window:
    """``Nd`` (1 ≤ N ≤ 366) or ``all``; raises ConfigError naming the bad value."""
    if spec.strip().lower() == "all":
        return Window(None, None)
    found = _SPEC.match(spec)
    days = int(found.group(1)) if found else 0
    if not 1 <= days <= 366:
        raise ConfigError(f"invalid setting window: {spec!r} (use Nd, e.g. 1d or 7d, or 'all')")
    return Window(day - dt.timedelta(days=days - 1), day)


def today(tz: str | None) -> dt.date:
    """Today's date in the zone ``tz`` (an IANA name such as Europe/Berlin), or the system's."""
    if not tz:
        return dt.date.today()
    return dt.datetime.now(zone(tz)).date()


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"invalid setting tz: unknown time zone {name!r}") from None
