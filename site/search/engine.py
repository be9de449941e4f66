"""The one interface every search engine implements.

The build hands an engine the published posts as ``Document`` s; the engine
indexes them and then reports, for every term it indexed, the BM25
contribution of that term to each document's score, computed from its own
statistics. The static index writer (``search.static``) turns those weights
into the JSON files the browser reads, so the front end never knows which
engine built them: the embedded SQLite FTS5 engine (the default) or
Elasticsearch (when ``KILN_ELASTICSEARCH_URL`` is set).

An engine's ranking for an OR query is the sum of its per-term weights, so
the browser, summing the same weights, ranks exactly as the engine does.

``search`` takes words (cut as ``search.text.words`` cuts them); a trailing
``*`` makes the last word a prefix being typed. It ranks as FORMAT.md's
"Evaluating a query" says: posts matching more of the query's words first,
then by the sum of the weights of the terms each word stands for
(``search.query.plan`` works those terms out from an engine's vocabulary).
``Hit.matched`` is that number of words.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

# the fields of a document, and how much a match in each counts against the body
FIELD_WEIGHTS: dict[str, float] = {"title": 10.0, "keywords": 5.0, "categories": 5.0, "body": 1.0}


@dataclass(frozen=True)
class Document:
    """One published post, as plain text (never HTML)."""

    key: str  # stable identity: the post's URL path, such as "/plog/hello/"
    title: str
    keywords: tuple[str, ...]
    categories: tuple[str, ...]
    body: str
    digest: str  # hash of the fields above: a document is sent again only when it changed

    def fields(self) -> dict[str, str]:
        return {
            "title": self.title,
            "keywords": " ".join(self.keywords),
            "categories": " ".join(self.categories),
            "body": self.body,
        }


@dataclass(frozen=True)
class Hit:
    key: str
    score: float  # higher is better
    matched: int = 1  # how many of the query's words the post holds


@dataclass(frozen=True)
class Update:
    """What ``Engine.update`` did."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0


class Engine(ABC):
    """A search engine the build indexes posts into."""

    name: str = ""
    # the stemmer a browser applies to a word the posts never use (FORMAT.md), or None
    stemmer: str | None = None

    @abstractmethod
    def update(self, documents: Sequence[Document], *, clean: bool = False, kept: Collection[str] = ()) -> Update:
        """Make the index hold exactly ``documents``, and the documents of the keys ``kept``.

        Only documents whose ``digest`` changed are sent again, and documents
        that are gone are removed; ``clean`` starts from an empty index.
        ``kept`` names documents the index holds already as wanted (``indexed``
        said so), which the caller did not read again.
        """

    def indexed(self) -> Mapping[str, str] | None:
        """Key -> digest of every document the index holds, when the engine can tell cheaply.

        With it, a caller reads and sends only the documents whose digest differs
        (``update``'s ``kept``); None (the default) means send every document.
        """
        return None

    @abstractmethod
    def weights(self) -> Iterator[tuple[str, str, float]]:
        """``(term, key, weight)`` for every indexed term and every document holding it.

        ``term`` is in the engine's analysed form (folded, stemmed), ``weight``
        the term's BM25 contribution to that document's score, with the
        field weights applied. Grouped by term, terms in ascending order (a
        term's documents in any order). The same documents give the same
        weights, however the index got there (clean or incremental).
        """

    def postings(self, numbers: Mapping[str, int], scale: int) -> dict[str, list[int]]:
        """Every term's postings as FORMAT.md writes them: ``[p0, q0, d1, q1, ...]``.

        ``numbers`` gives each document's post number, ``q`` is the weight times
        ``scale``, rounded (``floor(weight * scale + 0.5)``). This default reads
        ``weights``; an engine may compute the same lists faster.
        """
        found = {}
        for term, rows in groupby(self.weights(), key=itemgetter(0)):
            found[term] = flatten(sorted((numbers[key], int(weight * scale + 0.5)) for _term, key, weight in rows))
        return found

    def encoded_postings(self, numbers: Mapping[str, int], scale: int) -> Iterator[tuple[str, int, str]]:
        """``(term, posts holding it, its postings as JSON)`` for every term, terms ascending.

        The JSON is ``postings``' list as FORMAT.md writes it (``[p0,q0,d1,q1,...]``, no spaces), so
        the writer holds a string per term rather than a list of numbers. This default reads
        ``postings``; an engine may stream them one term at a time.
        """
        for term, flat in sorted(self.postings(numbers, scale).items()):
            yield term, len(flat) // 2, json.dumps(flat, separators=(",", ":"))

    @abstractmethod
    def analyze(self, words: Sequence[str]) -> dict[str, list[str]]:
        """The terms the engine makes of each word (as it analyses a query)."""

    @abstractmethod
    def search(self, query: str, limit: int = 10) -> list[Hit]:
        """A live query, any word may match, best first."""

    def vocabulary(self) -> Sequence[str]:
        """Words the engine matches beyond the posts' own (Elasticsearch's synonyms).

        The static index lists them as words too, so a query for "postgres"
        finds a post that only says "postgresql", as the live query does.
        """
        return ()

    def keys(self) -> list[str] | None:
        """Every word (``search.text.words``) of every indexed document, sorted, if the engine keeps them.

        None (the default) lets the static index writer cut them from the documents.
        """
        return None

    def close(self) -> None:  # noqa: B027 - most engines hold nothing to release
        """Release connections and files."""


def flatten(postings: Sequence[tuple[int, int]]) -> list[int]:
    """``(post, q)`` pairs, posts ascending, as FORMAT.md's flat list: each post as the step from the previous."""
    posts = [post for post, _q in postings]
    flat = [0] * (2 * len(posts))
    flat[0::2] = [post - previous for post, previous in zip(posts, [0, *posts[:-1]], strict=True)]
    flat[1::2] = [q for _post, q in postings]
    return flat


def encode(postings: Iterable[tuple[int, int]]) -> str:
    """``flatten`` written as JSON with no spaces (what ``json.dumps`` makes of it), without the list."""
    return "[" + ",".join(map(str, flatten(list(postings)))) + "]"
