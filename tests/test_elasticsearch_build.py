"""Builds whose search index Elasticsearch makes: the static files, held to the live node.

The static files are read with the reference client (``search_reference``),
written from FORMAT.md alone, as a browser reads them.
"""

from __future__ import annotations

import json
import random
import uuid

import pytest

import elasticsearch_node
from conftest import Site, fails_cleanly, snapshot
from es_corpus import VOCABULARY
from search.engines.elasticsearch import Connection, ElasticsearchEngine
from search_reference import StaticSearch

pytestmark = pytest.mark.xdist_group("elasticsearch")


def es_env(url: str, alias: str) -> dict[str, str]:
    return {"KILN_ELASTICSEARCH_URL": url, "KILN_ELASTICSEARCH_INDEX": alias}


def post(site: Site, slug: str, title: str, body: str, day: int, keywords=(), categories=()) -> None:
    site.write(
        f"{slug}.md",
        f"---\ntitle: {title}\ndate: 2024-01-{day:02d}\nkeywords: {json.dumps(list(keywords))}\n"
        f"categories: {json.dumps(list(categories))}\n---\n{body}\n",
    )


def write_corpus(site: Site, count: int, seed: int) -> None:
    rng = random.Random(seed)
    for number in range(count):
        body = " ".join(rng.choice(VOCABULARY) for _ in range(rng.choice([6, 20, 30, 80, 200])))
        title = " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(1, 5))).capitalize()
        keywords = rng.sample(VOCABULARY[:40], rng.randint(0, 2))
        categories = rng.sample(["Django", "Travel", "Food"], rng.randint(0, 2))
        post(site, f"post-{number:03d}", title, body, 1 + number % 28, keywords, categories)


@pytest.fixture
def alias(elasticsearch_url):
    name = f"kiln-build-{uuid.uuid4().hex[:12]}"
    yield name
    engine = ElasticsearchEngine(Connection(elasticsearch_url), index=name)
    engine.client.indices.delete(index=f"{name}-*", ignore_unavailable=True)
    engine.close()


def static(site: Site) -> StaticSearch:
    return StaticSearch(site.out / "search")


def found(site: Site, query: str) -> list[str]:
    index = static(site)
    return [index.meta(result.post)["url"] for result in index.search(query).results]


def test_the_static_index_finds_stems_and_synonyms(site, elasticsearch_url, alias):
    post(site, "pg", "Tuning PostgreSQL", "Shared buffers and caching.", 1)
    post(site, "cached", "Pages", "Everything is cached here.", 2)
    post(site, "k8s", "Cluster notes", "We run Kubernetes at work.", 3)
    post(site, "golang", "Gophers", "Golang channels are neat.", 4)
    site.build(env=es_env(elasticsearch_url, alias))
    assert static(site).entry["engine"] == "elasticsearch"
    assert found(site, "postgres") == ["/plog/pg/"]  # a word no post uses, through the synonym
    assert found(site, "k8s") == ["/plog/k8s/"]
    assert found(site, "go") == ["/plog/golang/"]
    assert sorted(found(site, "caching")) == ["/plog/cached/", "/plog/pg/"]  # cached and caching: one stem
    assert found(site, "the") == []  # a stop word


def test_static_top_ten_is_the_live_query_top_ten(site, elasticsearch_url, alias):
    write_corpus(site, 60, seed=3)
    site.build(env=es_env(elasticsearch_url, alias))
    index = static(site)
    engine = ElasticsearchEngine(Connection(elasticsearch_url), index=alias)
    rng = random.Random(5)
    queries = sorted(set(VOCABULARY)) + [" ".join(rng.sample(VOCABULARY, rng.randint(2, 4))) for _ in range(60)]
    compared = 0
    for query in queries:
        results = index.search(query).results[:10]
        hits = engine.search(query, 10)
        assert len(hits) == len(results), query
        terms = len(query.split())
        for rank, (result, hit) in enumerate(zip(results, hits, strict=True)):
            # the same scores rank by rank: the same posts, up to ties and the rounding of the weights
            assert hit.matched == result.matched, (query, rank)
            assert hit.score == pytest.approx(result.score / 100, abs=0.006 * terms + 1e-3), (query, rank)
        live_posts = {hit.key for hit in hits}
        static_posts = {index.meta(result.post)["url"] for result in results}
        if len(hits) == 10:  # posts tied with the last one, up to rounding, may be cut either way
            tolerance = 0.02 * terms
            tied = {h.key for h in hits if h.score - hits[-1].score <= tolerance}
            tied |= {index.meta(r.post)["url"] for r in results if (r.score - results[-1].score) / 100 <= tolerance}
            live_posts, static_posts = live_posts - tied, static_posts - tied
        assert live_posts == static_posts, query
        compared += bool(hits)
    engine.close()
    assert compared > 70


def test_clean_and_incremental_builds_write_the_same_index_files(tmp_path_factory, elasticsearch_url, alias):
    first = Site(tmp_path_factory.mktemp("incremental"))
    (first.content).mkdir()
    write_corpus(first, 30, seed=9)
    first.build(env=es_env(elasticsearch_url, alias))
    (first.content / "post-004.md").unlink()
    (first.content / "post-007.md").unlink()
    post(first, "post-010", "Rewritten winter river", "coffee coffee bread", 11, ["travel"])
    post(first, "late", "A late post about caching", "kubernetes and postgres", 28, ["cache"], ["Ops"])
    first.build(env=es_env(elasticsearch_url, alias))

    second = Site(tmp_path_factory.mktemp("clean"))
    second.content.mkdir()
    for path in sorted(first.content.glob("*.md")):
        (second.content / path.name).write_bytes(path.read_bytes())
    second.build("--clean", env=es_env(elasticsearch_url, f"{alias}-clean"))
    try:
        incremental, clean = snapshot(first.out / "search"), snapshot(second.out / "search")
        assert len(clean) > 3
        assert incremental == clean
    finally:
        engine = ElasticsearchEngine(Connection(elasticsearch_url), index=f"{alias}-clean")
        engine.client.indices.delete(index=f"{alias}-clean-*", ignore_unavailable=True)


def test_an_unreachable_node_fails_the_build_clearly_and_leaves_out_alone(built, monkeypatch):
    site, before = built
    url = f"http://127.0.0.1:{elasticsearch_node.free_port()}"
    monkeypatch.setenv("KILN_ELASTICSEARCH_URL", url)
    monkeypatch.setenv("KILN_ELASTICSEARCH_TIMEOUT", "2")
    message = fails_cleanly(site, before)
    assert f"Elasticsearch at {url} did not answer" in message
    assert "KILN_ELASTICSEARCH_URL" in message


def test_elasticsearch_url_without_the_kiln_prefix_is_read_too(site, elasticsearch_url, alias):
    post(site, "pg", "Tuning PostgreSQL", "Shared buffers.", 1)
    site.build(env={"ELASTICSEARCH_URL": elasticsearch_url, "KILN_ELASTICSEARCH_INDEX": alias})
    assert static(site).entry["engine"] == "elasticsearch"
