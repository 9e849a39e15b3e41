"""The command line: a thin layer over ``briefing.pipeline``.

Errors become one line on stderr and an exit code; ``BRIEFING_DEBUG=1`` shows the traceback
(and each failed article's), redacted like every other output (``briefing.redact``). Typer's
own traceback printer never runs (its locals-in-tracebacks have leaked API keys).
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, ParamSpec

import typer
from typer.core import TyperCommand, TyperGroup
from typer.exceptions import TyperException

from briefing import __version__, backends
from briefing.errors import BriefingError
from briefing.outfiles import OutBusy, discard_stdout
from briefing.pipeline import ExitCode, run_brief
from briefing.redact import (
    RedactingFilter,
    add_secrets_from_env,
    escape_controls,
    install_excepthooks,
    print_exception,
    redact,
)
from briefing.schemas import Article, ArticleExtraction, Failure
from briefing.settings import load_settings

EXIT_CODES_HELP = (
    "Exit codes: 0 every article extracted; 3 brief written but some articles or files failed "
    "(listed under Failures); 4 nothing could be extracted; 5 another run holds OUT; "
    "6 eval scored below --fail-under; 2 usage or settings error; 1 unexpected internal error."
)



class _Commands(TyperGroup):
    """The commands; those in ``LAZY`` are built on first use (asked for by name, or listed by
    ``--help``), so a ``run`` never imports ``briefing.evaluate`` and what only it needs."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in LAZY if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in LAZY and cmd_name not in self.commands:
            self.add_command(LAZY[cmd_name](), cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands:  # lazy, or a typo: "did you mean" needs all
            for name in LAZY:
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)


app = typer.Typer(
    cls=_Commands,
    help="A daily diplomatic brief from news articles, every line traceable to its source.",
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)


# C0 and C1 control characters and DEL: a file name may hold a line break (the message would
# take two lines) or a terminal escape sequence (it would act on the user's terminal).
def say(message: str) -> None:
    """One plain line on stderr: never wrapped, never styled, easy to grep, never a secret.
    Control characters (from a file name, a server's words) are shown escaped: ``\\n``."""
    print(escape_controls(redact(f"briefing: {message}")), file=sys.stderr, flush=True)


log = logging.getLogger("briefing")
P = ParamSpec("P")


def debugging() -> bool:
    """``BRIEFING_DEBUG`` set (to anything but empty or 0): tracebacks are shown, redacted."""
    return os.environ.get("BRIEFING_DEBUG", "") not in ("", "0")


