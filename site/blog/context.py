"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from config.kiln import nav_links

from . import feeds


def site(request: HttpRequest) -> dict[str, Any]:
    """The settings pages may show (not where things are or which programs run), the base URL, the site's feeds,
    the header's links."""
    return {
        "site": settings.KILN.in_pages(),
        "base_url": settings.KILN.BASE_URL,
        "site_feeds": feeds.alternates(None),
        "nav_links": nav_links(settings.KILN.NAV),
    }
