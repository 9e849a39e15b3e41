"""Who is who: one canonical actor for every spelling of the same person, state or organisation.

Outlets spell the same person differently (Shoygu, Shoigu, Shougu), give titles in front of
names (``Chinese Foreign Minister Wang Yi``) and shorten names once introduced (``Wang``).
Left alone, the brief would list three Shoigus. This module folds those variants together:
first through an editable registry (``briefing/data/actors.toml``), then by guarded fuzzy
matching within the brief for names the registry does not know.

The guard against merging two different people who share a surname (see ``same_person`` and
``resolve_actors``):

1. Two different registry entries are never merged, whatever their names.
2. Two full names merge only when their surnames are compatible *and* their given names are:
   equal up to transliteration, fuzzy-close, or an initial matching (``S. Shoigu``). Both given
   names present and incompatible (``Joe Biden`` / ``Hunter Biden``) never merge.
3. A bare surname (``Wang``) is resolved within its own article first: it joins the one full name
   there that it fits. If two full names in the article fit, it stays on its own. Only when the
   article names nobody it fits does it go to the registry's explicit aliases, and then to the
   whole brief, where again it joins only a single fitting person; ambiguous, it stays alone.
4. Bare surnames nobody resolves are never merged across articles (two articles' unexplained
   ``Wang`` may be two people).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, get_args

from rapidfuzz import fuzz

try:  # tomllib's own code, compiled: ~4x faster (pyproject.toml)
    import tomli as toml
except ImportError:  # a checkout installed before tomli was a dependency: same results
    import tomllib as toml  # type: ignore[no-redef]

from briefing.errors import ConfigError
from briefing.schemas import Actor, ActorKind

# Two spellings of one name word must share a first letter and be at least this close.
TOKEN_RATIO = 80.0
# Shorter words are too easily confused (Wang/Wan, Li/Lu) to match other than exactly.
FUZZY_MIN_LEN = 5
# Organisations and states not in the registry merge only when nearly identical.
ORG_RATIO = 92.0

# Letters NFKD leaves whole, and apostrophes. No replacement holds a character replaced, so
# replacing one after the other is the same as ``str.translate`` (which is slower on a whole
# article: a dict lookup a character rather than one scan a letter).
_SPECIAL = (("ı", "i"), ("ø", "o"), ("ł", "l"), ("đ", "d"), ("æ", "ae"), ("œ", "oe"), ("’", "'"),
            ("‘", "'"), ("`", "'"), ("´", "'"))
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_POSSESSIVE = re.compile(r"'s\b")
_NON_WORD = re.compile(r"[\W_]+")
_SKELETON = (("kh", "h"), ("ck", "k"), ("ph", "f"), ("x", "ks"), ("yi", "i"), ("iy", "i"),
             ("yy", "i"), ("y", "i"), ("z", "s"))
_DOUBLE = re.compile(r"(.)\1+")
_KINDS: tuple[str, ...] = get_args(ActorKind)


@lru_cache(maxsize=65536)  # validation folds the same few names (and one article) many times
def fold_name(text: str) -> str:
    """Case, diacritics, possessives and punctuation folded away, so that spellings that differ
    only in those compare equal: ``China’s`` → ``china``, ``Erdoğan`` → ``erdogan``,
    ``U.S.`` → ``us``."""
    text = text.casefold()
    for old, new in _SPECIAL:
        if old in text:
            text = text.replace(old, new)
    if not text.isascii():  # ASCII has nothing to decompose
        text = _NON_ASCII.sub(_without_marks, unicodedata.normalize("NFKD", text))
    words = _NON_WORD.sub(" ", _POSSESSIVE.sub("", text)).split()
    return " ".join(_join_initials(words))


def _without_marks(run: re.Match[str]) -> str:
    """A run of non-ASCII characters without its combining marks (ASCII holds none)."""
    return "".join(ch for ch in run.group() if not unicodedata.combining(ch))


def _join_initials(words: list[str]) -> list[str]:
    """``u s`` → ``us``: a run of single letters is one abbreviation, a lone one an initial."""
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1:
            run.append(word)
            continue
        out.extend(["".join(run)] if len(run) > 1 else run)
        run = []
        if word:
            out.append(word)
    return out


@lru_cache(maxsize=65536)  # called for every word of every name compared; words repeat
def skeleton_word(word: str) -> str:
    """Transliteration variants folded: Shoygu/Shoigu, Sergey/Sergei, Zelenskyy/Selenskyi,
    Yuri/Iurii, Yelena/Elena and Yevgeny/Evgeny (Cyrillic Е written Ye or E at the start of a
    word), Alexei/Aleksei; Aleksandr/Alexander then differ by one letter, which
    ``words_compatible`` allows."""
    for old, new in _SKELETON:
        word = word.replace(old, new)
    if word.endswith("j"):
        word = word[:-1] + "i"
    if word.startswith("ie"):
        word = word[1:]
    return _DOUBLE.sub(r"\1", word)


def skeleton(text: str) -> tuple[str, ...]:
    """The comparable form of a name: its folded words, each reduced to a skeleton."""
    return tuple(skeleton_word(w) for w in fold_name(text).split())


def words_compatible(a: str, b: str) -> bool:
    """Whether two skeleton words can be spellings of one name word, or an initial of it."""
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    if min(len(a), len(b)) < FUZZY_MIN_LEN or a[0] != b[0]:
        return False
    return fuzz.ratio(a, b) >= TOKEN_RATIO


def surname_fits(word: str, name: Sequence[str]) -> bool:
    """Whether a bare word can stand for the full ``name``: as its last word (Western order) or
    its first (Chinese order: ``Xi`` for Xi Jinping, ``Wang`` for Wang Yi)."""
    if len(word) < 2 or len(name) < 2:
        return False
    return any(len(part) > 1 and words_compatible(word, part) for part in (name[0], name[-1]))


def same_person(a: Sequence[str], b: Sequence[str]) -> bool:
    """The surname guard for two full names (skeletons of two words or more): the last words
    must be compatible, and every given-name word of the shorter name must fit one of the
    longer's, so that a shared surname alone never makes two people one."""
    if len(a) < 2 or len(b) < 2 or len(a[-1]) < 2 or len(b[-1]) < 2:
        return False
    if not words_compatible(a[-1], b[-1]):
        return False
    short, long = sorted((a[:-1], b[:-1]), key=len)
    return all(any(words_compatible(w, x) for x in long) for w in short)


