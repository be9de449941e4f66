"""The plan, render and check stages' shortcuts give what the long way gives."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest


def full_check(file: str) -> bool:
    """The page-file check as the render stage wrote it before its shortcut: split every path."""
    parts = file.split("/")
    return any(p in ("", ".", "..") for p in parts[:-1]) or parts[-1] in (".", "..")


def test_outside_shortcut_agrees_with_splitting_every_path():
    """Every path of up to six characters made of a letter, dots and slashes: the shortcut that skips the split
    for paths with no ``//`` and no name starting with a dot says what the split says."""
    from kiln.render import _outside

    for length in range(1, 7):
        for letters in itertools.product("a./", repeat=length):
            file = "".join(letters).lstrip("/")
            if file:
                assert _outside(file) == full_check(file), file


@pytest.mark.parametrize("file", ["plog/../x/index.html", "a//b.html", "./index.html", "a/.", "a/..", ".."])
def test_paths_outside_the_output_folder_are_refused(file):
    from kiln.render import _outside

    assert _outside(file)


@pytest.mark.parametrize("file", ["index.html", "plog/a.b/index.html", "a/", "p2/x..y.html", "feed.xml"])
def test_paths_inside_the_output_folder_pass(file):
    from kiln.render import _outside

    assert not _outside(file)


def term(model, name: str):
    return model.objects.create(name=name, slug=name.lower(), key=name.lower())


@pytest.mark.django_db
def test_published_terms_are_each_posts_own():
    """snapshot.published() groups posts by category and tag from its own prefetch (no related manager per
    post): each group, and each post's terms, are what the ORM says."""
    from blog import snapshot
    from blog.models import Category, Post, Tag

    snapshot.forget()
    web, python = term(Category, "Web"), term(Category, "Python")
    one, two = term(Tag, "One"), term(Tag, "Two")
    terms = {"a": ([web, python], [one]), "b": ([python], []), "c": ([], [one, two]), "d": ([web], [two])}
    for day, (slug, (categories, tags)) in enumerate(sorted(terms.items()), start=1):
        date = dt.datetime(2020, 1, day, tzinfo=dt.UTC)
        post = Post.objects.create(source_path=f"{slug}.md", slug=slug, title=slug, date=date, body_html="")
        post.categories.set(categories)
        post.tags.set(tags)
    found = snapshot.published()
    snapshot.forget()
    assert [post.slug for post in found.posts] == ["d", "c", "b", "a"]  # newest first
    assert {slug: [post.slug for post in posts] for slug, posts in found.in_category.items()} == {
        "web": ["d", "a"],
        "python": ["b", "a"],
    }
    assert {slug: [post.slug for post in posts] for slug, posts in found.in_tag.items()} == {
        "two": ["d", "c"],
        "one": ["c", "a"],
    }
    for post in found.posts:
        fresh = Post.objects.get(slug=post.slug)
        assert list(post.categories.all()) == list(fresh.categories.order_by("name", "pk"))
        assert list(post.tags.all()) == list(fresh.tags.order_by("name", "pk"))
    assert set(found.categories) == {"web", "python"} and set(found.tags) == {"one", "two"}


@pytest.mark.parametrize("root", ["/site/content", "content", ".", "/"])
def test_relative_names_are_pathlibs(root):
    """The content files' names inside the content folder, cut from the text, are what pathlib says."""
    from pathlib import Path

    from blog.scan import rel_path

    base = Path(root)
    paths = [base / "a.md", base / "images" / "b c.png", base / ".well-known" / "x", base / "d" / "e" / "f.txt"]
    assert [rel_path(base, path) for path in paths] == [path.relative_to(base).as_posix() for path in paths]
