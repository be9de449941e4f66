"""The Elasticsearch engine against a real node: index, updates, weights, analysis, live queries."""

from __future__ import annotations

import dataclasses
import time

import pytest

import elasticsearch_node
from core.errors import ToolError
from es_corpus import corpus, document, drop, scratch_engine
from search.engine import FIELD_WEIGHTS
from search.engines import es_index, lucene
from search.engines.elasticsearch import Connection, ElasticsearchEngine, document_id
from search.text import words

pytestmark = pytest.mark.xdist_group("elasticsearch")


@pytest.fixture
def engine(elasticsearch_url):
    engine = scratch_engine(elasticsearch_url)
    yield engine
    drop(engine)


def indexes_behind(engine: ElasticsearchEngine) -> list[str]:
    return sorted(engine.client.indices.get_alias(name=engine.alias))


def test_index_has_one_shard_and_the_english_analyzers(engine):
    engine.update(corpus(3), clean=True)
    (index,) = indexes_behind(engine)
    settings = engine.client.indices.get_settings(index=index)[index]["settings"]["index"]
    assert settings["number_of_shards"] == "1"
    properties = engine.client.indices.get_mapping(index=index)[index]["mappings"]["properties"]
    for field in FIELD_WEIGHTS:
        assert properties[field]["analyzer"] == "kiln_index"
        assert properties[field]["search_analyzer"] == "kiln_search"
    tokens = engine.client.indices.analyze(
        index=index, body={"analyzer": "kiln_index", "text": "the servers were running postgres"}
    )["tokens"]
    # stop words gone, Porter stems, and the synonym stacked on the word's own position
    assert [(t["token"], t["position"]) for t in tokens] == [
        ("server", 1),
        ("were", 2),
        ("run", 3),
        ("postgr", 4),
        ("postgresql", 4),
    ]


def test_analyze_gives_the_query_terms_of_each_word(engine):
    engine.update(corpus(3), clean=True)
    terms = engine.analyze(["caching", "cached", "the", "databases", "postgres", "café", "k8s", "x" * 1500])
    assert terms["caching"] == terms["cached"] == ["cach"]
    assert terms["the"] == []  # a stop word makes no term
    assert terms["databases"] == ["databas"]
    assert terms["postgres"] == ["postgr"]  # synonyms are applied to posts, not to queries
    assert terms["café"] == ["café"]
    assert terms["k8s"] == ["k8"]  # Porter takes the plural s off
    assert terms["x" * 1500] == sorted(["x" * 1024, "x" * 476])  # split as the tokenizer splits a long word


def test_clean_update_swaps_a_fresh_index_in_and_deletes_the_old_one(engine):
    posts = corpus(5)
    engine.update(posts, clean=True)
    (first,) = indexes_behind(engine)
    result = engine.update(posts[:3], clean=True)
    (second,) = indexes_behind(engine)
    assert result.added == 3
    assert second != first
    assert not engine.client.indices.exists(index=first)
    assert engine.client.count(index=engine.alias)["count"] == 3


def test_a_first_update_without_clean_creates_the_index(engine):
    result = engine.update(corpus(4))
    assert result.added == 4
    assert engine.client.count(index=engine.alias)["count"] == 4


def test_incremental_update_sends_only_changed_and_deleted_posts(engine):
    posts = corpus(6)
    engine.update(posts, clean=True)
    (index,) = indexes_behind(engine)
    edited = dataclasses.replace(posts[1], body="winter garden bread", digest="edited")
    new = document("/plog/new/", "Brand new", "coffee at the river")
    result = engine.update([posts[0], edited, *posts[3:], new])
    assert (result.added, result.changed, result.removed, result.unchanged) == (1, 1, 1, 4)
    assert indexes_behind(engine) == [index]  # updated in place, not rebuilt

    def version(post):
        return engine.client.get(index=engine.alias, id=document_id(post.key))["_version"]

    assert version(posts[0]) == 1 and version(posts[3]) == 1  # unchanged posts were not sent
    assert version(edited) == 2
    assert not engine.client.exists(index=engine.alias, id=document_id(posts[2].key))
    assert {hit.key for hit in engine.search("winter garden bread")} >= {edited.key}
    stats = engine.client.indices.stats(index=index, metric="docs")["indices"][index]["primaries"]["docs"]
    assert stats == {"count": 6, "deleted": 0}  # the force merge dropped the old versions


