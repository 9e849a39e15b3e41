"""Bytes → articles: one reader per kind of input, chosen by content, not by file name.

Kinds: plain text / Markdown with optional front matter, HTML pages (trafilatura: main text,
title, site name, date via htmldate, canonical URL, author, language), RSS/Atom feeds
(feedparser: entries whose links are fetched as pages), ``.json``/``.jsonl`` objects with a
``text`` field, and PDFs (pypdf's text layer). Every reader returns a ``Document``: the
articles it made, the feed entries still to fetch, and one-line notices; a whole input that
cannot be read raises ``IngestError`` naming it and the reason.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import re
import urllib.parse
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from briefing.errors import IngestError

Kind = Literal["text", "html", "feed", "json", "pdf"]

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_LANG = re.compile(r"""<html[^>]*\blang\s*=\s*["']?([A-Za-z]{2,3})""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\s*$")
# Readings this close in charset-normalizer's chaos (mess, 0-1) or coherence (language fit,
# 0-1) are a tie: typographic quotes alone give a correct cp1252 reading 0.04 more chaos.
_CHAOS_TIE = 0.05
_COHERENCE_TIE = 0.005
# A page whose main text is shorter than one sentence of news prose is no article (a menu,
# a cookie banner, "Subscribe to read"): wire sentences run 20-25 words on average, so 15
# words lets a one-sentence flash through and stops boilerplate.
MIN_PAGE_WORDS = 15
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)]*(\s|$)")
# Language detection (py3langid) is trusted only on this much text and this sure an answer;
# shorter texts of invented names score as Frisian or Serbian.
_LANGUAGE_MIN_CHARS = 60
_LANGUAGE_MIN_PROB = 0.5
_LANGUAGE_MAX_ENGLISH = 0.05
# Plainly English, no model needed: at least this many words, and this share of them English
# function words that other languages do not use as words (so not "in", "to", "is", "a").
# News prose runs to about 15-20 % of these ("the" alone is about 6 % of English text); a text
# in another language has them only in quoted English. Loading py3langid's model costs about
# half a second, more than the rest of a cached rerun.
_ENGLISH_MIN_WORDS = 40
_ENGLISH_MIN_SHARE = 0.10
_ENGLISH_WORDS = frozenset({
    "the", "of", "and", "that", "for", "with", "from", "by", "at", "this", "which", "has",
    "have", "were", "their", "would", "said",
})
_WORD_EDGES = ".,;:!?\"'()[]“”‘’—"


@dataclass
class Meta:
    """What a source says about an article besides its text (any of it may be missing)."""

    title: str | None = None
    outlet: str | None = None
    byline: str | None = None
    published: dt.date | None = None
    url: str | None = None
    language: str | None = None


@dataclass
class Entry:
    """A feed entry: its link is fetched as a page; the rest fills what the page lacks."""

    link: str
    meta: Meta


@dataclass
class Piece:
    """Text and metadata read from one input (one file, page, JSON object or PDF)."""

    text: str
    meta: Meta
    where: str  # the input, or "file:line" for one JSON Lines object


@dataclass
class Document:
    kind: Kind
    pieces: list[Piece] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (where, reason)


# Control characters no text file holds (tab, line ends and form feed are text).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _looks_binary(text: str) -> bool:
    """A NUL, or control characters in more than 1 in 100 characters: bytes that decode
    without error (any ASCII does, as UTF-8) but are no text, or UTF-16 read as UTF-8."""
    return "\x00" in text or len(_CONTROL.findall(text)) * 100 > len(text)


