"""Fingerprints cannot silently miss an input of a page.

An incremental build reuses a page whose fingerprint did not change, so a
fingerprint that misses something its page shows gives a stale page. This
test renders every page of a small site, then changes one input at a time
(a title, a date, a category, an alias…) and renders every page again: a
page whose bytes changed must have a new fingerprint. It covers every kind
of page declared in the page registry, and fails when a kind has no page in
the site, so a new kind of page must be given content here.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Callable

import pytest

import pictures
from conftest import PROJECT, Site

ENV = {"KILN_POSTS_PER_PAGE": "2", "KILN_FEED_ITEMS": "3", "KILN_RELATED_POSTS": "2"}
# pages that show nothing from the content: only a template or a setting changes them
STATIC_KINDS = {"robots", "404", "search"}
# pages named by the hash of their bytes: new content is a new URL, never new bytes at one URL
CONTENT_ADDRESSED = {"search-file", "image-variant"}

Posts = dict[str, dict[str, object]]

BASE: Posts = {
    "one.md": {
        "title": "One",
        "date": "2024-01-01",
        "categories": ["Python", "Web development"],
        "tags": ["django"],
        "series": "Basics",
        "keywords": ["static"],
        "aliases": ["/old/one.html", "/old/first"],
        "body": "The first post. See [two](/plog/two/).\n\n![A picture](/pic.png)",
    },
    "two.md": {
        "title": "Two",
        "date": "2024-02-01",
        "categories": ["Python"],
        "tags": ["django", "Deploy"],
        "series": "Basics",
        "keywords": ["static", "cdn"],
        "aliases": ["/old/two/"],
        "body": "The second post.",
    },
    "three.md": {
        "title": "Three",
        "date": "2024-03-01",
        "categories": ["Web development"],
        "keywords": ["cdn"],
        "body": "The third post.",
    },
    "four.md": {
        "title": "Four",
        "date": "2024-04-01",
        "categories": ["Python"],
        "keywords": ["search"],
        "body": "The fourth post.",
    },
    "five.md": {
        "title": "Five",
        "date": "2024-05-01",
        "categories": ["Python", "Web development"],
        "tags": ["django"],
        "keywords": ["search", "static"],
        "summary": "Five, in short.",
        "body": "The fifth post.",
    },
    # not a post: a page at its own path (blog.standalone)
    "about.md": {"title": "About", "layout": "page", "body": "About this site."},
    "pic.png": {"size": [600, 400]},  # a picture, drawn by write()
    # a Zola section: its list page at /notes/ (blog.sections), two pages of its three posts
    "notes/_index.md": {"title": "Notes", "description": "Short ones.", "body": "What the notes are."},
    "notes/n1.md": {"title": "Note 1", "date": "2023-01-01", "body": "A note."},
    "notes/n2.md": {"title": "Note 2", "date": "2023-02-01", "body": "A note."},
    "notes/n3.md": {"title": "Note 3", "date": "2023-03-01", "body": "A note."},
}


def front_matter(fields: dict[str, object]) -> str:
    lines = ["---"]
    for name, value in fields.items():
        if name != "body":
            lines.append(f"{name}: {json.dumps(value)}")
    return "\n".join([*lines, "---", str(fields["body"]), ""])


def change(name: str, field: str, value: object) -> Callable[[Posts], None]:
    def apply(posts: Posts) -> None:
        posts[name][field] = value

    return apply


def rename(field: str, old: str, new: str) -> Callable[[Posts], None]:
    """Rename a category (``field`` is ``categories``) or a tag (``tags``) in every post."""

    def apply(posts: Posts) -> None:
        for fields in posts.values():
            fields[field] = [new if c == old else c for c in fields.get(field, [])]

    return apply


def remove(name: str) -> Callable[[Posts], None]:
    return lambda posts: posts.pop(name)


def add_post(posts: Posts) -> None:
    posts["six.md"] = {"title": "Six", "date": "2024-03-15", "categories": ["Python"], "body": "New."}


CHANGES = {
    "title": change("three.md", "title", "Three, retitled"),
    "title of an aliased post": change("one.md", "title", "One, retitled"),
    "body": change("three.md", "body", "The third post, rewritten."),
    "body after its first paragraph": change("three.md", "body", "The third post.\n\nA second paragraph."),
    "body long enough to be read longer": change("three.md", "body", "The third post.\n\n" + "word " * 400),
    "summary": change("five.md", "summary", "Five, said otherwise."),
    "date": change("two.md", "date", "2024-04-15"),
    "updated": change("four.md", "updated", "2024-06-01"),
    "slug": change("four.md", "slug", "fourth"),
    "categories": change("two.md", "categories", ["Python", "Web development"]),
    "category name": rename("categories", "Web development", "Web-development"),  # same URL, new name
    "tags": change("three.md", "tags", ["Deploy"]),
    "tag name": rename("tags", "django", "Django"),  # same URL, new name
    "series": change("three.md", "series", "Basics"),
    "keywords": change("four.md", "keywords", ["static", "cdn"]),
    "aliases": change("two.md", "aliases", ["/old/two/", "/old/second.html"]),
    "alias of another post": change("one.md", "aliases", ["/old/one.html"]),
    "draft": change("three.md", "draft", True),
    "picture": change("pic.png", "size", [700, 300]),
    "own URL": change("four.md", "url", "/plog/fourth/by-url/"),
    "own URL elsewhere": change("four.md", "url", "/2024/04/four.html"),
    "new post": add_post,
    "page title": change("about.md", "title", "About us"),
    "page body": change("about.md", "body", "About this site, said again."),
    "removed post": remove("four.md"),
    "section title": change("notes/_index.md", "title", "Notes, renamed"),
    "section description": change("notes/_index.md", "description", "Short ones, said otherwise."),
    "section body": change("notes/_index.md", "body", "What the notes are, said again."),
    "title of a post in a section": change("notes/n2.md", "title", "Note 2, retitled"),
    "post out of its section": lambda posts: posts.update({"n4.md": posts.pop("notes/n3.md")}),
}


# settings a page depends on, each changed on its own (with the link of one.md to two.md following it)
SETTING_CHANGES = {
    "permalink": ({"KILN_PERMALINK": "/plog/{year}/{month}/{slug}/"}, "/plog/2024/02/two/"),
    "permalink under another folder": ({"KILN_PERMALINK": "/posts/{slug}/"}, "/posts/two/"),
}


def write(site: Site, posts: Posts) -> None:
    for path in site.content.rglob("*.md"):
        path.unlink()
    for name, fields in posts.items():
        if name.endswith(".png"):
            pictures.draw(site.content / name, tuple(fields["size"]))
            continue
        (site.content / name).parent.mkdir(exist_ok=True)
        (site.content / name).write_text(front_matter(fields), encoding="utf-8")


def render_all(site: Site, env: dict[str, str] | None = None) -> dict[str, dict]:
    """Render every page (no manifest: nothing is reused) and return the build's record of pages."""
    manifest = site.cache / "render-manifest.json"
    manifest.unlink(missing_ok=True)
    site.build(env={**ENV, **(env or {})})
    return json.loads(manifest.read_text())["pages"]


