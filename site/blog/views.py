"""Ordinary Django views: the home page (optionally filtered to a category) and posts.

Each listing page runs a constant number of queries however many posts it
shows: one count, one page of posts, one prefetch of their categories.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from .models import Category, Post


def paginate(posts: QuerySet[Post], number: int) -> Page:
    paginator = Paginator(posts, settings.KILN["POSTS_PER_PAGE"], allow_empty_first_page=True)
    try:
        return paginator.page(number)
    except EmptyPage as exc:
        raise Http404(str(exc)) from exc


def page_url(category: Category | None, number: int) -> str:
    """The URL of page ``number`` of the home page or of a category's page."""
    if category is None:
        return reverse("home") if number == 1 else reverse("home-page", args=[number])
    if number == 1:
        return reverse("category", args=[category.slug])
    return reverse("category-page", args=[category.slug, number])


def home(request: HttpRequest, page: int = 1, category: str | None = None) -> HttpResponse:
    if page == 1 and request.resolver_match and request.resolver_match.url_name.endswith("-page"):
        raise Http404("page 1 lives at the unnumbered URL")
    current = None
    posts = Post.objects.listed()
    if category is not None:
        current = get_object_or_404(Category, slug=category)
        posts = posts.filter(categories=current)
    page_obj = paginate(posts, page)
    context = {
        "page_obj": page_obj,
        "posts": page_obj.object_list,
        "category": current,
        "previous_url": page_url(current, page_obj.previous_page_number()) if page_obj.has_previous() else None,
        "next_url": page_url(current, page_obj.next_page_number()) if page_obj.has_next() else None,
        "canonical_path": page_url(current, page),
    }
    return render(request, "blog/home.html", context)


def post_detail(request: HttpRequest, slug: str) -> HttpResponse:
    published = Post.objects.published()
    post = get_object_or_404(published.prefetch_related("categories"), slug=slug)
    # neighbours in the home page's order (newest first, then by slug)
    same_date = Q(date=post.date)
    newer_q = Q(date__gt=post.date) | (same_date & Q(slug__lt=post.slug))
    older_q = Q(date__lt=post.date) | (same_date & Q(slug__gt=post.slug))
    fields = ("slug", "title", "date")
    newer = published.filter(newer_q).order_by("date", "-slug").only(*fields).first()
    older = published.filter(older_q).order_by("-date", "slug").only(*fields).first()
    context = {
        "post": post,
        "newer": newer,
        "older": older,
        "canonical_path": post.get_absolute_url(),
    }
    return render(request, "blog/post.html", context)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The page a CDN serves for a missing URL; in `serve`, Django's 404 handler."""
    status = 200 if exception is None else 404
    return render(request, "404.html", {"canonical_path": None}, status=status)