def decode(data: bytes, where: str, declared: str | None = None) -> str:
    """Text from bytes: BOM, then a declared charset, then UTF-8, then charset-normalizer;
    a reading that looks binary (``_looks_binary``) is passed over.

    Raises ``IngestError`` for bytes that are no text in any encoding (binary files)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _normalise_newlines(data.decode(codec, errors="replace"))
    for codec in (declared, "utf-8"):
        if codec:
            try:
                text = data.decode(codec)
            except (LookupError, UnicodeDecodeError):
                continue  # a wrong declaration is common; fall through to detection
            if not _looks_binary(text):
                return _normalise_newlines(text)
    from charset_normalizer import from_bytes

    best = _prefer_western(from_bytes(data))
    if best is None or _looks_binary(str(best)):
        raise IngestError(where, "binary file (no text encoding fits), not an article")
    return _normalise_newlines(str(best))


def _prefer_western(matches: Any) -> Any:
    """charset-normalizer's best guess, except when a cp1252 reading is as good: among the
    readings within ``_CHAOS_TIE`` of the least chaotic (mess), the most coherent (language
    fit) wins, and of those tied the Western one ("naïve" reads as well in cp1250 as "naďve").
    Rule: the WHATWG Encoding Standard's default for undeclared legacy Latin text is
    windows-1252, the encoding browsers use for it. Polish or Lithuanian text stays in
    cp1250/cp1257, whose readings are more coherent."""
    best = matches.best()
    if best is None or "cp1252" in best.could_be_from_charset:
        return best
    near = [m for m in matches if m.chaos <= best.chaos + _CHAOS_TIE]
    top = max(m.coherence for m in near)
    for match in near:
        if match.coherence >= top - _COHERENCE_TIE and "cp1252" in match.could_be_from_charset:
            return match
    return best


@cache
def _language_identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, declared: str | None = None) -> str | None:
    """The language of ``text`` (ISO 639-1 code, e.g. ``"ru"``) by py3langid, or ``declared``
    (a page's ``lang``, a JSON ``language``) when the text is too short or the answer unsure.

    English wins unless another language is clearly ahead (probability >= 0.5 and English
    <= 0.05): a wrong "not in English" mark is worse than a missed one."""
    sample = " ".join(text.split())[:5000]
    if len(sample) < _LANGUAGE_MIN_CHARS:
        return declared
    if _plainly_english(sample):
        return "en"
    ranked = dict(_language_identifier().rank(sample))
    top = max(ranked, key=lambda code: ranked[code])
    if top == "en":
        return "en"
    if ranked[top] >= _LANGUAGE_MIN_PROB and ranked.get("en", 0.0) <= _LANGUAGE_MAX_ENGLISH:
        return top
    return declared


def _plainly_english(sample: str) -> bool:
    """Whether ``sample`` is English beyond doubt by its function words (the model would say
    "en" too), so the model need not be loaded."""
    words = sample.casefold().split()
    if len(words) < _ENGLISH_MIN_WORDS:
        return False
    common = sum(1 for w in words if w.strip(_WORD_EDGES) in _ENGLISH_WORDS)
    return common >= _ENGLISH_MIN_SHARE * len(words)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sniff(data: bytes, name: str = "", content_type: str | None = None) -> Kind:
    """The kind of input, from its first bytes (the name and content type only break ties)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    head = _head_text(data)
    low = head.lstrip().lower()
    if low.startswith("<"):
        if re.search(r"<(rss|feed|rdf:rdf)\b", low[:2000]):
            return "feed"
        return "html"
    if low.startswith(("{", "[")) or name.lower().endswith((".json", ".jsonl")):
        return "json"
    if content_type and "html" in content_type:
        return "html"
    return "text"


def _head_text(data: bytes) -> str:
    head = data[:4096]
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return head.decode(codec, errors="ignore")
    return head.decode("utf-8", errors="ignore").replace("\x00", "")


def parse_date(value: str | None, where: str, notices: list[str]) -> dt.date | None:
    """A publication date from ISO, RFC 822 or words ("April 2, 2025"); None with a notice
    when it cannot be read or is ambiguous (01/04/2025 could be January or April)."""
    if not value or not str(value).strip():
        return None
    value = str(value).strip()
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        pass
    numeric = _NUMERIC_DATE.match(value)
    day, month = (int(numeric.group(1)), int(numeric.group(2))) if numeric else (0, 0)
    if numeric and day <= 12 and month <= 12 and day != month:
        notices.append(
            f"{where}: date {value!r} is ambiguous (day/month order); "
            "kept, publication date unknown"
        )
        return None
    from dateutil import parser as dateparser

    try:
        return dateparser.parse(value, dayfirst=bool(numeric)).date()
    except (ValueError, OverflowError):
        notices.append(f"{where}: cannot read date {value!r}; kept, publication date unknown")
        return None


def read(
    data: bytes, where: str, *, content_type: str | None = None, url: str | None = None
) -> Document:
    """Read one input of any kind. ``url`` is where a fetched body came from."""
    kind = sniff(data, where, content_type)
    reader = {
        "text": _read_text,
        "html": _read_html,
        "feed": _read_feed,
        "json": _read_json,
        "pdf": _read_pdf,
    }[kind]
    return reader(data, where, content_type, url)


def _declared_charset(content_type: str | None) -> str | None:
    if content_type and "charset=" in content_type:
        return content_type.split("charset=", 1)[1].split(";")[0].strip().strip("\"'")
    return None


def _read_text(data: bytes, where: str, content_type: str | None, url: str | None) -> Document:
    text = decode(data, where, _declared_charset(content_type))
    if not text.strip():
        raise IngestError(where, "empty file")
    return Document("text", pieces=[Piece(text, Meta(url=url), where)])


def _read_html(data: bytes, where: str, content_type: str | None, url: str | None) -> Document:
    import trafilatura

    declared = _declared_charset(content_type)
    if not declared and (found := _CHARSET.search(data[:4096])):
        declared = found.group(1).decode("ascii")
    html = decode(data, where, declared)
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, favor_precision=True, include_comments=False
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    words = len(text.split())
    ended = bool(_SENTENCE_END.search(text))
    if words < MIN_PAGE_WORDS or not ended:
        shown = f" {' '.join(text.split()[:8])!r}" if text else ""
        raise IngestError(
            where,
            f"no article text (the page's main text{shown} is {words} "
            f"word{'' if words == 1 else 's'}{'' if ended else ' without a sentence end'}; "
            f"an article has at least {MIN_PAGE_WORDS} words and a full sentence)",
        )
    title = doc.title or None
    if title and text.split("\n", 1)[0].strip() == title.strip():
        text = text.split("\n", 1)[1].strip() if "\n" in text else text
    lang = doc.language or (m.group(1).lower() if (m := _HTML_LANG.search(html[:4096])) else None)
    notices: list[str] = []
    meta = Meta(
        title=title,
        outlet=doc.sitename or None,
        byline=doc.author or None,
        published=parse_date(doc.date, where, notices),
        url=doc.url or url,
        language=lang,
    )
    return Document("html", pieces=[Piece(text, meta, where)], notices=notices)


def _read_feed(data: bytes, where: str, content_type: str | None, url: str | None) -> Document:
    import feedparser

    parsed = feedparser.parse(data, response_headers={"content-location": url or ""})
    if not parsed.get("version") and not parsed.entries:
        raise IngestError(where, "XML that is no RSS or Atom feed")
    feed_title = parsed.feed.get("title") or None
    notices: list[str] = []
    failures: list[tuple[str, str]] = []
    entries = []
    for number, item in enumerate(parsed.entries, 1):
        link = item.get("link")
        if not link:
            # Not briefed from its summary: without a link no reader can open the source a
            # record cites, and feed summaries are teasers, often cut mid-sentence.
            title = item.get("title")
            named = f" ({title!r})" if title else ""
            failures.append(
                (f"{where} entry {number}", f"feed entry{named} has no link; not read")
            )
            continue
        scheme = urllib.parse.urlsplit(link).scheme.lower()
        if scheme not in ("http", "https"):
            # Named by its scheme only: feedparser rewrites such links ("file:///etc/passwd"
            # comes out as "file://etc/passwd"), so the path shown would not be the feed's.
            failures.append(
                (
                    f"{where} entry {number}",
                    f"feed entry link with scheme {scheme or 'none'!r} refused: "
                    "only http and https URLs are read",
                )
            )
            continue
        raw_date = item.get("published") or item.get("updated")
        meta = Meta(
            title=item.get("title") or None,
            outlet=feed_title,
            byline=item.get("author") or None,
            published=parse_date(raw_date, f"{where} entry {number}", notices),
            url=link,
        )
        entries.append(Entry(link, meta))
    return Document("feed", entries=entries, notices=notices, failures=failures)


_JSON_KEYS = ("title", "outlet", "published", "url", "byline", "language")


def _read_json(data: bytes, where: str, content_type: str | None, url: str | None) -> Document:
    text = decode(data, where)
    try:
        loaded = json.loads(text)
        objects: list[tuple[str, Any]] = [
            (f"{where}:{i}", o)
            for i, o in enumerate(loaded if isinstance(loaded, list) else [loaded], 1)
        ]
    except json.JSONDecodeError:
        objects = []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                objects.append((f"{where}:{number}", json.loads(line)))
            except json.JSONDecodeError as exc:
                objects.append((f"{where}:{number}", _NotJson(f"not JSON ({exc.msg})")))
    document = Document("json")
    for place, obj in objects:
        if (reason := _json_refusal(obj)) is not None:
            document.failures.append((place, reason))
        else:
            meta = _json_meta(obj, place, document.notices)
            document.pieces.append(Piece(_normalise_newlines(str(obj["text"])), meta, place))
    if not objects:
        raise IngestError(where, "no JSON objects")
    return document


class _NotJson(str):
    """The reason a JSON Lines line could not be parsed (kept apart from a JSON string)."""


_JSON_TYPES: dict[type, str] = {
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true/false",
    list: "a list",
    dict: "an object",
    type(None): "null",
}


def _json_refusal(obj: Any) -> str | None:
    """Why a JSON value is no article, or None when it is one (an object whose ``text`` is a
    non-empty string)."""
    if isinstance(obj, _NotJson):
        return str(obj)
    if not isinstance(obj, dict):
        kind = _JSON_TYPES.get(type(obj), "not an object")
        return f"JSON value is {kind}, not an object with a 'text' field"
    if "text" not in obj:
        return "JSON object without a 'text' field"
    text = obj["text"]
    if not isinstance(text, str):
        return f"JSON 'text' is {_JSON_TYPES.get(type(text), 'not a string')}, not a string"
    if not text.strip():
        return "JSON 'text' is empty"
    return None


def _json_meta(obj: dict[str, Any], place: str, notices: list[str]) -> Meta:
    values = {k: str(obj[k]).strip() or None for k in _JSON_KEYS if obj.get(k) is not None}
    return Meta(
        title=values.get("title"),
        outlet=values.get("outlet"),
        byline=values.get("byline"),
        published=parse_date(values.get("published"), place, notices),
        url=values.get("url"),
        language=values.get("language"),
    )


def _read_pdf(data: bytes, where: str, content_type: str | None, url: str | None) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        text = "\n".join((page.extract_text() or "") for page in reader.pages)
        title = (reader.metadata.title if reader.metadata else None) or None
    except (PyPdfError, ValueError, KeyError, OSError) as exc:
        raise IngestError(where, f"PDF that cannot be read: {exc}") from None
    if not text.strip():
        raise IngestError(where, "PDF with no text layer (scanned?); not read")
    return Document(
        "pdf", pieces=[Piece(_normalise_newlines(text), Meta(title=title, url=url), where)]
    )
