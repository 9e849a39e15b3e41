"""Realistic model answers about the invented articles of ``tests/corpus/`` (issue 7).

Each :class:`Case` is one item a model might return: ``faithful`` ones carry the small
deviations real models make and must be accepted on the first answer; wrong ones must be
rejected, with ``expect`` in the message sent back. ``python -m tests.validation_corpus``
prints the "Done when" counts of issue 7 over the whole corpus.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.drafts import ArticleDraft
from briefing.grounding import on_word_boundaries
from briefing.ingest import load_article
from briefing.schemas import Article
from briefing.validation import check_answer

CORPUS = Path(__file__).parent / "corpus"


def person(name: str, **kw: Any) -> dict[str, Any]:
    return {"name": name, "kind": "person", **kw}


def state(name: str, code: str) -> dict[str, Any]:
    return {"name": name, "kind": "state", "country": code}


@dataclass(frozen=True)
class Case:
    id: str
    article: str  # file stem in tests/corpus
    list: str  # meetings | positions | claims
    item: dict[str, Any]
    faithful: bool
    why: str
    expect: str = ""  # for a wrong item: words the re-ask must contain
    record: dict[str, Any] = field(default_factory=dict)  # for a faithful one: fields to check


ILVES = person("Mara Ilves", title="Foreign Minister", country="EST")
BERGQVIST = person("Tomas Bergqvist", title="Foreign Minister", country="FIN")
DUARTE = person("Kassem Duarte", title="President", country="PRT")
LINDQVIST = person("Yelena Lindqvist", title="Defence Minister", country="SWE")
KILIC = person("Ayşe Kılıç", title="Foreign Minister", country="TUR")
MOREAU = person("Luc Moreau", title="Foreign Minister", country="FRA")

Q1 = (
    "VALMORA, March 14 (BW) — Estonian Foreign Minister Mara Ilves met her Finnish counterpart"
    " Tomas Bergqvist in Valmora on Friday to discuss fishing quotas in the Gulf of Vessa."
)
Q_NEXT = (
    "The two ministers are due to meet again in Helsinki next month, according to a statement"
    " from the Estonian Foreign Ministry."
)
Q_CALLED_OFF = (
    "Finnish Prime Minister Jorunn Selenskyi called off a visit to Tallinn that had been planned"
    " for March 20, citing the budget debate in parliament."
)
Q_MISSION = (
    "Ilves said Estonia supports a joint monitoring mission and urged Finland to share its catch"
    " data."
)
L1 = (
    "Portuguese President Kassem Duarte received Swedish\u200b Defence Minister Yelena Lindqvist"
    " in Lisbon on Tuesday, the presidency said."
)
L_MADRID = (
    "A spokesman for the Swedish ministry said Lindqvist is expected to travel to Madrid on"
    " Thursday for talks with Spanish officials."
)
K1 = (
    "Turkish Foreign Minister Ayşe Kılıç spoke by phone with French Foreign Minister Luc Moreau"
    " on Wednesday, the Turkish ministry said in a statement."
)
K_INVITE = "Kılıç invited Moreau to visit Ankara in June to sign the grain corridor protocol."


def meeting(parties: list[dict[str, Any]], passage: str, status: str, **kw: Any) -> dict:
    return {"participants": parties, "passage": passage, "status": status, **kw}


def claim(speaker: dict[str, Any], text: str, passage: str, kind: str = "direct-quote") -> dict:
    return {"speaker": speaker, "kind": kind, "text": text, "passage": passage}


def position(actor: dict[str, Any], topic: str, stance: str, passage: str) -> dict:
    return {"actor": actor, "topic": topic, "stance": stance, "passage": passage, "summary": ""}


CASES: list[Case] = [
    # --- quotas: Estonia and Finland -------------------------------------------------------
    Case("q-meet-held", "quotas", "meetings",
         meeting([ILVES, BERGQVIST], Q1, "held", location="Valmora", date_text="on Friday"),
         True, "held meeting, relative date resolved by the product",
         record={"date": "2026-03-13"}),
    Case("q-meet-planned", "quotas", "meetings",
         meeting([ILVES, BERGQVIST], Q_NEXT, "planned", location="Helsinki",
                 date_text="next month"),
         True, "planned meeting"),
    Case("q-meet-cancelled", "quotas", "meetings",
         meeting([person("Jorunn Selenskyi", title="Prime Minister"), state("Estonia", "EST")],
                 Q_CALLED_OFF, "cancelled", location="Tallinn", date="2026-03-20",
                 date_text="March 20"),
         True, "cancelled visit; soft hyphen in the article's name and passage; stated date",
         record={"status": "cancelled", "date": "2026-03-20"}),
    Case("q-quote-ilves", "quotas", "claims",
         claim(ILVES, "We will not sign a deal that sells out our coastal villages",
               "\"We will not sign a deal that sells out our coastal villages,\" Ilves told"
               " reporters after the talks."),
         True, "straight quotes for curly", record={"attribution": "verified"}),
    Case("q-quote-berg", "quotas", "claims",
         claim(BERGQVIST, "made real progress on the quota formula",
               "Bergqvist said the two sides had \u201cmade real progress on the quota"
               " formula.\u201d"),
         True, "quote inside a reported sentence", record={"attribution": "verified"}),
    Case("q-quote-gap", "quotas", "claims",
         claim(person("Tomas Bergkvist"),
               "Our fleets have fished these waters together for a century … they will go on"
               " doing so",
               "He added: \u201cOur fleets have fished these waters together for a century,"
               " and they will go on doing so.\u201d"),
         True, "quote with '…' for left-out words; 'Bergkvist' for Bergqvist",
         record={"attribution": "verified"}),
    Case("q-quote-she", "quotas", "claims",
         claim(person("Ilves"), "Without shared data there can be no fair quota",
               "\u201cWithout shared data there can be no fair quota,\u201d she said."),
         True, "surname only; 'she said' continues the speaker"),
    Case("q-para", "quotas", "claims",
         claim(ILVES, "Estonia backs a joint monitoring mission with Finland.", Q_MISSION,
               kind="paraphrase"),
         True, "paraphrase in the model's own words"),
    Case("q-pos-mission", "quotas", "positions",
         position(ILVES, "joint monitoring mission", "supports", Q_MISSION),
         True, "position"),
    Case("q-pos-slip", "quotas", "positions",
         position(state("Estonia", "EST"), "catch data sharing", "calls-for",
                  "Ilves said Estonia supports a joint monitoring mission and urged Finland to"
                  " share all its catch data."),
         True, "one-word slip in a long passage (fuzzy, cited on word boundaries)"),
    # wrong
    Case("q-held-future", "quotas", "meetings",
         meeting([ILVES, BERGQVIST], Q_NEXT, "held", location="Helsinki"),
         False, "'are due to' reported as held", expect='Set status to "planned"'),
    Case("q-wang", "quotas", "meetings",
         meeting([person("Foreign Minister Wang Yi"), BERGQVIST], Q1, "held"),
         False, "invented participant; 'Foreign' occurs in the article",
         expect="'Foreign Minister Wang Yi' is not a name the article uses"),
    Case("q-he", "quotas", "meetings",
         meeting([ILVES, person("He")], Q1, "held"),
         False, "pronoun as a participant", expect="'He' is a pronoun"),
    Case("q-wrong-speaker", "quotas", "claims",
         claim(BERGQVIST, "We will not sign a deal that sells out our coastal villages",
               "\u201cWe will not sign a deal that sells out our coastal villages,\u201d Ilves"
               " told reporters after the talks."),
         False, "verbatim quote given to the wrong speaker",
         expect="the article attributes this quote to Mara Ilves"),
    Case("q-invented-quote", "quotas", "claims",
         claim(BERGQVIST, "Finland will never accept Estonian terms on the quota",
               "Bergqvist said Finland will never accept Estonian terms on the quota."),
         False, "invented quote", expect="is not in the article"),
    Case("q-unquoted", "quotas", "claims",
         claim(ILVES, "Estonia supports a joint monitoring mission", Q_MISSION),
         False, "paraphrase passed off as a direct quote",
         expect="not inside its quotation marks"),
    Case("q-side", "quotas", "positions",
         position(person("the Estonian side"), "quotas", "concerned", Q_MISSION),
         False, "description as an actor", expect="title or description"),
    Case("q-wrong-sentence", "quotas", "meetings",
         meeting([ILVES, BERGQVIST], Q_CALLED_OFF, "held", location="Valmora"),
         False, "the meeting's parties are not in the sentence cited (another meeting's)",
         expect="does not mention 'Tomas Bergqvist'"),
    Case("q-planned-held", "quotas", "meetings",
         meeting([ILVES, BERGQVIST], Q1, "planned", location="Valmora"),
         False, "a meeting the passage tells as held ('met … on Friday') given as planned",
         expect='Set status to "held"'),
    Case("q-date-late", "quotas", "meetings",
         meeting([ILVES, BERGQVIST], Q1, "held", date="2026-03-20", date_text="on Friday"),
         False, "held meeting dated after publication", expect="after the article's publication"),
    # --- lisbon: no publication date ------------------------------------------------------
    Case("l-meet", "lisbon", "meetings",
         meeting([person("Kassim Duarte"), person("Elena Lindqvist")],
                 L1.replace("\u200b", ""), "held", location="Lisbon", date_text="on Tuesday"),
         True, "Kassim/Kassem, Elena/Yelena; the article's zero-width space",
         record={"date": None}),
    Case("l-madrid", "lisbon", "meetings",
         meeting([LINDQVIST, state("Spain", "ESP")], L_MADRID, "planned", location="Madrid",
                 date_text="on Thursday"),
         True, "'is expected to' as planned"),
    Case("l-quote-ready", "lisbon", "claims",
         claim(DUARTE, "stands ready to host the next round of talks",
               "Duarte told his guest that Portugal \u201cstands ready to host the next round"
               " of talks,\u201d according to a statement released after the meeting."),
         True, "quote repeated later by the same speaker; grounded in its passage"),
    Case("l-quote-patience", "lisbon", "claims",
         claim(LINDQVIST, "grateful for Portugal's patience",
               "Lindqvist, in turn, said Sweden was \u201cgrateful for Portugal's patience\u201d"
               " and that the two governments \u201cmust finish the work before summer.\u201d"),
         True, "straight apostrophe for a curly one"),
    Case("l-quote-summer", "lisbon", "claims",
         claim(LINDQVIST, "must finish the work before summer",
               "Lindqvist, in turn, said Sweden was \u201cgrateful for Portugal’s patience\u201d"
               " and that the two governments \u201cmust finish the work before summer.\u201d"),
         True, "second quote of one sentence"),
    Case("l-quote-hurry", "lisbon", "claims",
         claim(DUARTE, "we are not in a hurry, but we are not standing still either",
               "\u201cWe are not in a hurry, but we are not standing still either,\u201d Duarte"
               " said at a joint press appearance."),
         True, "case differs"),
    Case("l-quote-tavares", "lisbon", "claims",
         claim(person("Rui Tavares", title="Opposition leader"),
               "spending political capital on a foreign quarrel",
               "Opposition leader Rui Tavares criticised the visit, saying the government was"
               " \u201cspending political capital on a foreign quarrel.\u201d"),
         True, "quote after 'saying'"),
    Case("l-pos-tavares", "lisbon", "positions",
         position(person("Rui Tavares"), "Lindqvist visit", "opposes",
                  "Opposition leader Rui Tavares criticised the visit"),
         True, "passage is part of a sentence"),
    Case("l-pos-sweden", "lisbon", "positions",
         position(state("Sweden", "SWE"), "Portugal's mediation", "welcomes",
                  "Lindqvist, in turn, said Sweden was \u201cgrateful for Portugal’s"
                  " patience\u201d"),
         True, "state as actor"),
    Case("l-pos-guest", "lisbon", "positions",
         position(person("Yelena Lindqvist"), "Portugal's offer", "welcomes",
                  "Duarte told his guest that Portugal \u201cstands ready to host the next round"
                  " of talks,\u201d according to a statement released after the meeting."),
         False, "a stance the cited sentence gives to the host, not his guest (the brief"
         " would show Duarte's statement as her position)",
         expect="it is Kassem Duarte who takes this stance, not 'Yelena Lindqvist'"),
    # wrong
    Case("l-pos-wrong-sentence", "lisbon", "positions",
         position(person("Rui Tavares"), "Lindqvist visit", "opposes", L_MADRID),
         False, "a position cited with a sentence its actor is not in",
         expect="does not mention 'Rui Tavares'"),
    Case("l-held-future", "lisbon", "meetings",
         meeting([LINDQVIST, state("Spain", "ESP")], L_MADRID, "held", location="Madrid"),
         False, "'is expected to' as held", expect='Set status to "planned"'),
    Case("l-date-guess", "lisbon", "meetings",
         meeting([DUARTE, LINDQVIST], L1, "held", date="2026-03-10", date_text="on Tuesday"),
         False, "ISO date inferred from 'on Tuesday' without a publication date",
         expect="Leave date null and keep the article's words in date_text"),
    Case("l-wrong-speaker", "lisbon", "claims",
         claim(DUARTE, "spending political capital on a foreign quarrel",
               "Opposition leader Rui Tavares criticised the visit, saying the government was"
               " \u201cspending political capital on a foreign quarrel.\u201d"),
         False, "quote given to the wrong speaker",
         expect="the article attributes this quote to Rui Tavares"),
    Case("l-spokesman", "lisbon", "claims",
         claim(person("Magnus Ekholm", title="spokesman"),
               "Lindqvist will travel to Madrid on Thursday.", L_MADRID, kind="paraphrase"),
         False, "world-knowledge name for a person the article names only by title",
         expect="'Magnus Ekholm' is not a name the article uses"),
    Case("l-minister", "lisbon", "claims",
         claim(person("the minister"), "grateful for Portugal's patience",
               "Lindqvist, in turn, said Sweden was \u201cgrateful for Portugal’s patience\u201d"),
         False, "bare title as a speaker", expect="title or description"),
    # --- ankara ---------------------------------------------------------------------------
    Case("k-call", "ankara", "meetings",
         meeting([person("Ayse Kilic"), MOREAU], K1, "held", format="phone",
                 date_text="on Wednesday"),
         True, "diacritics dropped in the name; phone call",
         record={"date": "2026-05-06"}),
    Case("k-met-will", "ankara", "meetings",
         meeting([KILIC, person("Paolo Ferri", title="envoy", country="ITA")],
                 "Turkish Foreign Minister Ayşe Kılıç met Italian envoy Paolo Ferri in Ankara on"
                 " Monday and said Turkey will keep the corridor open through the winter.",
                 "held", location="Ankara", date_text="on Monday"),
         True, "held meeting in a sentence that also says 'will'",
         record={"date": "2026-05-04"}),
    Case("k-invite", "ankara", "meetings",
         meeting([KILIC, MOREAU], K_INVITE, "planned", location="Ankara", date_text="in June"),
         True, "'invited … to visit' as planned"),
    Case("k-quote-moreau", "ankara", "claims",
         claim(MOREAU, "will not let the corridor close",
               "The state news agency quoted Moreau as saying that France \u201cwill not let the"
               " corridor close.\u201d"),
         True, "'quoted X as saying'", record={"attribution": "verified"}),
    Case("k-quote-lifeline", "ankara", "claims",
         claim(KILIC, "The corridor is a lifeline for millions",
               "\u201cThe corridor is a lifeline for millions,\u201d Kılıç said."),
         True, "phrase repeated by another speaker later"),
    Case("k-quote-weapon", "ankara", "claims",
         claim(KILIC, "no one should use food as a weapon",
               "The minister added that \u201cno one should use food as a weapon.\u201d"),
         True, "'the minister' continues the speaker"),
    Case("k-quote-according", "ankara", "claims",
         claim(MOREAU, "the protocol is ready except for the insurance clause",
               "According to Moreau, \u201cthe protocol is ready except for the insurance"
               " clause.\u201d"),
         True, "'according to X'"),
    Case("k-quote-ferri", "ankara", "claims",
         claim(person("Paolo Ferri", title="envoy"), "The corridor is a lifeline for millions",
               "Italian envoy Paolo Ferri, who joined the call for ten minutes, said: \u201cThe"
               " corridor is a lifeline for millions, and Italy will help pay for it.\u201d"),
         True, "same phrase as Kılıç's: grounded at Ferri's occurrence"),
    Case("k-pos-france", "ankara", "positions",
         position(state("France", "FRA"), "grain corridor", "supports",
                  "The state news agency quoted Moreau as saying that France \u201cwill not let"
                  " the corridor close.\u201d"),
         True, "state position"),
    Case("k-reported-he", "ankara", "claims",
         claim(person("Paolo Ferri"), "Ferri gave no figure for Italy's share.",
               "He did not say how much.", kind="reported"),
         True, "'He' continues the speaker of the sentence before"),
    # wrong
    Case("k-swapped-call", "ankara", "meetings",
         meeting([KILIC, person("Paolo Ferri")], K1, "held", location="Ankara"),
         False, "a meeting cited with another meeting's sentence (the call with Moreau)",
         expect="does not mention 'Paolo Ferri'"),
    Case("k-held-invite", "ankara", "meetings",
         meeting([KILIC, MOREAU], K_INVITE, "held", location="Ankara"),
         False, "'invited … to visit' as held", expect='Set status to "planned"'),
    Case("k-held-preparing", "ankara", "meetings",
         meeting([MOREAU, state("Belgium", "BEL")],
                 "Moreau is preparing to travel to Brussels next week to brief his European"
                 " colleagues, officials said.", "held", location="Brussels"),
         False, "'is preparing to' as held", expect='Set status to "planned"'),
    Case("k-wrong-lifeline", "ankara", "claims",
         claim(MOREAU, "The corridor is a lifeline for millions",
               "\u201cThe corridor is a lifeline for millions,\u201d Kılıç said."),
         False, "repeated phrase given to someone who never said it",
         expect="the article attributes this quote to"),
    Case("k-date-june", "ankara", "meetings",
         meeting([KILIC, MOREAU], K_INVITE, "planned", date="2026-06-15", date_text="in June"),
         False, "a day the article never gives", expect="Leave date null"),
]


def article(stem: str) -> Article:
    return load_article(CORPUS / f"{stem}.txt")


def answer_for(stem: str, cases: list[Case] | None = None) -> dict[str, list[dict[str, Any]]]:
    """One whole answer holding every case of the article (or the given ones), in order."""
    out: dict[str, list[dict[str, Any]]] = {"meetings": [], "positions": [], "claims": []}
    for case in cases if cases is not None else CASES:
        if case.article == stem:
            out[case.list].append(case.item)
    return out


def first_answer_verdicts() -> dict[str, tuple[bool, str]]:
    """Each case's verdict on a first answer holding every case of its article:
    ``id -> (accepted, the re-ask lines about it)``."""
    verdicts: dict[str, tuple[bool, str]] = {}
    for stem in sorted({c.article for c in CASES}):
        a = article(stem)
        checked = check_answer(answer_for(stem), a, ArticleDraft.item_models())
        bad = {inv.path: " ".join(inv.reasons) for inv in checked.invalid}
        counters = {"meetings": 0, "positions": 0, "claims": 0}
        for case in (c for c in CASES if c.article == stem):
            path = f"{case.list}[{counters[case.list]}]"
            counters[case.list] += 1
            verdicts[case.id] = (path not in bad, bad.get(path, ""))
    return verdicts


def counts() -> dict[str, int]:
    verdicts = first_answer_verdicts()
    faithful = [c for c in CASES if c.faithful]
    wrong = [c for c in CASES if not c.faithful]
    spans = off = 0
    for stem in sorted({c.article for c in CASES}):
        a = article(stem)
        checked = check_answer(answer_for(stem), a, ArticleDraft.item_models())
        for drafts in checked.valid.values():
            for d in drafts:
                for ev in d.evidence():  # type: ignore[attr-defined]
                    spans += 1
                    off += not on_word_boundaries(a.text, ev.start, ev.end)
    return {
        "faithful items": len(faithful),
        "faithful rejected on first answer": sum(not verdicts[c.id][0] for c in faithful),
        "wrong items": len(wrong),
        "wrong accepted": sum(verdicts[c.id][0] for c in wrong),
        "cited spans": spans,
        "spans not on word boundaries": off,
    }


def main() -> int:
    verdicts = first_answer_verdicts()
    for case in CASES:
        accepted, why = verdicts[case.id]
        ok = accepted == case.faithful
        mark = "ok " if ok else "BAD"
        verdict = "accepted" if accepted else "rejected"
        print(f"{mark} {case.id:18} {'faithful' if case.faithful else 'wrong':8} {verdict}")
        if not accepted:
            print(f"      {why[:300]}")
    for name, value in counts().items():
        print(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
