#!/usr/bin/env python3
"""Render every page of a built site again in one process and print the CPU time per kind of page.

    .venv/bin/python bench/render_pages.py --content DIR --cache DIR [--profile FILE]

Build the site first (``build.py build --content DIR --cache DIR``), so that
the database holds its posts; this then renders every page the build would
(``kiln.render``'s own per-worker loop, in this one process) into a scratch
folder and prints, per kind of page, how many, their CPU time and the time
per page. ``--profile`` writes a cProfile of the loop (for ``pstats``). CPU
time, not wall time: the figures hold up on a machine shared with others.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the render loop here")
    args = parser.parse_args()
    sys.path.insert(0, str(PROJECT / "site"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["KILN_CONTENT_DIR"] = str(args.content.resolve())
    os.environ["KILN_CACHE_DIR"] = str(args.cache.resolve())
    os.environ.setdefault("KILN_SOCIAL_CARDS", "false")
    import django

    django.setup()
    from blog import fragments, registry
    from kiln import render

    pages = render.list_pages(registry.listed())
    kinds = {page.uri: page.kind or "other" for page in pages}
    seconds: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    render_one = render._render_one

    def timed(client: render.PageClient, uri: str, *rest: str) -> tuple[str, list[str], bool]:
        started = time.process_time()
        result = render_one(client, uri, *rest)
        seconds[kinds[uri]] += time.process_time() - started
        counts[kinds[uri]] += 1
        return result

    render._render_one = timed  # type: ignore[assignment]
    staging = Path(tempfile.mkdtemp(prefix="kiln-render-bench-"))
    try:
        jobs = [(page.uri, page.file, str(staging), "") for page in pages]
        profile = cProfile.Profile() if args.profile else None
        started = time.process_time()
        if profile:
            profile.enable()
        with fragments.session():  # as the render stage keeps them
            results = render._render_slice(jobs)
        if profile:
            profile.disable()
            profile.dump_stats(args.profile)
        total = time.process_time() - started
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    failed = [uri for (uri, *_), (sha, *_) in zip(jobs, results, strict=True) if not sha]
    print(f"{len(jobs)} pages in {total:.2f}s of CPU ({1000 * total / max(1, len(jobs)):.2f} ms a page)")
    for kind in sorted(seconds, key=seconds.__getitem__, reverse=True):
        each = 1000 * seconds[kind] / counts[kind]
        print(f"  {kind:20} {counts[kind]:6} {seconds[kind]:8.2f}s {each:8.2f} ms a page")
    if failed:
        sys.exit(f"{len(failed)} pages failed to render, first {failed[0]}")


if __name__ == "__main__":
    main()
