"""What each page's view reads, hashed without rendering it.

A page is rendered again only when its fingerprint changes (or the build's
global salt does: templates, code, settings, assets). A fingerprint must
cover every row the view reads: a post's own file hash covers its title,
date, body, categories and summary; category *names* and neighbours come
from other rows, so they are hashed too. Pages with no fingerprint here are
always rendered, which is always correct.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse

from .models import Category, Post
from .views import page_url

Fingerprints = dict[str, tuple[str | None, str | None]]


def _hash(parts: Iterable[object]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def compute() -> Fingerprints:
    """uri -> (fingerprint, content file it shows) for the blog's pages."""
    posts = list(
        Post.objects.published()
        .order_by("-date", "slug")
        .values_list("id", "slug", "title", "source_hash", "source_path")
    )
    names = dict(Category.objects.values_list("id", "name"))
    slugs = dict(Category.objects.values_list("id", "slug"))
    post_categories: dict[int, list[int]] = defaultdict(list)
    for post_id, category_id in Post.categories.through.objects.values_list("post_id", "category_id"):
        post_categories[post_id].append(category_id)

    def card(index: int) -> tuple:
        post_id, slug, _title, source_hash, _path = posts[index]
        return (slug, source_hash, sorted((slugs[c], names[c]) for c in post_categories[post_id]))

    result: Fingerprints = {}
    per_page = settings.KILN["POSTS_PER_PAGE"]

    def listing(category: Category | None, indexes: list[int]) -> None:
        pages = max(1, -(-len(indexes) // per_page))
        for number in range(1, pages + 1):
            shown = indexes[(number - 1) * per_page : number * per_page]
            parts = ["listing", category and (category.slug, category.name), number, pages]
            result[page_url(category, number)] = (_hash(parts + [card(i) for i in shown]), None)

    listing(None, list(range(len(posts))))
    by_category: dict[int, list[int]] = defaultdict(list)
    for index, (post_id, *_rest) in enumerate(posts):
        for category_id in post_categories[post_id]:
            by_category[category_id].append(index)
    for category in Category.objects.filter(id__in=by_category):
        listing(category, by_category[category.id])

    for index, (_post_id, slug, _title, _source_hash, path) in enumerate(posts):
        newer = posts[index - 1][1:3] if index > 0 else None
        older = posts[index + 1][1:3] if index + 1 < len(posts) else None
        result[reverse("post", args=[slug])] = (_hash(["post", card(index), newer, older]), path)
    result[reverse("404")] = (_hash(["404"]), None)
    return result
