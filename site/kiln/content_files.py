"""Files in the content folder that are not Markdown: images, PDFs, downloads.

They are published as they are, so content written for other generators
keeps its pictures:

* a file inside a leaf bundle (Hugo, Zola: a folder holding ``index.md``)
  goes beside its post, ``posts/my-trip/cover.jpg`` at
  ``plog/my-trip/cover.jpg``, so that ``![x](cover.jpg)`` in the post works;
* any other file keeps its path relative to the content folder (Pelican's
  ``content/images/a.png`` is ``/images/a.png``);
* a file of a Hugo or Zola project's ``static/`` folder, beside the content
  folder (see :mod:`blog.project`), keeps its path relative to that folder
  (``static/scripts/plot.js`` is ``/scripts/plot.js``), Markdown files too.

Hidden files and folders, editor backups (``name~``) and files under a
``_drafts`` folder are left out, and so are the files of a bundle whose post
this build does not publish (a draft, a future post): a bundle's files are
published exactly when its post is, in ``_drafts`` too. Markdown files are
never published: inside a bundle, one other than the index is a page resource
(as in Hugo), neither a post nor a file of the site.

Output paths are NFC (macOS writes file names decomposed, authors type links
composed), so two files whose names differ only by normalisation collide.

A file goes into the staging folder as a copy of its source, never a hard link
to it: out/ must not share a file with the author's content, or copying a new
picture over a source would change out/ behind the build's back, and a tool run
on out/ would rewrite the sources. The previous output's file is kept (with its
mtime) when it holds the same bytes as the source.
"""

from __future__ import annotations

import json
import os
import posixpath
import shutil
import time
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from blog import project, scan
from blog.layout import (
    BUNDLE_INDEX,
    ancestors,
    bundle_folder,
    bundle_of,
    bundles_in,
    in_drafts,
    is_markdown,
    jekyll_html_page,
    visible_files,
)
from blog.models import Post
from core.errors import ContentError, Problem, display_path

from . import cache

if TYPE_CHECKING:
    from .render import Page

# a source changed less than this long ago may change again within its timestamps' resolution
RACY_NS = 2_000_000_000


@dataclass(frozen=True)
class ContentFile:
    """A non-Markdown file to publish."""

    source: Path
    output: str  # path inside the output folder, with forward slashes
    shown: str  # the source as messages name it (``content/images/a.png``)


def published_bundles() -> dict[str, str]:
    """Leaf bundle folder -> the output folder of its post, for the posts this build publishes."""
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
    root: Path,
    shown_root: str,
    pages: Sequence[Page] = (),
    bundles: Mapping[str, str] | None = None,
    visible: Sequence[Path] | None = None,
) -> list[ContentFile]:
    """Every non-Markdown content file with its output path, checked.

    ``bundles`` maps a leaf bundle folder to its post's output folder (by
    default, from the database: :func:`published_bundles`). Raises
    ContentError, naming each file, when an output path would be written by
    two content files or by a page of ``pages``, would leave the output
    folder, or lies under the static folder (reserved for assets). ``visible`` is
    ``visible_files(root, KILN_IGNORE)`` when the load stage walked the folder already.
    """
    if bundles is None:
        bundles = published_bundles()
    if visible is None:
        visible = list(visible_files(root, settings.KILN.IGNORE))
    found = [scan.rel_path(root, path) for path in visible]
    all_bundles = bundles_in(root, found)
    shown_root = shown_root.rstrip("/")
    files = []
    for rel in found:
        if is_markdown(rel) or jekyll_html_page(root, rel):  # posts and pages, published rendered
            continue
        owner = bundle_of(rel, all_bundles)
        if owner is None:
            if in_drafts(rel):
                continue
            output = rel
        elif owner in bundles:
            output = f"{bundles[owner]}/{rel[len(owner) + 1 :]}".lstrip("/")
        else:
            continue  # its post is not published in this build
        files.append(ContentFile(root / rel, unicodedata.normalize("NFC", output), f"{shown_root}/{rel}"))
    files += static_files(root)
    problems = check(files, pages)
    for item in files:
        large = scan.too_large(item.source, settings.KILN.MAX_FILE_SIZE, "a content file", "KILN_MAX_FILE_SIZE")
        if large is not None:
            problems.append(Problem(item.shown, None, large))
    if problems:
        raise ContentError(problems)
    return files


def static_files(root: Path) -> list[ContentFile]:
    """The files of the static folders of the project around the content folder ``root`` (see
    :mod:`blog.project`), each at its path in its folder; the same exclusions as the content folder's."""
    found = []
    for folder in project.static_folders(root):
        shown = display_path(folder).rstrip("/")
        for path in visible_files(folder, settings.KILN.IGNORE):
            rel = path.relative_to(folder).as_posix()
            found.append(ContentFile(path, unicodedata.normalize("NFC", rel), f"{shown}/{rel}"))
    return found


def folded(path: str) -> str:
    """``path`` as a file system may see it: without case, and composed (NFC)."""
    return unicodedata.normalize("NFC", path.casefold())