def _version(value: bool) -> None:
    if value:
        print(f"briefing {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """A daily diplomatic brief from news articles, every line traceable to its source."""


# Libraries whose error logs repeat what the one failure line says (instructor logs "Max
# retries exceeded" with the whole validation dump): shown only with --verbose.
# pypdf logs its repairs ("EOF marker not found") without naming the file: the reader's own
# line names it and says why it cannot be read.
CHATTY_LOGGERS = ("instructor", "openai", "httpx2", "httpcore", "pypdf")


def setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("briefing: %(message)s"))
    add_secrets_from_env(os.environ)
    handler.addFilter(RedactingFilter())  # no log line may carry a key, whoever logged it
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    log.setLevel(logging.INFO if verbose else logging.WARNING)
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO if verbose else logging.CRITICAL)
    if debugging():  # each failed article's traceback (briefing.pipeline), redacted
        logging.getLogger("briefing.trace").setLevel(logging.DEBUG)


def _count(n: int, noun: str) -> str:
    """``"1 article"``, ``"3 articles"``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def parse_formats(value: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    bad = [f for f in formats if f not in ("md", "html", "json")]
    if bad or not formats:
        raise typer.BadParameter(
            f"unknown format {', '.join(bad) or value!r}; use md, html, json", param_hint="--format"
        )
    return formats


@contextmanager
def progress_display(total: int) -> Iterator[Any]:
    """A progress bar on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty() or total == 0:
        yield None
        return
    # rich loads only here: cron and pipes never draw a bar, and its import is ~20 ms of CPU
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    err = Console(stderr=True, highlight=False)
    with Progress(*columns, console=err, transient=True) as bar:
        yield bar


@contextmanager
def one_line_errors() -> Iterator[None]:
    """Every error reaching a command is one line on stderr: a ``BriefingError`` exits 2 (the
    input or settings are at fault), anything else exits 1 (a bug). ``BRIEFING_DEBUG=1``
    prints the traceback first, redacted (``briefing.redact.format_exception``)."""
    try:
        yield
    except (typer.Exit, typer.Abort, TyperException):
        raise
    except BriefingError as exc:
        if debugging():
            print_exception(exc)
        say(f"error: {exc}")
        raise typer.Exit(ExitCode.USAGE) from None
    except Exception as exc:
        _internal_error(exc, "" if debugging() else " (BRIEFING_DEBUG=1 shows where)")
        raise typer.Exit(ExitCode.ERROR) from None


def _internal_error(exc: BaseException, hint: str = "") -> None:
    """A bug's one line on stderr, after its redacted traceback with ``BRIEFING_DEBUG=1``."""
    if debugging():
        print_exception(exc)
    say(f"internal error: {type(exc).__name__}: {_first_line(exc)}{hint}")


def _print_paths(paths: Sequence[object]) -> None:
    """The brief's paths on stdout, one a line. A reader that went away (``briefing run … |
    head -1``, a closed pipe) does not turn a written brief into an internal error: the rest
    of stdout goes to the null device, and the run ends with its own exit code."""
    try:
        for path in paths:
            print(path, flush=True)
    except BrokenPipeError:
        discard_stdout()


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [""])[0][:300]


def guarded(command: Callable[P, None]) -> Callable[P, None]:
    """``command`` with ``one_line_errors`` around its whole body."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        with one_line_errors():
            command(*args, **kwargs)

    return wrapper


@app.command(epilog=EXIT_CODES_HELP)
@guarded
def run(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Article files, folders, http(s) pages or RSS/Atom feeds (URLs or files)."
        ),
    ] = None,
    inputs_from: Annotated[
        Path | None,
        typer.Option(help="File with one input (feed, page, file, folder) a line; '#' comments."),
    ] = None,
    offline: Annotated[
        bool, typer.Option(help="Read pages and feeds from OUT/cache only: no network.")
    ] = False,
    window: Annotated[
        str | None,
        typer.Option(help="Days of news ending with --date: Nd (default 1d), or 'all'."),
    ] = None,
    tz: Annotated[
        str | None, typer.Option(help="Time zone deciding today's date, e.g. Europe/Berlin.")
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Replace the day's brief even when this run extracted less.")
    ] = False,
    wait: Annotated[
        float | None,
        typer.Option(help="Seconds to wait for another run holding OUT (default: exit 5 at once)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Folder for the brief and ledger.")
    ] = None,
    date: Annotated[str | None, typer.Option(help="Brief date YYYY-MM-DD (default today).")] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="Comma list of md, html, json.")
    ] = "md,html,json",
    backend: Annotated[str | None, typer.Option(help="rules, openai, replay or local.")] = None,
    model: Annotated[str | None, typer.Option(help="Model name the endpoint knows.")] = None,
    base_url: Annotated[
        str | None, typer.Option(help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1.")
    ] = None,
    mode: Annotated[
        str | None, typer.Option(help="instructor mode: tools, json, md_json, json_schema.")
    ] = None,
    max_attempts: Annotated[
        int | None, typer.Option(help="Answers per article, re-asks included.")
    ] = None,
    token_budget: Annotated[
        int | None, typer.Option(help="Tokens per article across attempts.")
    ] = None,
    concurrency: Annotated[int | None, typer.Option(help="Articles extracted at once.")] = None,
    timeout: Annotated[
        float | None,
        typer.Option(help="Seconds for one whole exchange with the endpoint (a deadline)."),
    ] = None,
    max_wait: Annotated[
        float | None,
        typer.Option(help="Longest Retry-After honoured, seconds; asked more, the article fails."),
    ] = None,
    max_tokens: Annotated[
        int | None,
        typer.Option(
            help="Longest answer, in tokens (default: no limit sent); a cut answer keeps its"
            " complete items and the rest is asked for."
        ),
    ] = None,
    cassette: Annotated[Path | None, typer.Option(help="Cassette for --backend replay.")] = None,
    cache: Annotated[
        bool | None,
        typer.Option(
            "--cache/--no-cache",
            help="Reuse a model's earlier answers to identical requests from the ledger.",
        ),
    ] = None,
    record: Annotated[
        Path | None, typer.Option(help="Append every exchange to this cassette.")
    ] = None,
    model_path: Annotated[Path | None, typer.Option(help="GGUF file for --backend local.")] = None,
    actors: Annotated[
        Path | None, typer.Option(help="Actor registry TOML (default: the bundled one).")
    ] = None,
    config: Annotated[
        Path | None, typer.Option(help="Config file (default ./briefing.toml).")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log each attempt.")] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing on success; failures one line.")
    ] = False,
) -> None:
    """Extract meetings, positions and claims from INPUTS and write the day's brief
    (OUT/brief-DATE.md, .html, .json) and the ledger (OUT/ledger.sqlite)."""
    setup_logging(verbose)
    inputs = [*(inputs or []), *_inputs_from(inputs_from)]
    if not inputs:
        say("error: no inputs: give files, folders, URLs or --inputs-from FILE")
        raise typer.Exit(ExitCode.USAGE)
    missing = [p for p in inputs if "://" not in p and not Path(p).exists()]
    if missing:
        say(f"error: no such file or folder: {', '.join(missing)}")
        raise typer.Exit(ExitCode.USAGE)
    with one_line_errors():
        flags = {
            "out": out,
            "date": _date(date),
            "formats": parse_formats(fmt),
            "backend": backend,
            "model": model,
            "base_url": base_url,
            "mode": mode,
            "max_attempts": max_attempts,
            "token_budget": token_budget,
            "concurrency": concurrency,
            "timeout": timeout,
            "max_wait": max_wait,
            "max_tokens": max_tokens,
            "cassette": cassette,
            "cache": cache,
            "record": record,
            "model_path": model_path,
            "actors": actors,
            "offline": offline or None,
            "window": window,
            "tz": tz,
            "force": force or None,
            "wait": wait,
        }
        settings = load_settings(flags, config=config)
        with progress_display(len(inputs)) as bar:
            task = bar.add_task("extract", total=None) if bar else None

            told: set[str] = set()

            def progress(article: Article, result: ArticleExtraction | Failure) -> None:
                if isinstance(result, Failure):
                    say(f"{article.path}: failed: {result.reason}")
                    told.add(article.id)
                if bar is not None and task is not None:
                    bar.advance(task)

            notice = (lambda _message: None) if quiet else say
            try:
                result = run_brief(settings, inputs, progress=progress, on_notice=notice)
            except OutBusy as exc:
                say(f"error: {exc}")
                raise typer.Exit(ExitCode.LOCKED) from None
    brief = result.brief
    if quiet:  # only what failed, one line each: a cron job mails whatever is printed
        for failure in brief.failures:
            if failure.article_id not in told:
                say(f"{failure.path or failure.article_id}: {failure.reason}")
        raise typer.Exit(int(result.exit_code))
    _print_paths(result.paths)
    dropped = sum(len(x.drops) for x in brief.extractions)
    say(
        f"{_count(len(brief.articles), 'article')}, {_count(len(brief.meetings), 'meeting')}, "
        f"{_count(len(brief.positions), 'position')}, {_count(len(brief.claims), 'claim')}, "
        f"{_count(len(brief.failures), 'failure')}, "
        f"{_count(dropped, 'item')} dropped; ledger {settings.ledger_path}"
    )
    raise typer.Exit(int(result.exit_code))


def _inputs_from(path: Path | None) -> list[str]:
    """One input a line; blank lines and '#' comments skipped. A relative path is read from
    the list file's folder (cron starts in $HOME, not beside the list)."""
    if path is None:
        return []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        say(f"error: --inputs-from {path}: cannot read: {exc}")
        raise typer.Exit(ExitCode.USAGE) from None
    items = [s for s in (ln.split(" #")[0].strip() for ln in lines) if s and not s.startswith("#")]
    return [s if "://" in s else str(path.parent / s) for s in items]


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"not a date (YYYY-MM-DD): {value!r}", param_hint="--date"
        ) from None


