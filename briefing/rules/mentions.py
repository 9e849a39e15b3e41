"""Group items into noun phrases that name actors, and resolve role nouns to people.

Two passes: the first finds people on structural evidence (titles, appositives, speech verbs)
so that the second can link later short forms ("Wang", "President Xi") to them, wherever in
the article they occur.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from briefing.rules.actors import (
    DETERMINERS,
    PRONOUNS,
    ROLE_FOLLOW,
    ActorTable,
    Mention,
    TitleInfo,
    chain_forward,
    scan_chain,
    title_after,
    title_before,
)
from briefing.rules.lexicon import Lexicon, word_list
from briefing.rules.text import Item, Sentence, posted_title


def _person_evidence(
    items: list[Item], idx: int, sent: Sentence, lex: Lexicon
) -> tuple[bool, TitleInfo | None, TitleInfo | None]:
    before = title_before(items, idx, sent.first, lex) or _coordinated_title(items, idx, sent, lex)
    after = title_after(items, idx, sent.last, lex)
    nxt = items[idx + 1] if idx + 1 < sent.last else None
    if nxt is not None and nxt.low in _ADVERBS and idx + 2 < sent.last:
        nxt = items[idx + 2]  # "Johnson previously said", "Rao also met"
    verb = (
        nxt is not None
        and nxt.kind == "word"
        and (nxt.low in lex.speech or nxt.low in lex.meeting_verbs)
    )
    return bool(before or after or verb), before, after


_ADVERBS = frozenset(
    {
        "also",
        "previously",
        "later",
        "earlier",
        "then",
        "again",
        "separately",
        "reportedly",
        "recently",
        "once",
        "further",
        "similarly",
        "meanwhile",
        "subsequently",
        "had",
        "has",
    }
)


def _coordinated_title(
    items: list[Item], idx: int, sent: Sentence, lex: Lexicon
) -> TitleInfo | None:
    """ "Presidents of Kyrgyzstan Ali Bekov and Tajikistan Emil Rahimov": the second name
    shares the first's title, with its own state."""
    k = idx - 3
    if k < sent.first or items[idx - 1].kind != "place" or items[idx - 2].low != "and":
        return None
    if items[k].kind != "name" or items[k].how != "person":
        return None
    first = title_before(items, k, sent.first, lex)
    if first is None or not first.role:
        return None
    return TitleInfo(first.title, first.role, first.organ, items[idx - 1].ref, idx - 1, idx)


Evidence = tuple[bool, TitleInfo | None, TitleInfo | None]


def find_people(
    items: list[Item], sents: list[Sentence], lex: Lexicon, table: ActorTable
) -> dict[int, Evidence]:
    """Pass one: register the people that structure alone identifies. Returns what
    :func:`_person_evidence` read at each person name, by item index, for pass two."""
    evidence: dict[int, Evidence] = {}
    for sent in sents:
        for idx in range(sent.first, sent.last):
            item = items[idx]
            if item.kind != "name" or item.how != "person":
                continue
            found, before, after = evidence[idx] = _person_evidence(items, idx, sent, lex)
            if found:
                table.person(item.text, before or after)
    return evidence


def find_mentions(
    text: str, items: list[Item], sents: list[Sentence], lex: Lexicon, table: ActorTable
) -> list[Mention]:
    """Pass two: every actor mention in item order."""
    _mark_portfolios(items)
    evidence = find_people(items, sents, lex, table)
    mentions: list[Mention] = []
    covered = [False] * len(items)
    for sent in sents:
        mentions.extend(_people(items, sent, table, covered, evidence))
    for sent in sents:
        mentions.extend(_others(text, items, sent, lex, table, covered))
    mentions.sort(key=lambda m: m.first)
    _resolve_roles(mentions, table, lex)
    return mentions


