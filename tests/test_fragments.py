"""Fragments rendered once per render worker (``{% fragment %}``, ``blog.fragments``) stay templates of the site.

A site overrides ``blog/_meta.html`` (a post's date, reading time and
categories) and ``blog/_related.html`` (one link of a related list) the Django
way, by editing the file in ``site/templates/``; an incremental build then
shows the edit on every page that shows the fragment, including the pages that
reused the text another page had rendered, and renders no other page again.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from test_incremental_property import project_copy

POSTS = {
    "one.md": ("One", "2024-01-01", "Django"),
    "two.md": ("Two", "2024-02-01", "Django"),
    "three.md": ("Three", "2024-03-01", "Django"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fragments")
    project_copy(root)
    content = root / "content"
    content.mkdir()
    for name, (title, date, category) in POSTS.items():
        text = f"---\ntitle: {title}\ndate: {date}\ncategories: [{category}]\nkeywords: [cache]\n---\n\nSome text.\n"
        (content / name).write_text(text, encoding="utf-8")
    build(root)
    return root


def build(root: Path) -> str:
    command = [sys.executable, str(root / "project" / "build.py"), "build", "--content", str(root / "content")]
    command += ["--out", str(root / "out"), "--cache", str(root / "cache")]
    environment = {**os.environ, "KILN_BASE_URL": "https://blog.example.com", "KILN_SOCIAL_CARDS": "0"}
    result = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    return result.stderr


def page(root: Path, file: str) -> BeautifulSoup:
    return BeautifulSoup((root / "out" / file).read_text(encoding="utf-8"), "html.parser")


def edit(root: Path, name: str, old: str, new: str) -> None:
    template = root / "project" / "site" / "templates" / "blog" / name
    text = template.read_text(encoding="utf-8")
    assert old in text
    template.write_text(text.replace(old, new, 1), encoding="utf-8")


def mtimes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root / "out")): p.stat().st_mtime_ns for p in (root / "out").rglob("*.html")}


POST_PAGES = ["plog/one/index.html", "plog/two/index.html", "plog/three/index.html"]
LISTINGS = ["index.html", "oc-Django/index.html"]


def test_an_edited_meta_line_shows_on_every_page_that_shows_it_and_only_those_render_again(site: Path) -> None:
    before = mtimes(site)
    marker = '<span class="edited-meta"></span><span class="reading-time">'
    edit(site, "_meta.html", '<span class="reading-time">', marker)
    build(site)
    after = mtimes(site)
    for file in LISTINGS:
        summaries = page(site, file).select(".post-list .post-summary")
        assert len(summaries) == 3
        assert all(summary.select_one(".post-meta .edited-meta") for summary in summaries), file
    for file in POST_PAGES:
        assert page(site, file).select_one("article header .post-meta .edited-meta"), file
    unchanged = {file for file in after if after[file] == before[file]}
    assert "plog/index.html" in unchanged, "the archive shows no meta line"
    assert not unchanged & {*LISTINGS, *POST_PAGES}


def test_an_edited_related_link_shows_in_every_related_list(site: Path) -> None:
    before = mtimes(site)
    edit(site, "_related.html", "<li>", '<li class="edited-related">')
    build(site)
    after = mtimes(site)
    for file in POST_PAGES:
        items = page(site, file).select(".related-list li")
        assert len(items) == 2, file
        assert all("edited-related" in item.get("class", []) for item in items), file
        assert {a.get_text() for a in page(site, file).select(".related-list a")} == (
            {"One", "Two", "Three"} - {page(site, file).select_one("h1").get_text()}
        )
    changed = {file for file in after if after[file] != before[file]}
    assert changed == set(POST_PAGES), "only the post pages have related lists"