def _eval_command() -> TyperCommand:
    """``briefing eval`` (``briefing.evaluate.eval_command``), built as Typer builds ``run``."""
    from briefing.evaluate import eval_command

    one = typer.Typer(add_completion=False)
    one.command("eval", epilog=EXIT_CODES_HELP)(guarded(eval_command))
    command = typer.main.get_command(one)
    assert isinstance(command, TyperCommand)
    return command


# Commands built only when named (``_Commands``), after ``run``, in this order.
LAZY: dict[str, Callable[[], TyperCommand]] = {"eval": _eval_command}


# CPython collects its youngest generation every 700 new container objects by default. A run
# builds tens of thousands that live to the end (openai's and instructor's pydantic classes, the
# records, the brief), so the collector kept re-walking them: 0.4-0.5 s of a 60-article run's
# 4.3 s of CPU (bench/bench_llm.py, gc.callbacks timing). The same run has little cyclic
# garbage, so collecting ten times less often costs little memory.
GC_THRESHOLDS = (10_000, 50, 100)


def _batch_gc() -> None:
    """Tune the cyclic garbage collector for one batch run (see ``GC_THRESHOLDS``), and keep it
    off a backend's client stack (``briefing.backends.FREEZE_IMPORTS``)."""
    gc.set_threshold(*GC_THRESHOLDS)
    backends.FREEZE_IMPORTS = True