def test_an_update_with_nothing_changed_sends_nothing(engine):
    posts = corpus(4)
    engine.update(posts, clean=True)
    result = engine.update(posts)
    assert (result.added, result.changed, result.removed, result.unchanged) == (0, 0, 0, 4)
    assert all(engine.client.get(index=engine.alias, id=document_id(p.key))["_version"] == 1 for p in posts)


def test_changed_synonyms_rebuild_the_index(engine, elasticsearch_url):
    posts = [document("/plog/kube/", "Kube notes", "kube everywhere")]
    engine.update(posts, clean=True)
    assert engine.search("orchestrator") == []
    (before,) = indexes_behind(engine)
    wider = ElasticsearchEngine(
        Connection(elasticsearch_url),
        index=engine.alias,
        synonyms=[*es_index.DEFAULT_SYNONYMS, ("kube", "orchestrator")],
    )
    wider.update(posts)  # not clean, but the index was made with other synonyms
    assert indexes_behind(engine) != [before]
    assert [hit.key for hit in wider.search("orchestrator")] == ["/plog/kube/"]


def test_weights_are_the_scores_the_node_gives(engine):
    """Every weight is what the node scores for that term alone in that post, lossy field lengths included."""
    posts = corpus(40)
    engine.update(posts, clean=True)
    weights = list(engine.weights())
    assert weights == sorted(weights, key=lambda w: (w[0], w[1]))
    by_post: dict[str, dict[str, float]] = {}
    for term, key, weight in weights:
        by_post.setdefault(key, {})[term] = weight
    long_posts = [p for p in posts if len(p.body.split()) > 24]
    assert len(long_posts) > 10  # their lengths are stored in one lossy byte
    for post in posts:
        for term, weight in by_post[post.key].items():
            query = {
                "bool": {
                    "should": [{"term": {f: {"value": term, "boost": b}}} for f, b in FIELD_WEIGHTS.items()],
                    "filter": {"ids": {"values": [document_id(post.key)]}},
                }
            }
            (hit,) = engine.client.search(index=engine.alias, query=query)["hits"]["hits"]
            assert hit["_score"] == pytest.approx(weight, rel=1e-5), (term, post.key)


def test_every_term_of_a_post_has_a_weight(engine):
    posts = corpus(10)
    engine.update(posts, clean=True)
    terms_of = {}
    for term, key, _ in engine.weights():
        terms_of.setdefault(key, set()).add(term)
    for post in posts:
        analysed = engine.client.indices.analyze(
            index=engine.alias,
            body={"analyzer": "kiln_index", "text": " ".join(words(" ".join(post.fields().values())))},
        )
        assert terms_of[post.key] == {token["token"] for token in analysed["tokens"]}


def test_incremental_and_clean_updates_report_the_same_weights(engine, elasticsearch_url):
    posts = corpus(30, seed=11)
    engine.update(posts, clean=True)
    edited = [dataclasses.replace(p, body=p.body + " winter river", digest=p.digest + "x") for p in posts[:5]]
    final = [*edited, *posts[5:25], document("/plog/late/", "Late post", "mountain coffee and bread")]
    engine.update(final)
    incremental = list(engine.weights())
    fresh = scratch_engine(elasticsearch_url)
    try:
        fresh.update(final, clean=True)
        assert incremental == list(fresh.weights())
    finally:
        drop(fresh)


def test_live_search_ranks_posts_holding_more_query_words_first(engine):
    posts = [
        document("/plog/both/", "Notes", "bread once, oven once, and a long tail " + "filler " * 30),
        document("/plog/bread/", "Bread bread bread", "bread bread bread"),
        document("/plog/none/", "Garden", "tomatoes"),
    ]
    engine.update(posts, clean=True)
    hits = engine.search("bread oven")
    assert [hit.key for hit in hits] == ["/plog/both/", "/plog/bread/"]
    assert hits[1].score > hits[0].score  # fewer words matched, higher BM25: still second


def test_synonyms_find_posts_both_ways(engine):
    posts = [
        document("/plog/pg/", "Tuning PostgreSQL", "shared buffers"),
        document("/plog/k8s/", "Notes", "we run kubernetes at work"),
        document("/plog/js/", "JS tricks", "closures"),
    ]
    engine.update(posts, clean=True)
    assert [hit.key for hit in engine.search("postgres")] == ["/plog/pg/"]
    assert [hit.key for hit in engine.search("k8s")] == ["/plog/k8s/"]
    assert [hit.key for hit in engine.search("javascript")] == ["/plog/js/"]


