"""Render a Brief as Markdown, HTML or JSON.

Python only builds a view-model here (numbered sources, citations with their passages in
context, rankings, groupings); every word a reader sees comes from the Jinja templates in
``templates/``. JSON is the brief itself plus a few derived fields, for outside tools.

Markdown and HTML are both built from untrusted article text, so neither may let it become
markup: HTML is autoescaped, and Markdown passes every inline value through the ``md`` filter
(or ``mdcode`` for paths and ids), which escapes what CommonMark or GitHub would act on.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal
from urllib.parse import urlsplit

import pydantic_core
from jinja2 import (
    BaseLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    select_autoescape,
)

from briefing.errors import BriefingError
from briefing.resources import data_dir
from briefing.schemas import (
    Actor,
    Article,
    ArticleExtraction,
    Brief,
    Claim,
    Divergence,
    Evidence,
    Failure,
    Meeting,
    Position,
)
from briefing.settings import Format

TEMPLATES: dict[str, str] = {"md": "brief.md.j2", "html": "brief.html.j2"}
# Characters of article text shown either side of a cited span in the HTML passages.
CONTEXT_CHARS = 200
# Key developments: this many lines, with room kept for positions so meetings can't crowd
# them all out.
KEY_LIMIT = 5
KEY_POSITIONS_MIN = 2
# A brief of a thousand articles must stay readable: past these counts a section shows its best
# items and says how many more there are (all of them are in the JSON; the HTML keeps them in a
# collapsed list). Small briefs are shown whole.
LIMITS: dict[str, int] = {
    "meetings": 40,
    "actors": 20,
    "positions_per_actor": 6,
    "quotes": 30,
    "statements": 40,
    "divergences": 30,
    "sources": 60,  # more articles than this: list only the sources the shown lines cite
    "notes": 30,  # more extractions than this: one summary line, and the ones that needed re-asks
}
# Citations written out on one line; the rest are counted ("… and 12 more").
CITES_SHOWN = 10

ItemKind = Literal["meeting", "position", "claim"]
ItemRecord = Meeting | Position | Claim


class RenderError(BriefingError):
    """A template failed: a typo, a missing variable, a broken custom template."""


# --------------------------------------------------------------------------- view-model


@dataclass(frozen=True)
class Source:
    """One article with its citation number ``[n]`` (the order of ``brief.articles``)."""

    n: int
    article: Article
    href: str | None  # the url, only when it is safe to make a link of (http or https)


@dataclass(frozen=True)
class Passage:
    """A cited span with the text around it, so the reader sees it in context."""

    before: str
    span: str
    after: str
    clipped_before: bool
    clipped_after: bool
    match: str = "exact"


@dataclass(frozen=True)
class Cite:
    """One source of an item: its number, and every passage of it the item rests on.

    One citation per source, however many passages: ``[4]`` once, not ``[4][4][4]``. A
    divergence side may cite a source the item has no passage from; then ``passages`` is empty.
    """

    n: int
    anchor: str  # unique within a section: the HTML id of the revealed passages
    source: Source
    passages: list[Passage]


@dataclass(frozen=True)
class Item:
    """A meeting, position or claim with what the templates need beside the record."""

    kind: ItemKind
    record: ItemRecord
    anchor: str
    cites: list[Cite]
    corroboration: int
    recency: dt.date | None

    @property
    def numbers(self) -> list[int]:
        """Distinct source numbers, for formats that cite articles rather than passages."""
        return sorted({c.n for c in self.cites})

    @property
    def numbers_shown(self) -> list[int]:
        """The first ``CITES_SHOWN`` source numbers: a line never carries hundreds."""
        return self.numbers[:CITES_SHOWN]

    @property
    def numbers_more(self) -> int:
        return max(0, len(self.numbers) - CITES_SHOWN)

    @property
    def cites_shown(self) -> list[Cite]:
        return self.cites[:CITES_SHOWN]

    @property
    def quote(self) -> str:
        """A claim's words taken from the source span, never from the model's copy."""
        spans = [p.span for c in self.cites for p in c.passages]
        return _unquote(spans[0]) if spans else ""


@dataclass(frozen=True)
class TopicGroup:
    topic: str
    items: list[Item]


@dataclass(frozen=True)
class ActorGroup:
    actor: Actor
    anchor: str
    topics: list[TopicGroup]

    @property
    def items(self) -> list[Item]:
        return [i for t in self.topics for i in t.items]

    @property
    def shown(self) -> list[TopicGroup]:
        """Topics cut to ``positions_per_actor`` positions in all, best supported first kept."""
        budget = LIMITS["positions_per_actor"]
        keep = {id(i) for i in _ranked(self.items)[:budget]}
        cut = [TopicGroup(t.topic, [i for i in t.items if id(i) in keep]) for t in self.topics]
        return [t for t in cut if t.items]

    @property
    def hidden(self) -> int:
        return max(0, len(self.items) - LIMITS["positions_per_actor"])


@dataclass(frozen=True)
class Side:
    """One value in a divergence and the sources that give it."""

    value: str
    cites: list[Cite]

    @property
    def numbers(self) -> list[int]:
        return sorted({c.n for c in self.cites})


@dataclass(frozen=True)
class DivergenceView:
    divergence: Divergence
    anchor: str
    item: Item | None
    sides: list[Side]


@dataclass(frozen=True)
class FailureView:
    failure: Failure
    source: Source | None


@dataclass(frozen=True)
class NoteView:
    extraction: ArticleExtraction
    source: Source | None


@dataclass(frozen=True)
class Coverage:
    articles: int
    outlets: int
    unknown_outlet: int
    failures: int


@dataclass(frozen=True)
class BriefView:
    """Everything the Markdown and HTML templates read."""

    brief: Brief
    coverage: Coverage
    sources: list[Source]
    key: list[Item]
    meetings: list[Item]
    positions: list[Item]  # brief order; the templates read them through ``actors``
    claims: list[Item]  # brief order; the templates read ``quotes`` and ``statements``
    actors: list[ActorGroup]
    quotes: list[Item]
    statements: list[Item]
    divergences: list[DivergenceView]
    failures: list[FailureView]
    notes: list[NoteView]
    limits: dict[str, int]
    related: dict[str, list[Item]]  # meeting anchor -> meetings it may be the same as
    history: dict[str, list[Item]]  # position anchor -> the same stance on other occasions
    copies: dict[int, list[int]]  # source number -> the numbers of its near-identical copies
    cited_sources: list[Source]  # the sources a capped Markdown brief lists
    number: dict[str, int]  # article id -> source number

    def numbers_of(self, article_ids: Iterable[str]) -> list[int]:
        return sorted({self.number[a] for a in article_ids if a in self.number})

    @property
    def actors_ranked(self) -> list[ActorGroup]:
        """All actor groups; past the limit, best supported (then most positions) first."""
        if len(self.actors) <= self.limits["actors"]:
            return self.actors
        return sorted(self.actors, key=lambda g: (-max(i.corroboration for i in g.items),
                                                  -len(g.items)))

    @property
    def notes_shown(self) -> list[NoteView]:
        """Every note in a small brief; in a large one, those that needed more than one try or
        dropped items."""
        if len(self.notes) <= self.limits["notes"]:
            return self.notes
        shown = [n for n in self.notes if n.extraction.attempts > 1 or n.extraction.drops]
        return shown[: self.limits["notes"]]


def _safe_href(url: str | None) -> str | None:
    """Only http(s) urls become links: ``javascript:`` and friends stay text."""
    if not url or re.search(r"[\s<>\"'`]", url):
        return None
    return url if urlsplit(url).scheme.lower() in {"http", "https"} else None


def _clip_start(text: str, lo: int, start: int) -> int:
    """Move a context start forward to a word boundary so it does not begin mid-word."""
    found = re.search(r"\s", text[lo:start]) if lo > 0 else None
    return lo + found.end() if found else lo


def _clip_end(text: str, end: int, hi: int) -> int:
    if hi >= len(text):
        return len(text)
    cut = max(text.rfind(" ", end, hi), text.rfind("\n", end, hi))
    return cut if cut >= 0 else hi


def passage(article: Article, ev: Evidence, width: int = CONTEXT_CHARS) -> Passage:
    """The span with about ``width`` characters either side, cut at word boundaries."""
    text = article.text
    lo = _clip_start(text, max(0, ev.start - width), ev.start)
    hi = _clip_end(text, ev.end, min(len(text), ev.end + width))
    return Passage(text[lo:ev.start], text[ev.start:ev.end], text[ev.end:hi], lo > 0,
                   hi < len(text), ev.match)


def _unquote(text: str) -> str:
    """A quote's span may carry its own quotation marks, and the comma that led back into the
    sentence (``“…true friends,” Xi said``); the templates add their own marks."""
    return text.strip().strip("\"'“”‘’«»„").strip().rstrip(",;:").rstrip()


class _Index:
    """Sources by article id, and the outlet identity used to count corroboration."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self.sources = [Source(i + 1, a, _safe_href(a.url)) for i, a in enumerate(articles)]
        self.by_id = {s.article.id: s for s in self.sources}

    def outlet_key(self, article_id: str) -> str:
        """An article without an outlet counts as a source of its own."""
        source = self.by_id.get(article_id)
        outlet = source.article.outlet if source else None
        return f"outlet:{outlet.casefold()}" if outlet else f"article:{article_id}"

    def cites(self, evidence: Sequence[Evidence], anchor: str) -> list[Cite]:
        """One citation per source, in order of first use, each with its distinct passages."""
        spans: dict[str, dict[tuple[int, int], Evidence]] = {}
        for ev in evidence:
            if ev.article_id in self.by_id:
                spans.setdefault(ev.article_id, {}).setdefault((ev.start, ev.end), ev)
        cites = []
        for k, (article_id, found) in enumerate(spans.items()):
            source = self.by_id[article_id]
            passages = [passage(source.article, ev) for _, ev in sorted(found.items())]
            cites.append(Cite(source.n, f"{anchor}-{k + 1}", source, passages))
        return cites

    def published(self, article_ids: Iterable[str]) -> dt.date | None:
        dates = [self.by_id[a].article.published for a in article_ids if a in self.by_id]
        return max((d for d in dates if d is not None), default=None)


