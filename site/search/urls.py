"""``serve``'s live search endpoint, when Elasticsearch is configured (not exported).

The index files are pages declared in the page registry (``search/pages.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.urls import path

urlpatterns = []

if settings.SERVE and settings.KILN.ELASTICSEARCH_URL:
    from . import live

    urlpatterns.append(path("search/live.json", live.live, name="search-live"))