def _mark_portfolios(items: list[Item]) -> None:
    """A capitalised word after "TITLE for (the)" names the title's remit, not a person:
    "the special envoy for the Arctic", "Commissioner for Trade", "the envoy for Arctic
    Affairs". Such a name item's ``how`` becomes ``portfolio``: no mention starts there, and
    a title phrase reads across it (``actors.chain_back``). Only after the titles of
    ``[syntax] portfolio_roles`` of ``briefing/rules/data/lexicon.toml``: "a spokesman for
    Trebbe" speaks for a person."""
    for idx, item in enumerate(items):
        if item.kind != "name" or item.how != "person":
            continue
        title = posted_title(items, idx, ("for",))
        if title is not None and title.ref in _PORTFOLIO_ROLES:
            item.how = "portfolio"


_PORTFOLIO_ROLES = word_list("portfolio_roles")


def _people(
    items: list[Item],
    sent: Sentence,
    table: ActorTable,
    covered: list[bool],
    evidence: dict[int, Evidence],
) -> list[Mention]:
    found: list[Mention] = []
    for idx in range(sent.first, sent.last):
        item = items[idx]
        if item.kind != "name" or item.how != "person" or covered[idx]:
            continue
        pid = table.find_person(item.text)
        if pid is None:
            continue
        _, before, after = evidence[idx]  # pass one read it at every person name
        table.person(item.text, before or after, found=pid)
        first = before.start if before else idx
        last = after.end if after else idx + 1
        if any(covered[first:last]):
            first, last = idx, idx + 1
        for k in range(first, last):
            covered[k] = True
        actor = table.actors[pid]
        found.append(Mention(first, last, idx, "person", pid, actor.country, actor.role))
    return found


def _others(
    text: str,
    items: list[Item],
    sent: Sentence,
    lex: Lexicon,
    table: ActorTable,
    covered: list[bool],
) -> list[Mention]:
    found: list[Mention] = []
    idx = sent.first
    while idx < sent.last:
        item = items[idx]
        if covered[idx] or (
            item.kind not in _OPENING_KINDS
            and not (item.kind == "word" and item.low in _OPENING_WORDS)
        ):
            idx += 1  # no mention starts here: most items, not worth a call of _mention_at
            continue
        mention = _mention_at(text, items, idx, sent, lex, table)
        if mention is None:
            idx += 1
            continue
        for k in range(mention.first, mention.last):
            covered[k] = True
        found.append(mention)
        idx = mention.last
    return found


# The items a mention of :func:`_mention_at` can start with: other kinds, and other words,
# start none.
_OPENING_KINDS = frozenset({"org", "name", "body", "place"})
_OPENING_WORDS = frozenset(PRONOUNS) | DETERMINERS


def _mention_at(
    text: str, items: list[Item], idx: int, sent: Sentence, lex: Lexicon, table: ActorTable
) -> Mention | None:
    item = items[idx]
    if item.kind == "word" and item.low in PRONOUNS:
        if item.low in DETERMINERS:  # "his Turkish and Greek counterparts"
            nominal = _nominal(items, idx, sent, lex, table)
            if nominal is not None and (nominal.countries or nominal.country):
                return nominal
        return Mention(idx, idx + 1, idx, "pronoun")
    if item.kind == "word" and item.low in DETERMINERS:
        return _nominal(items, idx, sent, lex, table)
    if item.kind == "org" and idx + 1 < sent.last and items[idx + 1].kind == "title":
        bare = _nominal(items, idx - 1, sent, lex, table)  # "U.N. envoy refused ..."
        if bare is not None:
            bare.first = idx
            return bare
    if item.kind == "org":
        org = lex.orgs.get(item.text)
        pid = table.org(org.name if org else item.text, key=org.ident if org else None)
        return Mention(idx, idx + 1, idx, "org", pid)
    if item.kind == "name" and item.how == "org":
        return Mention(idx, idx + 1, idx, "org", table.org(item.text))
    if item.kind == "body":
        return _body(items, idx, idx, sent, table)
    if item.kind == "place":
        return _place(text, items, idx, sent, lex, table)
    return None


