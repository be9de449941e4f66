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

import copy
import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.db.models.base import ModelState
from django.utils import timezone

from .models import Category, Post, Tag

T = TypeVar("T")

_held: dict[str, tuple[tuple, dt.datetime | None, Any]] = {}
CHUNK = 500  # posts read by one query of loaded(): SQLite limits a query's parameters
AHEAD = 64  # posts one_loaded() reads in one query while pages render (the next ones to render)


_frozen: list[tuple] = []  # the token while the posts cannot change (see frozen())
_kept: dict[str, Any] = {}  # what while_frozen() built meanwhile


@contextmanager
def frozen() -> Iterator[None]:
    """While the database cannot change (a render worker's pages): one token query, not one per use."""
    _frozen.append(token())
    try:
        yield
    finally:
        _frozen.pop()
        if not _frozen:
            _kept.clear()


def while_frozen(name: str, build: Callable[[], T]) -> T:
    """``build()``'s value, kept while the database cannot change (see :func:`frozen`), else built at each use.

    For what the posts' token does not cover (the pages that are not posts).
    """
    if not _frozen:
        return build()
    if name not in _kept:
        _kept[name] = build()
    return _kept[name]


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


@dataclass(frozen=True)
class Published:
    """Every published post, newest first, with what listings, feeds and links show (not its body), each with
    its categories and tags prefetched; and the lists pages cut from them."""

    posts: list[Post]
    position: dict[str, int]  # slug -> index in posts
    categories: dict[str, Category]  # URL form -> the category
    tags: dict[str, Tag]
    in_category: dict[str, list[Post]]  # URL form -> its posts, newest first
    in_tag: dict[str, list[Post]]
    in_series: dict[str, list[Post]]  # series name -> its posts, oldest first


def published() -> Published:
    """The published posts, read in five queries once while they stay the same (not once per page)."""

    def build() -> Published:
        posts = lean(Post.objects.listed().prefetch_related(None))
        of_post = {name: prefetch(posts, name) for name in ("categories", "tags")}
        categories: dict[str, Category] = {}
        tags: dict[str, Tag] = {}
        in_category: dict[str, list[Post]] = defaultdict(list)
        in_tag: dict[str, list[Post]] = defaultdict(list)
        in_series: dict[str, list[Post]] = defaultdict(list)
        for post in posts:  # (the lists prefetch() gave: a related manager per post would cost more than the rest)
            for category in of_post["categories"].get(post.pk, ()):
                categories.setdefault(category.slug, category)
                in_category[category.slug].append(post)
            for tag in of_post["tags"].get(post.pk, ()):
                tags.setdefault(tag.slug, tag)
                in_tag[tag.slug].append(post)
        for post in sorted(posts, key=lambda post: (post.date, post.slug)):
            if post.series:
                in_series[post.series].append(post)
        position = {post.slug: i for i, post in enumerate(posts)}
        return Published(posts, position, categories, tags, dict(in_category), dict(in_tag), dict(in_series))

    return memo("published", build)


def lean(posts: QuerySet[Post]) -> list[Post]:
    """``list(posts)``, built as ``Model.from_db`` builds them but without ``Model.__init__`` (no field defaults
    to fill, no signals: a post has no ``pre_init`` or ``post_init`` receiver), which cost more than the query.

    The fields ``posts`` defers are left out of each post's ``__dict__``, so they load when first read, as
    deferred fields do.
    """
    listed, deferring = posts.query.deferred_loading  # the names deferred, or (only()) the only names loaded
    names = [
        field.attname
        for field in Post._meta.concrete_fields
        if (field.name in listed) != deferring or field.primary_key
    ]
    found = []
    for row in posts.values_list(*names):
        post = Post.__new__(Post)
        post.__dict__.update(zip(names, row, strict=True))
        post._state = ModelState()
        post._state.adding, post._state.db = False, posts.db
        found.append(post)
    return found


