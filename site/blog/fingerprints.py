"""What each page's view reads, hashed without rendering it.

A page is rendered again only when its fingerprint changes (or the build's
global salt does: templates, code, settings, assets). A fingerprint must
cover every row the view reads: a post's own file hash covers its title,
date, body, categories, summary and aliases; category *names*, neighbours,
related posts (slug, title, date), the home page's category counts and a
feed's items come from other rows, so they are hashed too. Pages with no
fingerprint here are always rendered, which is always correct; the
clean-versus-incremental tests compare every byte of the output to prove
nothing is missing.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from kiln.errors import display_path

from . import aliases, related
from .models import Category, Post
from .views import page_url, split_pages

Fingerprints = dict[str, tuple[str | None, str | None]]


def _hash(parts: Iterable[object]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def compute() -> Fingerprints:
    """uri -> (fingerprint, content file it shows) for the blog's pages.

    Aliases that cannot be written were refused by the sync stage.
    """
    posts = list(
        Post.objects.published()
        .order_by("-date", "slug")
        .values_list("id", "slug", "title", "date", "source_hash", "source_path", "aliases")
    )
    names = dict(Category.objects.values_list("id", "name"))
    slugs = dict(Category.objects.values_list("id", "slug"))
    post_categories: dict[int, list[int]] = defaultdict(list)
    for post_id, category_id in Post.categories.through.objects.values_list("post_id", "category_id"):
        post_categories[post_id].append(category_id)
    content = display_path(Path(settings.KILN["CONTENT_DIR"])).rstrip("/")

    def card(index: int) -> tuple:
        post_id, slug, _title, _date, source_hash, _path, _aliases = posts[index]
        return (slug, source_hash, sorted((slugs[c], names[c]) for c in post_categories[post_id]))

    result: Fingerprints = {}
    feed_items = settings.KILN["FEED_ITEMS"]

    def listing(category: Category | None, indexes: list[int], extra: object = None) -> None:
        pages = split_pages(indexes)
        for number, shown in enumerate(pages, start=1):
            parts = ["listing", category and (category.slug, category.name), number, len(pages)]
            if number == 1:
                parts.append(extra)
            result[page_url(category, number)] = (_hash(parts + [card(i) for i in shown]), None)

    def feed(uri: str, category: Category | None, indexes: list[int]) -> None:
        items = indexes[:feed_items] if feed_items > 0 else indexes
        result[uri] = (_hash(["feed", category and category.name] + [card(i) for i in items]), None)

    everything = list(range(len(posts)))
    by_category: dict[int, list[int]] = defaultdict(list)
    for index, (post_id, *_rest) in enumerate(posts):
        for category_id in post_categories[post_id]:
            by_category[category_id].append(index)
    counts = sorted((slugs[c], names[c], len(indexes)) for c, indexes in by_category.items())
    listing(None, everything, counts)  # the home page lists the categories and their counts
    feed(reverse("feed"), None, everything)
    for category in Category.objects.filter(id__in=by_category):
        listing(category, by_category[category.id])
        feed(reverse("category-feed", args=[category.slug]), category, by_category[category.id])
    result[reverse("sitemap")] = (_hash(["sitemap"] + [card(i) for i in everything]), None)
    result[reverse("robots")] = (_hash(["robots"]), None)
    result[reverse("404")] = (_hash(["404"]), None)
    result[reverse("search")] = (_hash(["search"]), None)  # the same page for every query

    shown_by_slug = {slug: (title, date.isoformat()) for _id, slug, title, date, *_rest in posts}
    related_map = related.related_map()
    for index, (_post_id, slug, _title, _date, _source_hash, path, _aliases) in enumerate(posts):
        newer = posts[index - 1][1:3] if index > 0 else None
        older = posts[index + 1][1:3] if index + 1 < len(posts) else None
        others = [(other, *shown_by_slug[other]) for other in related_map.get(slug, ())]
        result[reverse("post", args=[slug])] = (_hash(["post", card(index), newer, older, others]), f"{content}/{path}")

    alias_map = aliases.current()
    result[reverse("redirects")] = (_hash(["redirects", sorted(alias_map.items())]), None)
    sources = {slug: (title, f"{content}/{path}") for _id, slug, title, _date, _h, path, _a in posts}
    for alias, slug in alias_map.items():
        name = "alias-folder" if aliases.is_folder(alias) else "alias"
        title, source = sources[slug]
        result[reverse(name, args=[alias.lstrip("/")])] = (_hash(["alias", alias, slug, title]), source)
    return result
