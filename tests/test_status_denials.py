"""The cheap first scan of ``facts.denied_cancellations`` never hides a denial the full
patterns would find: it looks for cue words the way Python's case-insensitive patterns match
them (any case, the few non-ASCII letters that match ASCII ones, any white space)."""

from __future__ import annotations

import random
import re
import string

import pytest

from briefing import facts
from briefing.grounding import sentence_spans

ARTICLE = (
    "Tarskan officials on Monday denied reports that Foreign Minister Pell Odum had\n"
    "cancelled his trip to Varsk. Reports that the visit was called off were\tfalse, a\n"
    "spokeswoman said. The summit was not postponed, she added. Odum met Ilse Marrow in\n"
    "Kessin on Friday. Earlier, the ministry DENİED that the talks were ſcrapped, and it is\n"
    "not\u00a0true that the meeting was put  off. Both sides said the ferry tariff talks\n"
    "would resume next week."
)


def test_the_special_letters_are_all_that_ignorecase_maps_to_ascii() -> None:
    chars = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c <= 0xDFFF)
    found = {c: x for x in string.ascii_lowercase for c in re.findall("(?i)" + x, chars)}
    assert found == facts._IGNORECASE_ASCII


def test_every_cue_word_of_the_patterns_is_looked_for() -> None:
    """Each denial verb and false word of the lexicon is a cue (or holds one)."""
    from briefing.rules.lexicon import _read

    table = _read("lexicon.toml")["meetings"]
    cues = facts._denial_cues()
    for phrase in [*table["denial_verbs"], *table["false_words"]]:
        assert any(cue in " ".join(phrase.lower().split()) for cue in cues), phrase


def _spans(text: str, seed: int) -> list[tuple[int, int]]:
    rng = random.Random(seed)
    spans = list(sentence_spans(text))
    spans += [(a, min(len(text), a + rng.randint(1, 300)))
              for a in (rng.randrange(len(text)) for _ in range(200))]
    return spans


@pytest.mark.parametrize("seed", [1, 2])
def test_the_first_scan_changes_no_answer(monkeypatch, seed: int) -> None:
    spans = _spans(ARTICLE, seed)
    fast = [facts.denied_cancellations(ARTICLE, s, e) for s, e in spans]
    assert any(fast), "the article holds denials the patterns find"
    monkeypatch.setattr(facts, "_holds_any", lambda text, lo, hi, cues: True)
    assert [facts.denied_cancellations(ARTICLE, s, e) for s, e in spans] == fast


def test_a_passage_far_from_any_cue_is_settled_by_the_first_scan() -> None:
    text = "Odum met Marrow in Kessin on Friday. " * 30
    assert not facts._may_deny(text, 0, len(text))
    assert facts.denied_cancellations(text, 0, 40) == ()


@pytest.mark.parametrize(
    "text",
    [
        "The ministry DENİED reports that Odum refused to meet Marrow in Kessin.",
        "The ministry denied reports that Odum refused to meet Marrow in Kessin.",
        "The ministry Denied\nreports that Odum refused to meet Marrow in Kessin.",
    ],
)
def test_a_denial_verb_in_any_case_or_spacing_is_a_cue(text: str) -> None:
    """Its only cue is the denial verb (refusing to meet is no cue word): written with a
    dotted capital I, or across a line break, the first scan still lets it through."""
    assert facts._may_deny(text, 0, len(text))
    assert facts.denied_cancellations(text, 0, len(text)) == ((13, 70),)


def test_the_first_scans_hide_nothing_the_tests_write(monkeypatch) -> None:
    """Every sentence of the meeting and validation tests (where each denial and each void
    negation the patterns know is written out) gets the same answers with and without the
    cue-word scans: a pattern added without its cue word fails here."""
    from pathlib import Path

    here = Path(__file__).parent
    texts = [(here / name).read_text(encoding="utf-8")
             for name in ("test_rules_meetings.py", "test_validation.py", "test_status_denials.py")]
    texts.append(
        "Odum and Marrow did not meet in public, aides said. They never formally met in"
        " Kessin. Odum has never denied that the summit was postponed. Nobody publicly"
        " denied that the visit was called off. The envoys did not talk face to face."
    )
    spans = [(t, s, e) for t in texts for s, e in sentence_spans(t)]

    def answers() -> list[tuple]:
        return [(facts.denied_cancellations(*x), facts._void_negations(*x),
                 facts.meeting_status(*x)) for x in spans]

    fast = answers()
    assert sum(bool(d) for d, _, _ in fast) >= 10 and sum(bool(v) for _, v, _ in fast) >= 3
    monkeypatch.setattr(facts, "_holds_any", lambda text, lo, hi, cues: True)
    assert answers() == fast


# --- a denied refusal tells of no meeting ---------------------------------------------------

_P, _Q = "Danish Foreign Minister Ole Bergholm", "Chilean President Rosa Varga"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # "not refused" is no plan: before, a planned record
        (f"A spokesman denied that {_P} had refused to meet {_Q}.", []),
        (f"It is not true that {_P} declined to meet {_Q}, the ministry said.", []),
        # a meeting the rest of the article tells still stands
        (f"A spokesman denied that {_P} had refused to meet {_Q}. Bergholm and Varga met in"
         " Lunet on Friday.", ["held"]),
        (f"{_P} will meet {_Q} in Lunet next week. A spokesman denied that Bergholm had"
         " refused to meet Varga.", ["planned"]),
        # a denied cancellation of an arranged meeting stays planned; a refusal, cancelled
        (f"Officials denied reports that {_P} had cancelled his meeting with {_Q}.",
         ["planned"]),
        (f"{_P} refused to meet {_Q} in Lunet on Friday.", ["cancelled"]),
    ],
)
def test_a_denied_refusal_is_no_meeting(text: str, want: list[str]) -> None:
    from tests.test_rules_meetings import meetings

    assert [m.status for m in meetings(text)] == want


@pytest.mark.parametrize("status", ["held", "planned", "cancelled"])
def test_an_answer_citing_only_a_denied_refusal_is_re_asked(status: str) -> None:
    from briefing.drafts import ArticleDraft
    from briefing.schemas import Article
    from briefing.validation import check_answer

    text = (f"A spokesman denied that {_P} had refused to meet {_Q}. Bergholm and Varga"
            " met in Lunet on Friday.")
    article = Article(id=Article.make_id(text), path="refusal.txt", title="Talks", text=text)
    item = {"participants": [{"name": "Ole Bergholm", "kind": "person"},
                             {"name": "Rosa Varga", "kind": "person"}]}
    first, second = (text[s:e] for s, e in sentence_spans(text))
    models = ArticleDraft.item_models()
    checked = check_answer({"meetings": [dict(item, passage=first, status=status)]}, article,
                           models)
    assert not checked.valid["meetings"]
    assert any("denies that the meeting was refused" in r and "leave this item out" in r
               for r in checked.invalid[0].reasons), checked.invalid[0].reasons
    held = check_answer({"meetings": [dict(item, passage=second, status="held")]}, article,
                        models)
    assert len(held.valid["meetings"]) == 1, held.invalid