def _corroboration(record: ItemRecord, index: _Index) -> int:
    """Consolidation's count when it set one; otherwise (an unconsolidated brief, where the
    field holds its default) the distinct outlets among the record's sources."""
    if "corroboration" in record.model_fields_set:
        return record.corroboration
    return len({index.outlet_key(a) for a in record.sources})


def _item(kind: ItemKind, record: ItemRecord, anchor: str, index: _Index) -> Item:
    recency = record.date if isinstance(record, Meeting) and record.date else None
    recency = recency or index.published(record.sources)
    cites = index.cites(record.evidence, anchor)
    return Item(kind, record, anchor, cites, _corroboration(record, index), recency)


def _ranked(items: Sequence[Item]) -> list[Item]:
    """Most corroborated first, then most recent; ties keep the brief's own order."""
    return sorted(items, key=lambda i: (-i.corroboration, -(i.recency or dt.date.min).toordinal()))


def key_developments(meetings: Sequence[Item], positions: Sequence[Item]) -> list[Item]:
    """Meetings first, then the best-supported positions, ``KEY_LIMIT`` lines in all."""
    keep_for_positions = min(KEY_POSITIONS_MIN, len(positions))
    top_meetings = _ranked(meetings)[: KEY_LIMIT - keep_for_positions]
    return top_meetings + _ranked(positions)[: KEY_LIMIT - len(top_meetings)]


