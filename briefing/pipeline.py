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
from typing import Any

from briefing import __version__
from briefing.actors import ActorRegistry
from briefing.backends import Backend, get_backend
from briefing.consolidate import consolidate
from briefing.coverage import select
from briefing.errors import ExtractionFailed
from briefing.fetch import Fetcher, FetchPolicy
from briefing.ingest import gather, hostile_notice
from briefing.ledger import Ledger
from briefing.outfiles import clean_leftovers, current_json, hold, publish, write_index
from briefing.render import build_view, render
from briefing.reuse import Reuse
from briefing.schemas import Article, ArticleExtraction, Brief, Failure, RunInfo
from briefing.settings import Settings
from briefing.window import Window, parse_window

log = logging.getLogger("briefing")
# Each failed article's traceback, at DEBUG (the CLI turns it on with BRIEFING_DEBUG=1); log
# records are redacted as they are made (``briefing.redact``), tracebacks included.
trace = logging.getLogger("briefing.trace")


class ExitCode(IntEnum):
    OK = 0  # every article extracted, brief written
    ERROR = 1  # an unexpected internal error (a bug): please report it
    USAGE = 2  # bad flags, settings or missing inputs; nothing was run
    PARTIAL = 3  # brief written, but some articles (or files) failed; see its failures
    NOTHING = 4  # no article could be extracted (the brief, if written, lists why)
    LOCKED = 5  # another run holds OUT (the message names it); nothing was run
    QUALITY = 6  # `briefing eval --fail-under`: a score fell below the gate


Progress = Callable[[Article, ArticleExtraction | Failure], None]


@dataclass
class RunResult:
    brief: Brief
    paths: list[Path] = field(default_factory=list)
    exit_code: ExitCode = ExitCode.OK
    kept: bool = False  # the day's brief on disk was better and stays


def new_run_id(now: dt.datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)


async def extract_each(
    backend: Backend,
    articles: Sequence[Article],
    concurrency: int,
    progress: Progress | None = None,
) -> list[ArticleExtraction | Failure]:
    """Extract every article, at most ``concurrency`` at once: one extraction or failure per
    article, in input order."""
    gate = asyncio.Semaphore(concurrency)

    async def one(article: Article) -> ArticleExtraction | Failure:
        async with gate:
            try:
                result: ArticleExtraction | Failure = await backend.aextract(article)
            except ExtractionFailed as exc:
                trace.debug("%s: failed; where:", article.path or article.id, exc_info=exc)
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

    return list(await asyncio.gather(*(one(a) for a in articles)))


