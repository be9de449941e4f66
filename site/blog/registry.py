"""The page registry: every kind of page the site exports, declared once.

Adding a kind of page is one declaration (in ``<app>/pages.py``: every
installed app's ``pages`` module is imported, the blog's first, before the
URL patterns are built in ``config/urls.py``) plus its template::

    from blog.registry import Kind, declare

    declare(Kind(
        name="tag",                                   # URL name: reverse("tag", args=["python"])
        route="tag/<str:tag>/",                       # a django.urls.path() route
        view=views.tag,                               # an ordinary Django view
        pages=lambda c: [(tag,) for tag in c.tags],   # the args of every page (default: one page, no args)
        fingerprint=lambda c, tag: [...],             # what the page shows (hashed); None: render every build
        source=None,                                  # (c, *args) -> the content file it shows, for messages
        sitemap=lambda c: [(url, lastmod), ...],      # its sitemap entries, in order; None: not in the sitemap
    ))

A paginated listing (``/``, ``/p2/``…) is one :func:`listing` call, which
declares ``name`` and ``name-page`` and derives their pages, fingerprints
and sitemap entries from the posts each page shows; :func:`page_url` gives
the URL of any page of it.

``c`` is the :class:`Catalog`: what listing and fingerprinting read from the
database, each part computed once when first used and kept while the
published posts stay the same. A fingerprint must cover everything the page
shows; ``tests/test_fingerprints.py`` changes one input at a time and fails
when a page's bytes changed but its fingerprint did not, for every kind
declared here.

From the declarations this module derives the URL patterns (django-distill,
:func:`urlpatterns`), the fingerprints (:func:`fingerprints`), the sitemap
sections (:func:`sitemaps`) and, before the database is written, the pages a
build is about to write (:func:`planned`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import get_resolver
from django.utils.module_loading import autodiscover_modules
from django_distill import distill_path
from django_distill.renderer import DistillRenderer
from django_distill.request import generate_filename, generate_uri
from django_distill.urls import get_distilled_urls

from core import permalinks
from core.errors import display_path

from . import aliases, images, related, reversing, snapshot
from .models import Post, reading_minutes, rows
from .paging import page_count, per_page

Args = tuple[Any, ...]
SitemapEntry = tuple[str, dt.datetime | None]  # location, lastmod
Fingerprints = dict[str, tuple[str | None, str | None]]  # uri -> (fingerprint or None, content file shown)
# what a listing shows of a post besides its slug, title, date and update (Catalog.card); the last, its number of
# words, as its reading time
SHOWN = ("utc_offset", "summary", "extra", "series", "word_count")


class Catalog:
    """What the registry lists and fingerprints pages from: the published posts, their categories and tags.

    Posts are numbered by their place in the listing order (newest first,
    then by slug); listings hold those numbers. Built from the database by
    :func:`catalog`, or, before the database is written, from the posts
    about to be published by :func:`planned` (which knows only ``slugs``,
    ``sources``, ``everything``, ``in_category`` and ``in_tag``).
    """

    def __init__(self, **known: Any) -> None:
        self.__dict__.update(known)  # set parts win over the cached properties below

    @cached_property
    def posts(self) -> list[tuple]:
        """(id, slug, title, date, updated, source_hash, source_path, then what a listing shows of it besides:
        :data:`SHOWN`) of every published post, newest first."""
        columns = ("id", "slug", "title", "date", "updated", "source_hash", "source_path", *SHOWN)
        return rows(Post.objects.published().order_by("-date", "slug"), *columns)

    @cached_property
    def position(self) -> dict[str, int]:
        return {row[1]: i for i, row in enumerate(self.posts)}

    @cached_property
    def slugs(self) -> list[str]:
        """Every published post's slug, sorted."""
        return sorted(self.position)

    @cached_property
    def sources(self) -> dict[str, str]:
        """slug -> the post's file, relative to the content folder."""
        return {row[1]: row[6] for row in self.posts}

    @cached_property
    def everything(self) -> Sequence[int]:
        return range(len(self.posts))

    def _terms(self, field: str) -> tuple[dict[str, str], dict[str, list[int]], dict[int, list[tuple[str, str]]]]:
        """URL form -> name, URL form -> posts, post -> (URL form, name) of the categories or tags (``field``)."""
        by_id = {row[0]: i for i, row in enumerate(self.posts)}
        model = Post._meta.get_field(field).related_model
        through = getattr(Post, field).through
        known = dict(model.objects.values_list("id", "slug"))
        names: dict[str, str] = dict(model.objects.values_list("slug", "name"))
        members: dict[str, list[int]] = defaultdict(list)
        shown: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for post_id, term_id in through.objects.values_list("post_id", f"{model._meta.model_name}_id"):
            if post_id in by_id:
                slug = known[term_id]
                members[slug].append(by_id[post_id])
                shown[by_id[post_id]].append((slug, names[slug]))
        in_term = {slug: sorted(members[slug]) for slug in sorted(members)}
        return {slug: names[slug] for slug in in_term}, in_term, shown

    @cached_property
    def _categories(self) -> tuple[dict[str, str], dict[str, list[int]], dict[int, list[tuple[str, str]]]]:
        return self._terms("categories")

    @cached_property
    def _tags(self) -> tuple[dict[str, str], dict[str, list[int]], dict[int, list[tuple[str, str]]]]:
        return self._terms("tags")

    @property
    def category_names(self) -> dict[str, str]:
        """URL form -> name shown, of every category with a published post."""
        return self._categories[0]

    @cached_property
    def in_category(self) -> Mapping[str, Sequence[int]]:
        """URL form -> its published posts, newest first; sorted by URL form."""
        return self._categories[1]

    @property
    def tag_names(self) -> dict[str, str]:
        """URL form -> name shown, of every tag with a published post."""
        return self._tags[0]

    @cached_property
    def in_tag(self) -> Mapping[str, Sequence[int]]:
        """URL form -> its published posts, newest first; sorted by URL form."""
        return self._tags[1]

    @cached_property
    def series(self) -> dict[str, list[str]]:
        """Series name -> the slugs of its published posts, oldest first; and slug -> its series name."""
        rows = Post.objects.published().exclude(series="").order_by("date", "slug").values_list("slug", "series")
        members: dict[str, list[str]] = defaultdict(list)
        for slug, name in rows:
            members[name].append(slug)
        return {slug: members[name] for slug, name in rows}

    @cached_property
    def pictures(self) -> images.Pictures:
        """The local pictures of every published post, measured, and their WebP variants."""
        posts = Post.objects.published().filter(body_html__icontains="<img")  # most posts show none: not read
        rows = posts.order_by("slug").values_list("slug", "source_path", "body_html")
        return images.collect([(slug, reversing.url("post", [slug]), path, body) for slug, path, body in rows])

    @cached_property
    def social_images(self) -> dict[str, str]:
        """slug -> the picture a link to the post previews, as written: its ``image:`` field, else its first
        image; posts with neither are left out (they get a social card)."""
        found = dict(self.pictures.first_src)
        for slug, extra in Post.objects.published().exclude(extra={}).values_list("slug", "extra"):
            image = extra.get("image") or extra.get("images")
            image = image[0] if isinstance(image, list) and image else image
            if isinstance(image, str) and image.strip():
                found[slug] = image.strip()
        return found

    @cached_property
    def cards(self) -> list[str]:
        """The slugs of the posts that get a social card (none when ``KILN_SOCIAL_CARDS`` is off), sorted."""
        return [slug for slug in self.slugs if slug not in self.social_images] if settings.KILN.SOCIAL_CARDS else []

    @cached_property
    def aliases(self) -> dict[str, str]:
        """alias path -> slug of its post."""
        return aliases.current()

    @cached_property
    def related(self) -> related.RelatedMap:
        return related.related_map()

    @cached_property
    def _cards(self) -> list[str]:
        categories, tags = self._categories[2], self._tags[2]
        return [  # as text, made once: thousands of fingerprints hold each
            repr(
                (row[1], row[2], row[3].isoformat(), row[4] and row[4].isoformat(), *row[7:-1])
                + (reading_minutes(row[-1]), sorted(categories.get(i, ())), sorted(tags.get(i, ())))
            )
            for i, row in enumerate(self.posts)
        ]

    def card(self, index: int) -> str:
        """What a listing shows of post ``index``: every field of its front matter, its categories and tags, but
        of its body only what the body gives a listing (its summary when it has none of its own, its reading
        time), so that editing a post's text renders again only the listings whose bytes that can change."""
        return self._cards[index]

    def entry(self, index: int) -> str:
        """What post ``index``'s own page, or a feed with its whole text, shows of it: its card and its body
        (its file's hash covers both)."""
        return f"{self._cards[index]} {self.posts[index][5]}"

    @cached_property
    def _links(self) -> dict[str, str]:
        return {row[1]: repr((row[1], row[2], row[3].isoformat())) for row in self.posts}

    def link(self, slug: str) -> str:
        """What a link to a post by name shows: its slug, title and date."""
        return self._links[slug]

    def changed(self, index: int) -> dt.datetime:
        """When post ``index`` last changed: its update date, else its date."""
        row = self.posts[index]
        return row[4] or row[3]


