"""Files in the content folder that are not Markdown: images, PDFs, downloads.

They are published as they are, so content written for other generators
keeps its pictures:

* a file inside a leaf bundle (Hugo, Zola: a folder holding ``index.md``)
  goes beside its post, ``posts/my-trip/cover.jpg`` at
  ``plog/my-trip/cover.jpg``, so that ``![x](cover.jpg)`` in the post works;
* any other file keeps its path relative to the content folder (Pelican's
  ``content/images/a.png`` is ``/images/a.png``).

Hidden files and folders, editor backups (``name~``) and files under a
``_drafts`` folder are left out, and so are the files of a bundle whose post
this build does not publish (a draft, a future post): a bundle's files are
published exactly when its post is, in ``_drafts`` too.

A file goes into the staging folder by hard link, from the previous output
when that holds the same bytes (so it keeps its mtime), else from the content
folder itself.
"""

from __future__ import annotations

import filecmp
import os
import posixpath
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from .errors import ContentError, Problem
from .files import link_or_write

if TYPE_CHECKING:
    from .render import Page

MARKDOWN = (".md", ".markdown")
BUNDLE_INDEX = ("index.md", "index.markdown")
SECTION_INDEX = ("_index.md", "_index.markdown")  # Hugo/Zola section metadata, not a post
DRAFTS = "_drafts"


@dataclass(frozen=True)
class ContentFile:
    """A non-Markdown file to publish."""

    source: Path
    output: str  # path inside the output folder, with forward slashes
    shown: str  # the source as messages name it (``content/images/a.png``)


def visible_files(root: Path) -> Iterator[Path]:
    """Every file under ``root`` but hidden ones (or in hidden folders) and ``name~`` backups, sorted.

    Symbolic links to folders are not followed.
    """
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = Path(folder)
        for name in sorted(names):
            if not name.startswith(".") and not name.endswith("~"):
                yield base / name


def is_markdown(name: str) -> bool:
    return name.lower().endswith(MARKDOWN)


def in_drafts(rel: str) -> bool:
    """Whether the relative path ``rel`` lies in a folder named ``_drafts`` (Jekyll's drafts)."""
    return DRAFTS in rel.split("/")[:-1]


def bundle_folder(rel: str) -> str | None:
    """The folder of a leaf bundle's ``index.md`` (``posts/my-trip``), or None for other posts."""
    folder, _, name = rel.rpartition("/")
    return folder if folder and name.lower() in BUNDLE_INDEX else None


def published_bundles() -> dict[str, str]:
    """Leaf bundle folder -> the output folder of its post, for the posts this build publishes."""
    from blog.models import Post

    found = {}
    ends = Q()
    for name in BUNDLE_INDEX:
        ends |= Q(source_path__iendswith=f"/{name}")
    for path, slug in Post.objects.published().filter(ends).values_list("source_path", "slug"):
        folder = bundle_folder(path)
        if folder is not None:
            url = unquote(reverse("post", args=[slug]))
            found[folder] = url.strip("/") if url.endswith("/") else posixpath.dirname(url).strip("/")
    return found


def listing(
    root: Path, shown_root: str, pages: Sequence[Page] = (), bundles: Mapping[str, str] | None = None
) -> list[ContentFile]:
    """Every non-Markdown content file with its output path, checked.

    ``bundles`` maps a leaf bundle folder to its post's output folder (by
    default, from the database: :func:`published_bundles`). Raises
    ContentError, naming each file, when an output path would be written by
    two content files or by a page of ``pages``, would leave the output
    folder, or lies under the static folder (reserved for assets).
    """
    if bundles is None:
        bundles = published_bundles()
    found = [path.relative_to(root).as_posix() for path in visible_files(root)]
    all_bundles = {folder for rel in found if (folder := bundle_folder(rel)) is not None}
    shown_root = shown_root.rstrip("/")
    files = []
    for rel in found:
        if is_markdown(rel):
            continue
        owner = next((folder for folder in ancestors(rel) if folder in all_bundles), None)
        if owner is None:
            if in_drafts(rel):
                continue
            output = rel
        elif owner in bundles:
            output = f"{bundles[owner]}/{rel[len(owner) + 1 :]}".lstrip("/")
        else:
            continue  # its post is not published in this build
        files.append(ContentFile(root / rel, output, f"{shown_root}/{rel}"))
    problems = check(files, pages)
    if problems:
        raise ContentError(problems)
    return files