async def _extract(
    backend: Backend, articles: Sequence[Article], concurrency: int, progress: Progress | None
) -> list[ArticleExtraction | Failure]:
    try:
        return await extract_each(backend, articles, concurrency, progress)
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
    the brief files and the ledger — holding OUT's lock the whole time.

    Raises ``OutBusy`` when another run holds OUT (after ``settings.wait`` seconds) and
    ``ConfigError`` when OUT cannot be written."""
    notify = on_notice or (lambda message: log.warning("%s", message))
    registry = ActorRegistry.load(settings.actors)  # a broken registry stops the run up front
    window = parse_window(settings.window, settings.date)
    with hold(settings.out, settings.wait):
        for path in clean_leftovers(settings.out):
            notify(f"removed {path}, left by a run that was stopped")
        return _run(settings, inputs, registry, window, progress, notify)


def _run(
    settings: Settings,
    inputs: Sequence[Path | str],
    registry: ActorRegistry,
    window: Window,
    progress: Progress | None,
    notify: Callable[[str], None],
) -> RunResult:
    policy = FetchPolicy(delay=settings.fetch_delay)
    with Fetcher(settings.out / "cache", offline=settings.offline, policy=policy) as fetcher:
        intake = gather(inputs, fetcher=fetcher, max_bytes=settings.max_article_bytes)
    ingest_failures = intake.failures
    for failure in ingest_failures:
        notify(f"{failure.path}: {failure.reason}")
    for message in intake.notices:
        notify(message)
    with Ledger(settings.ledger_path) as ledger:
        chosen = select(
            intake.articles, window, settings.date, ledger, intake.languages, intake.duplicates
        )
        articles = chosen.articles
        for message in chosen.notes:
            notify(message)
        if not articles:
            where = "in the window" if intake.articles else "in the inputs"
            notify(f"no article to extract {where}")
        for article in articles:
            if notice := hostile_notice(article):
                notify(notice)
        run, results = _extract_or_reuse(settings, ledger, chosen.extract, progress, notify)
        extractions = [r for r in results if isinstance(r, ArticleExtraction)]
        failures = [r for r in results if isinstance(r, Failure)]
        all_failures = ingest_failures + failures
        brief = consolidate(
            articles, extractions, all_failures, run, settings.date, registry, chosen.groups
        )
        brief = _with_coverage(brief, window, chosen.notes)
        code = exit_code_for(len(extractions), len(all_failures))
        brief, paths, kept = _write(settings, brief, notify)
        ledger.finish_run(
            brief.run, articles=len(articles), failures=len(all_failures), exit_code=int(code)
        )
        if not kept:  # only what the written brief holds
            briefed = {x.article_id for x in extractions} | {a.id for a in chosen.copies}
            ledger.mark([a for a in articles if a.id in briefed], settings.date, run.run_id)
    return RunResult(brief, paths, code, kept)


def _extract_or_reuse(
    settings: Settings,
    ledger: Ledger,
    articles: Sequence[Article],
    progress: Progress | None,
    notify: Callable[[str], None],
) -> tuple[RunInfo, list[ArticleExtraction | Failure]]:
    """Each article's extraction or failure, in input order: kept ones from the ledger
    (``briefing.reuse``), the rest from the backend, which is only loaded when some article
    needs it (the openai client stack is the heaviest import of a run)."""
    reuse = Reuse.for_run(settings, ledger)
    found = reuse.load(articles) if reuse is not None else {}
    todo = [a for a in articles if a.id not in found]
    backend = get_backend(settings, ledger) if todo or reuse is None else None
    fresh: list[ArticleExtraction | Failure] = []
    try:
        if backend is not None:
            run = _start(settings, ledger, backend.name, backend.model, backend.prompt_version,
                         getattr(backend, "mode_name", None), backend.startup_notices())
            backend.run_id = run.run_id
        else:
            assert reuse is not None
            run = _start(settings, ledger, reuse.backend, reuse.model, reuse.prompt_version,
                         reuse.mode, [])
        for message in run.notices:
            notify(message)
        if backend is not None:
            fresh = asyncio.run(_extract(backend, todo, settings.concurrency, progress))
    finally:
        if backend is not None:
            backend.close()
    results: dict[str, ArticleExtraction | Failure] = {}
    if reuse is not None:
        results.update(reuse.serve(found, run.run_id))
        pairs = zip(todo, fresh, strict=True)
        reuse.keep([(a, x) for a, x in pairs if isinstance(x, ArticleExtraction)], run.run_id)
        if found:
            notify(f"{len(found)} of {len(articles)} articles as extracted before (ledger)")
        if progress is not None:
            for article in articles:
                if article.id in found:
                    progress(article, results[article.id])
    results.update({a.id: x for a, x in zip(todo, fresh, strict=True)})
    return run, [results[a.id] for a in articles]


def _write(
    settings: Settings, brief: Brief, notify: Callable[[str], None]
) -> tuple[Brief, list[Path], bool]:
    """Publish the brief's files together, unless the day's brief on disk holds more (then it
    stays, unless ``--force``); refresh OUT/index.html. The run's ``finished`` is now."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    brief = brief.model_copy(update={"run": brief.run.model_copy(update={"finished": now})})
    old = current_json(settings.out, settings.date)
    if old is not None and not settings.force and (reason := _thinner(brief, old)):
        notify(f"kept the brief already on disk for {settings.date}: {reason}; --force replaces it")
        stem = settings.out / f"brief-{settings.date.isoformat()}"
        paths = [p for p in (stem.with_suffix(f".{f}") for f in settings.formats) if p.exists()]
        return brief, paths, True
    formats = list(dict.fromkeys(settings.formats))
    view = build_view(brief)
    files = {fmt: render(brief, fmt, view=view) for fmt in dict.fromkeys([*formats, "json"])}
    paths = publish(settings.out, settings.date, brief.run.run_id, files, formats)
    write_index(settings.out)
    return brief, paths, False


def _thinner(brief: Brief, old: dict[str, Any]) -> str | None:
    """Why the new brief holds less than the old one, or None when it holds as much."""
    def records(data: dict[str, Any]) -> int:
        return sum(len(data.get(k) or []) for k in ("meetings", "positions", "claims"))

    new = brief.model_dump(mode="json")
    if len(new["extractions"]) < len(old.get("extractions") or []) or records(new) < records(old):
        return (
            f"it has {records(old)} records from {len(old.get('extractions') or [])} articles, "
            f"this run {records(new)} from {len(new['extractions'])}"
        )
    return None


def _with_coverage(brief: Brief, window: Window, notes: list[str]) -> Brief:
    update: dict[str, object] = {"coverage_notes": notes}
    if window.start is not None:
        update |= {"window_start": window.start, "window_end": window.end}
    return brief.model_copy(update=update)


def _start(
    settings: Settings,
    ledger: Ledger,
    backend: str,
    model: str,
    prompt_version: str,
    mode: str | None,
    notices: list[str],
) -> RunInfo:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    run = RunInfo(
        run_id=new_run_id(now),
        backend=backend,
        model=model,
        prompt_version=prompt_version,
        mode=mode,
        started=now,
        ledger=str(settings.ledger_path),
        version=__version__,
        notices=[f"backend {backend} ({model}), chosen by {settings.backend_source}", *notices],
    )
    ledger.start_run(run)
    return run
