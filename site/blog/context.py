"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from config.kiln import nav_links

from . import feeds

_held: list[tuple[object, dict[str, Any]]] = []  # (the settings it came from, the context)


def site(request: HttpRequest) -> dict[str, Any]:
    """The settings pages may show (not where things are or which programs run), the base URL, the site's feeds,
    the header's links.

    Made once per settings object, not once per page: they depend on the settings only.
    """
    kiln = settings.KILN
    if not _held or _held[0][0] is not kiln:
        shown = {
            "site": kiln.in_pages(),
            "base_url": kiln.BASE_URL,
            "site_feeds": feeds.alternates(None),
            "nav_links": nav_links(kiln.NAV),
        }
        _held[:] = [(kiln, shown)]
    return dict(_held[0][1])
