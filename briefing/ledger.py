"""The ledger: every model exchange of every run, in a SQLite file beside the outputs.

One row per attempt (an HTTP exchange with a model, or one pass of a deterministic backend):
request hash, backend, model, prompt version, raw response, validation errors, tokens, latency,
outcome. Never headers, never keys: the request hash is all that identifies the request.

The same file keeps which article went into which day's brief (table ``briefed``): an article
is known by its normalised text hash (``Article.id``) and, when it has one, its canonical URL
(scheme and host lower-cased, fragment and ``utm_*`` tracking parameters dropped). An article in
an **earlier** day's brief is not briefed again; rows of the day being built are ignored, so
rerunning a day (or rebuilding an older one) gives the same brief.

Durability: WAL journal with ``synchronous=NORMAL`` (SQLite's recommended pairing): a
committed transaction survives the process crashing at any point; only a power cut or an OS
crash may lose the last few. An article's rows are written in one transaction when it finishes.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
import urllib.parse
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType

from briefing.errors import ConfigError
from briefing.redact import redact_value
from briefing.schemas import Article, Attempt, RunInfo

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    started TEXT NOT NULL,
    finished TEXT,
    backend TEXT NOT NULL,
    model TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    mode TEXT,
    version TEXT,
    articles INTEGER,
    failures INTEGER,
    exit_code INTEGER
);
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL REFERENCES runs(run_id),
    article_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    request_hash TEXT NOT NULL,
    backend TEXT NOT NULL,
    model TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    raw_response TEXT,
    errors TEXT NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    latency_ms REAL NOT NULL,
    outcome TEXT NOT NULL,
    endpoint TEXT,
    cached INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS attempts_by_hash ON attempts(request_hash);
CREATE INDEX IF NOT EXISTS attempts_by_article ON attempts(article_id);
CREATE TABLE IF NOT EXISTS briefed (
    article_id TEXT NOT NULL,
    url TEXT,
    day TEXT NOT NULL,
    run_id TEXT NOT NULL,
    PRIMARY KEY (article_id, day)
);
CREATE INDEX IF NOT EXISTS briefed_by_url ON briefed(url);
CREATE TABLE IF NOT EXISTS extractions (
    cache_key TEXT PRIMARY KEY,
    article_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    extraction TEXT NOT NULL
);
"""
_ATTEMPT_COLUMNS = (
    "run_id, article_id, attempt, request_hash, backend, model, prompt_version, raw_response,"
    " errors, prompt_tokens, completion_tokens, latency_ms, outcome, endpoint, cached"
)
# How many values one statement binds at most (SQLite before 3.32 allowed 999).
_CHUNK = 500


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


