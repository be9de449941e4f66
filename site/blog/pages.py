"""Every kind of page of the blog, declared in the page registry (see ``blog.registry``).

Each declaration names its URL, its view, how its pages are listed, what its
fingerprint covers (beside the view it fingerprints) and its sitemap entries.
The order is the order of the URL patterns.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.http import HttpRequest, HttpResponse
from django.urls import register_converter, reverse

from . import aliases, views
from .feeds import PostsFeed
from .registry import Catalog, Kind, ListPages, declare, listing, no_inputs, sitemaps

register_converter(aliases.AliasConverter, "alias")
register_converter(aliases.FolderAliasConverter, "folder_alias")


def alias_pages(folders: bool) -> ListPages:
    """Aliases served as files (``/old/post/``, ``/old.html``) or, with ``folders``, as folders (``/old``)."""

    def pages(c: Catalog) -> Iterator[tuple[str]]:
        for alias in sorted(c.aliases):
            if aliases.is_folder(alias) == folders:
                yield (alias.lstrip("/"),)

    return pages


def alias_shows(c: Catalog, alias: str) -> object:
    slug = c.aliases["/" + alias]
    return (slug, c.link(slug))


def alias_source(c: Catalog, alias: str) -> str:
    return c.sources[c.aliases["/" + alias]]


# first, so that an alias under /plog/ or /oc-... is not taken for a missing post or category;
# the converter matches only the aliases of published posts
declare(Kind("alias", "<alias:alias>", views.alias, alias_pages(False), alias_shows, alias_source))
declare(
    Kind(
        "alias-folder",
        "<folder_alias:alias>",
        views.alias,
        alias_pages(True),
        alias_shows,
        alias_source,
        distill_file="{0}/index.html",
    )
)


def category_counts(c: Catalog, args: tuple, number: int) -> object:
    """The home page's first page lists the categories and their post counts."""
    if number != 1:
        return None
    return [(slug, c.category_names[slug], len(members)) for slug, members in c.in_category.items()]


listing("home", "", views.home, groups=lambda c: [()], items=lambda c: c.everything, shows=category_counts)
listing(
    "category",
    "oc-<str:category>/",
    views.home,
    groups=lambda c: [(slug,) for slug in c.in_category],
    items=lambda c, slug: c.in_category[slug],
    shows=lambda c, args, number: c.category_names[args[0]],
)


def post_shows(c: Catalog, slug: str) -> object:
    """The post (its file hash covers its own fields), its categories, neighbours and related posts."""
    index = c.position[slug]
    newer = c.link(c.posts[index - 1][1]) if index > 0 else None
    older = c.link(c.posts[index + 1][1]) if index + 1 < len(c.posts) else None
    return [c.card(index), newer, older, [c.link(other) for other in c.related.get(slug, ())]]


declare(
    Kind(
        "post",
        "plog/<str:slug>/",
        views.post_detail,
        pages=lambda c: [(slug,) for slug in c.slugs],
        fingerprint=post_shows,
        source=lambda c, slug: c.sources[slug],
        sitemap=lambda c: [(reverse("post", args=[row[1]]), c.changed(i)) for i, row in enumerate(c.posts)],
    )
)


def feed_shows(c: Catalog, items: list[int], name: str | None) -> object:
    limit = settings.KILN.FEED_ITEMS
    return [name, [c.card(i) for i in (items[:limit] if limit > 0 else items)]]


declare(Kind("feed", "rss.xml", PostsFeed(), fingerprint=lambda c: feed_shows(c, c.everything, None)))
declare(
    Kind(
        "category-feed",
        "oc-<str:category>/rss.xml",
        PostsFeed(),
        pages=lambda c: [(slug,) for slug in c.in_category],
        fingerprint=lambda c, slug: feed_shows(c, c.in_category[slug], c.category_names[slug]),
    )
)


def sitemap_view(request: HttpRequest) -> HttpResponse:
    return sitemap(request, sitemaps=sitemaps())


def sitemap_shows(c: Catalog) -> object:
    return [c.card(i) for i in c.everything] + [c.changed(i) for i in c.everything]


declare(Kind("sitemap", "sitemap.xml", sitemap_view, fingerprint=sitemap_shows))
declare(Kind("robots", "robots.txt", views.robots, fingerprint=no_inputs))
declare(Kind("redirects", "_redirects", views.redirects, fingerprint=lambda c: sorted(c.aliases.items())))
declare(Kind("404", "404.html", views.not_found, fingerprint=no_inputs))
