"""Turn files into Articles, or into one-line failures that name the file and the reason.

A bad file never stops the run: ``load_articles`` returns what it could read and a Failure for
each file it could not. Hostile text (markup, injected instructions) is kept as inert text;
it is only ever a template variable or a JSON string downstream, and a notice says so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from briefing.errors import IngestError
from briefing.schemas import Article, Failure

TEXT_SUFFIXES = {".txt", ".md", ".text", ".markdown"}
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
    """Files named directly, and the text files inside folders (sorted, hidden ones skipped)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path).parts
                hidden = any(p.startswith(".") for p in rel)
                if child.is_file() and not hidden and child.suffix.lower() in TEXT_SUFFIXES:
                    yield child
        else:
            yield path


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """The file's text, or an IngestError saying exactly why not."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(str(path), f"cannot read: {exc.strerror or exc}") from None
    if size > max_bytes:
        raise IngestError(str(path), f"too large: {size} bytes (limit {max_bytes})")
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise IngestError(str(path), "binary file (contains NUL bytes), not an article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(str(path), f"not valid UTF-8 (byte {exc.start})") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
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
    """A headline-like first line if there is one, else the opening words of the text."""
    for line in (ln.strip() for ln in text.splitlines()[:6]):
        if line.startswith("By ") or not line:
            continue
        if len(line.split()) >= 5 and len(line) <= 150 and not line.endswith((".", "”", '"')):
            return line
    lines = text.splitlines()
    body = " ".join(" ".join(lines[1:] if _byline(lines) else lines).split())
    body = _DATELINE.sub("", body, count=1)
    sentence = re.split(r"(?<=[.!?])\s", body, maxsplit=1)[0]
    if len(sentence) <= 100:
        return sentence
    return sentence[:100].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _published(value: str | None, path: Path) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise IngestError(
            str(path), f"front matter 'published' is not YYYY-MM-DD: {value!r}"
        ) from None


def article_from_text(text: str, path: Path | None = None) -> Article:
    meta, body = parse_front_matter(text)
    if not body.strip():
        raise IngestError(str(path), "no article text after the front matter")
    agency = _DATELINE_AGENCY.search(body[:600])
    outlet = meta.get("outlet") or (AGENCIES.get(agency.group(1)) if agency else None)
    return Article(
        id=Article.make_id(body),
        path=str(path) if path else None,
        url=meta.get("url"),
        title=meta.get("title") or guess_title(body),
        outlet=outlet,
        byline=meta.get("byline") or _byline(body.splitlines()),
        published=_published(meta.get("published"), path or Path("<text>")),
        text=body,
    )


def load_article(path: Path, max_bytes: int = MAX_BYTES) -> Article:
    return article_from_text(read_text(path, max_bytes), path)


def hostile_notice(article: Article) -> str | None:
    """A one-line notice for text that looks like markup or injected instructions."""
    found = _HOSTILE.search(article.text)
    if not found:
        return None
    return f"{article.path}: contains {found.group(0)[:40]!r}; kept as inert text"


def load_articles(
    paths: Iterable[Path | str], max_bytes: int = MAX_BYTES
) -> tuple[list[Article], list[Failure]]:
    """Every readable article once (in input order), and a Failure for every file that is not."""
    articles: list[Article] = []
    failures: list[Failure] = []
    seen: dict[str, str] = {}
    for path in iter_input_files(Path(p) for p in paths):
        try:
            article = load_article(path, max_bytes)
        except IngestError as exc:
            failures.append(Failure(path=str(path), reason=exc.reason, stage="ingest"))
            continue
        if article.id in seen:
            reason = f"same text as {seen[article.id]}; read once"
            failures.append(
                Failure(article_id=article.id, path=str(path), reason=reason, stage="ingest")
            )
            continue
        seen[article.id] = str(path)
        articles.append(article)
    return articles, failures
