"""Live queries on the Elasticsearch index.

``search`` ranks as the static index does (FORMAT.md, "Evaluating a query"):
``search.query.plan`` turns the query's words into terms, and one query
scores every post in the node: each word a post holds adds ``MATCHED``
(more than any BM25 sum reaches), each term its BM25 weight in each field,
boosted by ``FIELD_WEIGHTS``. ``live`` is the forgiving query ``serve``
answers: fuzzy words, the title phrase boosted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence

from elasticsearch import Elasticsearch

from search import query as query_plan
from search.engine import FIELD_WEIGHTS, Hit
from search.text import words

Analyze = Callable[[Sequence[str]], dict[str, list[str]]]

MATCHED = 1000.0
EXTRA = 20  # hits beyond the limit, so that ties at the cut are broken by key as the other engine does
MAX_KEYS = 10_000  # completions looked at for a prefix, the most frequent first


class Frequencies(Mapping[str, int]):
    """How many posts hold a term, asked of the node only for the terms a query needs."""

    def __init__(self, client: Elasticsearch, index: str) -> None:
        self.client = client
        self.index = index
        self.known: dict[str, int] = {}

    def __getitem__(self, term: str) -> int:
        if term not in self.known:
            answer = self.client.count(index=self.index, body={"query": any_field(term)})
            self.known[term] = answer["count"]
        return self.known[term]

    def __iter__(self) -> Iterator[str]:
        return iter(self.known)

    def __len__(self) -> int:
        return len(self.known)


def any_field(term: str) -> dict:
    return {"bool": {"should": [{"term": {field: term}} for field in FIELD_WEIGHTS]}}


def weighted(term: str) -> list[dict]:
    return [{"term": {field: {"value": term, "boost": boost}}} for field, boost in FIELD_WEIGHTS.items()]


def keys_starting(client: Elasticsearch, index: str, prefix: str) -> list[str]:
    """The posts' words that start with ``prefix``."""
    pattern = re.sub(r"([^\w])", r"\\\1", prefix) + ".*"
    answer = client.search(
        index=index,
        size=0,
        query={"prefix": {"keys": prefix}},
        aggs={"keys": {"terms": {"field": "keys", "include": pattern, "size": MAX_KEYS}}},
    )
    return sorted(bucket["key"] for bucket in answer["aggregations"]["keys"]["buckets"])


def search(client: Elasticsearch, index: str, analyze: Analyze, query: str, limit: int) -> list[Hit]:
    completions = lambda prefix: keys_starting(client, index, prefix)
    plan = query_plan.plan(query, analyze, completions, Frequencies(client, index))
    clauses = []
    for number, word in enumerate(plan.words):
        per_term = [clause for term, _key in word.terms for clause in weighted(term)]
        if per_term:
            held = {"constant_score": {"filter": {"bool": {"should": per_term}}, "boost": MATCHED}}
            clauses.append({"bool": {"should": [held, *per_term], "_name": f"word{number}"}})
    if not clauses:
        return []
    answer = client.search(index=index, query={"bool": {"should": clauses}}, size=limit + EXTRA, _source=["key"])
    hits = []
    for hit in answer["hits"]["hits"]:
        matched = len(hit.get("matched_queries", []))
        hits.append(Hit(hit["_source"]["key"], hit["_score"] - MATCHED * matched, matched))
    hits.sort(key=lambda hit: (-hit.matched, -hit.score, hit.key))
    return hits[:limit]


def live(client: Elasticsearch, index: str, query: str, limit: int) -> list[dict]:
    """Posts for a query typed into a search box: one typo per word forgiven, the title phrase first."""
    text = " ".join(words(query))
    if not text:
        return []
    fields = [f"{field}^{boost:g}" for field, boost in FIELD_WEIGHTS.items()]
    answer = client.search(
        index=index,
        size=limit,
        _source=["key", "shown_title"],
        query={
            "bool": {
                "should": [
                    {"multi_match": {"query": text, "fields": fields, "type": "most_fields", "fuzziness": "AUTO"}},
                    {"match_phrase": {"title": {"query": text, "boost": 2 * FIELD_WEIGHTS["title"]}}},
                ]
            }
        },
    )
    return [
        {"url": hit["_source"]["key"], "title": hit["_source"]["shown_title"], "score": round(hit["_score"], 4)}
        for hit in answer["hits"]["hits"]
    ]
