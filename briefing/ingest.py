"""Turn inputs (files, folders, http(s) pages and feeds) into Articles, or into one-line
failures that name the input and the reason.

A bad input never stops the run: ``gather`` returns what it could read, a Failure for each
input it could not, and notices (ambiguous dates, non-English text, exact duplicates). Each
file is read by the reader its content calls for (``briefing.readers``); pages and feed
entries are fetched through ``briefing.fetch``. Hostile text (markup, injected instructions)
is kept as inert text; it is only ever a template variable or a JSON string downstream, and a
notice says so.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefing import readers
from briefing.errors import IngestError
from briefing.redact import escape_controls
from briefing.schemas import Article, Failure

if TYPE_CHECKING:
    from briefing.fetch import Fetcher

MAX_BYTES = 2_000_000
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_DATELINE_AGENCY = re.compile(r"^[A-Z][A-Z /.,'-]{2,60}\(([A-Za-z]{2,12})\)\s+[-–—]", re.MULTILINE)
# Agency codes seen in datelines; the dateline is the outlet's own statement of who wrote it.
AGENCIES = {
    "AA": "Anadolu Agency",
    "AP": "Associated Press",
    "AFP": "AFP",
    "Reuters": "Reuters",
    "TASS": "TASS",
    "Xinhua": "Xinhua",
    "IRNA": "IRNA",
    "dpa": "dpa",
    "ANI": "ANI",
}
_DATELINE = re.compile(r"^[A-Z][A-Z /.,'-]{2,60}(\([A-Za-z]{2,12}\))?\s+[-–—]\s+")
_HOSTILE = re.compile(
    r"<\s*(script|iframe|object|embed)\b"
    r"|ignore (all |any )?(the )?(previous|prior|above) instructions",
    re.IGNORECASE,
)
_META_KEYS = {"title", "outlet", "byline", "published", "url"}


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named directly, and every entry inside folders that is not itself a folder
    (sorted, hidden ones skipped): each is then read by the right reader or listed with a
    reason, never skipped silently — a pipe, a link to a device, a broken or looping link
    included (``read_bytes`` says why it is not read)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path).parts
                hidden = any(p.startswith(".") for p in rel)
                if not hidden and not child.is_dir():
                    yield child
        else:
            yield path


def shown_path(path: Path) -> str:
    """``path`` as text that every sink can write: a file name that is not UTF-8 (Python
    keeps its bytes as lone surrogates, which no UTF-8 file, SQLite row or JSON takes) shows
    them as ``\\xff``, and control characters (a line break, a terminal escape) as ``\\n``,
    ``\\x1b``; any other name is ``str(path)`` as it is."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return escape_controls(text)


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, or an IngestError saying exactly why not. Only regular files are
    read (a device such as ``/dev/zero`` or a pipe is refused), and never more than
    ``max_bytes`` + 1 bytes, whatever size the file claims."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise IngestError(str(path), "not a regular file (a device, pipe or socket); not read")
        if info.st_size > max_bytes:
            raise IngestError(str(path), f"too large: {info.st_size} bytes (limit {max_bytes})")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        why = exc.strerror or str(exc)
        if path.is_symlink():  # its target is gone, or the links go round in a loop
            reason = f"a link that cannot be followed ({why}); not read"
            raise IngestError(str(path), reason) from None
        raise IngestError(str(path), f"cannot read: {why}") from None
    if len(data) > max_bytes:
        raise IngestError(str(path), f"too large: over {max_bytes} bytes (limit {max_bytes})")
    if not data.strip():
        raise IngestError(str(path), "empty file")
    return data


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """The file's text in whatever encoding it is in, or an IngestError saying why not."""
    text = readers.decode(read_bytes(path, max_bytes), str(path))
    if not text.strip():
        raise IngestError(str(path), "empty file")
    return text


def parse_front_matter(text: str) -> tuple[dict[str, str], str]:
    """``key: value`` lines between ``---`` fences at the top; unknown keys are ignored."""
    found = _FRONT_MATTER.match(text)
    if not found:
        return {}, text
    meta: dict[str, str] = {}
    for line in found.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() in _META_KEYS:
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[found.end() :]


