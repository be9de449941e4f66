"""The search page and the search index files as pages of the registry (see ``blog.registry``):
the build exports them like any page, and ``serve`` serves them live.

The search page is the same for every query (its results come from the
index files, read in the browser), so nothing but the templates and code,
which every fingerprint covers, changes it.

Each file's name holds the hash of its bytes, so that name is its fingerprint:
an unchanged file is never rendered or written again. The entry file's
fingerprint is the hash of its bytes.
"""

from __future__ import annotations

from django.urls import register_converter

from blog.registry import Catalog, Kind, declare, no_inputs

from . import stage, views


class IndexFileConverter:
    """``w-0123456789.json``: a kind letter (words, terms, metadata) and a content hash."""

    regex = r"[wtm]-[0-9a-f]{10}\.json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(IndexFileConverter, "index_file")


def index_files(c: Catalog) -> list[tuple[str]]:
    """The files the last search stage wrote (none before the first)."""
    listing = stage.read_listing()
    return [(name,) for name in listing.names] if listing else []


def entry_bytes(c: Catalog) -> str | None:
    listing = stage.read_listing()
    return listing.entry if listing else None


declare(Kind("search", "search/", views.search_page, fingerprint=no_inputs))
declare(Kind("search-entry", "search/index.json", views.entry, fingerprint=entry_bytes))
declare(Kind("search-file", "search/index/<index_file:name>", views.index_file, index_files, lambda c, name: name))