def _actor_key(actor: Actor) -> str:
    """Consolidation gives resolved actors an id; without one, the folded name must do."""
    return actor.id or " ".join(actor.name.split()).casefold()


def _by_actor(positions: Sequence[Item], resolved: Sequence[Actor]) -> list[ActorGroup]:
    """Group by actor (first appearance order), then by topic (alphabetical)."""
    groups: dict[str, list[Item]] = {}
    for item in positions:
        assert isinstance(item.record, Position)
        groups.setdefault(_actor_key(item.record.actor), []).append(item)
    canonical = {a.id: a for a in resolved if a.id}
    return [
        ActorGroup(canonical.get(key) or _best_actor(items), f"actor-{i + 1}", _by_topic(items))
        for i, (key, items) in enumerate(groups.items())
    ]


def _best_actor(items: Sequence[Item]) -> Actor:
    """Without a resolved actor, the mention that says most (a title, a country) stands in."""
    actors = [i.record.actor for i in items if isinstance(i.record, Position)]
    return max(actors, key=lambda a: (a.title is not None, a.country is not None))


def _by_topic(items: Sequence[Item]) -> list[TopicGroup]:
    topics: dict[str, list[Item]] = {}
    names: dict[str, str] = {}
    for item in items:
        assert isinstance(item.record, Position)
        key = " ".join(item.record.topic.split()).casefold()
        names.setdefault(key, item.record.topic)
        topics.setdefault(key, []).append(item)
    return [TopicGroup(names[k], topics[k]) for k in sorted(topics)]