def prefetch(posts: Sequence[Post], name: str) -> dict[int, list]:
    """Give each of ``posts`` its ``name`` (``categories`` or ``tags``) as ``prefetch_related`` would, in two queries;
    and post id -> those terms, in that order.

    Django's prefetch makes a manager and a queryset per post and copies of the
    terms; here the posts with the same terms share one cached queryset (the
    same terms in the same order: the term model's, by name).
    """
    model = Post._meta.get_field(name).related_model
    terms = {term.pk: term for term in model.objects.all()}
    of_post: dict[int, list] = defaultdict(list)
    column = f"{model._meta.model_name}_id"
    for post_id, term_id in getattr(Post, name).through.objects.values_list("post_id", column):
        of_post[post_id].append(terms[term_id])
    shared: dict[tuple[int, ...], Any] = {}
    found_of: dict[int, list] = {}
    for post in posts:
        found = found_of[post.pk] = sorted(of_post.get(post.pk, ()), key=lambda term: (term.name, term.pk))
        key = tuple(term.pk for term in found)
        if key not in shared:
            cached = shared[key] = model.objects.all()
            cached._result_cache, cached._prefetch_done = found, True
        post.__dict__.setdefault("_prefetched_objects_cache", {})[name] = shared[key]
    return found_of


def published_posts() -> tuple[list[Post], dict[str, int]]:
    """Every published post, newest first, with what a link to it shows; and slug -> position."""
    found = published()
    return found.posts, found.position


def loaded(posts: Sequence[Post]) -> list[Post]:
    """Copies of ``posts`` (from :func:`published`) with the fields a listing leaves out read, in one query.

    The copies keep their prefetched categories and tags; the posts held stay lean.
    """
    deferred = sorted(set().union(*(post.get_deferred_fields() for post in posts))) if posts else []
    if not deferred:
        return list(posts)
    # a raw query (the model's own columns and converters): compiling the ORM's would cost more than running it
    quote = connection.ops.quote_name
    pk = quote(Post._meta.pk.column)
    columns = ", ".join([pk, *(quote(Post._meta.get_field(name).column) for name in deferred)])
    keys = [post.pk for post in posts]
    rows = {}
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        marks = ", ".join(["%s"] * len(chunk))
        query = f"SELECT {columns} FROM {quote(Post._meta.db_table)} WHERE {pk} IN ({marks})"
        rows.update((row.pk, row) for row in Post.objects.raw(query, chunk))
    copies = []
    for post in posts:
        full = copy.copy(post)
        for name in deferred:
            setattr(full, name, getattr(rows[post.pk], name))
        copies.append(full)
    return copies


@contextmanager
def upcoming(uris: Sequence[str]) -> Iterator[None]:
    """While pages at ``uris`` are rendered in this order (while frozen): :func:`one_loaded` reads ahead."""
    _kept["upcoming"] = {uri: i for i, uri in enumerate(uris)}, list(uris)
    try:
        yield
    finally:
        _kept.pop("upcoming", None)
        _kept.pop("ahead", None)


def one_loaded(post: Post) -> Post:
    """``loaded([post])[0]``; while pages render (:func:`upcoming`), read with the next ``AHEAD`` posts whose
    pages come next, in one query: one query per page cost more than rendering it.

    Only the last read is kept, so a worker holds the bodies of ``AHEAD`` posts at most.
    """
    order, uris = _kept.get("upcoming", ({}, []))
    if not _frozen or not order:
        return loaded([post])[0]
    ahead: dict[int, Post] = _kept.setdefault("ahead", {})
    if post.pk not in ahead:
        by_url = while_frozen("by_url", lambda: {one.get_absolute_url(): one for one in published().posts})
        start = order.get(post.get_absolute_url())
        batch = [post]
        if start is not None:
            following = (by_url.get(uri) for uri in itertools.islice(uris, start + 1, None))
            batch += itertools.islice((one for one in following if one is not None and one.pk != post.pk), AHEAD - 1)
        ahead.clear()
        ahead.update((one.pk, full) for one, full in zip(batch, loaded(batch), strict=True))
    return ahead[post.pk]


def forget() -> None:
    """Drop every map (tests that roll back transactions reuse ids)."""
    _held.clear()