def ancestors(path: str) -> list[str]:
    """The folders above ``path``, nearest first: ``a/b/c.png`` -> ``a/b``, ``a``."""
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]


def check(files: Sequence[ContentFile], pages: Sequence[Page] = ()) -> list[Problem]:
    """What is wrong with publishing ``files`` beside ``pages``, compared without case as file systems may."""
    static = settings.STATIC_URL.strip("/").casefold()
    problems = []
    owners: dict[str, list[ContentFile]] = {}
    for item in files:
        if item.output.startswith("/") or any(part in ("", ".", "..") for part in item.output.split("/")):
            problems.append(Problem(item.shown, None, f"would be written outside the output folder ({item.output!r})"))
            continue
        folded = item.output.casefold()
        if folded == static or folded.startswith(static + "/"):
            message = (
                f"would be published as /{item.output}, but /{static}/ is reserved for the assets; "
                "move the file out of that folder (or into the assets folder)"
            )
            problems.append(Problem(item.shown, None, message))
            continue
        owners.setdefault(folded, []).append(item)

    # one path is one file: two files on it, or a file where another needs a folder, cannot both be written
    taken: dict[str, str] = {}  # folded path -> what writes it (a page URL or a content file)
    folders: dict[str, str] = {}  # folded folder -> what needs it
    for page in pages:
        taken[page.file.casefold()] = f"the page {page.uri}"
        for folder in ancestors(page.file.casefold()):
            folders.setdefault(folder, f"the page {page.uri}")
    for folded, same in owners.items():
        for folder in ancestors(folded):
            folders.setdefault(folder, same[0].shown)
    for folded, same in owners.items():
        names = " and ".join(item.shown for item in same)
        if len(same) > 1:
            clash = f"{names} would all be published as /{same[0].output}; rename one"
        elif folded in taken:
            clash = f"would be published as /{same[0].output}, which {taken[folded]} writes; rename or move the file"
        elif folded in folders:
            clash = f"would be published as /{same[0].output}, where {folders[folded]} needs a folder; rename it"
        else:
            above = next((folder for folder in ancestors(folded) if folder in taken), None)
            if above is None:
                continue
            clash = f"needs /{above} to be a folder, but {taken[above]} writes that file; rename or move it"
        problems.extend(Problem(item.shown, None, clash) for item in same)
    return problems


def fresh(target: Path, source: Path) -> bool:
    """Whether ``target`` holds what ``source`` does: the same file, same size and mtime, or the same bytes."""
    try:
        return target.is_file() and filecmp.cmp(target, source, shallow=True)
    except OSError:
        return False


def ship(files: Sequence[ContentFile], staging: Path, previous: Path | None) -> int:
    """Put ``files`` into ``staging`` by hard link; return how many were new or changed.

    An unchanged file is linked from ``previous`` (the last output), so it
    keeps its mtime even when its source was rewritten with the same bytes.
    """
    changed = 0
    for item in files:
        old = previous / item.output if previous is not None else None
        if old is not None and fresh(old, item.source):
            link_or_write(staging / item.output, None, old)
        else:
            link_or_write(staging / item.output, None, item.source)
            changed += 1
    return changed


def in_place(out: Path, files: Sequence[ContentFile]) -> bool:
    """Whether ``out`` already holds every file of ``files`` as its source is now."""
    return all(fresh(out / item.output, item.source) for item in files)
