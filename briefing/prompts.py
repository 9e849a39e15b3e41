"""The extraction prompts: Jinja files in ``prompts/``, rendered with StrictUndefined.

The article reaches a prompt only as a template variable, never spliced into template source,
so text in an article cannot act as template code. ``PROMPT_VERSION`` is a hash of the prompt
files and of the response schema: change either and every cache and cassette key changes.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from briefing.drafts import ArticleDraft
from briefing.grounding import sentence_spans
from briefing.ingest import title_was_guessed
from briefing.resources import data_dir
from briefing.schemas import Article

PROMPT_FILES = ("extract.system.j2", "extract.user.j2")


@cache
def environment() -> Environment:
    # Plain text out, so no autoescaping; StrictUndefined turns a missing variable into an error.
    return Environment(
        loader=FileSystemLoader(data_dir("prompts")),
        undefined=StrictUndefined,
        keep_trailing_newline=False,
        autoescape=False,
    )


@cache
def prompt_version() -> str:
    """``p`` + 12 hex digits over the prompt sources and the draft schema."""
    digest = hashlib.sha256()
    env = environment()
    for name in PROMPT_FILES:
        source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        digest.update(name.encode() + b"\0" + source.encode("utf-8") + b"\0")
    schema = json.dumps(ArticleDraft.model_json_schema(), sort_keys=True)
    digest.update(schema.encode("utf-8"))
    return "p" + digest.hexdigest()[:12]


def numbered_sentences(article: Article) -> list[str]:
    """The article's sentences in prompt order (sentence *n* is item ``n - 1``), each with its
    whitespace runs folded to one space; split by ``briefing.grounding.sentence_spans``, the
    splitter that maps a cited number back to its span."""
    return [" ".join(article.text[a:b].split()) for a, b in sentence_spans(article.text)]


def new_title(article: Article) -> str | None:
    """The article's title, unless it was guessed from the text (``ingest.guess_title``, when
    the input gave none): then it is the text's own first words, and not sent twice."""
    title = (article.title or "").strip()
    return None if not title or title_was_guessed(article) else title


def render_messages(article: Article) -> list[dict[str, str]]:
    """The chat messages for one article: a system prompt, and the article as user content
    with its sentences numbered ``[1] …`` so that an answer cites them by number."""
    env = environment()
    user = env.get_template("extract.user.j2").render(
        title=new_title(article), sentences=numbered_sentences(article)
    )
    return [
        {"role": "system", "content": env.get_template("extract.system.j2").render().strip()},
        {"role": "user", "content": user},
    ]
