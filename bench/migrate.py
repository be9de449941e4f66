"""Build any folder of posts (a blog written for Jekyll, Hugo, Zola, Pelican, Eleventy) and say how it went.

    .venv/bin/python bench/migrate.py FOLDER [FOLDER...] [--set KILN_NAME=value ...]

Each folder is built by the real ``build.py`` into a scratch output and cache
folder under /tmp (the folder itself is only read), then one row is printed:
posts found (files Kiln reads as posts), pages found (files it publishes as
pages that are not posts), posts published, HTML pages written, problems
(errors and warnings) by kind, and the time the build took (wall clock and
CPU). Kinds come from the build's own report (its count per
kind at the end, or its lines), so a row says which problems remain.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "site"))

from zoneinfo import ZoneInfo  # noqa: E402

from blog.content import load  # noqa: E402
from config.kiln import read  # noqa: E402
from core.errors import Problem  # noqa: E402

PROBLEM_LINE = re.compile(r"^\s*(?:warning: )?(\S+?):(\d+)?:? (.*)$")
TALLY_LINE = re.compile(r"^\s+(\d+)\s+(.*)$")
MORE_LINE = re.compile(r"^\s*(?:warning: )?\.\.\. and (\d+) more: (.*)$")
ERROR_HEAD = re.compile(r"^error: (\d+) problems? in ")


def kinds(stderr: str, exit_code: int = 0) -> Counter[str]:
    """Problems by kind, read from what the build printed: ``warning:`` lines and the error report.

    Every error is counted: the report's head says how many problems it holds
    (``error: 9 problems in the content:``), and any the lines and the tally do
    not account for are counted apart; a build that failed on something else
    (one ``error:`` line, a traceback) counts its last error line as a kind.
    """
    found: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    tally: Counter[str] = Counter()
    announced = 0
    last_error = ""
    in_tally = in_errors = False
    for line in stderr.splitlines():
        if line.startswith("problems by kind:"):
            in_tally = True
            continue
        if in_tally and (match := TALLY_LINE.match(line)):
            tally[f"error: {match.group(2)}"] += int(match.group(1))
            continue
        if head := ERROR_HEAD.match(line):
            in_errors, in_tally = True, False
            announced += int(head.group(1))
            continue
        if line.startswith("error: ") or (line and not line[0].isspace() and "Error" in line.split(":")[0]):
            last_error = line
            in_errors = False
            continue
        more = MORE_LINE.match(line)
        if more:
            warning = line.lstrip().startswith("warning:")
            (found if warning else errors)[("warning: " if warning else "error: ") + more.group(2)] += int(
                more.group(1)
            )
            continue
        match = PROBLEM_LINE.match(line)
        if match is None:
            continue
        kind = Problem(match.group(1), None, match.group(3)).kind
        if line.startswith("warning: "):
            found[f"warning: {kind}"] += 1
        elif in_errors:
            errors[f"error: {kind}"] += 1
    counted = tally or errors
    found.update(counted)
    unread = announced - sum(counted.values())
    if unread > 0:
        found["error: (in the report, not read by this script)"] += unread
    if exit_code != 0 and not announced:
        found[f"error: {(last_error or 'exit ' + str(exit_code)).removeprefix('error: ')[:80]}"] += 1
    return found


def published(cache: Path) -> int | None:
    """Published posts, from the build's own database (no drafts, nothing in the future)."""
    database = cache / "kiln.sqlite3"
    if not database.is_file():
        candidates = list(cache.glob("*.sqlite3"))
        if not candidates:
            return None
        database = candidates[0]
    with sqlite3.connect(database) as db:
        return db.execute("select count(*) from blog_post where draft = 0 and date <= datetime('now')").fetchone()[0]


def build(folder: Path, settings: dict[str, str]) -> dict[str, object]:
    scratch = Path(tempfile.mkdtemp(prefix="kiln-migrate-"))
    out, cache = scratch / "out", scratch / "cache"
    env = {**os.environ, "KILN_BASE_URL": "https://blog.example.com", **settings}
    kiln = read(env)
    # what the load stage sees, as the build will: posts, and pages that are not posts
    loaded = load(folder, {}, ZoneInfo(kiln.TIME_ZONE), str(folder), ignore=kiln.IGNORE, page_patterns=kiln.PAGES)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "--content", str(folder), "--out", str(out), "--cache", str(cache)],
        capture_output=True,
        text=True,
        env=env,
        cwd=scratch,
        check=False,
    )
    seconds = time.perf_counter() - started
    (scratch / "build.log").write_text(done.stdout + done.stderr)  # the whole report, beside the output
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    pages = sum(1 for path in out.rglob("*.html")) if out.is_dir() else 0
    return {
        "folder": str(folder),
        "exit": done.returncode,
        "found": len(loaded.seen),
        "pages_found": len(loaded.pages),
        "published": published(cache) if done.returncode == 0 else 0,
        "pages": pages,
        "seconds": seconds,
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "kinds": kinds(done.stderr, done.returncode),
        "stderr_bytes": len(done.stderr.encode()),
        "scratch": str(scratch),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--set", action="append", default=[], metavar="KILN_NAME=value", help="a setting for the build")
    args = parser.parse_args()
    settings = dict(item.split("=", 1) for item in args.set)
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(
        "| folder | exit | posts found | pages found | posts published | HTML pages written | wall s | CPU s "
        "| report bytes |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    rows = [build(folder.resolve(), settings) for folder in args.folders]
    for row in rows:
        print(
            f"| {row['folder']} | {row['exit']} | {row['found']} | {row['pages_found']} | {row['published']} "
            f"| {row['pages']} "
            f"| {row['seconds']:.1f} | {row['cpu']:.1f} | {row['stderr_bytes']:,} |"
        )
    for row in rows:
        print(f"\nproblems by kind in {row['folder']} (build output and build.log in {row['scratch']}):")
        kinds_found: Counter[str] = row["kinds"]  # type: ignore[assignment]
        for kind, count in kinds_found.most_common() or [("none", 0)]:
            print(f"  {count:>6}  {kind}")


if __name__ == "__main__":
    main()
