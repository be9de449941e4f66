"""A reference client for the static search index, written from site/search/FORMAT.md alone.

It reads the files as a browser would (the entry, then only the shards a
query needs) and evaluates queries by FORMAT.md's rules, so the tests can
hold the files to the engine's own ranking. It shares no code with the
writer on purpose.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if unicodedata.category(c) != "Mn")


def words(text: str) -> list[str]:
    found, current = [], ""
    for c in fold(text):
        if unicodedata.category(c)[0] in "LN":
            current += c
        elif current:
            found.append(current)
            current = ""
    return found + [current] if current else found


def osa(a: str, b: str) -> int:
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


@dataclass
class Result:
    post: int
    matched: int
    score: int


@dataclass
class Answer:
    results: list[Result]
    corrected: str | None = None  # the "Showing results for" text
    terms: list[set[str]] = field(default_factory=list)


class StaticSearch:
    """The files under a site's ``search/`` folder (or a function reading them by path,
    such as an HTTP client), read lazily; ``fetched`` lists what was read."""

    def __init__(self, source: Path | Callable[[str], bytes], stem: Callable[[str], str | None] | None = None) -> None:
        self.load = source if callable(source) else lambda relative: (source / relative).read_bytes()
        self.fetched: list[str] = []
        self.entry = self._read("index.json")
        assert self.entry["version"] == 1
        self.stem = stem

    def _read(self, relative: str) -> object:
        self.fetched.append(relative)
        return json.loads(self.load(relative))

    def _file(self, kind: str, listed: dict[str, str], name: str) -> dict | None:
        """The file of ``name``: the one of its longest listed prefix, if any."""
        prefixes = [p for p in listed if name.startswith(p)]
        return self._read(f"index/{kind}-{listed[max(prefixes, key=len)]}.json") if prefixes else None

    def words_shard(self, name: str) -> dict | None:
        """The word shard holding the keys of shard name ``name`` (a key's first two code points)."""
        return self._file("w", self.entry["words"], name[:2])

    def postings(self, term: str) -> dict[int, int]:
        shard = self._file("t", self.entry["terms"], term)
        if shard is None:
            return {}
        flat = shard.get(term, [])
        found, post = {}, 0
        for i in range(0, len(flat), 2):
            post += flat[i]
            found[post] = flat[i + 1]
        return found

    def meta(self, post: int) -> dict:
        block = self.entry["block"]
        return self._read(f"index/m-{self.entry['meta'][post // block]}.json")[post % block]

    def categories(self, post: int) -> list[str]:
        return [self.entry["categories"][i] for i in self.entry["postCategories"][post]]

    # --- FORMAT.md, "Evaluating a query" ----------------------------------------------------

    def _terms(self, key: str, last_open: bool) -> tuple[set[str], str | None]:
        shard = self.words_shard(key[:2]) or {"words": {}, "df": {}, "deletes": {}}
        terms = set(shard["words"].get(key, []))
        if not terms and self.entry["stemmer"] == "porter" and self.stem is not None:
            stemmed = self.stem(key)
            if stemmed in shard["df"]:
                terms = {stemmed}
        if last_open and len(key) >= self.entry["prefix"]["min"]:
            found = {t for w, ts in shard["words"].items() if w.startswith(key) for t in ts}
            best = sorted(found, key=lambda t: (-shard["df"][t], t))[: self.entry["prefix"]["terms"]]
            terms |= set(best)
        if terms or len(key) < self.entry["typo"]["query"]:
            return terms, None
        return self._correct(key)

    def _correct(self, key: str) -> tuple[set[str], str | None]:
        probes = {key, key[1:], key[0] + key[2:]}
        shards = {name: self.words_shard(name) for name in sorted({p[:2] for p in probes})}
        candidates = set()
        for shard in shards.values():
            if shard:
                candidates |= set(shard["words"])
        for probe in probes:
            shard = shards[probe[:2]]
            if shard:
                candidates |= set(shard["deletes"].get(probe, []))
        kept = [w for w in candidates if len(w) >= self.entry["typo"]["min"] and osa(key, w) == 1]
        if not kept:
            return set(), None
        terms_of = {}
        for w in kept:
            shard = shards.get(w[:2]) or self.words_shard(w[:2])
            terms_of[w] = (shard["words"][w], max(shard["df"][t] for t in shard["words"][w]))
        ranked = sorted(kept, key=lambda w: (-terms_of[w][1], w))[:10]
        return {t for w in ranked for t in terms_of[w][0]}, ranked[0]

    def search(self, text: str, *, open_last: bool = False) -> Answer:
        keys = list(dict.fromkeys(words(text)))
        sets, shown, corrected = [], [], False
        for i, key in enumerate(keys):
            terms, correction = self._terms(key, open_last and i == len(keys) - 1)
            sets.append(terms)
            shown.append(correction or key)
            corrected = corrected or correction is not None
        matched: dict[int, int] = {}
        score: dict[int, int] = {}
        for terms in sets:
            holders: set[int] = set()
            for term in sorted(terms):
                for post, q in self.postings(term).items():
                    score[post] = score.get(post, 0) + q
                    holders.add(post)
            for post in holders:
                matched[post] = matched.get(post, 0) + 1
        ranked = sorted(matched, key=lambda p: (-matched[p], -score[p], -p))
        return Answer([Result(p, matched[p], score[p]) for p in ranked], " ".join(shown) if corrected else None, sets)