def declared_kinds() -> set[str]:
    code = (
        "import django, sys; sys.path.insert(0, 'site'); django.setup(); "
        "from blog import registry; print('\\n'.join(k.name for k in registry.kinds()))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> tuple[Site, dict[str, dict]]:
    site = Site(tmp_path_factory.mktemp("fingerprints"))
    site.content.mkdir()
    write(site, BASE)
    return site, render_all(site)


def test_every_kind_of_page_is_in_the_site(base):
    _site, pages = base
    assert declared_kinds() <= {page["kind"] for page in pages.values()}


def test_a_page_whose_bytes_change_gets_a_new_fingerprint(base):
    site, before = base
    changed_kinds = set()
    missed = []
    changes = [(name, apply, None) for name, apply in CHANGES.items()]
    changes += [
        (name, change("one.md", "body", f"The first post. See [two]({link})."), env)
        for name, (env, link) in SETTING_CHANGES.items()
    ]
    for name, apply, env in changes:
        posts = copy.deepcopy(BASE)
        apply(posts)
        write(site, posts)
        after = render_all(site, env)
        for uri in before.keys() & after.keys():
            old, new = before[uri], after[uri]
            if new["kind"] in CONTENT_ADDRESSED:
                assert old["sha"] == new["sha"], f"{name}: {uri} changed its bytes at the same URL"
            elif old["sha"] != new["sha"]:
                changed_kinds.add(new["kind"])
                if old["fingerprint"] is not None and old["fingerprint"] == new["fingerprint"]:
                    missed.append(f"{name}: {uri} ({new['kind']}) changed but kept its fingerprint")
        # a content-addressed page that changed is one with a new URL
        changed_kinds |= {after[uri]["kind"] for uri in after.keys() - before.keys()} & CONTENT_ADDRESSED
    assert not missed, "\n".join(missed)
    # every kind that shows content had a page changed by some input, so the check above covered it
    assert declared_kinds() - STATIC_KINDS - CONTENT_ADDRESSED <= changed_kinds


# edits of a post's text that leave its summary and reading time: only its own page and the feeds that carry
# its text can change
TEXT_EDITS = {
    "a paragraph added": change("three.md", "body", "The third post.\n\nA second paragraph."),
    "a post with a summary rewritten": change("five.md", "body", "The fifth post, said otherwise."),
}


def test_a_text_edit_renders_again_only_pages_whose_bytes_change(base):
    """A fingerprint holds what its page shows, no more: listings, the sitemap, the archive and the related
    posts' pages show no post's text, so editing it keeps their fingerprints."""
    site, before = base
    for name, apply in TEXT_EDITS.items():
        posts = copy.deepcopy(BASE)
        apply(posts)
        write(site, posts)
        after = render_all(site)
        refingerprinted = {
            uri for uri in before.keys() & after.keys() if before[uri]["fingerprint"] != after[uri]["fingerprint"]
        }
        needless = sorted(uri for uri in refingerprinted if before[uri]["sha"] == after[uri]["sha"])
        assert not needless, f"{name}: these pages kept their bytes but got a new fingerprint: {needless}"
        kinds = {after[uri]["kind"] for uri in refingerprinted}
        assert "post" in kinds, f"{name}: the post's page did not change"
    write(site, BASE)
