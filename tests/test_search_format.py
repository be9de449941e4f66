"""FORMAT.md's worked example is what the writer writes for its five posts, on real FTS5."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from conftest import PROJECT
from search import static
from search.documents import PostMeta
from search.engine import Document
from search.fts5 import FTS5Engine

FORMAT = (PROJECT / "site" / "search" / "FORMAT.md").read_text()
POSTS = [
    ("/plog/caching-basics/", "2024-01-05", "Caching basics", ["cache"], ["Django"], "We cached every page."),
    ("/plog/cafe-wifi/", "2024-02-10", "Café wifi", [], ["Travel"], "Slow wifi at the cafe."),
    (
        "/plog/postgres-tuning/",
        "2024-03-01",
        "Postgres tuning",
        ["postgres"],
        ["Django", "PostgreSQL"],
        "Shared buffers first.",
    ),
    ("/plog/packing-list/", "2024-04-12", "Packing list", [], ["Travel"], "Socks, charger, passport."),
    ("/plog/django-signals/", "2024-05-20", "Django signals", ["django"], ["Django"], "Signals fire after save."),
]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    documents = [
        Document(key, title, tuple(kw), tuple(cats), body, hashlib.sha256(body.encode()).hexdigest())
        for key, _date, title, kw, cats, body in POSTS
    ]
    metas = [PostMeta(key, date, key, title, date, tuple(cats), body) for key, date, title, _kw, cats, body in POSTS]
    engine = FTS5Engine(tmp_path_factory.mktemp("format") / "fts5.sqlite")
    engine.update(documents)
    index = static.write(documents, metas, engine.analyze, engine.encoded_postings, engine="fts5", keys=engine.keys())
    entry = json.loads(index.entry)

    def file(kind: str, digest: str) -> object:
        return json.loads(index.files[f"{kind}-{digest}.json"])

    return entry, file


def blocks() -> list[str]:
    return re.findall(r"```json\n(.*?)\n```", FORMAT, re.S)


def test_the_example_table_is_the_fixture():
    for key, date, title, keywords, categories, body in POSTS:
        row = f"| {key} | {date} | {title} | {', '.join(keywords)} | {', '.join(categories)} | {body} |"
        assert row.replace("|  |", "| |") in FORMAT, row


def test_the_entry_file_example(written):
    entry, _file = written
    shown = json.loads(blocks()[0])
    assert shown.keys() == entry.keys()
    for name in ("block", "categories", "engine", "postCategories", "posts", "prefix", "scale", "stemmer", "typo"):
        assert shown[name] == entry[name], name
    assert list(entry["terms"]) == list(shown["terms"]) == [""]
    assert list(entry["words"]) == list(shown["words"]) == [""]
    assert len(entry["meta"]) == len(shown["meta"]) == 1


def test_the_shard_examples(written):
    entry, file = written
    assert list(entry["words"]) == [""], "five posts' words fit one shard"
    words = file("w", entry["words"][""])
    for part, excerpt in json.loads(blocks()[1]).items():
        assert excerpt == {key: words[part][key] for key in excerpt}, part
    assert {key for key in words["words"] if key.startswith("ca")} == set(json.loads(blocks()[1])["words"])
    excerpt = json.loads(blocks()[2].replace(", ...}", "}"))
    shard = file("t", entry["terms"][""])
    assert excerpt == {term: shard[term] for term in excerpt}
    meta = json.loads(blocks()[3].replace(", ...]", "]"))
    assert meta == file("m", entry["meta"][0])[: len(meta)]
    assert words["deletes"]["aching"] == ["caching"]
