"""Ordinary Django views: the home page (optionally filtered to a category or a tag), the tag list, posts,
aliases, robots.txt and Netlify's ``_redirects``. Feeds live in ``blog.feeds``;
the sitemap and the URL of every page come from the page registry
(``blog.registry``, declared in ``blog.pages``).

Pages read the published posts from ``blog.snapshot``, which each process
reads once while the posts stay the same (in three queries), not once per
page: a listing runs no query of its own but, on the home page, one for the
categories and their post counts; a post page one, for its body.
"""

from __future__ import annotations

from urllib.parse import urljoin

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import date as date_format
from django.urls import reverse
from django.utils.encoding import iri_to_uri

from . import aliases, cards, feeds, images, registry, related, sections, snapshot
from .archive import years as archive_years
from .models import Category, Page, Post, Tag, Term
from .paging import paginate


def page(request: HttpRequest, url: str) -> HttpResponse:
    """A page that is not a post (about, 404, docs), at its own URL."""
    shown = get_object_or_404(Page, url="/" + url)
    return render(request, "blog/page.html", {"page": shown, "canonical_path": shown.url})


def page_url(term: Term | None, number: int) -> str:
    """The URL of page ``number`` of the home page or of a category's or tag's page."""
    if term is None:
        return registry.page_url("home", (), number)
    return registry.page_url(term.url_name, (term.slug,), number)


def home(
    request: HttpRequest, page: int = 1, category: str | None = None, tag: str | None = None, section: str | None = None
) -> HttpResponse:
    """The home page, or the posts of one category (``category``), one tag (``tag``) or one section (``section``,
    its URL: see ``blog.sections``)."""
    if page == 1 and request.resolver_match and request.resolver_match.url_name.endswith("-page"):
        raise Http404("page 1 lives at the unnumbered URL")
    current: Term | None = None
    shown = snapshot.published()
    posts = shown.posts
    if category is not None:
        current = shown.categories.get(category) or get_object_or_404(Category, slug=category)
        posts = shown.in_category.get(category, [])
    elif tag is not None:
        current = shown.tags.get(tag) or get_object_or_404(Tag, slug=tag)
        posts = shown.in_tag.get(tag, [])
    elif section is not None:
        return section_list(request, page, section)
    page_obj = paginate(posts, page)
    context = {
        "page_obj": page_obj,
        "posts": page_obj.object_list,
        "category": current if category is not None else None,
        "tag": current if tag is not None else None,
        "previous_url": page_url(current, page_obj.previous_page_number()) if page_obj.has_previous() else None,
        "next_url": page_url(current, page_obj.next_page_number()) if page_obj.has_next() else None,
        "canonical_path": page_url(current, page),
        "term_feeds": feeds.alternates(current) if current is not None else [],
        "categories": Category.objects.with_counts().order_by("name") if current is None and page == 1 else None,
    }
    return render(request, "blog/home.html", context)


def section_list(request: HttpRequest, page: int, url: str) -> HttpResponse:
    """A section's posts, newest first, under its title, description and section file's body."""
    catalog = registry.catalog()
    found, numbers = sections.index(catalog)
    current = found.get("/" + url)
    if current is None:
        raise Http404("no section has this URL")
    slugs = {catalog.posts[i][1] for i in numbers[current.url]}
    page_obj = paginate([post for post in snapshot.published().posts if post.slug in slugs], page)
    intro = Page.objects.filter(source_path=current.source).values_list("body_html", flat=True).first()

    def numbered(number: int) -> str:
        return registry.page_url("section", (url,), number)

    context = {
        "page_obj": page_obj,
        "posts": page_obj.object_list,
        "section": current,
        "section_body": intro or "",
        "previous_url": numbered(page_obj.previous_page_number()) if page_obj.has_previous() else None,
        "next_url": numbered(page_obj.next_page_number()) if page_obj.has_next() else None,
        "canonical_path": numbered(page),
        "term_feeds": [],
        "categories": None,
    }
    return render(request, "blog/home.html", context)


def tag_list(request: HttpRequest) -> HttpResponse:
    """Every tag of a published post, with its number of posts."""
    tags = Tag.objects.with_counts().order_by("name")
    return render(request, "blog/tags.html", {"tags": tags, "canonical_path": reverse("tags")})


