"""BM25 weights from Elasticsearch's own statistics.

``mtermvectors`` with term and field statistics gives, for every post and
field, each term's frequency in the post, the number of posts holding it and
the field's totals; ``lucene.bm25`` turns them into the score the node gives
(with Lucene's one-byte field lengths). The index has one shard and no
deleted documents when this runs, so the statistics are the live posts'.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from elasticsearch import Elasticsearch, helpers

from core.errors import ToolError
from search.engine import FIELD_WEIGHTS
from search.engines import lucene
from search.engines.es_client import LONG_TIMEOUT, document_id

BATCH = 250  # posts per term-vectors request


def scores(client: Elasticsearch, index: str) -> dict[tuple[str, str], float]:
    """The BM25 weight of every (term, key) of the index, from the node's own statistics."""
    keys = {hit["_id"]: hit["_source"]["key"] for hit in _all(client, index)}
    scores: dict[tuple[str, str], float] = defaultdict(float)
    seen_stats: dict[str, tuple[int, int]] = {}
    ids = sorted(keys)
    for start in range(0, len(ids), BATCH):
        answer = client.mtermvectors(
            index=index,
            body={"ids": ids[start : start + BATCH]},
            fields=",".join(FIELD_WEIGHTS),
            term_statistics=True,
            field_statistics=True,
            positions=True,
            offsets=False,
            payloads=False,
            request_timeout=LONG_TIMEOUT,
        )
        for doc in answer["docs"]:
            key = keys[doc["_id"]]
            vectors = doc.get("term_vectors", {})
            for field, boost in FIELD_WEIGHTS.items():
                if field not in vectors:
                    continue
                stats = vectors[field]["field_statistics"]
                pair = (stats["doc_count"], stats["sum_ttf"])
                if seen_stats.setdefault(field, pair) != pair:
                    raise ToolError(f"{index} reports two sets of statistics for {field}: it has several shards")
                field_stats = lucene.FieldStats(*pair)
                terms = vectors[field]["terms"]
                # stacked tokens (synonyms) share a position and do not lengthen the field
                length = len({token["position"] for term in terms.values() for token in term["tokens"]})
                for term, info in terms.items():
                    scores[term, key] += lucene.bm25(
                        info["term_freq"], info["doc_freq"], length, field_stats, boost=boost
                    )
    return scores


def check(client: Elasticsearch, index: str, expected: dict[tuple[str, str], float]) -> None:
    """Ask the node to score a few (term, post) pairs: its scores must be the weights computed here."""
    for (term, key), weight in expected.items():
        query = {
            "bool": {
                "should": [
                    {"term": {field: {"value": term, "boost": boost}}} for field, boost in FIELD_WEIGHTS.items()
                ],
                "filter": {"ids": {"values": [document_id(key)]}},
                "minimum_should_match": 1,
            }
        }
        hits = client.search(index=index, query=query, size=1, _source=False)["hits"]["hits"]
        score = hits[0]["_score"] if hits else 0.0
        if abs(score - weight) > 1e-4 * max(1.0, abs(weight)):
            raise ToolError(
                f"Elasticsearch scores {term!r} in {key} as {score}, but Kiln's BM25 "
                f"gives {weight:.6f}: this server does not score like Elasticsearch 7, so the static index "
                "would not rank as it does"
            )


def _all(client: Elasticsearch, index: str) -> Iterator[dict]:
    return helpers.scan(client, index=index, query={"query": {"match_all": {}}}, _source=["key"], size=1000)
