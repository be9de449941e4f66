"""Aliases: old URLs of a post (front matter ``aliases:`` or ``redirect_from:``).

Each alias becomes two ordinary distilled pages: a line of ``/_redirects``
(Netlify answers with a 301) and a small HTML page at the alias path, with a
meta refresh and a canonical link, for hosts that ignore ``_redirects``.

An alias path maps to a file the way the host will look for it:
``/old/post/`` and ``/old/post`` to ``old/post/index.html``,
``/2013/05/post.html`` to that file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings

from core.errors import Problem

from . import snapshot
from .lines import first_line
from .models import Post

Pages = dict[str, tuple[str, str | None]]  # output file, without case -> (URL, source path of its post)


def published() -> dict[str, str]:
    """alias path -> slug of its post, for every published post."""
    found: dict[str, str] = {}
    for slug, aliases in Post.objects.published().order_by("-date", "slug").values_list("slug", "aliases"):
        for alias in aliases:
            found.setdefault(alias, slug)
    return found


def current() -> dict[str, str]:
    return snapshot.memo("aliases", published)


def is_folder(alias: str) -> bool:
    """``/old/post`` (no slash, no extension): served as ``/old/post/index.html``."""
    return not alias.endswith("/") and "." not in alias.rsplit("/", 1)[-1]


def output_file(uri: str) -> str:
    """The file a page at ``uri`` (or an alias) is written to, inside the output folder."""
    path = uri.lstrip("/")
    if uri.endswith("/"):
        return path + "index.html"
    return path + "/index.html" if is_folder(uri) else path


class AliasConverter:
    """Matches a path only when it is the alias of a published post.

    This one takes paths that end with ``/`` or name a file (``.html``), the
    next one the other paths, so that a URL costs one lookup at most.
    """

    regex = r".*/|(?:.*/)?[^/]*\.[^/]*"

    def to_python(self, value: str) -> str:
        alias = "/" + value
        if alias not in current():
            raise ValueError(f"{alias} is no alias")
        return alias

    def to_url(self, value: str) -> str:
        return value.lstrip("/")


class FolderAliasConverter(AliasConverter):
    regex = r"(?:.*/)?[^/.]+"


def problems(
    writers: Iterable[tuple[str, str]], pages: Pages, content: Path, shown: Callable[[str], str]
) -> list[Problem]:
    """Every alias that cannot be written, named with its file and line.

    ``writers`` are (source path, alias) of every published post. An alias
    must be a plain path, must not land on the file of a page in ``pages``
    (see ``blog.registry.planned``) or under the static files, and no two aliases may
    land on one file (compared without case: one file on a case-insensitive
    file system). ``shown`` turns a source path into the path to show.
    """
    static = settings.STATIC_URL.strip("/").casefold() + "/"
    owners: dict[str, list[tuple[str, str]]] = {}  # output file -> (source, alias) writing it
    found = []
    for source, alias in sorted(writers):
        file = output_file(alias).casefold()
        owners.setdefault(file, []).append((source, alias))
        if any(c in alias for c in "?#\\") or any(c.isspace() for c in alias):
            found.append((source, alias, "is not a plain path; remove its query, fragment or spaces"))
        elif file.startswith(static):
            found.append((source, alias, f"lies under the static files ({settings.STATIC_URL}); choose another"))
        elif file in pages:
            uri, owner = pages[file]
            of = f" of {shown(owner)}" if owner else ""
            found.append((source, alias, f"would overwrite the page {uri}{of}; remove the alias"))
    for writing in owners.values():
        first_source, first_alias = writing[0]
        for source, alias in writing[1:]:
            message = f"writes the same file as the alias {first_alias} of {shown(first_source)}; keep one"
            found.append((source, alias, message))
    # a line always (the first when the alias is spelt otherwise in the file), so that
    # problems of one file sort by line
    return [
        Problem(shown(source), line_of(content / source, alias) or 1, f"alias {alias} {message}")
        for source, alias, message in found
    ]


def line_of(path: Path, text: str) -> int | None:
    """The first line of ``path`` that holds ``text``, for messages."""
    try:
        return first_line(path.read_text(encoding="utf-8-sig"), text)
    except (OSError, UnicodeDecodeError):
        return None
