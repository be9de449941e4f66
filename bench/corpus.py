"""The shared benchmark corpus: ``shared/bench/make_corpus.py`` beside the project or above it, and a writer
of the same files that scales to 16,000 posts.

The shared script resolves each post's links by trying every post's token on every post's text, which is
quadratic: 4,000 posts take seconds, 16,000 took more than half an hour here. :func:`write_corpus` draws the
posts with the shared script's own ``Writer`` and ``make_post`` (the same random sequence, so the same
posts) and fills the tokens with one regular-expression pass per post. ``python bench/corpus.py --check N``
writes N posts both ways and compares the files byte for byte.
"""

from __future__ import annotations

import argparse
import datetime as dt
import filecmp
import importlib.util
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

PROJECT = Path(__file__).resolve().parents[1]
TOKEN = re.compile(r"\{\{slug:(\d+)\}\}")
START = dt.datetime(2012, 1, 1, 9, 0)  # the shared script's first post date


def make_corpus_script() -> Path:
    """shared/bench/make_corpus.py, beside the project or one of its parent folders (a worktree's too)."""
    for folder in PROJECT.parents:
        candidate = folder / "shared" / "bench" / "make_corpus.py"
        if candidate.is_file():
            return candidate
    sys.exit("shared/bench/make_corpus.py not found beside the project or above it")


def shared_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_corpus", make_corpus_script())
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def write_corpus(folder: Path, posts: int, form: str = "yaml", seed: int = 1) -> None:
    """The files ``make_corpus.py folder --posts posts --format form --seed seed`` writes, in linear time."""
    shared = shared_module()
    writer = shared.Writer(seed)
    made = [shared.make_post(i, posts, writer, START, form) for i in range(posts)]
    slugs = [post[0] for post in made]
    folder.mkdir(parents=True, exist_ok=True)
    for slug, date, cats, keywords, summary, title, text in made:
        text = TOKEN.sub(lambda m: slugs[int(m[1])] if int(m[1]) < len(slugs) else m[0], text)
        if form == "yaml":
            head = (
                f'---\ntitle: "{title}"\ndate: {date.isoformat()}\ncategories: [{", ".join(cats)}]\n'
                f'keywords: [{", ".join(keywords)}]\nsummary: "{summary}"\n---\n\n'
            )
        else:
            head = (
                f"Title: {title}\nDate: {date:%Y-%m-%d %H:%M}\nCategory: {cats[0]}\n"
                f"Tags: {', '.join(cats[1:] + keywords)}\nSlug: {slug}\nSummary: {summary}\n\n"
            )
        (folder / f"{slug}.md").write_text(head + text, encoding="utf-8")


def check(posts: int) -> bool:
    """Whether :func:`write_corpus` writes the shared script's files, byte for byte, in both formats."""
    same = True
    with tempfile.TemporaryDirectory() as scratch:
        for form in ("yaml", "pelican"):
            ours, theirs = Path(scratch, f"ours-{form}"), Path(scratch, f"theirs-{form}")
            write_corpus(ours, posts, form)
            command = [sys.executable, str(make_corpus_script()), str(theirs), "--posts", str(posts), "--format", form]
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            names = sorted(p.name for p in theirs.iterdir())
            match, mismatch, errors = filecmp.cmpfiles(ours, theirs, names, shallow=False)
            extra = sorted({p.name for p in ours.iterdir()} - set(names))
            print(f"{form}: {len(match)} files the same, {len(mismatch) + len(errors)} different, {len(extra)} extra")
            same = same and not mismatch and not errors and not extra
    return same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, nargs="?")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--format", choices=["yaml", "pelican"], default="yaml")
    parser.add_argument("--check", type=int, metavar="N", help="compare N posts with the shared script's")
    args = parser.parse_args()
    if args.check:
        sys.exit(0 if check(args.check) else 1)
    if args.out is None:
        parser.error("give a folder to write the posts into, or --check N")
    write_corpus(args.out, args.posts, args.format)
    print(f"wrote {args.posts} posts to {args.out}")


if __name__ == "__main__":
    main()
