"""Aliases: old URLs redirect to their post, by Netlify's _redirects and by an HTML page."""

from __future__ import annotations

import pytest

BASE = "https://blog.example.com"

MOVED = """
---
title: Moved here
date: 2024-01-01
aliases: ["/old/some-path/", "/2013/05/post.html", "/old/bare", "/plog/old-slug/"]
---
A post that used to live elsewhere.
"""
OTHER = """
---
title: Other
date: 2024-02-01
redirect_from: /jekyll/other/
---
Another post.
"""
DRAFT = """
---
title: Not yet
date: 2024-03-01
draft: true
aliases: ["/old/draft/"]
---
A draft.
"""


@pytest.fixture
def aliased(site):
    site.write("moved.md", MOVED)
    site.write("other.md", OTHER)
    site.write("draft.md", DRAFT)
    site.build()
    return site


def test_netlify_redirects_every_alias_of_published_posts(aliased):
    lines = (aliased.out / "_redirects").read_text().splitlines()
    assert lines == [
        "/2013/05/post.html /plog/moved/ 301!",
        "/jekyll/other/ /plog/other/ 301!",
        "/old/bare /plog/moved/ 301!",
        "/old/some-path/ /plog/moved/ 301!",
        "/plog/old-slug/ /plog/moved/ 301!",
    ]


@pytest.mark.parametrize(
    "file",
    ["old/some-path/index.html", "2013/05/post.html", "old/bare/index.html", "plog/old-slug/index.html"],
)
def test_an_html_page_at_each_alias_path(aliased, file):
    page = aliased.html(file)
    assert page.find("link", rel="canonical")["href"] == f"{BASE}/plog/moved/"
    refresh = page.find("meta", attrs={"http-equiv": "refresh"})["content"]
    assert refresh == "0; url=/plog/moved/"
    assert page.find("a")["href"] == "/plog/moved/"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_drafts_have_no_aliases(aliased):
    assert not (aliased.out / "old" / "draft").exists()
    assert "/old/draft/" not in (aliased.out / "_redirects").read_text()


def test_an_alias_removed_from_front_matter_disappears(aliased):
    aliased.write("other.md", OTHER.replace("redirect_from: /jekyll/other/\n", ""))
    aliased.build()
    assert not (aliased.out / "jekyll").exists()
    assert "/jekyll/other/" not in (aliased.out / "_redirects").read_text()


def failure(site) -> str:
    before = {p: p.read_bytes() for p in site.out.rglob("*") if p.is_file()} if site.out.exists() else {}
    result = site.run()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    after = {p: p.read_bytes() for p in site.out.rglob("*") if p.is_file()} if site.out.exists() else {}
    assert after == before
    return result.stderr


def test_alias_on_another_post_page_fails_naming_the_file(aliased):
    aliased.write("other.md", OTHER.replace("/jekyll/other/", "/plog/moved/"))
    message = failure(aliased)
    assert "other.md:4: alias /plog/moved/ would overwrite the page /plog/moved/" in message


def test_alias_of_two_posts_fails_naming_both(aliased):
    aliased.write("other.md", OTHER.replace("/jekyll/other/", "/old/bare"))
    message = failure(aliased)
    assert "other.md:4: alias /old/bare writes the same file as the alias /old/bare of" in message
    assert "moved.md" in message


@pytest.mark.parametrize("alias", ["/", "/rss.xml", "/oc-Python/", "/old/bare/", "/static/x.css", "/a b/"])
def test_alias_that_cannot_be_written_fails(site, alias):
    site.write("a.md", f"---\ntitle: A\ndate: 2024-01-01\ncategories: [Python]\naliases: ['{alias}']\n---\nA.\n")
    site.write("b.md", "---\ntitle: B\ndate: 2024-01-02\naliases: ['/old/bare']\n---\nB.\n")
    message = failure(site)
    assert f"alias {alias} " in message and "content/a.md" in message