def _divergence(
    div: Divergence, anchor: str, items: dict[str, Item], index: _Index
) -> DivergenceView:
    """Each side cites the item's passages from the articles giving that value, or the
    article itself when the item has none there."""
    item = items.get(f"{div.item_kind}:{div.item_id}") if div.item_id else None
    sides = []
    for s, (value, article_ids) in enumerate(div.values.items()):
        cites = [c for c in (item.cites if item else []) if c.source.article.id in article_ids]
        cited = {c.source.article.id for c in cites}
        cites += [
            Cite(index.by_id[a].n, f"s{s + 1}-{k + 1}", index.by_id[a], [])
            for k, a in enumerate(article_ids)
            if a in index.by_id and a not in cited
        ]
        sides.append(Side(value, cites))
    return DivergenceView(div, anchor, item, sides)


def _coverage(brief: Brief) -> Coverage:
    outlets = {a.outlet.casefold() for a in brief.articles if a.outlet}
    unknown = sum(1 for a in brief.articles if not a.outlet)
    return Coverage(len(brief.articles), len(outlets), unknown, len(brief.failures))


def _notes(brief: Brief, index: _Index) -> list[NoteView]:
    """Extractions in source order, so note ``[n]`` lines read like the source list."""
    notes = [NoteView(x, index.by_id.get(x.article_id)) for x in brief.extractions]
    return sorted(notes, key=lambda v: v.source.n if v.source else len(index.sources) + 1)


def _is_quote(item: Item) -> bool:
    return isinstance(item.record, Claim) and item.record.kind == "direct-quote"


def _links(items: Sequence[Item], ids: dict[str, Item], field: str) -> dict[str, list[Item]]:
    """Item anchor -> the items its ``field`` (a list of record ids) names."""
    out: dict[str, list[Item]] = {}
    for item in items:
        found = [ids[i] for i in getattr(item.record, field, []) if i in ids]
        if found:
            out[item.anchor] = found
    return out


def _copies(brief: Brief, index: _Index) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for group in brief.copies:
        numbers = [index.by_id[a].n for a in group if a in index.by_id]
        for n in numbers:
            out[n] = [m for m in numbers if m != n]
    return out


def _cited_sources(view: BriefView) -> list[Source]:
    """Every source in a small brief; in a large one, the sources the shown lines cite."""
    if len(view.sources) <= view.limits["sources"]:
        return view.sources
    lim = view.limits
    shown: list[Item] = [*view.key, *view.meetings[: lim["meetings"]],
                         *view.quotes[: lim["quotes"]], *view.statements[: lim["statements"]]]
    for group in view.actors_ranked[: lim["actors"]]:
        shown += [i for t in group.shown for i in t.items]
    numbers = {n for item in shown for n in item.numbers_shown}
    for dv in view.divergences[: lim["divergences"]]:
        numbers |= {n for side in dv.sides for n in side.numbers}
    numbers |= {fv.source.n for fv in view.failures if fv.source}
    return [s for s in view.sources if s.n in numbers]


def build_view(brief: Brief) -> BriefView:
    """The view-model both templates read."""
    index = _Index(brief.articles)
    meetings = [_item("meeting", m, f"m{i + 1}", index) for i, m in enumerate(brief.meetings)]
    positions = [_item("position", p, f"p{i + 1}", index) for i, p in enumerate(brief.positions)]
    claims = [_item("claim", c, f"c{i + 1}", index) for i, c in enumerate(brief.claims)]
    by_id = {f"{i.kind}:{i.record.id}": i for i in meetings + positions + claims if i.record.id}
    meeting_ids = {i.record.id: i for i in meetings if i.record.id}
    position_ids = {i.record.id: i for i in positions if i.record.id}
    view = BriefView(
        brief=brief,
        coverage=_coverage(brief),
        sources=index.sources,
        key=key_developments(meetings, positions),
        meetings=meetings,
        positions=positions,
        claims=claims,
        actors=_by_actor(positions, brief.actors),
        quotes=_ranked([c for c in claims if _is_quote(c)]),
        statements=[c for c in claims if not _is_quote(c)],
        divergences=[
            _divergence(d, f"d{i + 1}", by_id, index) for i, d in enumerate(brief.divergences)
        ],
        failures=[FailureView(f, index.by_id.get(f.article_id or "")) for f in brief.failures],
        notes=_notes(brief, index),
        limits=dict(LIMITS),
        related=_links(meetings, meeting_ids, "possibly_same_as"),
        history=_links(positions, position_ids, "history"),
        copies=_copies(brief, index),
        cited_sources=[],
        number={s.article.id: s.n for s in index.sources},
    )
    view.cited_sources.extend(_cited_sources(view))
    return view


