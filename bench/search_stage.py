#!/usr/bin/env python3
"""The build's search stage alone, on the benchmark corpus: CPU, wall time and memory, clean and after an edit.

    .venv/bin/python bench/search_stage.py [--posts 4000] [--work /tmp/kiln-search-stage]

Writes the corpus (``bench/corpus.py``) and builds it once, so that the database holds the posts; then, in
this process, runs the search stage (``search.stage.refresh``) three times and prints for each its CPU
seconds, wall seconds and how far the process's resident memory rose above what it was before the stage:

- clean: the engine's index and the static files made from nothing (``--clean``);
- edited: one post's rendered text gets one more paragraph (written into the database, as the sync
  stage writes an edited post), so the engine indexes that post again and the static files are written
  from the new weights;
- unchanged: the same posts again (the stage sees nothing to do).

The machine's load average is printed beside the figures: CPU seconds move less with it than wall time.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from corpus import PROJECT, write_corpus


def resident() -> int:
    """The process's resident memory now, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return 0


def peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def measure(name: str, work: Callable[[], object]) -> None:
    before = resident()
    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM, ru_maxrss) starts again from now
    cpu, wall = time.process_time(), time.perf_counter()
    result = work()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    load = os.getloadavg()[0]
    print(f"{name:10} {cpu:6.2f} s CPU {wall:6.2f} s wall  +{peak() - before:4d} MiB peak  (load {load:.2f})  {result}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=4000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/kiln-search-stage"))
    options = parser.parse_args()
    work = options.work.resolve()
    content, cache, out = work / "content", work / "cache", work / "out"
    if not content.is_dir():
        write_corpus(content, options.posts)
    if not (cache / "kiln.sqlite3").is_file():
        command = [sys.executable, str(PROJECT / "build.py"), "build", "--content", str(content)]
        environment = {**os.environ, "KILN_SOCIAL_CARDS": "false"}
        subprocess.run([*command, "--out", str(out), "--cache", str(cache)], check=True, env=environment)

    sys.path.insert(0, str(PROJECT / "site"))
    os.environ.update(KILN_CONTENT_DIR=str(content), KILN_CACHE_DIR=str(cache), KILN_SOCIAL_CARDS="false")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from blog.models import Post
    from search import stage

    def edit() -> None:
        post = Post.objects.published().order_by("slug").first()
        stamp = time.time_ns()
        Post.objects.filter(pk=post.pk).update(
            body_html=f"{post.body_html}<p>One more paragraph, about caching, {stamp}.</p>",
            markdown_key=f"bench-{stamp}",
            source_hash=f"bench-{stamp}",
        )

    print(f"search stage, {Post.objects.published().count()} posts; resident before: {resident()} MiB")
    measure("clean", lambda: stage.refresh(clean=True)[1])
    edit()
    measure("edited", lambda: stage.refresh()[1])
    measure("unchanged", lambda: stage.refresh()[1])


if __name__ == "__main__":
    main()