@dataclass(frozen=True)
class RegistryEntry:
    """One row of the registry file."""

    name: str
    kind: ActorKind = "person"
    country: str | None = None
    title: str | None = None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def _entry(row: Any, where: str) -> RegistryEntry:
    """Check one ``[[actor]]`` table; errors name the file and the entry, for the user who
    edited it."""
    if not isinstance(row, dict) or not isinstance(row.get("name"), str) or not row["name"]:
        raise ConfigError(f"{where}: every [[actor]] needs a name")
    unknown = set(row) - {"name", "kind", "country", "title", "aliases", "demonyms"}
    if unknown:
        raise ConfigError(f"{where}: {row['name']}: unknown keys {sorted(unknown)}")
    kind = row.get("kind", "person")
    if kind not in _KINDS:
        raise ConfigError(f"{where}: {row['name']}: kind must be one of {list(_KINDS)}")
    country = row.get("country")
    if country is not None and not re.fullmatch(r"[A-Z]{3}", str(country)):
        raise ConfigError(f"{where}: {row['name']}: country must be an ISO alpha-3 code")
    return RegistryEntry(
        name=row["name"], kind=kind, country=country, title=row.get("title"),
        aliases=tuple(row.get("aliases", ())), demonyms=tuple(row.get("demonyms", ())),
    )