def _body(
    items: list[Item], first: int, idx: int, sent: Sentence, table: ActorTable
) -> Mention | None:
    """A state body: "Russia's Foreign Ministry", "the Security Council of Russia"."""
    country = None
    for k in range(first, idx):
        if items[k].kind == "place":
            country = items[k].ref
    last = idx + 1
    if country is None and last + 1 < sent.last and items[last].low == "of":
        k = last + 1 + (items[last + 1].low == "the")
        if k < sent.last and items[k].kind == "place":
            country, last = items[k].ref, k + 1
    if country is None:
        return None
    lex = table.lex
    owner = lex.country_adj.get(country) or lex.country_names.get(country, country)
    name = f"{owner} {items[idx].text}"
    pid = table.org(name, country)
    return Mention(first, last, idx, "org", pid, country)


def _place(
    text: str, items: list[Item], idx: int, sent: Sentence, lex: Lexicon, table: ActorTable
) -> Mention | None:
    item = items[idx]
    k = idx + 1 + (idx + 1 < sent.last and items[idx + 1].kind == "poss")
    if k < sent.last and items[k].kind == "body":
        return _body(items, idx, k, sent, table)
    nxt = items[idx + 1] if idx + 1 < sent.last else None
    if nxt is not None and (
        nxt.low in lex.sides or (nxt.kind == "title" and nxt.ref == "official")
    ):
        return Mention(idx, idx + 2, idx, "state", table.state(item.ref), item.ref)
    hyphened = text[item.end : item.end + 1] == "-" or text[item.start - 1 : item.start] == "-"
    if nxt is not None and nxt.kind == "title" and not hyphened:
        bare = _nominal(items, idx - 1, sent, lex, table)  # "Myanmar foreign minister refuses"
        if bare is not None:
            bare.first = idx
            return bare
    if item.how == "adj" or hyphened:
        return None
    if nxt is not None and nxt.kind == "poss" and idx + 2 < sent.last:
        owned = _possessed_role(items, idx, sent, lex, table)  # "Chile's envoy met ..."
        if owned is not None:
            return owned
    return Mention(idx, idx + 1, idx, "state", table.state(item.ref), item.ref)


def _possessed_role(
    items: list[Item], idx: int, sent: Sentence, lex: Lexicon, table: ActorTable
) -> Mention | None:
    """A state's role noun with no name after it ("Chile's envoy", "Denmark's foreign
    minister"): a role noun of that state, as "the Chilean envoy" is. With a name after the
    title ("Chile's envoy Rosa Varga") the state stays a possessor and the name is the
    person."""
    if items[idx + 2].kind != "title":
        return None
    bare = _nominal(items, idx + 1, sent, lex, table)
    if bare is None or (bare.last < sent.last and items[bare.last].kind == "name"):
        return None
    bare.first, bare.country = idx, bare.country or items[idx].ref
    return bare


def _nominal(
    items: list[Item], det: int, sent: Sentence, lex: Lexicon, table: ActorTable
) -> Mention | None:
    """A role noun after a determiner: "the top Chinese diplomat", "the presidents of ..."."""
    end = chain_forward(items, det + 1, sent.last, lex)
    while (  # "his Australian and Fijian counterparts"
        end + 1 < sent.last
        and items[end].low == "and"
        and items[end - 1].kind == "place"
        and items[end + 1].kind == "place"
    ):
        end = chain_forward(items, end + 1, sent.last, lex)
    while end > det + 1 and items[end - 1].kind == "poss":
        end -= 1
    titles = [k for k in range(det + 1, end) if items[k].kind == "title"]
    if not titles or end == det + 1:
        return None
    places = (items[k].ref for k in range(det + 1, end) if items[k].kind == "place")
    codes = list(dict.fromkeys(places))
    while end + 1 < sent.last and items[end].low == "and" and items[end + 1].kind == "place":
        codes.append(items[end + 1].ref)
        end += 2
    origin = None
    if end + 1 < sent.last and items[end].low == "from" and items[end + 1].kind == "place":
        origin, end = items[end + 1].ref, end + 2  # "his counterpart from Guinea"
    if end < sent.last and not _role_head(items[end], lex):
        return None
    info = scan_chain(items, det + 1, end, lex)
    info.country = info.country or origin
    head = titles[-1]
    mention = Mention(det, end, head, "nominal", None, info.country, items[head].ref, info.organ)
    if len(codes) > 1:
        mention.countries = tuple(codes)
    return mention


