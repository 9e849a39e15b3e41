"""The whole run: ingest → extract (concurrently) → consolidate → render, with the ledger.

Usable as a library (``run_brief``) as well as from the CLI. Output order never depends on
which article finished first.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path

from briefing import __version__
from briefing.actors import ActorRegistry
from briefing.backends import Backend, get_backend
from briefing.consolidate import consolidate
from briefing.errors import ExtractionFailed
from briefing.fetch import Fetcher, FetchPolicy
from briefing.ingest import gather, hostile_notice
from briefing.ledger import Ledger
from briefing.render import write_brief
from briefing.schemas import Article, ArticleExtraction, Brief, Failure, RunInfo
from briefing.settings import Settings

log = logging.getLogger("briefing")


class ExitCode(IntEnum):
    OK = 0  # every article extracted, brief written
    ERROR = 1  # an unexpected internal error (a bug): please report it
    USAGE = 2  # bad flags, settings or missing inputs; nothing was run
    PARTIAL = 3  # brief written, but some articles (or files) failed; see its failures
    NOTHING = 4  # no article could be extracted (the brief, if written, lists why)
    QUALITY = 5  # `briefing eval --fail-under`: a score fell below the gate


Progress = Callable[[Article, ArticleExtraction | Failure], None]


@dataclass
class RunResult:
    brief: Brief
    paths: list[Path] = field(default_factory=list)
    exit_code: ExitCode = ExitCode.OK


def new_run_id(now: dt.datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)


async def extract_all(
    backend: Backend,
    articles: Sequence[Article],
    concurrency: int,
    progress: Progress | None = None,
) -> tuple[list[ArticleExtraction], list[Failure]]:
    """Extract every article, at most ``concurrency`` at once; results in input order."""
    gate = asyncio.Semaphore(concurrency)

    async def one(article: Article) -> ArticleExtraction | Failure:
        async with gate:
            try:
                result: ArticleExtraction | Failure = await backend.aextract(article)
            except ExtractionFailed as exc:
                result = Failure(
                    article_id=article.id,
                    path=article.path,
                    reason=exc.reason,
                    attempts=exc.attempts,
                    errors=exc.errors,
                )
        if progress:
            progress(article, result)
        return result

    results = await asyncio.gather(*(one(a) for a in articles))
    extractions = [r for r in results if isinstance(r, ArticleExtraction)]
    failures = [r for r in results if isinstance(r, Failure)]
    return extractions, failures


async def _extract(
    backend: Backend, articles: Sequence[Article], concurrency: int, progress: Progress | None
) -> tuple[list[ArticleExtraction], list[Failure]]:
    try:
        return await extract_all(backend, articles, concurrency, progress)
    finally:
        await backend.aclose()  # async clients must close on the loop that made them


def exit_code_for(extracted: int, failures: int) -> ExitCode:
    if extracted == 0:
        return ExitCode.NOTHING
    return ExitCode.PARTIAL if failures else ExitCode.OK


def run_brief(
    settings: Settings,
    inputs: Sequence[Path | str],
    *,
    progress: Progress | None = None,
    on_notice: Callable[[str], None] | None = None,
) -> RunResult:
    """Read ``inputs`` (files, folders, http(s) pages and feeds), extract, consolidate, write
    the brief files and the ledger."""
    notify = on_notice or (lambda message: log.warning("%s", message))
    registry = ActorRegistry.load(settings.actors)  # a broken registry stops the run up front
    policy = FetchPolicy(delay=settings.fetch_delay)
    with Fetcher(settings.out / "cache", offline=settings.offline, policy=policy) as fetcher:
        intake = gather(inputs, fetcher=fetcher, max_bytes=settings.max_article_bytes)
    articles, ingest_failures = intake.articles, intake.failures
    for failure in ingest_failures:
        notify(f"{failure.path}: {failure.reason}")
    for message in intake.notices:
        notify(message)
    for article in articles:
        if notice := hostile_notice(article):
            notify(notice)
    with Ledger(settings.ledger_path) as ledger:
        backend = get_backend(settings, ledger)
        try:
            run = _start(settings, backend, ledger)
            for message in run.notices:
                notify(message)
            extractions, failures = asyncio.run(
                _extract(backend, articles, settings.concurrency, progress)
            )
        finally:
            backend.close()
        run = run.model_copy(update={"finished": dt.datetime.now(dt.UTC).replace(microsecond=0)})
        all_failures = ingest_failures + failures
        brief = consolidate(articles, extractions, all_failures, run, settings.date, registry)
        code = exit_code_for(len(extractions), len(all_failures))
        paths = write_brief(brief, settings.out, settings.formats)
        ledger.finish_run(
            run, articles=len(articles), failures=len(all_failures), exit_code=int(code)
        )
    return RunResult(brief, paths, code)


def _start(settings: Settings, backend: Backend, ledger: Ledger) -> RunInfo:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    run = RunInfo(
        run_id=new_run_id(now),
        backend=backend.name,
        model=backend.model,
        prompt_version=backend.prompt_version,
        mode=getattr(backend, "mode_name", None),
        started=now,
        ledger=str(settings.ledger_path),
        version=__version__,
        notices=[
            f"backend {backend.name} ({backend.model}), chosen by {settings.backend_source}",
            *backend.startup_notices(),
        ],
    )
    backend.run_id = run.run_id
    ledger.start_run(run)
    return run