def archive(request: HttpRequest) -> HttpResponse:
    """Every published post by year and month, newest first, with counts (see ``blog.archive``)."""
    context = {"years": archive_years(snapshot.published().posts), "canonical_path": reverse("archive")}
    return render(request, "blog/archive.html", context)


def post_detail(request: HttpRequest, slug: str) -> HttpResponse:
    shown = snapshot.published()
    index = shown.position.get(slug)
    if index is None:
        raise Http404("no published post has this slug")
    # neighbours in the home page's order (newest first, then by slug)
    newer = shown.posts[index - 1] if index > 0 else None
    older = shown.posts[index + 1] if index + 1 < len(shown.posts) else None
    post = snapshot.one_loaded(shown.posts[index])
    catalog = registry.catalog()
    pictures = catalog.pictures.of_post.get(post.slug, {})
    context = {
        "post": post,
        "body_html": images.responsive(post.body_html, pictures),
        "social_image": social_image(request, post, catalog),
        "newer": newer,
        "older": older,
        "related": related.for_post(post),
        "series": shown.in_series.get(post.series, []) if post.series else [],
        "canonical_path": post.get_absolute_url(),
    }
    return render(request, "blog/post.html", context)


def social_image(request: HttpRequest, post: Post, catalog: registry.Catalog) -> str | None:
    """The absolute URL of the picture a link to ``post`` previews: its own, else its social card, else None."""
    page = request.build_absolute_uri(post.get_absolute_url())
    image = catalog.social_images.get(post.slug)
    if image is not None:
        return urljoin(page, image)
    if post.slug in catalog.cards:
        return request.build_absolute_uri(reverse("social-card", args=[post.slug]))
    return None


def social_card(request: HttpRequest, slug: str) -> HttpResponse:
    """The post's social card (see ``blog.cards``)."""
    post = get_object_or_404(Post.objects.published().only("slug", "title", "date", "utc_offset"), slug=slug)
    data = cards.card(settings.KILN.SITE_TITLE, post.title, date_format(post.local_date, "j F Y"))
    return HttpResponse(data, content_type="image/png")


def image_variant(request: HttpRequest, name: str) -> HttpResponse:
    """A WebP variant of a post's picture (see ``blog.images``)."""
    found = registry.catalog().pictures.variants.get(name)
    if found is None:
        raise Http404("no picture has this variant")
    return HttpResponse(images.variant_bytes(*found), content_type="image/webp")


def alias(request: HttpRequest, alias: str) -> HttpResponse:
    """An old URL of a post: a page that sends the reader (and search engines) on."""
    shown = snapshot.published()
    index = shown.position.get(aliases.current().get(alias, ""))
    if index is not None:
        post = shown.posts[index]
        return render(request, "blog/alias.html", {"post": post, "canonical_path": post.get_absolute_url()})
    page = aliases.of_pages().get(alias)
    if page is None:
        raise Http404("no published post or page has this alias")
    url, title, _ = page
    return render(request, "blog/alias.html", {"post": {"title": title}, "canonical_path": url, "page": True})


def redirects(request: HttpRequest) -> HttpResponse:
    """Netlify's ``_redirects``: a forced 301 from each alias to its post (or page).

    Forced (``301!``) because the alias's HTML page exists too, and Netlify
    would otherwise serve that file instead of redirecting.
    """
    rules = {path: url for path, (url, _, _) in aliases.of_pages().items()}
    rules |= {path: reverse("post", args=[slug]) for path, slug in aliases.current().items()}
    lines = [f"{iri_to_uri(path)} {iri_to_uri(url)} 301!\n" for path, url in sorted(rules.items())]
    return HttpResponse("".join(lines), content_type="text/plain; charset=utf-8")


def robots(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    return render(request, "robots.txt", {"sitemap_url": sitemap}, content_type="text/plain; charset=utf-8")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The page a CDN serves for a missing URL; in `serve`, Django's 404 handler."""
    status = 200 if exception is None else 404
    return render(request, "404.html", {"canonical_path": None}, status=status)
