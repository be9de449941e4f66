"""Issue 14: front matter fuzzed with hypothesis.

Every input either gives a post or fails with problems that name the file and
a line; never an exception, and within a time and memory bound. The loader is
fuzzed in-process (many examples, fast); a few examples go through the real
``build.py``, which must exit 0, or exit 1 with a ``file:line`` message and no
traceback. Examples are derandomized, so CI runs the same ones every time.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PROJECT, Site

FIELDS = ["title", "date", "updated", "categories", "category", "tags", "keywords", "summary", "slug", "draft",
          "aliases", "redirect_from", "taxonomies", "published", "Title", "catgories", "meta"]  # fmt: skip
EDGE_TEXT = ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+01:00", "2020-02-30", "2020-01-01", "null", "~",
             "true", "[", "{", "*a", "&a", "'", '"', ":", "- x", "/%73tatic/x", "/*", "/:splat", "../..",
             "\\0"]  # fmt: skip
scalars = st.one_of(
    st.sampled_from(EDGE_TEXT),
    st.text(st.characters(codec="utf-8", exclude_characters="\r"), max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True).map(repr),
)


def flow(values: list[str]) -> str:
    return "[" + ", ".join(values) + "]"


printable = st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"]), max_size=30)
quoted = st.one_of(printable, scalars).map(lambda text: '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
values = st.one_of(
    scalars,
    quoted,
    st.lists(quoted, max_size=4).map(flow),
    st.lists(scalars, max_size=5).map(flow),
    st.lists(st.lists(scalars, max_size=3).map(flow), max_size=3).map(flow),
    st.sampled_from(["&a [x, y]", "*a", "&b {k: v}", "*b", "[*a, *a, *a]", "|\n  block\n  text", ">-\n  folded"]),
)


def weighted(usual: st.SearchStrategy, rare: st.SearchStrategy, odds: int) -> st.SearchStrategy:
    """``usual`` ``odds`` times out of ``odds + 1``, else ``rare``."""
    return st.integers(0, odds).flatmap(lambda n: rare if n == 0 else usual)


def field(name: str, separator: str) -> st.SearchStrategy[str]:
    """A line setting ``name``: usually valid (a post gets built), else any value."""
    quote = '"' if separator == " = " else ""
    good = {"title": st.just(f"{quote}A title{quote}"), "date": st.sampled_from(["2020-01-01", "2021-03-04T05:06:07Z"])}
    good = good[name]
    return weighted(good, values, 2).map(lambda value: f"{name}{separator}{value}")


def block(separator: str) -> st.SearchStrategy[list[str]]:
    """Front matter lines: a title and a date (mostly valid), then any fields and stray lines."""
    safe = st.one_of(quoted, st.lists(quoted, max_size=4).map(flow), st.integers().map(str))
    extra = st.tuples(st.sampled_from(FIELDS), weighted(safe, values, 3))
    extra = extra.map(lambda kv: f"{kv[0]}{separator}{kv[1]}")
    if separator == ": ":
        extra = weighted(extra, scalars, 9)  # a stray line, now and then
    lines = st.tuples(field("title", separator), field("date", separator), st.lists(extra, max_size=6))
    return lines.map(lambda parts: [parts[0], parts[1], *parts[2]])


documents = st.one_of(
    block(": ").map(lambda lines: "---\n" + "\n".join(lines) + "\n---\n"),
    block(" = ").map(lambda lines: "+++\n" + "\n".join(lines) + "\n+++\n"),
    block(": ").map(lambda lines: "\n".join(lines) + "\n\n"),  # Pelican, or no front matter at all
)
bodies = weighted(st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]), max_size=80), st.text(max_size=80), 3)
documents = st.tuples(documents, bodies).map(lambda parts: parts[0] + parts[1])

SHOWN = "content/post.md"
FILE_LINE = re.compile(r"^\s*content/post\.md:\d+: ", re.M)


@settings(max_examples=400, deadline=2000, derandomize=True, database=None)
@given(documents)
def test_the_loader_gives_a_post_or_problems_with_lines(text):
    from blog.content import parse_post

    tracemalloc.start()
    try:
        post, problems = parse_post("post.md", text.encode(), "0" * 64, ZoneInfo("UTC"), SHOWN)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50_000_000, f"{peak:,} bytes for {len(text)} characters"
    assert (post is None) == bool(problems)
    for problem in problems:
        assert problem.path == SHOWN and isinstance(problem.line, int) and problem.line >= 1, problem
        assert "\n" not in str(problem) and "\x00" not in str(problem)


SHARED: dict[str, Site] = {}
SECONDS = 120
MAX_RSS_KB = 1_500_000


def run_bounded(site: Site) -> tuple[int, str]:
    """Build ``site`` in a subprocess killed after SECONDS; fail when it used more than MAX_RSS_KB."""
    command = [sys.executable, str(PROJECT / "build.py"), "build", "--content", str(site.content)]
    command += ["--out", str(site.out), "--cache", str(site.cache)]
    env = {**os.environ, "KILN_BASE_URL": "https://blog.example.com"}
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(command, cwd=site.root, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        timer = threading.Timer(SECONDS, process.kill)
        timer.start()
        started = time.monotonic()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        message = stderr.read().decode(errors="replace")
    assert time.monotonic() - started < SECONDS, "the build was killed: it ran out of time"
    assert usage.ru_maxrss < MAX_RSS_KB, f"the build used {usage.ru_maxrss:,} KB"
    return process.returncode, message


@settings(max_examples=6, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=documents)
def test_a_build_of_any_front_matter_builds_or_fails_with_a_file_line(tmp_path_factory, text):
    if "site" not in SHARED:  # one site for every example: its cache saves collecting the assets each time
        SHARED["site"] = Site(Path(tmp_path_factory.mktemp("fuzz")))
        SHARED["site"].content.mkdir()
    site = SHARED["site"]
    (site.content / "post.md").write_text(text, encoding="utf-8")
    code, message = run_bounded(site)
    assert "Traceback" not in message, message
    assert code in (0, 1), message
    if code == 1:
        assert FILE_LINE.search(message), message