# --------------------------------------------------------------------------- filters

_MD_ALWAYS = re.compile(r"([\\`*\[\]<>|~&#$])")
# ``_`` only acts as emphasis at a word edge; escaping it inside ``snake_case`` just adds noise.
_MD_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
# Only at the start: a list marker, an ordered-list number, a setext underline.
_MD_LEADING = re.compile(r"^(?:([-+=])|(\d+)([.)]))")


def md(value: object) -> str:
    """Inline Markdown text: one line, every character CommonMark/GFM would act on escaped.

    Keeps article text inert: no raw HTML, links, emphasis, tables, headings or math."""
    text = " ".join(str(value).split())
    text = _MD_ALWAYS.sub(r"\\\1", text)
    text = _MD_UNDERSCORE.sub(r"\\_", text)
    return _MD_LEADING.sub(_escape_leading, text)


def _escape_leading(m: re.Match[str]) -> str:
    return "\\" + m[1] if m[1] else m[2] + "\\" + m[3]


def mdcode(value: object) -> str:
    """A code span (paths, ids) whose fence is longer than any backtick run inside it."""
    text = " ".join(str(value).split())
    fence = "`" * (max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# --------------------------------------------------------------------------- environment


def make_environment(loader: BaseLoader | None = None) -> Environment:
    """One environment for every format; ``loader`` lets tests swap in broken templates."""
    env = Environment(
        loader=loader or FileSystemLoader(data_dir("templates")),
        undefined=StrictUndefined,
        # brief.html.j2 and _macros.html.j2 are escaped; Markdown and the CSS include are not.
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Compiling the templates took a tenth of a second each run; Jinja's own cache (a
        # folder of this user's in the temp dir, keyed by template and source checksum) keeps
        # the compiled code between runs.
        bytecode_cache=FileSystemBytecodeCache() if loader is None else None,
    )
    env.filters["md"] = md
    env.filters["mdcode"] = mdcode
    return env


@cache
def environment() -> Environment:
    return make_environment()


# --------------------------------------------------------------------------- entry points


def to_json(brief: Brief, view: BriefView | None = None) -> str:
    """The JSON contract: the brief's own dump, plus source numbering and corroboration."""
    view = view or build_view(brief)
    data = brief.model_dump(mode="json")
    data["sources"] = [_source_json(s) for s in view.sources]
    for kind, items in (("meetings", view.meetings), ("positions", view.positions),
                        ("claims", view.claims)):
        _add_corroboration(data[kind], items)
    # pydantic-core's serializer: the stdlib's falls back to pure Python when indenting
    # (0.1 s of a 60-article run). Same layout and UTF-8 text; a float below 1e-4 would be
    # written 0.00001 rather than 1e-05 (the brief holds none).
    return pydantic_core.to_json(data, indent=2).decode("utf-8") + "\n"


def _source_json(s: Source) -> dict[str, Any]:
    a = s.article
    published = a.published.isoformat() if a.published else None
    return {"n": s.n, "article_id": a.id, "outlet": a.outlet, "title": a.title,
            "path": a.path, "url": a.url, "published": published}


def _add_corroboration(records: list[dict[str, Any]], items: Sequence[Item]) -> None:
    for record, item in zip(records, items, strict=True):
        record["corroboration"] = item.corroboration
        record["source_numbers"] = item.numbers


def render(
    brief: Brief, fmt: Format, *, env: Environment | None = None, view: BriefView | None = None
) -> str:
    """The brief as ``md``, ``html`` or ``json`` text; ``view`` is ``build_view(brief)`` when
    the caller renders several formats of one brief."""
    if fmt == "json":
        return to_json(brief, view)
    if fmt not in TEMPLATES:
        raise RenderError(f"unknown format {fmt!r}: use md, html or json")
    env = env or environment()
    try:
        return env.get_template(TEMPLATES[fmt]).render(view=view or build_view(brief))
    except TemplateError as exc:
        raise RenderError(f"template {TEMPLATES[fmt]}: {exc}") from exc
