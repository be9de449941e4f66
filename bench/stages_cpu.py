"""CPU time of the work before rendering, in this process: Markdown per post, and the load stage, clean and after
one post's edit (issue 15). CPU time, not wall time, so that a busy machine changes the figures little.

    .venv/bin/python bench/stages_cpu.py [--posts 1000] [--markdown 300]

It makes the shared benchmark corpus in a temporary folder (see ``bench/corpus.py``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from corpus import PROJECT, make_corpus_script

sys.path.insert(0, str(PROJECT / "site"))


def cpu(work: object) -> float:
    start = time.process_time()
    work()  # type: ignore[operator]
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--markdown", type=int, default=300, help="posts whose Markdown is rendered")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "content"
        script = make_corpus_script()
        subprocess.run([sys.executable, str(script), str(root), "--posts", str(options.posts)], check=True)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        os.environ["KILN_CACHE_DIR"] = str(Path(scratch) / "cache")
        import django

        django.setup()
        from blog import content, markdown

        def load(known: dict[str, str]) -> content.Loaded:
            return content.load(root, known, ZoneInfo("UTC"), "content", body_checks=markdown.template_warnings)

        loaded = load({})
        clean = cpu(lambda: load({}))
        known = {post.path: post.source_hash for post in loaded.changed}
        known.pop(min(known))  # one post edited
        edit = cpu(lambda: load(known))
        bodies = [post.body for post in sorted(loaded.changed, key=lambda p: p.path)[: options.markdown]]
        markdown.render(bodies[0])  # the converter is made once per process
        rendered = cpu(lambda: [markdown.render(body) for body in bodies])
    print(f"{options.posts} posts, CPU seconds (load average {os.getloadavg()[0]:.2f})")
    print(f"load, clean:            {clean:8.2f} s")
    print(f"load, one post edited:  {edit:8.2f} s")
    print(f"Markdown per post:      {rendered / len(bodies) * 1000:8.2f} ms ({len(bodies)} posts)")


if __name__ == "__main__":
    main()
