#!/usr/bin/env python3
"""Measure the static search index on the benchmark corpus and print the figures.

    .venv/bin/python bench/search_index.py [--posts 4000] [--work /tmp/kiln-search-bench]
                                           [--make-corpus ../shared/bench/make_corpus.py]

Writes the corpus (once), builds it with ``build.py`` (once, so the database
is synced), then in this process times the search stage from nothing (index
the posts into FTS5 and write the static files) and with nothing changed,
and prints: the number and total size of the index files (raw and gzipped),
and the gzipped bytes a first query downloads (the entry file, the shards it
reads and the metadata blocks of its first 10 results), for one-word,
two-word and one-typo queries drawn from the corpus, and for the typo
queries of ``bench/search.py`` (``bench/typos.py``) the share whose intended
post is in the top 10, misspelt and spelt right. The queries are read with
the reference client of the tests (``tests/search_reference.py``).
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6, mtime=0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=4000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/kiln-search-bench"))
    parser.add_argument("--make-corpus", type=Path, default=PROJECT.parent / "shared" / "bench" / "make_corpus.py")
    args = parser.parse_args()
    work = args.work.resolve()
    content, cache, out = work / "content", work / "cache", work / "out"
    if not content.is_dir():
        subprocess.run([sys.executable, str(args.make_corpus), str(content), "--posts", str(args.posts)], check=True)
    if not (cache / "kiln.sqlite3").is_file():
        command = [sys.executable, str(PROJECT / "build.py"), "--content", str(content), "--out", str(out)]
        subprocess.run([*command, "--cache", str(cache), "--base-url", "https://bench.example.com"], check=True)

    sys.path[:0] = [str(PROJECT / "site"), str(PROJECT / "tests"), str(PROJECT / "bench")]
    os.environ.update(
        KILN_CONTENT_DIR=str(content), KILN_CACHE_DIR=str(cache), DJANGO_SETTINGS_MODULE="config.settings"
    )
    import django

    django.setup()
    from typos import misspell, typo_queries

    from search import stage
    from search.fts5 import FTS5Engine
    from search_reference import StaticSearch

    start, cpu = time.perf_counter(), time.process_time()
    stage.refresh(clean=True)
    print(f"search stage from nothing: {time.perf_counter() - start:.2f} s ({time.process_time() - cpu:.2f} s CPU)")
    start = time.perf_counter()
    stage.refresh()
    print(f"search stage, nothing changed: {time.perf_counter() - start:.3f} s")

    folder = stage.files_folder()
    files = sorted(folder.iterdir())
    raw = sum(p.stat().st_size for p in files)
    packed = sum(gz(p.read_bytes()) for p in files)
    kinds = {kind: len([p for p in files if p.name.startswith(kind + "-")]) for kind in "wtm"}
    print(
        f"index files: {len(files)} ({kinds['w']} word shards, {kinds['t']} term shards, {kinds['m']} metadata blocks)"
    )
    entry = gz((folder / "index.json").read_bytes())
    print(f"total: {raw / 1024:.0f} KiB, {packed / 1024:.0f} KiB gzipped; entry {entry / 1024:.1f} KiB gzipped")

    engine = FTS5Engine(stage.folder() / "fts5.sqlite")
    stem = lambda word: (engine.analyze([word])[word] or [None])[0]
    loader = lambda relative: (folder / relative.removeprefix("index/")).read_bytes()
    rng = random.Random(1)
    keys = sorted(k for k in engine.keys() if k.isalpha())
    long_keys = [k for k in keys if len(k) >= 5]

    def first_query(text: str) -> tuple[int, list[str]]:
        index = StaticSearch(loader, stem=stem)
        results = index.search(text).results[:10]
        urls = [index.meta(r.post)["url"] for r in results]
        return sum(gz(loader(name)) for name in set(index.fetched)), urls

    for label, make in (
        ("one word", lambda: rng.choice(keys)),
        ("two words", lambda: f"{rng.choice(keys)} {rng.choice(keys)}"),
        ("one typo", lambda: misspell(rng.choice(long_keys), rng)),
    ):
        sizes = [first_query(make())[0] for _ in range(50)]
        print(
            f"first {label} query: median {statistics.median(sizes) / 1024:.1f} KiB, "
            f"max {max(sizes) / 1024:.1f} KiB gzipped (50 queries)"
        )

    # the one-typo queries of bench/search.py (bench/typos.py), misspelt and spelt right
    queries = typo_queries(content, 200)
    misspelt = sum(q.url in first_query(q.query)[1] for q in queries)
    right = sum(q.url in first_query(q.right)[1] for q in queries)
    print(
        f"{len(queries)} one-typo queries (bench/typos.py), the post in the top 10: "
        f"{misspelt / len(queries):.1%} misspelt, {right / len(queries):.1%} spelt right"
    )


if __name__ == "__main__":
    main()