def test_extra_synonyms_come_from_the_site_owners_file(engine, tmp_path, elasticsearch_url):
    rules = tmp_path / "synonyms.txt"
    rules.write_text("# mine\nDjango, DRF\ncafé, coffee shop  # a phrase too\n", encoding="utf-8")
    groups = es_index.read_synonyms(rules, words)
    mine = ElasticsearchEngine(
        Connection(elasticsearch_url), index=engine.alias, synonyms=[*es_index.DEFAULT_SYNONYMS, *groups]
    )
    mine.update([document("/plog/drf/", "DRF serializers", "fields"), document("/plog/cafe/", "Café", "tea")])
    assert [hit.key for hit in mine.search("django")] == ["/plog/drf/"]
    assert [hit.key for hit in mine.search("postgresql")] == []
    assert [hit.key for hit in mine.search("shop")] == ["/plog/cafe/"]


def test_a_bad_synonym_line_names_the_file_and_line(tmp_path):
    rules = tmp_path / "synonyms.txt"
    rules.write_text("js, javascript\nlonely\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"synonyms.txt:2: a synonym line names two or more words"):
        es_index.read_synonyms(rules, str.split)


def test_a_node_that_does_not_answer_fails_fast_and_clearly():
    url = f"http://127.0.0.1:{elasticsearch_node.free_port()}"
    engine = ElasticsearchEngine(Connection(url, timeout=2))
    started = time.monotonic()
    with pytest.raises(ToolError) as caught:
        engine.update(corpus(2))
    assert time.monotonic() - started < 5
    message = str(caught.value)
    assert url in message and "did not answer" in message and "KILN_ELASTICSEARCH_URL" in message


def test_a_url_that_is_not_an_elasticsearch_fails_clearly(elasticsearch_url):
    engine = ElasticsearchEngine(Connection(f"{elasticsearch_url}/not-here", timeout=2))
    with pytest.raises(ToolError, match=r"/not-here does not answer as a cluster's root URL does .*_URL right\?"):
        engine.update(corpus(2))


def test_a_server_that_keeps_deleted_posts_gets_a_fresh_index_instead(elasticsearch_url):
    """Elasticsearch 8 cannot turn soft deletes off: deleted posts would linger in the statistics."""
    engine = ElasticsearchEngine(
        Connection(elasticsearch_url), index=scratch_engine(elasticsearch_url).alias, hard_deletes=False
    )
    try:
        posts = corpus(12, seed=5)
        engine.update(posts, clean=True)
        (before,) = indexes_behind(engine)
        # as a server does that keeps the recent history of every shard for its replicas
        engine.client.indices.put_settings(index=before, body={"index.soft_deletes.retention.operations": 1000})
        result = engine.update(posts[2:])
        assert result.removed == 2
        (after,) = indexes_behind(engine)
        assert after != before
        stats = engine.client.indices.stats(index=after, metric="docs")["indices"][after]["primaries"]["docs"]
        assert stats == {"count": 10, "deleted": 0}
        fresh = scratch_engine(elasticsearch_url)
        try:
            fresh.update(posts[2:], clean=True)
            assert list(engine.weights()) == list(fresh.weights())
        finally:
            drop(fresh)
    finally:
        drop(engine)


def test_field_lengths_are_read_back_as_lucene_stores_them(engine):
    """The node's own explanation of a score names the length it used: the one ``stored_length`` gives."""
    lengths = [1, 5, 23, 24, 25, 31, 40, 57, 100, 257, 1000]
    posts = [
        document(f"/plog/len-{n}/", "Lengths", " ".join(["marker", *(f"filler{i}" for i in range(n - 1))]))
        for n in lengths
    ]
    engine.update(posts, clean=True)
    used = {}
    for n, post in zip(lengths, posts, strict=True):
        explained = engine.client.explain(
            index=engine.alias, id=document_id(post.key), body={"query": {"term": {"body": "marker"}}}
        )
        used[n] = next(
            int(d["value"]) for d in _details(explained["explanation"]) if d["description"].startswith("dl,")
        )
    assert used == {n: lucene.stored_length(n) for n in lengths}
    assert used[23] == 23 and used[1000] < 1000  # exact up to 23, lossy beyond


def _details(node: dict):
    yield node
    for child in node.get("details", []):
        yield from _details(child)