def _is_abbreviation(alias: str) -> bool:
    letters = [ch for ch in alias if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


class ActorRegistry:
    """Known actors and places, indexed by their folded and skeleton spellings."""

    def __init__(
        self,
        entries: Iterable[RegistryEntry] = (),
        places: dict[str, Iterable[str]] | None = None,
        title_words: Iterable[str] = (),
    ) -> None:
        self.entries: list[RegistryEntry] = list(entries)
        self.title_words = frozenset(fold_name(w) for w in title_words)
        self._folded: dict[str, set[int]] = {}
        self._skeletons: dict[tuple[str, ...], set[int]] = {}
        self._demonyms: dict[str, str] = {}
        self._nation_words: set[str] = set()
        for i, entry in enumerate(self.entries):
            self._index(i, entry)
        self._looked_up: dict[str, RegistryEntry | None] = {}
        self._last_initials: dict[str, list[tuple[tuple[str, ...], set[int]]]] | None = None
        self._places: dict[str, str] = {}
        for name, aliases in (places or {}).items():
            for alias in (name, *aliases):
                self._places[fold_name(alias)] = fold_name(name)

    def _index(self, i: int, entry: RegistryEntry) -> None:
        for alias in entry.names:
            self._folded.setdefault(fold_name(alias), set()).add(i)
            self._skeletons.setdefault(skeleton(alias), set()).add(i)
        if entry.kind == "state" and entry.country:
            for word in (*entry.names, *entry.demonyms):
                self._demonyms[fold_name(word)] = entry.country
            # Words that may open a title: nationalities, state names, abbreviations (US, PRC),
            # but not capitals, which can be a person's first name (Paris, Georgia's cities…).
            nation = [entry.name, *entry.demonyms, *filter(_is_abbreviation, entry.aliases)]
            self._nation_words |= {fold_name(w) for w in nation}

    @classmethod
    def load(cls, path: str | Path | None = None) -> ActorRegistry:
        """The registry in ``path``, or the bundled ``briefing/data/actors.toml``.

        The bundled one is read once per process and shared (the pipeline, the answer checks
        and consolidation all ask for it; its only state that changes is the lookup memo).
        Raises ``ConfigError`` for a file that cannot be read or is not a valid registry."""
        if path is None:
            return _bundled() if cls is ActorRegistry else cls._read_bundled()
        where = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read actor registry {where}: {exc.strerror}") from exc
        return cls.from_toml(text, where)

    @classmethod
    def _read_bundled(cls) -> ActorRegistry:
        text = resources.files("briefing").joinpath("data/actors.toml").read_text("utf-8")
        return cls.from_toml(text, "briefing/data/actors.toml")

    @classmethod
    def from_toml(cls, text: str, where: str = "<actors.toml>") -> ActorRegistry:
        try:
            data = toml.loads(text)
        except toml.TOMLDecodeError as exc:
            raise ConfigError(f"{where}: not valid TOML: {exc}") from exc
        entries = [_entry(row, where) for row in data.get("actor", [])]
        places = {p["name"]: p.get("aliases", []) for p in data.get("place", [])}
        return cls(entries, places, data.get("titles", {}).get("words", []))

    def lookup(self, name: str) -> RegistryEntry | None:
        """The one entry ``name`` denotes, or None when none or several fit. Exact (folded) and
        transliterated spellings first; then fuzzy, with the surname guard for full names and
        only the entry's own one-word aliases for a bare word."""
        if name in self._looked_up:  # a brief names the same people again and again
            return self._looked_up[name]
        found = self._lookup(name)
        self._looked_up[name] = found
        return found

    def _lookup(self, name: str) -> RegistryEntry | None:
        folded, skel = fold_name(name), skeleton(name)
        for hits in (self._folded.get(folded), self._skeletons.get(skel)):
            if hits and len(hits) == 1:
                return self.entries[next(iter(hits))]
            if hits:
                return None
        return self._fuzzy(skel)

    def exact(self, name: str) -> RegistryEntry | None:
        """Spelling variants only, no fuzzy step: enough to tell a registered name from a title."""
        hits = self._folded.get(fold_name(name)) or self._skeletons.get(skeleton(name))
        return self.entries[next(iter(hits))] if hits and len(hits) == 1 else None

    def _by_last_initial(self) -> dict[str, list[tuple[tuple[str, ...], set[int]]]]:
        """The skeletons by the first letter of their last word, built on first use: a
        fuzzy match (``words_compatible``, ``same_person``) always shares that letter."""
        if self._last_initials is None:
            self._last_initials = {}
            for alias_skel, hits in self._skeletons.items():
                if alias_skel:
                    letter = alias_skel[-1][:1]
                    self._last_initials.setdefault(letter, []).append((alias_skel, hits))
        return self._last_initials

    def _fuzzy(self, skel: tuple[str, ...]) -> RegistryEntry | None:
        if not skel:
            return None
        fits: set[int] = set()
        for alias_skel, hits in self._by_last_initial().get(skel[-1][:1], ()):
            if len(skel) == 1 and len(alias_skel) == 1:
                ok = len(skel[0]) >= FUZZY_MIN_LEN and words_compatible(skel[0], alias_skel[0])
            else:
                ok = same_person(skel, alias_skel)
            if ok:
                fits |= {i for i in hits if self.entries[i].kind == "person"}
        return self.entries[fits.pop()] if len(fits) == 1 else None

    def is_title_word(self, word: str) -> bool:
        """Title words and nationalities (``Chinese``, ``China's``) that may precede a name."""
        return word in self.title_words or word in self._nation_words

    def country_in(self, text: str | None) -> str | None:
        """The country a title names (``Russian Deputy Prime Minister`` → RUS), if one."""
        words = fold_name(text or "").split()
        found = {self._demonyms[w] for w in words if w in self._demonyms}
        pairs = (" ".join(p) for p in itertools.pairwise(words))
        found |= {self._demonyms[p] for p in pairs if p in self._demonyms}
        return found.pop() if len(found) == 1 else None

    def place_key(self, place: str | None) -> str | None:
        """A place in comparable form: registry spelling, else the folded first part before a
        comma (``Astana, Kazakhstan`` → ``astana``)."""
        if not place or not place.strip():
            return None
        folded = fold_name(place)
        if folded in self._places:
            return self._places[folded]
        head = fold_name(place.split(",")[0])
        head = head.removeprefix("the ")
        return self._places.get(head, head) or None


@cache
def _bundled() -> ActorRegistry:
    """The bundled registry, built on first use (see ``ActorRegistry.load``)."""
    return ActorRegistry._read_bundled()


_EDGE_SEP = re.compile(r"^[\s,;:]+|[\s,;:]+$")


def split_title(name: str, kind: ActorKind, registry: ActorRegistry) -> tuple[str, str | None]:
    """``Chinese Foreign Minister Wang Yi`` → (``Wang Yi``, ``Chinese Foreign Minister``);
    ``Sergey Shoigu, the Secretary of …`` → (``Sergey Shoigu``, ``the Secretary of …``).
    Only for people, and never when the registry knows the whole string: an organisation's
    name (``Russian Foreign Ministry``) keeps its nationality."""
    name = " ".join(name.split())
    if kind != "person" or registry.exact(name) is not None:
        return name, None
    head, comma, tail = name.partition(",")
    if comma and tail.strip() and head.strip():
        return head.strip(), _EDGE_SEP.sub("", tail) or None
    words = name.split(" ")
    cut = 0
    while cut < len(words) - 1 and registry.is_title_word(fold_name(words[cut])):
        cut += 1
    if cut == 0:
        return name, None
    return " ".join(words[cut:]), _EDGE_SEP.sub("", " ".join(words[:cut])) or None


@dataclass(frozen=True)
class Mention:
    """One place an extraction names an actor."""

    article_id: str
    name: str
    title: str | None = None
    country: str | None = None
    kind: ActorKind = "person"

    @classmethod
    def of(cls, article_id: str, actor: Actor) -> Mention:
        return cls(article_id, actor.name, actor.title, actor.country, actor.kind)


@dataclass
class _Cluster:
    """The mentions resolved to one actor so far."""

    key: str
    entry: RegistryEntry | None = None
    surfaces: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    kinds: list[ActorKind] = field(default_factory=list)
    full_names: list[tuple[str, ...]] = field(default_factory=list)
    full_in: set[str] = field(default_factory=set)

    def add(self, mention: Mention, surface: str, title: str | None) -> None:
        _append_new(self.surfaces, surface)
        if title:
            _append_new(self.titles, title)
        if mention.country:
            self.countries.append(mention.country.strip().upper())
        self.kinds.append(mention.kind)
        skel = skeleton(surface)
        if len(skel) >= 2:
            _append_new(self.full_names, skel)
            self.full_in.add(mention.article_id)


def _append_new(items: list[Any], item: Any) -> None:
    if item not in items:
        items.append(item)


@dataclass(frozen=True)
class _Parsed:
    mention: Mention
    surface: str
    title: str | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.mention.article_id, self.mention.name)


