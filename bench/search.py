#!/usr/bin/env python3
"""Kiln's static search against Pagefind on the benchmark corpus, side by side.

    .venv/bin/python bench/search.py [--posts 4000] [--work /tmp/kiln-bench-search] [--elasticsearch URL]

Writes the deterministic corpus with shared/bench/make_corpus.py, builds it
with Kiln (a clean build in a fresh process; the index time is the build's own
"search" stage), runs the pinned Pagefind (node_modules/.bin/pagefind) on the
same exported posts, then serves each site from a local HTTP server to a real
headless Chromium (Debian's, through Playwright) and prints:

- index build time, number and total size of the index files;
- the bytes the browser downloads for a first query (script, wasm, index;
  each response counted at its gzip size, or as it is when gzip does not
  shrink it, as a CDN serves it): one word, two words, a typo;
- for 200 one-typo queries (two words of a post's title, one of five or more
  letters given one insertion, deletion, substitution or swap; ``bench/typos.py``
  says how they are drawn, with a fixed seed), the share where that post is in
  the top 10, and the share for the same queries spelt right (the ceiling).

Pagefind indexes only the post pages (``--glob plog/*/index.html``), the
same 4,000 documents Kiln indexes. ``--elasticsearch URL`` adds a column: the
same Kiln build with ``KILN_ELASTICSEARCH_URL`` set, read by the same script.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "tests"))

sys.path.insert(0, str(PROJECT / "bench"))

from corpus import make_corpus_script  # noqa: E402
from typos import TypoQuery, typo_queries  # noqa: E402

from browser import launch, require_chromium, static_server  # noqa: E402

PAGEFIND = PROJECT / "node_modules" / ".bin" / "pagefind"
ONE_WORD = "netlify"
TWO_WORDS = "django postgresql"
TYPO = "wbepack"  # webpack, with its second and third letters swapped: Pagefind's weak spot
TYPO_QUERIES = 200


@dataclass
class Engine:
    """One column of the table: how its site is built and how the browser queries it."""

    name: str
    out: Path
    index_seconds: float = 0.0
    index_files: list[Path] = field(default_factory=list)
    downloads: dict[str, int] = field(default_factory=dict)
    typo_hits: float = 0.0
    right_hits: float = 0.0  # the same queries spelt right
    counted: Callable[[str], bool] = lambda path: False  # the URL paths that belong to the search


# Building


def build_kiln(work: Path, name: str, env: dict[str, str] | None = None) -> Engine:
    """A clean Kiln build in a fresh process; the index time is its "search" stage."""
    out = work / name
    command = [
        sys.executable, str(PROJECT / "build.py"), "--content", str(work / "content"), "--out", str(out),
        "--cache", str(work / f"cache-{name}"), "--base-url", "https://bench.example.com", "--clean", "--debug",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **(env or {})})
    if result.returncode != 0:
        sys.exit(f"Kiln build failed:\n{result.stderr}")
    stage = re.search(r"^search\s+([\d.]+)s$", result.stderr, re.M)
    if not stage:
        sys.exit(f"the build printed no search stage time:\n{result.stderr}")
    return kiln_engine(out, float(stage[1]))


def kiln_engine(out: Path, seconds: float) -> Engine:
    files = sorted(p for p in (out / "search").rglob("*.json") if p.is_file())
    engine = Engine(out.name, out, seconds, files)
    engine.counted = lambda path: path.startswith("/search/index") or bool(re.match(r"/static/js/search\.", path))
    return engine


def run_pagefind(kiln_out: Path, work: Path) -> Engine:
    """Pagefind on a copy of Kiln's exported site, indexing the post pages."""
    out = work / "pagefind-site"
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(kiln_out, out, ignore=shutil.ignore_patterns("search"))
    start = time.perf_counter()
    command = [str(PAGEFIND), "--site", str(out), "--glob", "plog/*/index.html", "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"pagefind failed:\n{result.stdout}{result.stderr}")
    return pagefind_engine(out, seconds)


def pagefind_engine(out: Path, seconds: float) -> Engine:
    index = out / "pagefind"
    # the index proper: entry, metadata, word chunks, fragments, filters (not the UI's scripts and styles)
    files = sorted(p for p in index.rglob("*") if p.suffix.startswith(".pf_") or p.name == "pagefind-entry.json")
    engine = Engine(f"Pagefind {pagefind_version()}", out, seconds, files)
    engine.counted = lambda path: path.startswith("/pagefind/")
    return engine


def pagefind_version() -> str:
    return subprocess.run([str(PAGEFIND), "--version"], capture_output=True, text=True).stdout.split()[-1]


# Querying in the browser

KILN_QUERY = """async ([query, limit]) => {
  const index = await window.kilnSearch.open(document.querySelector("[data-search-index]").dataset.searchIndex);
  const { hits } = await index.query(query, false);
  return Promise.all(hits.slice(0, limit).map(async (hit) => (await index.meta(hit.post)).url));
}"""

PAGEFIND_QUERY = """async ([query, limit]) => {
  window.pagefind ??= await import("/pagefind/pagefind.js");
  await window.pagefind.init();
  const search = await window.pagefind.search(query);
  return Promise.all(search.results.slice(0, limit).map(async (result) => (await result.data()).url));
}"""

BLANK = "/__bench__.html"  # a page of the same origin for Pagefind's API, answered by the browser itself


def wire_size(body: bytes) -> int:
    """Bytes on the wire from a CDN that gzips: the gzip size, unless gzip does not help (wasm, pf_*)."""
    return min(len(body), len(gzip.compress(body, 6, mtime=0)))


def first_query(browser, base: str, engine: Engine, query: str) -> int:  # noqa: ANN001
    """Bytes of script, wasm and index a cold browser downloads to show the results of ``query``."""
    context = browser.new_context()
    context.route(f"{base}{BLANK}", lambda route: route.fulfill(body="<!DOCTYPE html><title>bench</title>"))
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    try:
        if engine.counted("/pagefind/"):
            page.goto(f"{base}{BLANK}")
            urls = page.evaluate(PAGEFIND_QUERY, [query, 10])
        else:
            page.goto(f"{base}/search/?q={quote(query)}")
            page.wait_for_function("document.getElementById('search-status').textContent !== ''")
            page.wait_for_load_state("networkidle")
            urls = [a.get_attribute("href") for a in page.locator("#search-results a").all()]
        if not urls:
            print(f"  note: {engine.name} found nothing for {query!r}")
        total = 0
        for response in responses:
            if engine.counted(urlsplit(response.url).path) and response.ok:
                total += wire_size(response.body())
        return total
    finally:
        context.close()


def typo_hit_rate(browser, base: str, engine: Engine, queries: list[TypoQuery]) -> tuple[float, float]:  # noqa: ANN001
    """The shares of ``queries`` whose post is in the top 10: misspelt, and spelt right."""
    context = browser.new_context()
    context.route(f"{base}{BLANK}", lambda route: route.fulfill(body="<!DOCTYPE html><title>bench</title>"))
    page = context.new_page()
    try:
        pagefind = engine.counted("/pagefind/")
        page.goto(f"{base}{BLANK}" if pagefind else f"{base}/search/")
        script = PAGEFIND_QUERY if pagefind else KILN_QUERY
        typo = sum(q.url in page.evaluate(script, [q.query, 10]) for q in queries)
        right = sum(q.url in page.evaluate(script, [q.right, 10]) for q in queries)
    finally:
        context.close()
    return typo / len(queries), right / len(queries)


def measure(browser, engine: Engine, queries: list[TypoQuery]) -> None:  # noqa: ANN001
    with static_server(engine.out) as base:
        for label, query in (("one word", ONE_WORD), ("two words", TWO_WORDS), ("typo", TYPO)):
            engine.downloads[label] = first_query(browser, base, engine, query)
        engine.typo_hits, engine.right_hits = typo_hit_rate(browser, base, engine, queries)


# Report


def table(engines: list[Engine]) -> str:
    def kb(n: int) -> str:
        return f"{n / 1024:,.1f} KB"

    rows = [
        ("index build time", [f"{e.index_seconds:.2f} s" for e in engines]),
        ("index files", [f"{len(e.index_files):,}" for e in engines]),
        ("index size", [kb(sum(p.stat().st_size for p in e.index_files)) for e in engines]),
        *(
            (f"first query, {label} (gzip)", [kb(e.downloads[label]) for e in engines])
            for label in ("one word", "two words", "typo")
        ),
        (f"{TYPO_QUERIES} one-typo queries: post in top 10", [f"{e.typo_hits:.1%}" for e in engines]),
        ("the same queries spelt right", [f"{e.right_hits:.1%}" for e in engines]),
    ]
    cells = [["", *(e.name for e in engines)], *([label, *values] for label, values in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    lines = ["| " + " | ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) + " |" for row in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=4000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/kiln-bench-search"))
    parser.add_argument("--elasticsearch", metavar="URL", help="also build with KILN_ELASTICSEARCH_URL=URL")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the corpus, builds and index times of an earlier run"
    )
    args = parser.parse_args()
    require_chromium_or_exit()
    content = args.work / "content"
    if not (args.reuse and content.is_dir()):
        shutil.rmtree(args.work, ignore_errors=True)
        corpus = [sys.executable, str(make_corpus_script()), str(content), "--posts", str(args.posts)]
        subprocess.run(corpus, check=True)
    print(f"corpus: {len(list(content.glob('*.md')))} posts", flush=True)

    times_file = args.work / "index-times.json"
    times = json.loads(times_file.read_text()) if args.reuse and times_file.is_file() else {}
    kiln = kiln_engine(args.work / "kiln", times["kiln"]) if "kiln" in times else build_kiln(args.work, "kiln")
    if "pagefind" in times:
        pagefind = pagefind_engine(args.work / "pagefind-site", times["pagefind"])
    else:
        pagefind = run_pagefind(kiln.out, args.work)
    times.update(kiln=kiln.index_seconds, pagefind=pagefind.index_seconds)
    times_file.write_text(json.dumps(times, sort_keys=True))
    kiln.name = "Kiln (FTS5)"
    engines = [kiln, pagefind]
    if args.elasticsearch:
        engines.append(build_kiln(args.work, "kiln-es", {"KILN_ELASTICSEARCH_URL": args.elasticsearch}))
        engines[-1].name = "Kiln (Elasticsearch)"
    for engine in engines:
        print(f"{engine.name}: index written in {engine.index_seconds:.2f} s", flush=True)

    queries = typo_queries(content, TYPO_QUERIES)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for engine in engines:
                measure(browser, engine, queries)
                print(f"measured {engine.name}", flush=True)
        finally:
            browser.close()
    print()
    print(f"one word: {ONE_WORD!r}, two words: {TWO_WORDS!r}, typo: {TYPO!r}; typo queries e.g. {queries[0].query!r}")
    print(table(engines))
    print(json.dumps({e.name: e.downloads for e in engines}, sort_keys=True))


def require_chromium_or_exit() -> None:
    try:
        require_chromium()
    except BaseException as exc:  # pytest's skip and fail are BaseExceptions
        sys.exit(str(exc))


if __name__ == "__main__":
    main()
