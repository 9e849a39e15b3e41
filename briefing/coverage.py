"""Which of the gathered articles a day's brief extracts, and the coverage lines that count
the rest: outside the window, already briefed on an earlier day, syndicated copies.

Order of the cuts: the ledger's record of earlier briefs first (an article in an earlier
day's brief is counted as "already briefed", the more telling reason, even when it is also
older than the window), then the window, then copies (``briefing.syndication.copy_groups``): of each
copy group only the first article is extracted; the copies stay in the brief's articles so its
sources list every outlet, and count as one independent source.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefing.ledger import Ledger
from briefing.schemas import Article
from briefing.syndication import copy_groups
from briefing.window import Window


@dataclass
class Selection:
    extract: list[Article] = field(default_factory=list)  # one per copy group
    copies: list[Article] = field(default_factory=list)  # listed, not extracted
    notes: list[str] = field(default_factory=list)  # the coverage lines
    articles: list[Article] = field(default_factory=list)  # every one the brief lists, in order
    groups: list[list[str]] = field(default_factory=list)  # copy_groups(articles), for the count


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def select(
    articles: Sequence[Article],
    window: Window,
    day: dt.date,
    seen: Ledger | None,
    languages: dict[str, str] | None = None,
    duplicates: dict[str, list[str]] | None = None,
) -> Selection:
    """Cut ``articles`` to what the day's brief extracts; ``duplicates`` (article id → the
    outlets or paths of exact copies read once) only adds a coverage line."""
    before = seen.earlier(articles, day) if seen is not None else {}
    kept, older, newer = window.split([a for a in articles if a.id not in before])
    notes = []
    if older:
        notes.append(f"{_plural(len(older), 'older article', 'older articles')} skipped")
    if newer:
        notes.append(f"{_plural(len(newer), 'newer article', 'newer articles')} skipped")
    for when, n in sorted(Counter(before.values()).items()):
        notes.append(f"{n} already briefed on {when.isoformat()}")
    selection = Selection(notes=notes, articles=kept)
    by_id = {a.id: a for a in kept}
    selection.groups = copy_groups(kept)
    for group in selection.groups:
        selection.extract.append(by_id[group[0]])
        selection.copies.extend(by_id[i] for i in group[1:])
    if selection.copies:
        copies = _plural(len(selection.copies), "syndicated copy", "syndicated copies")
        notes.append(f"{copies} read once (one source)")
    for article in selection.articles:
        if also := (duplicates or {}).get(article.id):
            notes.append(f"{article.outlet or article.path}: the same text also from "
                         f"{', '.join(also)} (read once, one source)")
    undated = sum(1 for a in selection.articles if a.published is None)
    if undated and window.start is not None:
        notes.append(f"{undated} with publication date unknown (kept)")
    foreign = sum(1 for a in selection.articles if (languages or {}).get(a.id))
    if foreign:
        notes.append(f"{_plural(foreign, 'article', 'articles')} not in English (kept)")
    return selection