def _byline(lines: list[str]) -> str | None:
    first = lines[0].strip() if lines else ""
    return first[3:].strip() if first.startswith("By ") and len(first) < 120 else None


def guess_title(text: str) -> str:
    """A headline-like first line if there is one, else the opening words of the first
    paragraph (never running on into the next one).

    A headline is a line among the first six, before any dateline, with no sentence end:
    the first long one (5+ words, up to 150 characters), else the first that is a paragraph
    of its own of 2+ words ("Valdoria rejects Merrovian proposal" above a blank line)."""
    lines = text.splitlines()
    for short_ok in (False, True):  # a long line wins over a short one ("World News" kickers)
        for number, line in enumerate(ln.strip() for ln in lines[:6]):
            if line.startswith("By ") or not line or line.endswith((".", "”", '"', "!", "?")):
                continue
            if _DATELINE.match(line):
                break  # the story has begun: "ARVEN (AP) - ..." is no headline
            words = len(line.split())
            alone = (number + 1 >= len(lines) or not lines[number + 1].strip()) and (
                number == 0 or not lines[number - 1].strip()
            )
            if len(line) <= 150 and (words >= 5 or (short_ok and alone and words >= 2)):
                return line
    body = lines[1:] if _byline(lines) else lines
    paragraph = " ".join("\n".join(body).strip().split("\n\n", 1)[0].split())
    paragraph = _DATELINE.sub("", paragraph, count=1)
    sentence = re.split(r"(?<=[.!?])\s", paragraph, maxsplit=1)[0]
    if len(sentence) <= 100:
        return sentence
    return sentence[:100].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def article_from_text(
    text: str, path: Path | str | None = None, notices: list[str] | None = None
) -> Article:
    """An article from plain text with optional front matter. A front-matter date in another
    format is parsed, or (ambiguous, unreadable) dropped with a notice: never the article."""
    meta, body = parse_front_matter(text)
    where = str(path) if path else "<text>"
    published = readers.parse_date(meta.get("published"), where, [] if notices is None else notices)
    found = readers.Meta(
        title=meta.get("title"),
        outlet=meta.get("outlet"),
        byline=meta.get("byline"),
        published=published,
        url=meta.get("url"),
    )
    return article_from_piece(body, found, where if path else None)


def article_from_piece(body: str, meta: readers.Meta, path: str | None) -> Article:
    """An Article from any reader's text and metadata; what the metadata lacks is guessed
    from the text (headline, byline, agency dateline)."""
    if not body.strip():
        raise IngestError(str(path), "no article text after the front matter")
    agency = _DATELINE_AGENCY.search(body[:600])
    outlet = meta.outlet or (AGENCIES.get(agency.group(1)) if agency else None)
    return Article(
        id=Article.make_id(body),
        path=path,
        url=meta.url,
        title=meta.title or guess_title(body),
        outlet=outlet,
        byline=meta.byline or _byline(body.splitlines()),
        published=meta.published,
        text=body,
    )


def load_article(path: Path, max_bytes: int = MAX_BYTES) -> Article:
    """One text article from a file (the seed format); other kinds go through ``gather``."""
    return article_from_text(read_text(path, max_bytes), path)


def hostile_notice(article: Article) -> str | None:
    """A one-line notice for text that looks like markup or injected instructions."""
    found = _HOSTILE.search(article.text)
    if not found:
        return None
    return f"{article.path}: contains {found.group(0)[:40]!r}; kept as inert text"


