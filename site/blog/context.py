"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    """The settings pages may show (not where things are or which programs run), and the base URL."""
    return {"site": settings.KILN.in_pages(), "base_url": settings.KILN.BASE_URL}
