"""Every kind of page of the blog, declared in the page registry (see ``blog.registry``).

Each declaration names its URL, its view, how its pages are listed, what its
fingerprint covers (beside the view it fingerprints) and its sitemap entries.
The order is the order of the URL patterns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import register_converter

from core import permalinks

from . import aliases, cards, images, reversing, sections, snapshot, views
from .feeds import FORMATS, PostsFeed
from .models import Page
from .registry import (
    Catalog,
    Kind,
    ListPages,
    SitemapEntry,
    catalog,
    declare,
    kinds,
    listing,
    no_inputs,
    one_page,
    sitemaps,
)

SECTION_FILE = r"(^|/)_index\.(md|markdown)$"  # blog.layout.SECTION_INDEX, as a query matches it
Names = Mapping[str, str]  # URL form -> name shown
Members = Mapping[str, Sequence[int]]  # URL form -> its posts, newest first

register_converter(aliases.AliasConverter, "alias")
register_converter(aliases.FolderAliasConverter, "folder_alias")


def plain_pages() -> QuerySet[Page]:
    """The pages that are not section files (those are section list pages, see ``blog.sections``)."""
    return Page.objects.exclude(source_path__iregex=SECTION_FILE)


class PageConverter:
    """Matches a path only when it is the URL of a page (``about/``, see ``blog.standalone``), so that every
    other URL goes on to the patterns after it."""

    regex = r"(?:[^/]+/)+"

    def to_python(self, value: str) -> str:
        # every URL not matched before reaches this converter: one query per render worker, not one per page
        urls = snapshot.while_frozen("page-urls", lambda: set(plain_pages().values_list("url", flat=True)))
        if "/" + value not in urls:
            raise ValueError(f"/{value} is no page")
        return value

    def to_url(self, value: str) -> str:
        return value.lstrip("/")


register_converter(PageConverter, "standalone_page")


class SectionConverter:
    """Matches a path only when it is a section's URL (``inside-rust/``), as :class:`PageConverter` does."""

    regex = r"(?:[^/]+/)+"

    def to_python(self, value: str) -> str:
        if "/" + value not in sections.index(catalog())[0]:
            raise ValueError(f"/{value} is no section")
        return value

    def to_url(self, value: str) -> str:
        return value.lstrip("/")


register_converter(SectionConverter, "section")


class PostConverter:
    """Matches a post's key (``hello``, ``2014/12/12/hello``), only when a published post has it: below a
    permalink prefix of ``/`` the other pages' URLs must still reach their own views."""

    regex = r"(?:[^/]+/)*[^/]+"

    def to_python(self, value: str) -> str:
        if value not in catalog().position:
            raise ValueError(f"no published post is named {value}")
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PostConverter, "post")


def alias_pages(folders: bool) -> ListPages:
    """Aliases served as files (``/old/post/``, ``/old.html``) or, with ``folders``, as folders (``/old``)."""

    def pages(c: Catalog) -> Iterator[tuple[str]]:
        for alias in sorted({*c.aliases, *aliases.of_pages()}):
            if aliases.is_folder(alias) == folders:
                yield (alias.lstrip("/"),)

    return pages


def alias_shows(c: Catalog, alias: str) -> object:
    """A post's alias shows its post's link; a page's (see ``aliases.of_pages``) its page's URL and title."""
    slug = c.aliases.get("/" + alias)
    return (slug, c.link(slug)) if slug is not None else aliases.of_pages()["/" + alias][:2]


def alias_source(c: Catalog, alias: str) -> str:
    slug = c.aliases.get("/" + alias)
    return c.sources[slug] if slug is not None else aliases.of_pages()["/" + alias][2]


def standalone_pages(c: Catalog) -> list[tuple[str]]:
    return [(url.lstrip("/"),) for url in plain_pages().values_list("url", flat=True)]


def standalone_shows(c: Catalog, url: str) -> object:
    """The page's own row: its file's hash covers its title, URL and body."""
    return list(Page.objects.filter(url="/" + url).values_list("source_hash", "title", "url", "markdown_key"))


def standalone_source(c: Catalog, url: str) -> str | None:
    return Page.objects.filter(url="/" + url).values_list("source_path", flat=True).first()


def standalone_entries(c: Catalog) -> list[SitemapEntry]:
    return [(url, None) for url in plain_pages().values_list("url", flat=True)]


# first, so that an alias under /plog/, /oc-... or /tag/ is not taken for a missing post or category;
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
# pages that are not posts (about, docs), at their own path; the converter matches only their URLs
declare(
    Kind(
        "page",
        "<standalone_page:url>",
        views.page,
        standalone_pages,
        standalone_shows,
        standalone_source,
        standalone_entries,
    )
)
# a section's posts, paginated, at the section's URL (Hugo's and Zola's section pages)
listing(
    "section",
    "<section:section>",
    views.home,
    groups=lambda c: [(url.lstrip("/"),) for url in sections.index(c)[0]],
    items=lambda c, url: sections.index(c)[1]["/" + url],
    shows=lambda c, args, number: sections.index(c)[0]["/" + args[0]].shows,
)


def feed_shows(c: Catalog, items: list[int], name: str | None) -> object:
    """A feed's items: each post's card, and its text when the feed carries it (``FEED_FULL_CONTENT``)."""
    limit = settings.KILN.FEED_ITEMS
    shown = c.entry if settings.KILN.FEED_FULL_CONTENT else c.card
    return [name, [shown(i) for i in (items[:limit] if limit > 0 else items)]]


