"""The static index writer: an engine's weights into FORMAT.md's JSON files.

``write`` is a pure function of the documents, their metadata and the
engine's analysis and weights: the same input gives byte-identical files, and
each file is named by the hash of its bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from . import query
from .documents import PostMeta
from .engine import Document
from .text import deletions, shard_name, words

VERSION = 1
SCALE = 100
BLOCK = 8  # posts per metadata block
SHARD_BYTES = 16 * 1024  # a term shard is split while its JSON is larger than this
WORD_SHARD_BYTES = 4 * 1024  # and a word shard (smaller: a typo reads three or more)
TYPO_MIN = 5
TYPO_QUERY = 4
ENTRY = "index.json"


@dataclass
class StaticIndex:
    entry: bytes
    files: dict[str, bytes] = field(default_factory=dict)  # "w-<hash>.json" -> bytes

    def names(self) -> list[str]:
        return sorted(self.files)


def dumps(value: object) -> bytes:
    """FORMAT.md's JSON: sorted keys, no spaces, UTF-8, and nothing an HTML parser could take for markup."""
    return _safe(json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False))


def _safe(text: str) -> bytes:
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text.encode()


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def quantize(weight: float) -> int:
    """A weight as FORMAT.md stores it: ``floor(weight * scale + 0.5)``."""
    return int(weight * SCALE + 0.5)


def category_order(name: str) -> tuple[str, str]:
    return (name.casefold(), name)


def write(
    documents: Sequence[Document],
    metas: Sequence[PostMeta],
    analyze: Callable[[Sequence[str]], dict[str, list[str]]],
    postings: Callable[[Mapping[str, int], int], Iterable[tuple[str, int, str]]],
    *,
    engine: str,
    stemmer: str | None = "porter",
    keys: Iterable[str] | None = None,
    extra_keys: Iterable[str] = (),
) -> StaticIndex:
    """The files of FORMAT.md for ``documents``.

    ``keys`` are the keys of every document, when the caller has them at hand
    (FTS5 keeps them); by default they are cut from the documents here.
    ``extra_keys`` are words the engine matches that no post may use
    (``Engine.vocabulary``: Elasticsearch's synonyms).
    """
    ordered = sorted(metas, key=lambda meta: (meta.order, meta.key))
    number = {meta.key: n for n, meta in enumerate(ordered)}
    index = StaticIndex(entry=b"")

    def add(kind: str, value: object) -> str:
        return add_bytes(kind, dumps(value))

    def add_bytes(kind: str, data: bytes) -> str:
        digest = content_hash(data)
        index.files[f"{kind}-{digest}.json"] = data
        return digest

    # each term's postings as the JSON text of its list: a string per term, not a list of numbers
    encoded = {}
    frequencies = {}
    for term, df, text in postings(number, SCALE):
        encoded[term] = text
        frequencies[term] = df
    if keys is None:
        keys = {key for doc in documents for text in doc.fields().values() for key in words(text)}
    keys = set(keys) | {key for extra in extra_keys for key in words(extra)}
    vocabulary = _vocabulary(sorted(keys), analyze, frequencies)

    word_shards: dict[str, dict[str, dict]] = defaultdict(lambda: {"deletes": {}, "df": {}, "words": {}})
    for key, terms in vocabulary.items():
        shard = word_shards[shard_name(key)]
        shard["words"][key] = terms
        for term in terms:
            shard["df"][term] = frequencies[term]
        if len(key) >= TYPO_MIN:
            for deleted in deletions(key):
                word_shards[shard_name(deleted)]["deletes"].setdefault(deleted, []).append(key)
    for shard in word_shards.values():
        for keys in shard["deletes"].values():
            keys.sort()
    # a small site's words fit one file; a big one's are split by prefix (FORMAT.md, "A word shard")
    word_sizes = {name: len(dumps(shard)) for name, shard in word_shards.items()}
    word_hashes = {
        prefix: add("w", _merge([word_shards[name] for name in names]))
        for prefix, names in _group(word_sizes, WORD_SHARD_BYTES).items()
    }

    quoted = {term: json.dumps(term, ensure_ascii=False) for term in encoded}
    term_sizes = {term: len(quoted[term]) + len(text) + 2 for term, text in encoded.items()}
    term_hashes = {}
    for prefix, terms in _group(term_sizes, SHARD_BYTES).items():
        # what dumps() makes of {term: list}: sorted keys, no spaces, from the texts as they are
        term_hashes[prefix] = add_bytes(
            "t", _safe("{" + ",".join(f"{quoted[t]}:{encoded[t]}" for t in sorted(terms)) + "}")
        )

    categories = sorted({name for meta in ordered for name in meta.categories}, key=category_order)
    category_number = {name: n for n, name in enumerate(categories)}
    blocks = []
    for start in range(0, len(ordered), BLOCK):
        shown = [
            {"date": meta.date, "summary": meta.summary, "title": meta.title, "url": meta.url}
            for meta in ordered[start : start + BLOCK]
        ]
        blocks.append(add("m", shown))

    index.entry = dumps(
        {
            "block": BLOCK,
            "categories": categories,
            "engine": engine,
            "meta": blocks,
            "postCategories": [sorted(category_number[name] for name in meta.categories) for meta in ordered],
            "posts": len(ordered),
            "prefix": {"min": query.PREFIX_MIN, "terms": query.PREFIX_TERMS},
            "scale": SCALE,
            "stemmer": stemmer,
            "terms": term_hashes,
            "typo": {"min": TYPO_MIN, "query": TYPO_QUERY},
            "version": VERSION,
            "words": word_hashes,
        }
    )
    return index


def _vocabulary(
    keys: list[str],
    analyze: Callable[[Sequence[str]], dict[str, list[str]]],
    frequencies: dict[str, int],
) -> dict[str, list[str]]:
    """Every key -> its terms that have postings (keys with none are left out)."""
    analysed = analyze(keys)
    vocabulary = {}
    for key in keys:
        terms = sorted({term for term in analysed[key] if term in frequencies})
        if terms:
            vocabulary[key] = terms
    return vocabulary


def _merge(shards: list[dict[str, dict]]) -> dict[str, dict]:
    """One word shard holding the keys, terms and deletion keys of ``shards`` (whose names differ)."""
    merged: dict[str, dict] = {"deletes": {}, "df": {}, "words": {}}
    for shard in shards:
        for part, values in shard.items():
            merged[part].update(values)
    return merged


def _group(sizes: dict[str, int], limit: int) -> dict[str, list[str]]:
    """Prefix -> the names (terms, or word shard names) of its file: a name is in its longest listed prefix's file.

    A prefix whose names are too big for one file gives its biggest next-letter
    groups files of their own (split the same way) until the rest fits.
    """
    shards: dict[str, list[str]] = {}

    def split(prefix: str, names: list[str]) -> None:
        if sum(sizes[t] for t in names) <= limit:
            shards[prefix] = names
            return
        children: dict[str, list[str]] = defaultdict(list)
        kept = []
        for name in names:
            if name == prefix:
                kept.append(name)
            else:
                children[name[: len(prefix) + 1]].append(name)
        remaining = sum(sizes[t] for t in kept) + sum(sizes[t] for group in children.values() for t in group)
        for child in sorted(children, key=lambda c: (-sum(sizes[t] for t in children[c]), c)):
            if remaining <= limit:
                kept.extend(children[child])
                continue
            remaining -= sum(sizes[t] for t in children[child])
            split(child, children[child])
        if kept:
            shards[prefix] = sorted(kept)

    split("", sorted(sizes))
    return dict(sorted(shards.items()))