class ActorIndex:
    """The resolved actors of one brief: look an extraction's actor up by article and name."""

    def __init__(self, actors: dict[str, Actor], assigned: dict[tuple[str, str], str],
                 titles: dict[tuple[str, str], str | None]) -> None:
        self.actors = list(actors.values())
        self._by_key = actors
        self._assigned = assigned
        self._titles = titles

    def resolve(self, article_id: str, actor: Actor) -> Actor:
        """The canonical actor, carrying this mention's own title (titles are per mention, not
        part of identity); the roster's default title when the mention gives none."""
        key = (article_id, actor.name)
        found = self._by_key[self._assigned[key]]
        title = actor.title or self._titles.get(key) or found.title
        return found.model_copy(update={"title": title})

    def own_title(self, article_id: str, actor: Actor) -> str | None:
        """The title this article itself gives the mention (none from the registry)."""
        return actor.title or self._titles.get((article_id, actor.name))


class _Resolver:
    """Runs the passes described in the module docstring over one brief's mentions."""

    def __init__(self, registry: ActorRegistry) -> None:
        self.registry = registry
        self.clusters: dict[str, _Cluster] = {}
        self.assigned: dict[tuple[str, str], str] = {}
        # Blocks, so a mention is compared only with clusters that could match (linear cost):
        # names by the first letter of their first and last words (every compatible word
        # shares it), organisations by their first letter, bare words by article.
        self._by_letter: dict[str, dict[str, None]] = {}
        self._by_surname_letter: dict[str, dict[str, None]] = {}
        self._orgs: dict[str, list[str]] = {}
        self._bare_in: dict[str, list[str]] = {}
        self._rank: dict[str, int] = {}

    def run(self, mentions: Iterable[Mention]) -> ActorIndex:
        parsed = [self._parse(m) for m in mentions]
        first: dict[tuple[str, str], _Parsed] = {}
        for p in parsed:
            first.setdefault(p.key, p)
        bare = [p for p in first.values() if not self._named(p)]
        for p in bare:
            self._bare(p)
        for p in parsed:
            if p is not first[p.key]:
                self.clusters[self.assigned[p.key]].add(p.mention, p.surface, p.title)
        titles = {key: p.title for key, p in first.items()}
        return ActorIndex(self._actors(), self.assigned, titles)

    def _parse(self, mention: Mention) -> _Parsed:
        surface, title = split_title(mention.name, mention.kind, self.registry)
        return _Parsed(mention, surface, mention.title or title)

    def _assign(self, p: _Parsed, key: str, entry: RegistryEntry | None = None) -> None:
        cluster = self.clusters.get(key)
        if cluster is None:
            cluster = self.clusters[key] = _Cluster(key, entry)
            self._index_new(key)
        names = len(cluster.full_names)
        cluster.add(p.mention, p.surface, p.title)
        for name in cluster.full_names[names:]:
            for letter in (name[0][:1], name[-1][:1]):
                self._by_letter.setdefault(letter, {})[key] = None
            self._by_surname_letter.setdefault(name[-1][:1], {})[key] = None
        self.assigned[p.key] = key

    def _in_order(self, keys: Iterable[str]) -> list[str]:
        """Cluster keys in the order the clusters were made (as a scan of all would see them)."""
        return sorted(keys, key=self._rank.__getitem__)

    def _index_new(self, key: str) -> None:
        self._rank[key] = len(self._rank)
        if key.startswith("org:"):
            self._orgs.setdefault(key[4:5], []).append(key)
        elif key.startswith("bare:"):
            self._bare_in.setdefault(key.split(":")[1], []).append(key)

    def _named(self, p: _Parsed) -> bool:
        """First pass: registry hits, full names, states and organisations. False for a bare
        person word, which waits until every full name is known."""
        skel = skeleton(p.surface)
        if p.mention.kind == "person" and len(skel) < 2:
            return False
        entry = self.registry.lookup(p.surface)
        if entry is not None:
            self._assign(p, "reg:" + entry.name, entry)
        elif p.mention.kind != "person":
            self._assign(p, self._org_key(p.surface))
        else:
            self._assign(p, self._person_key(skel))
        return True

    def _org_key(self, surface: str) -> str:
        folded = " ".join(skeleton(surface))
        if "org:" + folded in self.clusters:
            return "org:" + folded
        for key in self._orgs.get(folded[:1], []):
            if any(fuzz.ratio(folded, " ".join(skeleton(s))) >= ORG_RATIO
                   for s in self.clusters[key].surfaces):
                return key
        return "org:" + folded

    def _person_key(self, skel: tuple[str, ...]) -> str:
        """An unregistered full name joins a cluster only if it passes the guard against every
        full name already in it."""
        for key in self._in_order(self._by_surname_letter.get(skel[-1][:1], {})):
            cluster = self.clusters[key]
            if key.startswith("per:") and all(same_person(skel, n) for n in cluster.full_names):
                return key
        return "per:" + " ".join(skel)

    def _bare(self, p: _Parsed) -> None:
        """Second pass, for a bare word: own article, then registry, then the whole brief."""
        word = "".join(skeleton(p.surface))
        article = p.mention.article_id
        local = self._fitting(word, lambda c: article in c.full_in)
        if len(local) > 1:
            self._assign(p, self._bare_key(article, word))
            return
        if local:
            self._assign(p, local[0])
            return
        entry = self.registry.lookup(p.surface)
        if entry is not None:
            self._assign(p, "reg:" + entry.name, entry)
            return
        anywhere = self._fitting(word, lambda c: True)
        key = anywhere[0] if len(anywhere) == 1 else self._bare_key(article, word)
        self._assign(p, key)

    def _fitting(self, word: str, where: Callable[[_Cluster], bool]) -> list[str]:
        """Person clusters ``where`` admits that have a full name ``word`` can stand for."""
        candidates = (self.clusters[k] for k in self._in_order(self._by_letter.get(word[:1], {})))
        return [
            c.key for c in candidates
            if where(c) and any(surname_fits(word, n) for n in c.full_names)
            and self._is_person(c)
        ]

    @staticmethod
    def _is_person(cluster: _Cluster) -> bool:
        return (cluster.entry.kind if cluster.entry else _majority(cluster.kinds)) == "person"

    def _bare_key(self, article: str, word: str) -> str:
        """Unresolved bare words cluster only within their own article."""
        prefix = f"bare:{article}:"
        for key in self._bare_in.get(article, []):
            if words_compatible(word, key.removeprefix(prefix)):
                return key
        return prefix + word

    def _actors(self) -> dict[str, Actor]:
        actors: dict[str, Actor] = {}
        used: Counter[str] = Counter()
        for key, cluster in self.clusters.items():
            actor = _to_actor(cluster, self.registry)
            slug = _slug(actor.name)
            used[slug] += 1
            actor.id = slug if used[slug] == 1 else f"{slug}-{used[slug]}"
            actors[key] = actor
        return actors


