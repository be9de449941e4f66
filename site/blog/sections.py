"""Section list pages: a Hugo or Zola section's posts, paginated, at the section's URL.

Zola and Hugo publish a list page for every section: a folder holding a
section file (``_index.md``), and in a Hugo project or an Eleventy site
(:func:`blog.layout.hugo_site`, :func:`blog.layout.eleventy_site`) every
top-level folder, with or without one. Kiln does too, at the URL they give
it, the folder's path from the content folder (``inside-rust/_index.md`` is
``/inside-rust/``, whatever ``KILN_PERMALINK`` makes of its posts' URLs), or
the section file's own ``permalink:``/``url:``. It is titled from the
section file (its ``title``, else the folder's name), shows its
``description`` and its body above the list, and lists the posts of the
section newest first, paginated as the home page is: each post belongs to
the nearest section above it. A section file with ``render = false`` (Zola)
is no page, and a top-level folder without a section file is none when a
page or post of its own (``docs/index.md``) or one of Kiln's (``/plog/``,
``/tag/``, ``/search/``, the assets) is at its URL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings

from . import layout
from .generator import section as folder_of
from .layout import BUNDLE_INDEX, SECTION_INDEX, ancestors
from .models import Page

if TYPE_CHECKING:
    from .registry import Catalog

RESERVED = ("plog", "tag", "search", "static")  # Kiln's own folders: a section without a file is not there


@dataclass(frozen=True)
class Section:
    """One section's list page."""

    folder: str  # inside-rust, relative to the content folder
    url: str  # /inside-rust/
    title: str
    description: str
    source: str | None  # its section file, relative to the content folder; None for a folder without one
    shows: tuple  # what its header shows, for the fingerprint


def is_section_file(path: str) -> bool:
    return path.rpartition("/")[2].lower() in SECTION_INDEX


def section_of(path: str, folders: set[str]) -> str | None:
    """The nearest section of ``folders`` holding the post at ``path``, or None (the home page's only)."""
    folder = folder_of(path)
    return next((f for f in ancestors(folder + "/x") if f in folders), None) if folder else None


def find(
    rows: Sequence[tuple[str, str, str, str, dict, str]],
    post_paths: Sequence[str],
    every_top_folder: bool,
    reserved: Sequence[str] = RESERVED,
) -> dict[str, Section]:
    """URL -> section, sorted by URL.

    ``rows`` are the Page rows (source path, source hash, URL, title,
    extra, Markdown key); ``post_paths`` the published posts' files; with
    ``every_top_folder`` (Hugo, Eleventy) each top-level folder holding posts
    is a section too.
    """
    found: dict[str, Section] = {}
    taken = {row[2] for row in rows if not is_section_file(row[0])}
    for path, source_hash, url, title, extra, markdown_key in rows:
        if is_section_file(path) and extra.get("render") is not False:
            folder = path.rpartition("/")[0]
            description = extra.get("description")
            description = description.strip() if isinstance(description, str) else ""
            found[url] = Section(folder, url, title, description, path, (source_hash, url, title, markdown_key))
    if every_top_folder:
        have_file = {section.folder for section in found.values()}
        # a folder whose index file is a post (Eleventy's /docs/, a Hugo leaf bundle) is that post's
        have_index = {path.rpartition("/")[0] for path in post_paths if path.rpartition("/")[2] in BUNDLE_INDEX}
        for top in sorted({path.split("/")[0] for path in post_paths if "/" in path}):
            url = f"/{top}/"
            free = url not in taken and url not in found and top not in have_index
            if top not in have_file and free and top.casefold() not in reserved:
                found[url] = Section(top, url, top, "", None, (url,))
    return dict(sorted(found.items()))


def members(found: Mapping[str, Section], sources: Mapping[str, str], position: Mapping[str, int]) -> dict[str, list]:
    """URL -> the catalog numbers of the section's posts, newest first (``sources``: slug -> file)."""
    by_folder = {section.folder: url for url, section in found.items()}
    result: dict[str, list[int]] = {url: [] for url in found}
    folders = set(by_folder)
    for slug, path in sources.items():
        owner = section_of(path, folders)
        if owner is not None:
            result[by_folder[owner]].append(position[slug])
    return {url: sorted(numbers) for url, numbers in result.items()}


Index = tuple[dict[str, Section], dict[str, list[int]]]


def index(c: Catalog) -> Index:
    """URL -> section, and URL -> the catalog numbers of its posts, from the Page rows; once per catalog."""
    known = c.__dict__.get("_sections")
    if known is None:
        rows = Page.objects.order_by("url").values_list("source_path", "source_hash", "url", "title", "extra",
                                                        "markdown_key")  # fmt: skip
        root = settings.KILN.CONTENT_DIR
        every_top_folder = root.is_dir() and (layout.hugo_site(root) or layout.eleventy_site(root))
        found = find(list(rows), sorted(c.sources.values()), every_top_folder)
        known = c.__dict__["_sections"] = (found, members(found, c.sources, c.position))
    return known
