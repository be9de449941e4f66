"""The search index files, registered with django-distill like every page."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.urls import path, register_converter
from django_distill import distill_path

from . import stage, views


class IndexFileConverter:
    """``w-0123456789.json``: a kind letter and a content hash."""

    regex = r"[wtm]-[0-9a-f]{10}\.json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(IndexFileConverter, "index_file")


def index_files() -> Iterator[tuple[str]]:
    for name in stage.current().names:
        yield (name,)


urlpatterns = [
    distill_path("search/index.json", views.entry, name="search-entry"),
    distill_path("search/index/<index_file:name>", views.index_file, name="search-file", distill_func=index_files),
]

if settings.SERVE and settings.KILN["ELASTICSEARCH_URL"]:
    from . import live

    urlpatterns.append(path("search/live.json", live.live, name="search-live"))