ListPages = Callable[[Catalog], Iterable[Args]]


def one_page(catalog: Catalog) -> list[Args]:
    return [()]


def no_inputs(catalog: Catalog, *args: Any) -> tuple:
    """The fingerprint of a page that shows nothing from the content (it changes with templates only)."""
    return ()


@dataclass(frozen=True)
class Kind:
    """One kind of page: a URL pattern, its view, its pages, what they show, their sitemap entries."""

    name: str
    route: str
    view: Callable[..., Any]
    pages: ListPages = one_page
    fingerprint: Callable[..., object] | None = None
    source: Callable[..., str | None] | None = None
    sitemap: Callable[[Catalog], Iterable[SitemapEntry]] | None = None
    distill_file: str | None = None
    kwargs: dict[str, Any] = field(default_factory=dict)


_kinds: dict[str, Kind] = {}


def declare(kind: Kind) -> Kind:
    """Add a kind of page; its URL pattern comes after those declared before it."""
    if kind.name in _kinds:
        raise ValueError(f"a kind of page named {kind.name!r} is declared twice")
    _kinds[kind.name] = kind
    return kind


def kinds() -> list[Kind]:
    """Every declared kind, in order: each installed app's ``pages`` module is imported first (the blog's first)."""
    autodiscover_modules("pages")
    return list(_kinds.values())


