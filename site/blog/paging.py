"""How a listing is cut into pages: the one place that knows ``POSTS_PER_PAGE``.

Listing views paginate a list of posts with Django's ``Paginator``; the page
registry (``blog.registry``) lists and fingerprints the same pages from
plain sequences with :func:`split_pages`. Both cut at the same places.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from django.conf import settings
from django.core.paginator import EmptyPage, Page, Paginator
from django.http import Http404

T = TypeVar("T")


def per_page() -> int:
    return settings.KILN.POSTS_PER_PAGE


def split_pages(items: Sequence[T]) -> list[Sequence[T]]:
    """``items`` cut into the pages of a listing; an empty listing still has its first page."""
    size = per_page()
    return [items[start : start + size] for start in range(0, len(items), size)] or [items[:0]]


def page_count(total: int) -> int:
    """How many pages a listing of ``total`` posts has (at least one)."""
    return max(1, -(-total // per_page()))  # as many as split_pages() cuts, without cutting


def paginate(items: Sequence[T], number: int) -> Page:
    """Page ``number`` of a listing view; a page past the end is a 404."""
    paginator = Paginator(items, per_page(), allow_empty_first_page=True)
    try:
        return paginator.page(number)
    except EmptyPage as exc:
        raise Http404(str(exc)) from exc
