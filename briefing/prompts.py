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


def render_messages(article: Article) -> list[dict[str, str]]:
    """The chat messages for one article: a system prompt and the article as user content."""
    env = environment()
    return [
        {"role": "system", "content": env.get_template("extract.system.j2").render().strip()},
        {"role": "user", "content": env.get_template("extract.user.j2").render(article=article)},
    ]
