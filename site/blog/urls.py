"""Every page of the blog, registered with django-distill so the build can export it.

Each ``distill_func`` lists the parameters of every page of its pattern, and
each pattern has a fingerprint function (see ``blog.fingerprints``) that
lets an incremental build skip pages whose inputs did not change.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count, Q
from django_distill import distill_path

from . import views
from .models import Category, Post


def _page_count(total: int) -> int:
    per_page = settings.KILN["POSTS_PER_PAGE"]
    return max(1, -(-total // per_page))


def home_pages() -> Iterator[tuple[int]]:
    for number in range(2, _page_count(Post.objects.published().count()) + 1):
        yield (number,)


def _category_counts() -> list[tuple[str, int]]:
    published = Post.objects.published()
    return list(
        Category.objects.annotate(n=Count("posts", filter=Q(posts__in=published)))
        .filter(n__gt=0)
        .order_by("slug")
        .values_list("slug", "n")
    )


def categories() -> Iterator[tuple[str]]:
    for slug, _count in _category_counts():
        yield (slug,)


def category_pages() -> Iterator[tuple[str, int]]:
    for slug, count in _category_counts():
        for number in range(2, _page_count(count) + 1):
            yield (slug, number)


def posts() -> Iterator[tuple[str]]:
    for slug in Post.objects.published().order_by("slug").values_list("slug", flat=True):
        yield (slug,)


urlpatterns = [
    distill_path("", views.home, name="home"),
    distill_path("p<int:page>/", views.home, name="home-page", distill_func=home_pages),
    distill_path("oc-<str:category>/", views.home, name="category", distill_func=categories),
    distill_path("oc-<str:category>/p<int:page>/", views.home, name="category-page", distill_func=category_pages),
    distill_path("plog/<str:slug>/", views.post_detail, name="post", distill_func=posts),
    distill_path("404.html", views.not_found, name="404"),
]