def urlpatterns() -> list:
    """The django-distill pattern of every declared kind, in the order they were declared."""
    patterns = []

    def lister(kind: Kind) -> Callable[[], Iterator[Args]]:
        def pages() -> Iterator[Args]:  # a generator: distill takes an empty list for one page
            yield from kind.pages(catalog())

        return pages

    for kind in kinds():
        distill_func = None if kind.pages is one_page else lister(kind)
        patterns.append(
            distill_path(
                kind.route,
                kind.view,
                kind.kwargs or None,
                name=kind.name,
                distill_func=distill_func,
                distill_file=kind.distill_file,
            )
        )
    return patterns


def catalog() -> Catalog:
    """The catalog of the published posts now (one per process while they stay the same)."""
    return snapshot.memo("catalog", Catalog)


def page_url(name: str, args: Sequence[Any], number: int) -> str:
    """The URL of page ``number`` of the listing ``name`` (see :func:`listing`)."""
    return reversing.url(name, args) if number == 1 else reversing.url(f"{name}-page", (*args, number))


def listing(
    name: str,
    route: str,
    view: Callable[..., Any],
    groups: Callable[[Catalog], Iterable[Args]],
    items: Callable[..., Sequence[int]],
    shows: Callable[..., object] = no_inputs,
) -> tuple[Kind, Kind]:
    """Declare a paginated listing: ``name`` at ``route``, ``name-page`` at ``route`` + ``p<n>/``.

    ``groups(c)`` gives the args of each listing (``[()]`` for one listing,
    a category's URL form for each category), ``items(c, *args)`` its posts
    in the catalog's numbering, newest first, and ``shows(c, args, number)``
    what a page shows besides them (a banner, the category counts). Every
    page is in the sitemap, its ``lastmod`` the newest change among its posts.
    """

    def shown(catalog: Catalog, args: Args, number: int) -> Sequence[int]:
        size = per_page()
        return items(catalog, *args)[(number - 1) * size : number * size]

    def fingerprint(catalog: Catalog, *args_and_number: Any) -> object:
        args, number = args_and_number[:-1], args_and_number[-1]
        total = page_count(len(items(catalog, *args)))
        cards = [catalog.card(i) for i in shown(catalog, args, number)]
        return [number, total, shows(catalog, args, number), cards]

    def numbered(catalog: Catalog) -> Iterable[Args]:
        for args in groups(catalog):
            for number in range(2, page_count(len(items(catalog, *args))) + 1):
                yield (*args, number)

    def entries(catalog: Catalog) -> Iterable[SitemapEntry]:
        for args in groups(catalog):
            for number in range(1, page_count(len(items(catalog, *args))) + 1):
                changed = max((catalog.changed(i) for i in shown(catalog, args, number)), default=None)
                yield page_url(name, args, number), changed

    first = Kind(
        name,
        route,
        view,
        pages=lambda c: list(groups(c)),
        fingerprint=lambda c, *args: fingerprint(c, *args, 1),
        sitemap=entries,
    )
    rest = Kind(f"{name}-page", f"{route}p<int:page>/", view, pages=numbered, fingerprint=fingerprint)
    return declare(first), declare(rest)


