"""The search index files, declared in the page registry (see ``blog.registry``).

The search stage writes them before the build lists its pages; each file's
fingerprint is its content hash, so an unchanged file is never written again.
"""

from __future__ import annotations

from django.urls import register_converter

from blog.registry import Catalog, Kind, declare

from . import stage, views


class IndexFileConverter:
    """``w-0123456789.json``: a kind letter and a content hash."""

    regex = r"[wtm]-[0-9a-f]{10}\.json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(IndexFileConverter, "index_file")


def _names() -> tuple[str, ...]:
    listing = stage.read_listing()
    return () if listing is None else listing.names


def _entry(c: Catalog) -> object:
    listing = stage.read_listing()
    return None if listing is None else listing.entry


declare(Kind("search-entry", "search/index.json", views.entry, fingerprint=_entry))
declare(
    Kind(
        "search-file",
        "search/index/<index_file:name>",
        views.index_file,
        pages=lambda c: [(name,) for name in _names()],
        fingerprint=lambda c, name: name,
    )
)