@dataclass
class Intake:
    """What the inputs gave: articles (first copy of each text), failures, notices."""

    articles: list[Article] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    languages: dict[str, str] = field(default_factory=dict)  # article id -> non-English code
    duplicates: dict[str, list[str]] = field(default_factory=dict)  # id -> other outlets/paths
    _seen: dict[str, str] = field(default_factory=dict)

    def fail(self, where: str, reason: str) -> None:
        self.failures.append(Failure(path=where, reason=reason, stage="ingest"))

    def add(self, article: Article, language: str | None) -> None:
        """Keep ``article`` unless its text was read already; ``language`` is what its source
        declared, checked against the text itself (``readers.detect_language``)."""
        first = self._seen.get(article.id)
        if first is not None:
            self.notices.append(f"{article.path}: same text as {first}; read once")
            self.duplicates.setdefault(article.id, []).append(article.outlet or str(article.path))
            return
        self._seen[article.id] = str(article.path)
        self.articles.append(article)
        language = readers.detect_language(article.text, declared=language)
        if language and not language.lower().startswith("en"):
            self.languages[article.id] = language
            self.notices.append(
                f"{article.path}: language {language!r}; kept, but the extractors read English"
            )


def gather(
    inputs: Sequence[Path | str], *, fetcher: Fetcher | None = None, max_bytes: int = MAX_BYTES
) -> Intake:
    """Read every input in order: files, folders, http(s) pages, feeds (files or URLs).
    Without a ``fetcher`` URLs and feed entries fail with a reason."""
    intake = Intake()
    for value in inputs:
        text = str(value)
        if "://" in text:
            _gather_url(text, intake, fetcher)
            continue
        for path in iter_input_files([Path(value)]):
            where = shown_path(path)
            try:
                data = read_bytes(path, max_bytes)
                document = readers.read(data, where)
            except IngestError as exc:
                intake.fail(where, exc.reason)
                continue
            _take(document, intake, fetcher)
    return intake


def _gather_url(
    url: str, intake: Intake, fetcher: Fetcher | None, entry: readers.Meta | None = None
) -> None:
    from briefing.fetch import is_url

    if not is_url(url):
        intake.fail(url, "only http and https URLs are read")
        return
    if fetcher is None:
        intake.fail(url, "URLs need a fetcher (run through the CLI or pipeline)")
        return
    try:
        got = fetcher.get(url)
        document = readers.read(got.body, url, content_type=got.content_type, url=got.final_url)
    except IngestError as exc:
        intake.fail(url, exc.reason)
        return
    if entry is not None and document.kind == "feed":
        intake.fail(url, "a feed entry links to another feed; not followed")
        return
    _take(document, intake, fetcher, entry)


def _take(
    document: readers.Document,
    intake: Intake,
    fetcher: Fetcher | None,
    entry: readers.Meta | None = None,
) -> None:
    intake.notices.extend(document.notices)
    for where, reason in document.failures:
        intake.fail(where, reason)
    for item in document.entries:
        _gather_url(item.link, intake, fetcher, item.meta)
    for piece in document.pieces:
        try:
            if document.kind == "text":
                article = article_from_text(piece.text, piece.where, intake.notices)
                if piece.meta.url and not article.url:
                    article = article.model_copy(update={"url": piece.meta.url})
            else:
                article = article_from_piece(piece.text, piece.meta, piece.where)
        except IngestError as exc:
            intake.fail(piece.where, exc.reason)
            continue
        if entry is not None:
            article = _fill(article, entry)
        intake.add(article, piece.meta.language)


def title_was_guessed(article: Article) -> bool:
    """Whether the article's title is :func:`guess_title`'s (the input gave none): the text's
    own first words, not a headline."""
    return (article.title or "").strip() == guess_title(article.text)


def _fill(article: Article, entry: readers.Meta) -> Article:
    """The feed entry's title, date, author and the feed's title fill what the page lacks."""
    update = {
        "title": entry.title if title_was_guessed(article) and entry.title else article.title,
        "outlet": article.outlet or entry.outlet,
        "published": article.published or entry.published,
        "byline": article.byline or entry.byline,
        "url": article.url or entry.url,
    }
    return article.model_copy(update=update)


def load_articles(
    paths: Iterable[Path | str], max_bytes: int = MAX_BYTES
) -> tuple[list[Article], list[Failure]]:
    """Every readable article once (in input order), and a Failure for every input that is
    not (files and folders only: no fetching)."""
    intake = gather(list(paths), max_bytes=max_bytes)
    return intake.articles, intake.failures