def _fast_exit() -> None:
    """Freeze every object still alive (``gc.freeze``) just before the process exits, so the
    interpreter's last full collection does not walk them all once more: about 0.3-0.7 s of
    CPU after a 60-article run, for objects that are about to be freed anyway."""
    gc.freeze()


def main(args: list[str] | None = None) -> None:
    """The console script. Typer runs without its own error handling (``standalone_mode``
    off) so that a usage error — an unknown flag, ``--date 2026-13-01``, ``--format pdf`` — is
    one ``briefing: error: …`` line and exit 2 like every other error, not a Rich box.
    ``--help`` and a bare ``briefing`` still print the help."""
    argv = sys.argv[1:] if args is None else args
    _batch_gc()
    install_excepthooks()
    try:
        code = app(args=argv, prog_name="briefing", standalone_mode=False)
    except TyperException as exc:  # Click's UsageError family (Typer vendors Click)
        ctx = getattr(exc, "ctx", None)
        if not argv and ctx is not None:  # a bare `briefing` (no_args_is_help): the help
            print(ctx.get_help())
            sys.exit(ExitCode.USAGE)
        message = " ".join(exc.format_message().split())
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        say(f"error: {message}{hint}")
        sys.exit(ExitCode.USAGE)
    except typer.Abort:
        say("aborted")
        sys.exit(ExitCode.ERROR)
    except Exception as exc:  # outside any command's guard: never Typer's traceback printer
        _internal_error(exc)
        sys.exit(ExitCode.ERROR)
    _fast_exit()
    sys.exit(code if isinstance(code, int) else ExitCode.OK)