def declare_feeds(name: str, folder: str, pages: ListPages, shows: Callable[..., object]) -> None:
    """The feeds of one listing in every format: ``name`` (RSS), ``name-atom``, ``name-json``."""
    for suffix, feed_format in FORMATS.items():
        feed = PostsFeed(feed_format.feed_type)
        declare(Kind(f"{name}{suffix}", folder + feed_format.file, feed, pages=pages, fingerprint=shows))


def category_counts(c: Catalog, args: tuple, number: int) -> object:
    """The home page's first page lists the categories and their post counts."""
    if number != 1:
        return None
    return [(slug, c.category_names[slug], len(members)) for slug, members in c.in_category.items()]


listing("home", "", views.home, groups=lambda c: [()], items=lambda c: c.everything, shows=category_counts)


def taxonomy_pages(name: str, folder: str, terms: Callable[[Catalog], tuple[Names, Members]]) -> None:
    """The pages of each category (or tag): its paginated listing and its feeds in every format.

    ``terms(c)`` gives URL form -> name shown and URL form -> its posts, newest first.
    """
    listing(
        name,
        folder,
        views.home,
        groups=lambda c: [(slug,) for slug in terms(c)[1]],
        items=lambda c, slug: terms(c)[1][slug],
        shows=lambda c, args, number: terms(c)[0][args[0]],
    )
    declare_feeds(
        f"{name}-feed",
        folder,
        lambda c: [(slug,) for slug in terms(c)[1]],
        lambda c, slug: feed_shows(c, terms(c)[1][slug], terms(c)[0][slug]),
    )


taxonomy_pages("category", "oc-<str:category>/", lambda c: (c.category_names, c.in_category))


def tag_counts(c: Catalog) -> object:
    return [(slug, c.tag_names[slug], len(members)) for slug, members in c.in_tag.items()]


def tag_list_entries(c: Catalog) -> list[SitemapEntry]:
    """The tag list, once there are tags: its lastmod the newest change among tagged posts."""
    tagged = {i for members in c.in_tag.values() for i in members}
    return [(reversing.url("tags"), max(c.changed(i) for i in tagged))] if tagged else []


declare(Kind("tags", "tag/", views.tag_list, fingerprint=tag_counts, sitemap=tag_list_entries))
taxonomy_pages("tag", "tag/<str:tag>/", lambda c: (c.tag_names, c.in_tag))


def post_shows(c: Catalog, slug: str) -> object:
    """The post (its file hash covers its own fields), its categories, neighbours, related posts and series."""
    index = c.position[slug]
    newer = c.link(c.posts[index - 1][1]) if index > 0 else None
    older = c.link(c.posts[index + 1][1]) if index + 1 < len(c.posts) else None
    series = [c.link(other) for other in c.series.get(slug, ())]
    pictures = [(src, image.shows()) for src, image in c.pictures.of_post.get(slug, {}).items()]
    return [c.entry(index), newer, older, [c.link(other) for other in c.related.get(slug, ())], series, pictures]


def post_entries(c: Catalog) -> list[SitemapEntry]:
    url = reversing.reverser()
    return [(url("post", [row[1]]), c.changed(i)) for i, row in enumerate(c.posts)]


declare(
    Kind(
        "post",
        permalinks.prefix(settings.KILN.PERMALINK).lstrip("/") + "<post:slug>/",
        views.post_detail,
        pages=lambda c: [(slug,) for slug in c.slugs],
        fingerprint=post_shows,
        source=lambda c, slug: c.sources[slug],
        sitemap=post_entries,
    )
)


def variant_shows(c: Catalog, name: str) -> object:
    """A variant's name holds its picture's content hash and its width; the encoder makes the rest."""
    return (name, images.encoder())


declare(
    Kind(
        "image-variant",
        images.URL_PREFIX.lstrip("/") + "<str:name>",
        views.image_variant,
        pages=lambda c: [(name,) for name in sorted(c.pictures.variants)],
        fingerprint=variant_shows,
        source=lambda c, name: images.relative(c.pictures.variants[name][0].source),
    )
)


declare(
    Kind(
        "social-card",
        cards.URL_PREFIX.lstrip("/") + "<path:slug>.png",
        views.social_card,
        pages=lambda c: [(slug,) for slug in c.cards],
        fingerprint=lambda c, slug: (c.link(slug), cards.version()),
        source=lambda c, slug: c.sources[slug],
    )
)


def archive_entries(c: Catalog) -> list[SitemapEntry]:
    return [(reversing.url("archive"), max((c.changed(i) for i in c.everything), default=None))]


declare(
    Kind(
        "archive",
        "plog/",
        views.archive,
        fingerprint=lambda c: [c.link(row[1]) for row in c.posts],
        sitemap=archive_entries,
    )
)


declare_feeds("feed", "", one_page, lambda c: feed_shows(c, c.everything, None))


def sitemap_view(request: HttpRequest) -> HttpResponse:
    return sitemap(request, sitemaps=sitemaps())


def sitemap_shows(c: Catalog) -> object:
    """The sitemap shows each page's URL and when it last changed, nothing of what the pages say."""
    shown = [(kind.name, kind.sitemap(c)) for kind in kinds() if kind.sitemap is not None]
    return [(name, [(url, changed and changed.isoformat()) for url, changed in entries]) for name, entries in shown]


declare(Kind("sitemap", "sitemap.xml", sitemap_view, fingerprint=sitemap_shows))
declare(Kind("robots", "robots.txt", views.robots, fingerprint=no_inputs))
declare(
    Kind(
        "redirects",
        "_redirects",
        views.redirects,
        fingerprint=lambda c: (sorted(c.aliases.items()), sorted(aliases.of_pages().items())),
    )
)
declare(Kind("404", "404.html", views.not_found, fingerprint=no_inputs))
