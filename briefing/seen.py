"""The seen-store: which article went into which day's brief, kept in the ledger's SQLite file.

An article is known by its normalised text hash (``Article.id``) and, when it has one, its
canonical URL (scheme and host lower-cased, fragment and ``utm_*`` tracking parameters
dropped). An article in an **earlier** day's brief is not briefed again; rows of the day being
built are ignored, so rerunning a day (or rebuilding an older one) gives the same brief.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import urllib.parse
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType

from briefing.schemas import Article

SCHEMA = """
CREATE TABLE IF NOT EXISTS briefed (
    article_id TEXT NOT NULL,
    url TEXT,
    day TEXT NOT NULL,
    run_id TEXT NOT NULL,
    PRIMARY KEY (article_id, day)
);
CREATE INDEX IF NOT EXISTS briefed_by_url ON briefed(url);
"""


def canonical_url(url: str | None) -> str | None:
    """A URL in the form two copies of one link share (None for no URL)."""
    if not url:
        return None
    parts = urllib.parse.urlsplit(url.strip())
    query = urllib.parse.urlencode(
        [(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if not k.startswith("utm_")]
    )
    path = parts.path.rstrip("/") or "/"
    return urllib.parse.urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), path, query, "")
    )


class SeenStore:
    """Read and mark briefed articles; one short transaction a call."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)

    def earlier(self, articles: Sequence[Article], day: dt.date) -> dict[str, dt.date]:
        """Article id → the first earlier day whose brief held it (by text or canonical URL)."""
        found: dict[str, dt.date] = {}
        for article in articles:
            url = canonical_url(article.url)
            row = self._db.execute(
                "SELECT MIN(day) FROM briefed WHERE day < ? AND (article_id = ? OR url = ?)",
                (day.isoformat(), article.id, url),
            ).fetchone()
            if row and row[0]:
                found[article.id] = dt.date.fromisoformat(row[0])
        return found

    def mark(self, articles: Iterable[Article], day: dt.date, run_id: str) -> None:
        rows = [(a.id, canonical_url(a.url), day.isoformat(), run_id) for a in articles]
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT OR REPLACE INTO briefed (article_id, url, day, run_id) VALUES (?,?,?,?)",
                rows,
            )

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SeenStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
