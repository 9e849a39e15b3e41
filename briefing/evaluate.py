"""Score a backend against reference annotations: ``briefing eval``.

Gold files are ``<gold dir>/<article file stem>.json``, each an ``ArticleDraft`` validated
against its article, so gold spans are grounded exactly as a model's would be.

Matching is one-to-one (a maximum bipartite matching, so one good prediction cannot claim two
gold items) and deliberately forgiving about surface forms, strict about substance:

- meetings: on participants — people by name words (``Xi`` = ``Xi Jinping``, ``Shoigu`` =
  ``Shoygu``), states by ISO code, and a state standing for one of its own people (a visit
  "to China" and a meeting "with Xi" name the same host); at least two parties must match;
- direct quotes: spans overlapping by half of the shorter one, and the same speaker;
- positions: the same actor, and topics sharing at least half of the shorter one's words.

The grounded share is the fraction of predicted evidence spans whose text is exactly the
article's slice — 1.0 for any backend that builds evidence through ``briefing.grounding``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import BaseModel, ConfigDict, Field, ValidationError, computed_field

from briefing.backends import Backend
from briefing.errors import ConfigError, ExtractionFailed
from briefing.outfiles import discard_stdout
from briefing.rules.actors import fold_name, name_tokens, tokens_match
from briefing.schemas import (
    Actor,
    Article,
    ArticleExtraction,
    Claim,
    Evidence,
    Failure,
    Meeting,
    Position,
)

T = TypeVar("T")
U = TypeVar("U")
QUOTE_OVERLAP = 0.5
TOPIC_OVERLAP = 0.5
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "and",
        "or",
        "in",
        "on",
        "at",
        "to",
        "for",
        "with",
        "from",
        "by",
        "about",
        "over",
        "its",
        "their",
        "his",
        "her",
        "this",
        "that",
        "between",
        "into",
        "as",
        "is",
        "are",
        "be",
    ]
)
_WORD = re.compile(r"[^\W\d_]{3,}")


# Built on first use (pydantic's defer_build): only ``briefing eval`` scores, while every
# ``briefing run`` imports this module for the CLI (about 10 ms of its start).
_ON_FIRST_USE = ConfigDict(defer_build=True)


class Score(BaseModel):
    model_config = _ON_FIRST_USE

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> float:
        return round(self.tp / (self.tp + self.fp), 3) if self.tp + self.fp else 1.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float:
        return round(self.tp / (self.tp + self.fn), 3) if self.tp + self.fn else 1.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return round(2 * p * r / (p + r), 3) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(tp=self.tp + other.tp, fp=self.fp + other.fp, fn=self.fn + other.fn)


class ArticleScore(BaseModel):
    model_config = _ON_FIRST_USE

    article_id: str
    path: str | None = None
    meetings: Score = Field(default_factory=Score)
    quotes: Score = Field(default_factory=Score)
    positions: Score = Field(default_factory=Score)
    spans: int = 0
    grounded: int = 0
    misses: list[str] = Field(
        default_factory=list, description="unmatched items, gold and predicted"
    )


class EvalReport(BaseModel):
    model_config = _ON_FIRST_USE

    backend: str
    model: str
    prompt_version: str
    gold_dir: str
    articles: list[ArticleScore] = Field(default_factory=list)
    failures: list[Failure] = Field(default_factory=list)
    without_gold: list[str] = Field(default_factory=list, description="inputs with no gold file")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def meetings(self) -> Score:
        return sum((a.meetings for a in self.articles), Score())

    @computed_field  # type: ignore[prop-decorator]
    @property
    def quotes(self) -> Score:
        return sum((a.quotes for a in self.articles), Score())

    @computed_field  # type: ignore[prop-decorator]
    @property
    def positions(self) -> Score:
        return sum((a.positions for a in self.articles), Score())

    @computed_field  # type: ignore[prop-decorator]
    @property
    def grounded_share(self) -> float:
        spans = sum(a.spans for a in self.articles)
        return round(sum(a.grounded for a in self.articles) / spans, 4) if spans else 1.0


# --- matching ------------------------------------------------------------------------------


def same_party(a: Actor, b: Actor) -> bool:
    """The same actor for scoring: name words for people and organisations, ISO codes for
    states, and a state for one of its own people or bodies."""
    if a.kind == "state" or b.kind == "state":
        if a.kind == b.kind:
            return (bool(a.country) and a.country == b.country) or _names_match(a, b)
        return bool(a.country) and a.country == b.country
    if a.kind != b.kind:
        return False
    return _names_match(a, b)


def _names_match(a: Actor, b: Actor) -> bool:
    words_a = set().union(*(name_tokens(n) for n in [a.name, *a.aliases]))
    words_b = set().union(*(name_tokens(n) for n in [b.name, *b.aliases]))
    if fold_name(a.name) == fold_name(b.name):
        return True
    return any(tokens_match(x, y) for x in words_a for y in words_b if len(x) > 1 and len(y) > 1)


def _parties_matched(gold: list[Actor], pred: list[Actor]) -> int:
    return len(max_matching(gold, pred, same_party))


def meetings_match(gold: Meeting, pred: Meeting) -> bool:
    return _parties_matched(gold.participants, pred.participants) >= 2


def _span_overlap(a: Evidence, b: Evidence) -> float:
    inter = min(a.end, b.end) - max(a.start, b.start)
    return max(inter, 0) / min(a.end - a.start, b.end - b.start)


def quotes_match(gold: Claim, pred: Claim) -> bool:
    overlap = max(_span_overlap(g, p) for g in gold.evidence for p in pred.evidence)
    return overlap >= QUOTE_OVERLAP and same_party(gold.speaker, pred.speaker)


def _topic_words(topic: str) -> set[str]:
    return {w.rstrip("s") for w in _WORD.findall(fold_name(topic)) if w not in _STOP}


def positions_match(gold: Position, pred: Position) -> bool:
    a, b = _topic_words(gold.topic), _topic_words(pred.topic)
    if not a or not b or not same_party(gold.actor, pred.actor):
        return False
    return len(a & b) / min(len(a), len(b)) >= TOPIC_OVERLAP


def max_matching(
    gold: Sequence[T], pred: Sequence[U], fits: Callable[[T, U], bool]
) -> list[tuple[int, int]]:
    """A maximum one-to-one matching (Kuhn's augmenting paths); pairs as (gold, pred)."""
    edges = [[j for j, p in enumerate(pred) if fits(g, p)] for g in gold]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


def _score(
    gold: Sequence[T],
    pred: Sequence[U],
    fits: Callable[[T, U], bool],
    describe: Callable[[Any], str],
    label: str,
    misses: list[str],
) -> Score:
    pairs = max_matching(gold, pred, fits)
    hit_gold, hit_pred = {i for i, _ in pairs}, {j for _, j in pairs}
    misses += [f"{label} missed: {describe(g)}" for i, g in enumerate(gold) if i not in hit_gold]
    misses += [f"{label} extra: {describe(p)}" for j, p in enumerate(pred) if j not in hit_pred]
    return Score(tp=len(pairs), fp=len(pred) - len(pairs), fn=len(gold) - len(pairs))


def _describe_meeting(m: Meeting) -> str:
    return f"{m.status} " + " + ".join(p.name for p in m.participants)


def _describe_claim(c: Claim) -> str:
    text = c.text if len(c.text) <= 60 else c.text[:57] + "..."
    return f"{c.speaker.name}: {text!r}"


def _describe_position(p: Position) -> str:
    return f"{p.actor.name} {p.stance} {p.topic!r}"


def score_article(
    article: Article, gold: ArticleExtraction, pred: ArticleExtraction
) -> ArticleScore:
    """Scores of one article's prediction against its gold."""
    misses: list[str] = []
    gold_quotes = [c for c in gold.claims if c.kind == "direct-quote"]
    pred_quotes = [c for c in pred.claims if c.kind == "direct-quote"]
    spans = [e for r in [*pred.meetings, *pred.positions, *pred.claims] for e in r.evidence]
    return ArticleScore(
        article_id=article.id,
        path=article.path,
        meetings=_score(
            gold.meetings, pred.meetings, meetings_match, _describe_meeting, "meeting", misses
        ),
        quotes=_score(gold_quotes, pred_quotes, quotes_match, _describe_claim, "quote", misses),
        positions=_score(
            gold.positions, pred.positions, positions_match, _describe_position, "position", misses
        ),
        spans=len(spans),
        grounded=sum(article.text[e.start : e.end] == e.text for e in spans),
        misses=misses,
    )


# --- running -------------------------------------------------------------------------------


def gold_path(gold_dir: Path, article: Article) -> Path | None:
    """``<gold dir>/<stem of the article's file>.json``, if there is one."""
    if not article.path:
        return None
    path = gold_dir / f"{Path(article.path).stem}.json"
    return path if path.is_file() else None


def load_gold(path: Path, article: Article) -> ArticleExtraction:
    """A gold file validated against its article, as records grounded like any backend's."""
    from briefing.drafts import ArticleDraft  # the validators; a `run` never loads them here

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        draft = ArticleDraft.model_validate(data, context={"article": article})
    except (OSError, json.JSONDecodeError, ValidationError) as exc:
        raise ConfigError(f"{path}: not a valid gold file for its article: {exc}") from None
    # "reference": the name the seed cassette gives these same hand-written answers
    return draft.to_extraction(article, backend="gold", model="reference", prompt_version="gold")


def evaluate(backend: Backend, articles: Sequence[Article], gold_dir: Path) -> EvalReport:
    """Run ``backend`` on every article that has a gold file and score it. An article the
    backend fails on scores as all misses, and is listed among the failures."""
    report = EvalReport(
        backend=backend.name,
        model=backend.model,
        prompt_version=backend.prompt_version,
        gold_dir=str(gold_dir),
    )
    for article in articles:
        path = gold_path(gold_dir, article)
        if path is None:
            report.without_gold.append(article.path or article.id)
            continue
        gold = load_gold(path, article)
        try:
            pred = backend.extract(article)
        except ExtractionFailed as exc:
            report.failures.append(
                Failure(
                    article_id=article.id,
                    path=article.path,
                    reason=exc.reason,
                    attempts=exc.attempts,
                    errors=exc.errors,
                )
            )
            pred = ArticleExtraction(
                article_id=article.id,
                backend=backend.name,
                model=backend.model,
                prompt_version=backend.prompt_version,
            )
        report.articles.append(score_article(article, gold, pred))
    return report


def render_table(report: EvalReport) -> Any:
    """The report as a rich table: one row per category, then the grounded share."""
    from rich.table import Table

    table = Table(
        title=f"{report.backend} ({report.model}) vs {report.gold_dir}: "
        f"{len(report.articles)} articles"
    )
    for column in ("category", "gold", "predicted", "matched", "precision", "recall", "F1"):
        table.add_column(column, justify="left" if column == "category" else "right")
    for name in ("meetings", "quotes", "positions"):
        s: Score = getattr(report, name)
        table.add_row(
            name,
            str(s.tp + s.fn),
            str(s.tp + s.fp),
            str(s.tp),
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"{s.f1:.3f}",
        )
    table.caption = f"grounded spans: {report.grounded_share:.1%}"
    return table


def _worst_f1(report: EvalReport) -> float:
    return min(report.meetings.f1, report.quotes.f1)


def eval_command(
    inputs: Annotated[list[Path], typer.Argument(help="Article files or folders to score.")],
    gold: Annotated[
        Path, typer.Option("--gold", help="Folder of <article stem>.json gold files.")
    ] = Path("fixtures/gold"),
    backend: Annotated[str | None, typer.Option("--backend", help="Backend to score.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    misses: Annotated[bool, typer.Option("--misses", help="List unmatched items.")] = False,
    fail_under: Annotated[
        float | None,
        typer.Option("--fail-under", help="Exit 6 if meetings or quotes F1 is below this."),
    ] = None,
) -> None:
    """Score a backend against reference annotations: precision, recall and F1 for meetings,
    direct quotes and positions, and the share of grounded spans.

    Raises ``ConfigError`` (exit 2) when the gold folder is missing or no input has a gold
    file: zero articles scored is never reported as a score."""
    from briefing.backends import get_backend
    from briefing.ingest import load_articles
    from briefing.settings import load_settings

    if not gold.is_dir():
        raise ConfigError(f"gold folder not found: {gold}")
    articles, failures = load_articles(inputs)
    if not any(gold_path(gold, article) for article in articles):
        # nothing to score is not a perfect score: no report, and never a pass of --fail-under
        names = [article.path or article.id for article in articles]
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        raise ConfigError(
            f"nothing to score: no input has a gold file <stem>.json in {gold}"
            + (f" (inputs: {shown})" if names else " (no article was read)")
        )
    chosen = get_backend(load_settings({"backend": backend}))
    try:
        report = evaluate(chosen, articles, gold)
    finally:
        chosen.close()
    report.failures[:0] = failures
    try:
        _print(report, as_json=as_json, misses=misses)
    except BrokenPipeError:  # `briefing eval … | head -3`: the gate below still decides
        discard_stdout()
    if fail_under is not None and _worst_f1(report) < fail_under:
        from briefing.pipeline import ExitCode

        raise typer.Exit(ExitCode.QUALITY)


def _print(report: EvalReport, *, as_json: bool, misses: bool) -> None:
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
        return
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:  # rich's own exits 1, the code of a bug
            self.quiet = True
            raise BrokenPipeError

    console = _Console()
    console.print(render_table(report))
    for failure in report.failures:
        console.print(f"[red]failed[/red] {failure.path or failure.article_id}: {failure.reason}")
    if report.without_gold:
        console.print(f"no gold for: {', '.join(report.without_gold)}")
    if misses:
        for article in report.articles:
            for line in article.misses:
                console.print(
                    f"{Path(article.path or article.article_id).name}: {line}", markup=False
                )
