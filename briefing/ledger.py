"""The ledger: every model exchange of every run, in a SQLite file beside the outputs.

One row per attempt (an HTTP exchange with a model, or one pass of a deterministic backend):
request hash, backend, model, prompt version, raw response, validation errors, tokens, latency,
outcome. Never headers, never keys: the request hash is all that identifies the request.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from types import TracebackType

from briefing.redact import redact_value
from briefing.schemas import Attempt, RunInfo

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
"""


class Ledger:
    """A thread-safe append-only log over one SQLite file (WAL, so readers never block)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)

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
        row = redact_value(attempt.model_dump())  # a server may echo the key back
        row["errors"] = json.dumps(row["errors"], ensure_ascii=False)
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with self._lock:
            self._db.execute(
                f"INSERT INTO attempts ({columns}) VALUES ({marks})", tuple(row.values())
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


def _attempt(row: dict[str, object]) -> Attempt:
    row.pop("id", None)
    row["errors"] = json.loads(str(row["errors"]))
    row["cached"] = bool(row["cached"])
    return Attempt.model_validate(row)
