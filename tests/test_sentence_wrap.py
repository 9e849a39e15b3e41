"""The rules sentence splitter on hard-wrapped copy (``briefing.rules.text.sentence_bounds``):
a line break inside a sentence is no sentence end, wherever the wrap falls (after a name, a
number, an abbreviation, a quote mark), and a real paragraph, headline, byline or subhead
is never merged into the next. Invented articles, wrapped with the standard library."""

from __future__ import annotations

import textwrap

import pytest

from briefing.rules.text import sentence_bounds

HEADLINE = "Odum and Marrow agree to resume border talks after long freeze"
PARAGRAPHS = [
    "KESSIN (KD) - Foreign Minister Pell Odum met President Ilse Marrow in Varsk on Monday,"
    " the first visit by a Kessinian minister in nine years.",
    "The two sides agreed to resume talks on the disputed Orra valley, officials said. Mr."
    " Odum told reporters the meeting had been \"frank but warm\" and that both leaders"
    " wanted a deal by 12 March.",
    "\"We have lost too much time,\" Odum said after the talks. \"Our people expect results,"
    " not speeches.\"",
    "Marrow's office said the president would travel to Kessin on 14 April for a second"
    " round, and that Deputy Foreign Minister Tove Brekk would lead the technical teams in"
    " the meantime.",
    "The U.S. envoy to the region, Carl Denner, welcomed the meeting. He said Washington was"
    " ready to help, but added that \"no outside power can write this agreement for them.\"",
    "Talks between Odum and Marrow were first planned for 2019 but were called off after a"
    " border clash that killed 23 soldiers, according to the Varsk Institute for Peace"
    " Studies.",
    "Gen. Arvo Lind, the army chief, said troops would stay in place until a deal is signed."
    " Lt. Col. Ines Harro, his spokeswoman, declined to give numbers.",
    "Brekk, speaking to the Kessin Post, said the teams would meet every two weeks. \"It is"
    " slow work, but it is work,\" she said.",
    "The ministry said Odum also met the envoy of the European Union, Hanne Vos, and the UN"
    " special representative for the region, Paulo Dimas, on Tuesday.",
]


def _sentences(text: str) -> list[str]:
    return [" ".join(text[a:b].split()) for a, b in sentence_bounds(text)]


def _wrapped(width: int) -> str:
    lines = [HEADLINE]
    for paragraph in PARAGRAPHS:
        lines += textwrap.wrap(paragraph, width=width, break_on_hyphens=False)
    return "\n".join(lines) + "\n"


# At width 56, "…talks on the disputed\nOrra valley" falls on the first line of a paragraph
# with no mark of running prose (no comma, quote or sentence end before the break): such a
# line reads like a subhead, so the break stands (test_a_subhead_is_its_own_sentence).
_SUBHEAD_LIKE = pytest.mark.xfail(reason="a paragraph's first line without a comma reads "
                                  "like a subhead", strict=True)


@pytest.mark.parametrize(
    "width", [pytest.param(w, marks=_SUBHEAD_LIKE) if w == 56 else w for w in range(56, 80)]
)
def test_wrapped_copy_splits_as_the_unwrapped_copy(width: int) -> None:
    flat = HEADLINE + "\n" + "\n".join(PARAGRAPHS) + "\n"
    assert _sentences(_wrapped(width)) == _sentences(flat)


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("Officials said Foreign Minister Pell Odum would meet the\nPresident on Friday.", True),
        ("Officials said the talks would resume on 12\nMarch in Varsk.", True),
        ("Officials said Mr.\nOdum would travel to Varsk.", True),
        ("Officials said U.S.\nofficials would travel to Varsk.", True),
        ("\"We will go,\"\nshe said.", True),
        ("Officials said the envoy,\nTove Brekk, would travel to Varsk.", True),
        ("He will travel to Washington, D.C.\nThe trip was announced on Monday.", False),
        ("The plan was called Plan B.\nThe talks went on.", False),
    ],
)
def test_a_break_after_a_word_number_abbreviation_or_quote(text: str, joined: bool) -> None:
    assert (len(_sentences(text)) == 1) is joined, _sentences(text)


@pytest.mark.parametrize(
    "text",
    [
        # a headline, even one ending in a word of speech
        "Talks with Marrow to resume next month, Odum says\nKESSIN (KD) - Foreign Minister Pell"
        " Odum said on Monday that talks would resume.",
        # a source's name and a headline
        "Kessin Post\nOdum and Marrow agree to resume border talks after a long freeze\nKESSIN"
        " (KD) - Foreign Minister Pell Odum met President Ilse Marrow.",
        "By Tove Brekk and Carl Denner\nKESSIN (KD) - Foreign Minister Pell Odum met President"
        " Ilse Marrow.",
        # a list of related headlines
        "Foreign Minister Pell Odum met President Ilse Marrow on Monday in the capital.\nRelated"
        " coverage\nMarrow heads to Kessin for second round of talks with Odum\nBorder clash"
        " kills 23 soldiers in the Orra valley near Varsk\nKessin and Varsk sign deal on water"
        " rights after years of talks",
        # a web page's list of links: each headline twice, with a date line under it
        "Pell Odum met Ilse Marrow in Varsk on Monday, her office said.\nFeatured Stories\n"
        "Marrow Warns of “Hard Winter” in Talks on the Orra Valley Border\n"
        "Marrow Warns of “Hard Winter” in Talks on the Orra Valley Border\n12 March 2026\n"
        "Kessin Ministry Rejects Varsk Claims, Calls Border Map Outdated\n"
        "Kessin Ministry Rejects Varsk Claims, Calls Border Map Outdated\n12 March 2026",
        # a line longer than a wrapped one: a paragraph of its own
        "Odum said the talks went well.\nRecommended\nKoje su stare navike, zaboravljeni obicaji,"
        " a jedna stvar je vazna\nOdumov covek izneo tri uslova za brzi kraj spora: Tove Brekk"
        " na posebnoj misiji u Varsku\nOn this occasion the minister said little.",
        # a paragraph of unwrapped copy with no full stop, and a caption
        "A truly warm conversation with Pell Odum on every question that matters for the valley,"
        " the region and the wider world, the president of Varsk wrote on social media\nPhoto:"
        " Kessin Post/Arvo Lind",
    ],
)
def test_headlines_bylines_and_unwrapped_paragraphs_stay_apart(text: str) -> None:
    assert len(_sentences(text)) == text.count("\n") + 1, _sentences(text)


def test_a_subhead_is_its_own_sentence() -> None:
    text = (
        "The talks lasted three hours and ended with a joint statement on the border.\n"
        "Background to the dispute between Kessin and Varsk over the Orra\n"
        "The valley has been contested since 1991."
    )
    assert len(_sentences(text)) == 3, _sentences(text)


def test_a_wrapped_lead_after_its_headline_is_one_sentence() -> None:
    text = (
        "Odum and Marrow agree to resume border talks after long freeze\n"
        "KESSIN (KD) - Foreign Minister Pell Odum met President\n"
        "Ilse Marrow in Varsk on Monday."
    )
    assert len(_sentences(text)) == 2, _sentences(text)
