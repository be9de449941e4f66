"""Where a post is published: its key under the permalink pattern (see :mod:`core.permalinks`).

A post's URL comes from the site's pattern (``KILN_PERMALINK``), filled with
its date, section and slug, unless its front matter names its own URL, as
the generator it was written for reads it: Hugo's ``url:``, Zola's
``path =``, Jekyll's and Eleventy's ``permalink:``. An own URL below the
pattern's prefix is the post's URL; one elsewhere (or naming a file,
``/2013/05/post.html``) redirects to the post, as an alias does.

Sections: a post's folder is its section. A pattern with ``{section}``
puts it in every post's URL; one without it (the default) puts it before
the slug only for the folders the post's generator calls sections (see
:func:`section_folders`): in Zola those holding an ``_index.md``
(``inside-rust/all-hands.md`` beside ``inside-rust/_index.md`` is
``/plog/inside-rust/all-hands/``), so that ``all-hands.md`` and
``inside-rust/all-hands.md`` both build, each keeping its section; in Hugo
(and Eleventy, whose URLs are paths) every top-level folder too, but for the
blog's main one.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from core import permalinks

from . import generator, layout
from .generator import section
from .hugo_config import HugoUrls
from .layout import SECTION_INDEX

# each key segment: letters, digits, `_`, `-`, `.`, not starting with a dot
SEGMENT = re.compile(r"^\w[\w.-]*$")
JEKYLL_PLACEHOLDER = re.compile(r":(year|month|day|i_month|i_day|title|slug|categories)\b")
OWN_URL_FIELDS = ("url", "path", "permalink")  # Hugo, Zola, Jekyll and Eleventy
PAGE_FILES = (".html", ".htm", ".php", ".asp", ".aspx")  # an own URL naming a file, not a folder


def section_folders(root: Path, leave_out: Sequence[str] = ()) -> Callable[[str, str], bool]:
    """Whether a folder of the content folder ``root`` is a section for a post written for a generator.

    Zola's sections are the folders holding a section file (``_index.md``).
    Hugo's are those too, and, in a Hugo project (its configuration beside the
    content folder: :func:`blog.layout.hugo_site`) or an Eleventy site, every
    top-level folder, with or without one; but
    the main section (Hugo's ``mainSections`` default: the top-level folder with
    the most posts, ``posts/`` in most blogs) is the blog itself, and its posts
    keep their bare slugs. ``blog/bigint.md`` and ``features/bigint.md`` are then
    ``/plog/bigint/`` and ``/plog/features/bigint/``. Files that ``leave_out``
    matches (ignored, or pages) are not counted.
    """
    found: dict[str, bool] = {}
    main: list[str] = []

    def has_index(folder: str) -> bool:
        if folder not in found:
            found[folder] = bool(folder) and any((root / folder / name).is_file() for name in SECTION_INDEX)
        return found[folder]

    @functools.cache
    def hugo_like() -> bool:
        return layout.hugo_site(root) or layout.eleventy_site(root)

    def main_section() -> str:
        if not main:
            main.append(generator.main_section(root, leave_out))
        return main[0]

    def is_section(folder: str, written_for: str = "zola") -> bool:
        if written_for != "hugo" or not folder or not hugo_like():
            return has_index(folder)
        return folder != main_section() and ("/" not in folder or has_index(folder))

    return is_section


def default_url(
    pattern: str,
    rel: str,
    date: dt.datetime | None,
    slug: str,
    is_section: Callable[[str, str], bool],
    written_for: str = "zola",
) -> str:
    """The URL the site's pattern gives the post at ``rel`` (``date`` None: a date-less pattern's only),
    written for the generator ``written_for`` (which decides its sections)."""
    folder = section(rel)
    if "{section}" not in pattern and is_section(folder, written_for):
        slug = f"{folder}/{slug}"
    moment = date or dt.datetime(1, 1, 1)
    return permalinks.expand(pattern, moment, folder, slug)


def is_safe(key: str) -> bool:
    return all(SEGMENT.match(part) for part in key.split("/"))


def own_url(meta: dict, date: dt.datetime, slug: str, rel: str) -> tuple[str, str] | None:
    """(field, URL) the front matter gives the post, root-relative; Jekyll's ``:year``-style placeholders
    filled in. None when it gives none, or one Kiln cannot read (Eleventy's ``permalink: false`` or a
    template)."""
    given = [(f, v) for f in OWN_URL_FIELDS if isinstance(v := meta.get(f), str) and v.strip()]
    if not given or "{{" in given[0][1] or "{%" in given[0][1]:
        return None
    field, value = given[0]
    values = {
        "year": f"{date.year:04d}", "month": f"{date.month:02d}", "day": f"{date.day:02d}",
        "i_month": str(date.month), "i_day": str(date.day), "title": slug, "slug": slug,
        "categories": section(rel),
    }  # fmt: skip
    url = JEKYLL_PLACEHOLDER.sub(lambda m: values[m[1]], value.strip())
    return field, "/" + re.sub(r"/{2,}", "/", url).lstrip("/")


def place(
    pattern: str,
    meta: dict,
    rel: str,
    date: dt.datetime,
    slug: str,
    is_section: Callable[[str, str], bool],
    written_for: str = "zola",
    hugo: HugoUrls | None = None,
) -> tuple[str, list[str]]:
    """The post's key, and the URLs that must redirect to it: an own URL outside the pattern's prefix, or
    the URL a Hugo project's configuration (``hugo``, see :mod:`blog.hugo_config`) gave a Hugo post when
    it is another than the pattern's."""
    default = permalinks.key_of(default_url(pattern, rel, date, slug, is_section, written_for), pattern) or slug
    given = own_url(meta, date, slug, rel)
    if given is None:
        old = hugo_url(hugo, rel, date, slug, "slug" in meta) if written_for == "hugo" else None
        url = permalinks.url_of(default, pattern)
        # an ugly URL's file (`x.html`), and `x`, which hosts answer with that file as Hugo's links assume
        olds = [old, old.removesuffix(".html")] if old and old.endswith(".html") else [old]
        return default, [u for u in olds if u and u != url and u + "/" != url]
    field, url = given
    if field != "path" and url.lower().endswith(PAGE_FILES):  # Zola's path is always a folder
        return default, [url]
    folder_url = url if url.endswith("/") else url + "/"
    key = permalinks.key_of(folder_url, pattern)
    if key is not None and is_safe(key):
        return key, []
    return default, [folder_url]


def hugo_url(hugo: HugoUrls | None, rel: str, date: dt.datetime, slug: str, own_slug: bool) -> str | None:
    """The URL the Hugo project's configuration gave the post at ``rel``, or None (see :mod:`blog.hugo_config`)."""
    if hugo is None:
        return None
    bundle = layout.bundle_folder(rel)
    name = (bundle or rel).rpartition("/")[2]
    stem = name if bundle else name.rsplit(".", 1)[0]
    return hugo.url(rel, date, slug, stem, own_slug)
