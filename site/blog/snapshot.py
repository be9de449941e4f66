"""Maps over every published post, kept in memory while the posts stay the same.

A post page shows its neighbours and related posts, and any URL may be an
alias; all come from maps built over *all* published posts, far too costly
to rebuild (or even to query) for every page. Each process keeps the maps
it built with the token of the posts they came from, and one cheap query per
use tells whether they still hold. Render workers are forked after
``blog.registry.fingerprints()`` built the catalog and the related and alias maps, so they
start with those; ``serve`` sees each content edit.

The token relies on how the sync stage writes: a post row is never updated
in place. A changed file deletes its row and inserts a new one, and ids are
never reused (AUTOINCREMENT on SQLite, a sequence on PostgreSQL), so
(number of posts, highest id) changes whenever any post does. Posts dated
in the future join the published set as time passes, so a map also expires
at the next such date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import Post

T = TypeVar("T")

_held: dict[str, tuple[tuple, dt.datetime | None, Any]] = {}


_frozen: list[tuple] = []  # the token while the posts cannot change (see frozen())


@contextmanager
def frozen() -> Iterator[None]:
    """While the posts cannot change (a render worker's pages): one token query, not one per use."""
    _frozen.append(token())
    try:
        yield
    finally:
        _frozen.pop()


def token() -> tuple:
    """What identifies the posts now: cheap enough for every request."""
    if _frozen:
        return _frozen[-1]
    table, pk = connection.ops.quote_name(Post._meta.db_table), connection.ops.quote_name(Post._meta.pk.column)
    # two subqueries, each answered from an index or the table's row count;
    # one aggregate with both would read every row
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT COUNT(*) FROM {table}), (SELECT MAX({pk}) FROM {table})")
        count, last = cursor.fetchone()
    return (count, last, settings.KILN.DRAFTS, settings.KILN.FUTURE)


def next_publication() -> dt.datetime | None:
    """When a post dated in the future joins the published ones, if one will."""
    if settings.KILN.FUTURE:
        return None
    upcoming = Post.objects.filter(date__gt=timezone.now()).order_by("date").values_list("date", flat=True)
    return upcoming.first()


def memo(name: str, build: Callable[[], T]) -> T:
    """``build()``'s value, built again only when the published posts changed."""
    key = token()
    held = _held.get(name)
    if held is not None and held[0] == key and (held[1] is None or timezone.now() < held[1]):
        return held[2]
    expires = next_publication()
    value = build()
    _held[name] = (key, expires, value)
    return value


def published_posts() -> tuple[list[Post], dict[str, int]]:
    """Every published post, newest first, with what a link to it shows; and slug -> position."""

    def build() -> tuple[list[Post], dict[str, int]]:
        posts = list(Post.objects.published().order_by("-date", "slug").only("slug", "title", "date"))
        return posts, {post.slug: i for i, post in enumerate(posts)}

    return memo("published", build)


def forget() -> None:
    """Drop every map (tests that roll back transactions reuse ids)."""
    _held.clear()
