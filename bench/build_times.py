#!/usr/bin/env python3
"""Time Kiln's builds on the benchmark corpus and print the figures.

    .venv/bin/python bench/build_times.py [--posts 4000] [--work /tmp/kiln-bench]

Writes the deterministic corpus with ../shared/bench/make_corpus.py, then
times, each in a fresh process as a user runs it: a clean build, a rebuild
with nothing changed, a rebuild after editing one post's text, and one after
editing one post's keywords. Prints wall time and peak memory (max RSS of the
build and its workers) for each, and checks that the incremental output
equals a clean build of the same content.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
MAKE_CORPUS = PROJECT.parent / "shared" / "bench" / "make_corpus.py"


# runs one build as its child and prints the largest max RSS among the build and its workers
MEASURE = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
sys.stderr.write(code.stderr)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code.returncode)
"""


def build(work: Path, name: str, *extra: str) -> tuple[float, int]:
    """Run one build in a fresh process; return (seconds, peak RSS in MiB of its largest process)."""
    command = [
        sys.executable, str(PROJECT / "build.py"), "--content", str(work / "content"),
        "--out", str(work / name), "--cache", str(work / f"cache-{name}"),
        "--base-url", "https://bench.example.com", *extra,
    ]  # fmt: skip
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stderr}")
    return seconds, int(result.stdout.strip()) // 1024


def same_tree(a: Path, b: Path) -> bool:
    compare = filecmp.dircmp(a, b)
    if compare.left_only or compare.right_only or compare.diff_files or compare.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, compare.common_files, shallow=False)
    return not mismatch and not errors and all(same_tree(a / d, b / d) for d in compare.common_dirs)


def edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text()
    path.write_text(re.sub(pattern, replacement, text, count=1, flags=re.M))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=4000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/kiln-bench"))
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    corpus = [sys.executable, str(MAKE_CORPUS), str(args.work / "content"), "--posts", str(args.posts)]
    subprocess.run(corpus, check=True)
    posts = sorted((args.work / "content").glob("*.md"))
    megabytes = sum(p.stat().st_size for p in posts) / 1e6
    print(f"corpus: {len(posts)} posts, {megabytes:.1f} MB of Markdown, {os.cpu_count()} cores")

    rows = [("clean build", *build(args.work, "out"))]
    rows.append(("rebuild, nothing changed", *build(args.work, "out")))
    edit(posts[len(posts) // 2], r"^(## .*)$", r"\1 (edited)")
    rows.append(("rebuild, one post's text edited", *build(args.work, "out")))
    edit(posts[len(posts) // 3], r"^keywords: \[", "keywords: [benchmark, ")
    rows.append(("rebuild, one post's keywords edited", *build(args.work, "out")))
    for label, seconds, peak in rows:
        print(f"{label:<38} {seconds:7.2f} s   peak RSS {peak:5d} MiB")

    build(args.work, "clean-check")
    print("incremental output equals a clean build:", same_tree(args.work / "out", args.work / "clean-check"))


if __name__ == "__main__":
    main()
