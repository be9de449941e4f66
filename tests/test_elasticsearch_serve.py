"""`build.py serve` with Elasticsearch: a live JSON endpoint for forgiving queries."""

from __future__ import annotations

import json
import uuid

import pytest

from search.engines.elasticsearch import Connection, ElasticsearchEngine
from test_serve import get, serving

pytestmark = pytest.mark.xdist_group("elasticsearch")


@pytest.fixture
def es_server(site, elasticsearch_url):
    site.write("brew.md", "---\ntitle: Cold brew coffee\ndate: 2024-01-01\n---\nNotes from the kitchen.\n")
    # the same words in its title, and more of them in its body, but not the phrase
    site.write("notes.md", "---\ntitle: Coffee brew cold\ndate: 2024-01-02\n---\nCold coffee brew, cold coffee brew.\n")
    site.write("pg.md", "---\ntitle: Vacuum\ndate: 2024-01-03\n---\nPostgreSQL autovacuum settings.\n")
    alias = f"kiln-serve-{uuid.uuid4().hex[:12]}"
    try:
        env = {"KILN_ELASTICSEARCH_URL": elasticsearch_url, "KILN_ELASTICSEARCH_INDEX": alias}
        with serving(site, env=env, timeout=60) as base:
            yield base
    finally:
        engine = ElasticsearchEngine(Connection(elasticsearch_url), index=alias)
        engine.client.indices.delete(index=f"{alias}-*", ignore_unavailable=True)


def answer(base: str, query: str) -> dict:
    status, body = get(f"{base}/search/live.json?q={query}")
    assert status == 200, body
    return json.loads(body)


def test_live_endpoint_forgives_typos_and_puts_the_title_phrase_first(es_server):
    typo = answer(es_server, "postgresq")
    assert [result["url"] for result in typo["results"]] == ["/plog/pg/"]
    assert typo["results"][0]["title"] == "Vacuum"
    phrase = answer(es_server, "cold+brew+coffee")
    assert [result["url"] for result in phrase["results"]][:2] == ["/plog/brew/", "/plog/notes/"]
    assert answer(es_server, "")["results"] == []
