"""Posts made up for the Elasticsearch tests, and an engine on a scratch alias of the test node."""

from __future__ import annotations

import hashlib
import random
import uuid

from search.engine import Document
from search.engines.elasticsearch import Connection, ElasticsearchEngine

VOCABULARY = (
    "cache caching cached database databases index indexes query queries postgres postgresql python django "
    "template templates render rendering server servers deploy deploying kubernetes k8s cluster clusters "
    "javascript js browser golang go travel coffee cafe café wifi garden gardening bread baking oven "
    "running runner shoes mountain river winter summer the and of a to in is it that"
).split()


def document(key: str, title: str, body: str, keywords: tuple[str, ...] = (), categories: tuple[str, ...] = ()):
    digest = hashlib.sha256(repr((key, title, keywords, categories, body)).encode()).hexdigest()
    return Document(key, title, keywords, categories, body, digest)


def corpus(count: int, seed: int = 7) -> list[Document]:
    """``count`` posts of 3 to 400 words: short fields are stored exactly, long ones lossily."""
    rng = random.Random(seed)
    posts = []
    for number in range(count):
        length = rng.choice([3, 8, 23, 24, 25, 40, 97, 150, 400])
        body = " ".join(rng.choice(VOCABULARY) for _ in range(length))
        title = " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(1, 6))).capitalize()
        keywords = tuple(rng.sample(VOCABULARY[:40], rng.randint(0, 3)))
        categories = tuple(rng.sample(["Django", "Travel", "Food", "Ops"], rng.randint(0, 2)))
        posts.append(document(f"/plog/post-{number:03d}/", title, body, keywords, categories))
    return posts


def scratch_engine(url: str, **options) -> ElasticsearchEngine:
    """An engine on an alias no other test uses."""
    return ElasticsearchEngine(Connection(url), index=f"kiln-test-{uuid.uuid4().hex[:12]}", **options)


def drop(engine: ElasticsearchEngine) -> None:
    """Delete every index the engine's alias ever named."""
    engine.client.indices.delete(index=f"{engine.alias}-*", ignore_unavailable=True)
