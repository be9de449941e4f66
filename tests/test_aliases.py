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


@pytest.mark.parametrize("alias", ["/PLOG/Moved/", "/Plog/moved", "/oc-python/", "/OC-Python/rss.xml", "/Static/x.css"])
def test_alias_on_a_page_in_another_case_fails(site, alias):
    """On a case-insensitive file system these would overwrite the page (or land in the static files)."""
    site.write("moved.md", "---\ntitle: Moved\ndate: 2024-01-01\ncategories: [Python]\n---\nMoved.\n")
    site.write("a.md", f"---\ntitle: A\ndate: 2024-01-02\naliases: ['{alias}']\n---\nA.\n")
    message = failure(site)
    assert f"content/a.md:4: alias {alias} " in message


def test_alias_problems_are_reported_with_every_other_problem(site):
    """Checked before anything is written, with the load stage's problems: one run names them all."""
    site.write("target.md", "---\ntitle: Target\ndate: 2024-01-01\n---\nTarget.\n")
    site.write("a.md", "---\ntitle: A\ndate: 2024-01-02\naliases: [/plog/target/, /old/a/]\n---\nA.\n")
    site.write("b.md", "---\ntitle: B\ndate: 2024-01-03\naliases: [/OLD/A/]\n---\nB.\n")
    site.write("undated.md", "---\ntitle: No such day\ndate: 2023-02-30\n---\nBody.\n")
    message = failure(site)
    assert "3 problems" in message, message
    assert "content/undated.md:3: invalid date" in message
    assert "content/a.md:4: alias /plog/target/ would overwrite the page /plog/target/ of content/target.md" in message
    assert "content/b.md:4: alias /OLD/A/ writes the same file as the alias /old/a/ of content/a.md" in message


def test_slugs_differing_only_by_case_are_duplicates(site):
    """`Hello.md` and `hello.md` would both write plog/hello/index.html on a case-insensitive file system."""
    site.write("Hello.md", "---\ntitle: Upper\ndate: 2024-01-01\n---\nUpper.\n")
    site.write("hello.md", "---\ntitle: Lower\ndate: 2024-01-02\n---\nLower.\n")
    message = failure(site)
    assert "content/Hello.md:1: slug 'Hello' is also used by content/hello.md (as 'hello')" in message
    assert "content/hello.md:1: slug 'hello' is also used by content/Hello.md (as 'Hello')" in message


@pytest.mark.django_db
def test_two_urls_on_one_file_name_their_sources():
    """The render stage's last line of defence, should something get past the sync stage's checks."""
    import datetime as dt

    from blog import registry, snapshot
    from blog.models import Post
    from core.errors import OutputError
    from kiln.render import list_pages

    snapshot.forget()
    for slug in ("Hello", "hello"):
        date = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        Post.objects.create(source_path=f"{slug}.md", slug=slug, title=slug, date=date, body_html="", markdown_key="")
    with pytest.raises(OutputError) as error:
        list_pages(registry.listed())
    snapshot.forget()
    expected = (
        "URLs /plog/Hello/ (content/Hello.md), /plog/hello/ (content/hello.md) would all write plog/Hello/index.html"
    )
    assert f"content/Hello.md: {expected}" in str(error.value)