def check(files: Sequence[ContentFile], pages: Sequence[Page] = ()) -> list[Problem]:
    """What is wrong with publishing ``files`` beside ``pages``, compared as :func:`folded` paths."""
    static = settings.STATIC_URL.strip("/").casefold()
    problems = []
    owners: dict[str, list[ContentFile]] = {}
    for item in files:
        if item.output.startswith("/") or any(part in ("", ".", "..") for part in item.output.split("/")):
            problems.append(Problem(item.shown, None, f"would be written outside the output folder ({item.output!r})"))
            continue
        key = folded(item.output)
        if key == static or key.startswith(static + "/"):
            message = (
                f"would be published as /{item.output}, but /{static}/ is reserved for the assets; "
                "move the file out of that folder (or into the assets folder)"
            )
            problems.append(Problem(item.shown, None, message))
            continue
        owners.setdefault(key, []).append(item)

    # one path is one file: two files on it, or a file where another needs a folder, cannot both be written
    taken: dict[str, str] = {}  # folded path -> what writes it (a page URL or a content file)
    folders: dict[str, str] = {}  # folded folder -> what needs it
    for page in pages:
        taken[folded(page.file)] = f"the page {page.uri}"
        for folder in ancestors(folded(page.file)):
            folders.setdefault(folder, f"the page {page.uri}")
    for key, same in owners.items():
        for folder in ancestors(key):
            folders.setdefault(folder, same[0].shown)
    for key, same in owners.items():
        names = " and ".join(item.shown for item in same)
        if len(same) > 1:
            clash = f"{names} would all be published as /{same[0].output}; rename one"
        elif key in taken:
            clash = f"would be published as /{same[0].output}, which {taken[key]} writes; rename or move the file"
        elif key in folders:
            clash = f"would be published as /{same[0].output}, where {folders[key]} needs a folder; rename it"
        else:
            above = next((folder for folder in ancestors(key) if folder in taken), None)
            if above is None:
                continue
            clash = f"needs /{above} to be a folder, but {taken[above]} writes that file; rename or move it"
        problems.extend(Problem(item.shown, None, clash) for item in same)
    return problems


class Verified:
    """Which output files hold the same bytes as their sources, remembered across builds.

    The bytes decide; what is remembered is only that a pair was found equal,
    with everything that a change to either file alters: the output's inode,
    size and mtime (the hard link each build makes to it changes only its
    ctime), and the source's inode, size, mtime and ctime. Copying over a
    source with ``cp -p`` or ``rsync -a`` keeps its size and mtime, but not its
    ctime or inode, so the pair is compared again. An unchanged site thus
    costs two ``stat`` calls a file, not reading every picture twice.
    """

    def __init__(self) -> None:
        self.path = cache.path(cache.CONTENT_FILES)
        try:
            self.known: dict[str, list] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.known = {}
        self.found: dict[str, list] = {}

    def same(self, target: Path, source: Path) -> bool:
        """Whether ``target`` is a file of its own holding the bytes of ``source``."""
        try:
            out, src = target.stat(), source.stat()
        except OSError:
            return False
        # a hard link to the source (as older builds made) must become a copy
        if not target.is_file() or out.st_size != src.st_size or os.path.samestat(out, src):
            return False
        key = str(target)
        pair = [str(source), out.st_ino, out.st_size, out.st_mtime_ns, src.st_ino, src.st_mtime_ns, src.st_ctime_ns]
        if self.known.get(key) == pair:
            self.found[key] = pair
            return True
        if not same_content(target, source):
            return False
        if time.time_ns() - src.st_ctime_ns > RACY_NS:
            self.found[key] = pair
        return True

    def save(self, forget_others: bool) -> None:
        """Remember the pairs found equal; ``forget_others`` drops those not looked at (files gone)."""
        data = self.found if forget_others else {**self.known, **self.found}
        if data == self.known:
            return
        temporary = self.path.with_name(f".{self.path.name}.tmp{os.getpid()}")
        try:
            temporary.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            temporary.unlink(missing_ok=True)  # only a cache: the next build compares bytes again


def same_content(a: Path, b: Path, chunk: int = 1 << 20) -> bool:
    """Whether two files hold the same bytes."""
    try:
        with a.open("rb") as first, b.open("rb") as second:
            while True:
                left, right = first.read(chunk), second.read(chunk)
                if left != right:
                    return False
                if not left:
                    return True
    except OSError:
        return False


def ship(files: Sequence[ContentFile], staging: Path, previous: Path | None) -> int:
    """Put those of ``files`` that are new or changed into ``staging``, as copies of their sources; return how many.

    An unchanged file stays in ``previous`` (the last output), so it keeps its
    mtime even when its source was rewritten with the same bytes.
    """
    verified = Verified()
    changed = 0
    for item in files:
        old = previous / item.output if previous is not None else None
        target = staging / item.output
        if old is None or not verified.same(old, item.source):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            shutil.copy2(item.source, target)
            changed += 1
    verified.save(forget_others=True)
    return changed


def in_place(out: Path, files: Sequence[ContentFile]) -> bool:
    """Whether ``out`` already holds every file of ``files`` as its source is now."""
    verified = Verified()
    result = all(verified.same(out / item.output, item.source) for item in files)
    verified.save(forget_others=False)
    return result