def _hash(parts: Iterable[object]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Listed:
    """One page the build exports."""

    uri: str
    file: str  # where django-distill names its file (not unquoted)
    fingerprint: str | None  # None: render it every build
    source: str | None  # the content file it shows, for messages
    kind: str  # its URL name


def listed() -> list[Listed]:
    """Every page the build exports: those of every declared kind, then the site owner's other distilled pages.

    Each page's URL is reversed once (:mod:`blog.reversing`); django-distill
    lists only the patterns not declared here, as it would list them.
    """
    c = catalog()
    content = display_path(settings.KILN.CONTENT_DIR).rstrip("/")
    # every page links to posts by their key; the pattern turns a key into the URL the page shows
    urls = [settings.KILN.PERMALINK] if settings.KILN.PERMALINK != permalinks.DEFAULT else []
    result = []
    url = reversing.reverser()
    for kind in kinds():
        for args in kind.pages(c):
            fingerprint = (
                None if kind.fingerprint is None else _hash([kind.name, args, *urls, kind.fingerprint(c, *args)])
            )
            source = kind.source(c, *args) if kind.source else None
            uri = url(kind.name, args)
            file = generate_filename(kind.distill_file, uri, args) or uri  # type: ignore[arg-type]
            result.append(Listed(uri, file, fingerprint, source and f"{content}/{source}", kind.name))
    get_resolver().url_patterns  # noqa: B018 (imports the URL modules, which register their distilled patterns)
    others = [pattern for pattern in get_distilled_urls() if pattern.name not in _kinds]
    with DistillRenderer(others) as renderer:
        for pattern, params, uri in renderer.get_urls_to_render():
            file = generate_filename(pattern.distill_file, uri, params) or uri
            result.append(Listed(uri, file, None, None, pattern.name))
    return result


def fingerprints() -> Fingerprints:
    """uri -> (fingerprint, content file it shows) of every declared page."""
    return {page.uri: (page.fingerprint, page.source) for page in listed() if page.kind in _kinds}


class KindSitemap(Sitemap):
    """The sitemap entries of one kind of page."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind

    def items(self) -> list[SitemapEntry]:
        return list(self.kind.sitemap(catalog()))  # type: ignore[misc]

    def location(self, item: SitemapEntry) -> str:
        return item[0]

    def lastmod(self, item: SitemapEntry) -> dt.datetime | None:
        return item[1]


def sitemaps() -> dict[str, Sitemap]:
    """One ``django.contrib.sitemaps`` section per kind with sitemap entries, in declaration order."""
    return {kind.name: KindSitemap(kind) for kind in kinds() if kind.sitemap is not None}


def planned(
    posts: Mapping[str, str],
    categories: Mapping[str, int],
    tags: Mapping[str, int],
    clashes: list[tuple[tuple[str, str | None], tuple[str, str | None]]] | None = None,
) -> aliases.Pages:
    """Output file (without case) -> (URL, source path or None) of every page a build writes besides aliases.

    Known before the database is written, from the posts about to be
    published: ``posts`` maps each one's slug to its source path,
    ``categories`` (``tags``) a category's (tag's) URL form to its number of published posts.
    Distilled pages that take no parameter and are not declared here (a page
    the site's owner adds in ``config/urls.py``) are counted too. Two pages
    on one file (a post whose permalink lands on a tag page) keep the first;
    ``clashes`` gets ((URL, source) kept, (URL, source) refused) of each.
    """
    c = Catalog(
        slugs=sorted(posts),
        position={slug: i for i, slug in enumerate(sorted(posts))},  # numbers of its own, for counts (sections)
        sources=dict(posts),
        everything=range(len(posts)),
        in_category={form: range(count) for form, count in sorted(categories.items())},
        in_tag={form: range(count) for form, count in sorted(tags.items())},
        aliases={},
        pictures=images.NONE,  # variants and cards live under folders of their own
        cards=[],
    )
    declared = kinds()
    get_resolver().url_patterns  # noqa: B018 (imports the URL modules, which register their distilled patterns)
    found: aliases.Pages = {}

    def add(uri: str, source: str | None = None, distill_file: str | None = None, args: Args = ()) -> None:
        file = unquote(generate_filename(distill_file, uri, args) or uri).lstrip("/").casefold()
        if file in found and clashes is not None:
            clashes.append((found[file], (unquote(uri), source)))
        found.setdefault(file, (unquote(uri), source))

    for kind in declared:
        for args in kind.pages(c):
            source = kind.source(c, *args) if kind.source else None
            add(reversing.url(kind.name, args), source, kind.distill_file, args)
    for pattern in get_distilled_urls():
        if pattern.pattern.regex.groups == 0 and pattern.name not in _kinds:
            add(generate_uri(pattern.distill_namespace, pattern.name, ()), distill_file=pattern.distill_file)
    return found