def _role_head(nxt: Item, lex: Lexicon) -> bool:
    """Whether a role noun ends its phrase here, rather than modifying a noun ("the general
    direction")."""
    if nxt.kind in ("punct", "poss", "name", "place", "org"):
        return True
    return nxt.kind == "word" and (
        nxt.low in ROLE_FOLLOW
        or nxt.low in lex.speech
        or nxt.low in _verb_firsts(lex.meeting_verbs, lex.visits, lex.negated)
        or nxt.low.endswith("ed")
    )


@cache
def _verb_firsts(*vocabularies: Iterable[str]) -> frozenset[str]:
    """First words of the meeting, visit and refusal phrases ("held talks", "refuses")."""
    return frozenset(p.split()[0] for phrases in vocabularies for p in phrases)


def _resolve_roles(mentions: list[Mention], table: ActorTable, lex: Lexicon) -> None:
    """Point each role noun at the person it most likely means, preferring people already
    named before it and the most recently named among equals."""
    last_seen: dict[int, int] = {}
    for mention in mentions:
        if mention.kind == "person" and mention.actor is not None:
            last_seen[mention.actor] = mention.first
        elif mention.kind == "nominal":
            if mention.countries:
                picks = [
                    _best_person(table, lex, mention, code, last_seen) for code in mention.countries
                ]
                # each member of a plural must be of its own state, and no two the same
                picks = [
                    p
                    for p, code in zip(picks, mention.countries, strict=True)
                    if p is not None and table.actors[p].country == code
                ]
                mention.members = tuple(dict.fromkeys(picks))
            else:
                mention.actor = _best_person(table, lex, mention, mention.country, last_seen)
    _resolve_forward(mentions, table, lex)


def _resolve_forward(mentions: list[Mention], table: ActorTable, lex: Lexicon) -> None:
    """A role noun with a country that no one named before fits ("met his Australian and
    Fijian counterparts" in a lead) means the fitting person the article names next."""
    for n, mention in enumerate(mentions):
        if mention.kind != "nominal":
            continue
        codes = mention.countries or ((mention.country,) if mention.country else ())
        if (
            not codes
            and mention.organ == ""
            and mention.actor is None
            and mention.role
            in (
                "envoy",
                "head-of-body",
            )
        ):
            mention.actor = _next_with_role(mentions, n, table, mention.role)
            continue
        if not codes or (mention.actor is not None or len(mention.members) == len(codes)):
            continue
        later = {
            m.actor: -m.first
            for m in reversed(mentions[n + 1 : n + 40])
            if m.kind == "person" and m.actor is not None
        }
        picks = [_best_person(table, lex, mention, code, later) for code in codes]
        picks = [
            p
            for p, code in zip(picks, codes, strict=True)
            if p is not None and table.actors[p].country == code
        ]
        if mention.countries:
            if len(picks) > len(mention.members):
                mention.members = tuple(dict.fromkeys(picks))
        elif picks:
            mention.actor = picks[0]


def _next_with_role(mentions: list[Mention], n: int, table: ActorTable, role: str) -> int | None:
    """The next person named with exactly this role ("U.N. envoy" -> "envoy Lars Berg")."""
    for m in mentions[n + 1 : n + 40]:
        if m.kind == "person" and m.actor is not None and table.actors[m.actor].role == role:
            return m.actor
    return None


def _best_person(
    table: ActorTable,
    lex: Lexicon,
    mention: Mention,
    country: str | None,
    last_seen: dict[int, int],
) -> int | None:
    """The person a role noun means: country and role must fit; failing anyone who fits, the
    most recently named person whose country and role the article never gave."""
    best: tuple[int, int, int, int] | None = None
    chosen = None
    for pid, seen_at in last_seen.items():
        actor = table.actors[pid]
        known = bool(actor.role) and (actor.country is not None or not country)
        if actor.role and not lex.fits(mention.role, actor.role):
            continue
        if country and actor.country not in (None, country):
            continue
        organ = int(known and bool(mention.organ) and mention.organ == actor.organ)
        key = (int(known), organ, int(known and actor.role == mention.role), seen_at)
        if best is None or key > best:
            best, chosen = key, pid
    return chosen
