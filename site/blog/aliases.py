"""Aliases: old URLs of a post, or of a page that is not a post (front matter ``aliases:`` or ``redirect_from:``).

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
from urllib.parse import unquote

from django.conf import settings

from core.errors import Problem

from . import snapshot
from .lines import first_line
from .models import Page, Post

SEGMENT_BYTES = 255  # the longest file name most file systems allow
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


def of_pages() -> dict[str, tuple[str, str, str]]:
    """alias path -> (URL, title, source path) of its page, for every page that is not a post (about, docs),
    kept while the database cannot change (the posts' token does not cover pages). An alias that is also a
    post's is the post's: the sync stage refuses the pair, naming both files."""

    def build() -> dict[str, tuple[str, str, str]]:
        rows = Page.objects.order_by("url").values_list("aliases", "url", "title", "source_path")
        return {alias: (url, title, path) for olds, url, title, path in rows for alias in olds}

    return snapshot.while_frozen("page aliases", build)


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
        if alias not in current() and alias not in of_pages():
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
    writers = sorted(writers)
    # every alias is checked as the host reads it: percent-decoded (`/%73tatic/` is `/static/`)
    files = {alias: output_file(unquote(alias)).casefold() for _, alias in writers}
    folders = {folder: uri for file, (uri, _) in pages.items() for folder in ancestors(file)}
    taken = {
        **{file: f"the page {uri}" for file, (uri, _) in pages.items()},
        **{f: f"the alias {a}" for a, f in files.items()},
    }
    for source, alias in writers:
        file = files[alias]
        owners.setdefault(file, []).append((source, alias))
        above = next((folder for folder in ancestors(file) if folder in taken), None)
        unsafe = path_problem(alias)
        if unsafe is not None:
            found.append((source, alias, unsafe))
        elif any(c in alias for c in "?#\\") or any(c.isspace() for c in alias):
            found.append((source, alias, "is not a plain path; remove its query, fragment or spaces"))
        elif above is not None:
            found.append((source, alias, f"would need /{above} to be a folder, but {taken[above]} writes that file"))
        elif file in folders:
            found.append((source, alias, f"would write a file where the page {folders[file]} needs a folder"))
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
        Problem(shown(source), alias_line(content / source, alias), f"alias {alias} {message}")
        for source, alias, message in found
    ]


def path_problem(alias: str) -> str | None:
    """Why the percent-decoded ``alias`` cannot be a file of the site, or None.

    Refused: control characters (a NUL), segments that climb (``..``), are
    empty or hidden (``/.kiln-output``, the output's marker), Netlify's
    placeholders (``/*``, ``/:splat``), which would redirect whole parts of
    the site, and segments longer than a file name may be (255 bytes).
    """
    path = unquote(alias)
    if not path.startswith("/"):
        return "must be a path on this site starting with `/`"
    if not path.isprintable():
        return "holds a control character (a NUL, a newline); remove it"
    if "*" in path or any(part.startswith(":") for part in path.split("/")):
        return "holds `*` or a `:name` segment, which Netlify reads as a pattern matching many URLs; remove it"
    parts = path.strip("/").split("/")
    if any(part in ("", ".", "..") for part in parts) and path != "/":
        return "has an empty, `.` or `..` segment; write the path plainly"
    if any(part.startswith(".") for part in parts):
        return "names a hidden file or folder (a segment starting with `.`); choose another"
    if any(len(part.encode("utf-8", "surrogatepass")) > SEGMENT_BYTES for part in parts):
        return f"has a segment longer than {SEGMENT_BYTES} bytes, more than a file name may be; shorten it"
    return None


def ancestors(file: str) -> list[str]:
    """The folders above ``file`` (``a/b/c.html``: ``a``, ``a/b``)."""
    parts = file.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def alias_line(path: Path, alias: str) -> int:
    """The line that writes ``alias``, else the line of the ``aliases:`` field (an alias spelt with escapes)."""
    return line_of(path, alias) or line_of(path, "aliases") or line_of(path, "redirect_from") or 1


def line_of(path: Path, text: str) -> int | None:
    """The first line of ``path`` that holds ``text``, for messages."""
    try:
        return first_line(path.read_text(encoding="utf-8-sig"), text)
    except (OSError, UnicodeDecodeError):
        return None