class Ledger:
    """A thread-safe append-only log over one SQLite file (WAL, so readers never block)."""

    def __init__(self, path: Path | str) -> None:
        """Open (or create) the ledger at ``path``. Raises ``ConfigError`` naming the file
        when it is not a readable SQLite database (another file, or one cut short)."""
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(
            str(path), check_same_thread=False, isolation_level=None, timeout=30
        )
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:  # not SQLite, or truncated: not a bug of ours
            self._db.close()
            raise ConfigError(
                f"ledger {path}: not a readable SQLite database ({exc}); move it aside to"
                " start a new one (what it remembers, e.g. the articles already briefed,"
                " is then forgotten)"
            ) from exc

    def start_run(self, run: RunInfo) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO runs (run_id, started, backend, model, prompt_version,"
                " mode, version) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    run.run_id,
                    run.started.isoformat(),
                    run.backend,
                    run.model,
                    run.prompt_version,
                    run.mode,
                    run.version,
                ),
            )

    def finish_run(self, run: RunInfo, *, articles: int, failures: int, exit_code: int) -> None:
        finished = run.finished.isoformat() if run.finished else None
        with self._lock:
            self._db.execute(
                "UPDATE runs SET finished=?, articles=?, failures=?, exit_code=? WHERE run_id=?",
                (finished, articles, failures, exit_code, run.run_id),
            )

    def add(self, attempt: Attempt) -> None:
        self.add_many([attempt])

    def add_many(self, attempts: Sequence[Attempt]) -> None:
        """Append rows in one transaction: all of them are on disk, or none."""
        if not attempts:
            return
        rows = [_row(a) for a in attempts]
        columns = ", ".join(rows[0])
        marks = ", ".join("?" for _ in rows[0])
        with self._lock, self._transaction():
            self._db.executemany(
                f"INSERT INTO attempts ({columns}) VALUES ({marks})",
                [tuple(r.values()) for r in rows],
            )

    def _transaction(self) -> sqlite3.Connection:
        """``with self._transaction():`` commits on success, rolls back on an error (the
        connection is in autocommit mode, so the transaction is opened here)."""
        self._db.execute("BEGIN")
        return self._db

    # --- validated extractions, for reruns (``briefing.reuse``) -----------------------------

    def keep_extractions(self, rows: Sequence[tuple[str, str, str, str]]) -> None:
        """Store ``(cache_key, article_id, run_id, extraction JSON)`` rows, replacing older
        ones under the same key, in one transaction."""
        if not rows:
            return
        with self._lock, self._transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO extractions (cache_key, article_id, run_id, extraction)"
                " VALUES (?, ?, ?, ?)",
                rows,
            )

    def kept_extractions(self, keys: Sequence[str]) -> dict[str, tuple[str, str]]:
        """Cache key → (run id, extraction JSON) for each of ``keys`` that has a row."""
        found: dict[str, tuple[str, str]] = {}
        with self._lock:
            for i in range(0, len(keys), _CHUNK):
                chunk = keys[i : i + _CHUNK]
                marks = ", ".join("?" for _ in chunk)
                for key, run_id, data in self._db.execute(
                    "SELECT cache_key, run_id, extraction FROM extractions"
                    f" WHERE cache_key IN ({marks})",
                    chunk,
                ):
                    found[key] = (run_id, data)
        return found

    def copy_attempts(self, run_id: str, served: Sequence[tuple[str, str]]) -> None:
        """For each ``(article_id, earlier run id)``, that run's attempt rows for the article
        again under ``run_id``, marked cached: no tokens, no latency, the raw answer left in
        the earlier row. One transaction."""
        if not served:
            return
        with self._lock, self._transaction():
            self._db.executemany(
                f"INSERT INTO attempts ({_ATTEMPT_COLUMNS}) SELECT ?, article_id, attempt,"
                " request_hash, backend, model, prompt_version, NULL, errors, 0, 0, 0.0,"
                " outcome, endpoint, 1 FROM attempts WHERE run_id = ? AND article_id = ?"
                " ORDER BY id",
                [(run_id, origin, article_id) for article_id, origin in served],
            )

    # --- the seen-store: which article went into which day's brief -------------------------

    def earlier(self, articles: Sequence[Article], day: dt.date) -> dict[str, dt.date]:
        """Article id → the first earlier day whose brief held it (by text or canonical URL)."""
        found: dict[str, dt.date] = {}
        with self._lock:
            for article in articles:
                row = self._db.execute(
                    "SELECT MIN(day) FROM briefed WHERE day < ? AND (article_id = ? OR url = ?)",
                    (day.isoformat(), article.id, canonical_url(article.url)),
                ).fetchone()
                if row and row[0]:
                    found[article.id] = dt.date.fromisoformat(row[0])
        return found

    def mark(self, articles: Iterable[Article], day: dt.date, run_id: str) -> None:
        """Record that ``articles`` went into ``day``'s brief (made by ``run_id``)."""
        rows = [(a.id, canonical_url(a.url), day.isoformat(), run_id) for a in articles]
        with self._lock, self._transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO briefed (article_id, url, day, run_id) VALUES (?,?,?,?)",
                rows,
            )

    def cached_answer(self, request_hash: str, endpoint: str | None) -> str | None:
        """A model's earlier answer to the very same request at the same endpoint, if any.

        A valid answer is served. An invalid one is served only when the same article went on
        to a valid answer in that run, so the re-asks that led there are free too; a failed
        article's answers stay on record but are never served, so a rerun asks again."""
        with self._lock:
            row = self._db.execute(
                "SELECT raw_response FROM attempts AS a WHERE request_hash = ? AND endpoint IS ?"
                " AND raw_response IS NOT NULL AND (outcome = 'ok' OR (outcome = 'invalid'"
                " AND EXISTS (SELECT 1 FROM attempts AS b WHERE b.run_id = a.run_id"
                " AND b.article_id = a.article_id AND b.id > a.id AND b.outcome = 'ok')))"
                " ORDER BY id DESC LIMIT 1",
                (request_hash, endpoint),
            ).fetchone()
        return row[0] if row else None

    def attempts(
        self, *, run_id: str | None = None, article_id: str | None = None
    ) -> list[Attempt]:
        where, args = [], []
        for column, value in (("run_id", run_id), ("article_id", article_id)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        sql = "SELECT * FROM attempts" + (" WHERE " + " AND ".join(where) if where else "")
        with self._lock:
            cursor = self._db.execute(sql + " ORDER BY id", args)
            names = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
        return [_attempt(dict(zip(names, r, strict=True))) for r in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _row(attempt: Attempt) -> dict[str, object]:
    row = redact_value(attempt.model_dump())  # a server may echo the key back
    row["errors"] = json.dumps(row["errors"], ensure_ascii=False)
    return row


def _attempt(row: dict[str, object]) -> Attempt:
    row.pop("id", None)
    row["errors"] = json.loads(str(row["errors"]))
    row["cached"] = bool(row["cached"])
    return Attempt.model_validate(row)