def _majority(items: Sequence[Any]) -> Any:
    """Most common item, first seen winning ties (Counter keeps insertion order)."""
    return Counter(items).most_common(1)[0][0] if items else None


def _display_name(cluster: _Cluster) -> str:
    """The registry's name, else the fullest spelling seen (most words, first seen on a tie)."""
    if cluster.entry is not None:
        return cluster.entry.name
    return max(cluster.surfaces, key=lambda s: len(s.split()))


def _to_actor(cluster: _Cluster, registry: ActorRegistry) -> Actor:
    entry = cluster.entry
    title = (entry.title if entry else None) or (cluster.titles[0] if cluster.titles else None)
    country = (entry.country if entry else None) or _majority(cluster.countries)
    if country is None:
        country = next(filter(None, map(registry.country_in, cluster.titles)), None)
    kind: ActorKind = entry.kind if entry else (_majority(cluster.kinds) or "person")
    return Actor(
        name=_display_name(cluster), aliases=list(cluster.surfaces), title=title,
        titles=list(cluster.titles), country=country, kind=kind,
    )


def _slug(name: str) -> str:
    return "-".join(fold_name(name).split()) or "actor"


def resolve_actors(mentions: Iterable[Mention], registry: ActorRegistry) -> ActorIndex:
    """Resolve every mention of one brief at once, in input order (so ids are deterministic);
    see the module docstring for the passes and the surname guard."""
    return _Resolver(registry).run(mentions)
