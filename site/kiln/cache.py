"""The cache folder (``CACHE_DIR``) and everything a build keeps in it, owned here.

What a build remembers, and where:

* ``kiln.sqlite3``: the database; each post's source hash (a file whose hash
  is known is not parsed again) and Markdown rendered once per text
  (``RenderedMarkdown``), written by the sync stage;
* ``render-manifest.json``: :class:`RenderManifest`, each page's file,
  bytes' hash, links (a feed's site URLs too), fingerprint and templates, with the
  global salt and output folder they were rendered for and what their links were
  checked with; :meth:`PageRecord.reusable` is the one rule that
  says whether a page can be taken from the previous output;
* ``urls.json``: every page's URL by its URL name and arguments
  (``blog.reversing``), kept for the next build with the same global salt;
* ``warnings.json``: each file's warnings (:func:`load_warnings`), so that
  unchanged files keep theirs and ``--strict`` fails a warm build too;
* ``assets-stamp.txt``: the hash of the asset sources collectstatic last
  ran on (``kiln.assets``), and ``static/`` what it wrote;
* ``content-files.json``: published content files known to equal their
  sources (``kiln.content_files.Verified``);
* ``out-stamps.json``: each published file's size, mtime and inode
  (``kiln.stamps``), so that a file edited in ``out/`` is made again;
* ``images/``: each content picture's size, its WebP variants and the social
  cards, by content hash (``blog.images``, ``blog.cards``);
* ``memoize/``: django-cache-memoize's file cache (related posts);
* ``search/``: the search engine's own index and the static search index
  files (``search.stage``).
* ``build.lock``: held by the running build (``kiln.lock``); never removed.

Every file name is here (:func:`path`), and :func:`forget` drops it all for
``--clean``. Each process also keeps maps of the published posts in memory
(``blog.snapshot``); they check the database themselves.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import caches

from blog import images, snapshot
from blog.models import Category, Keyword, Post, RenderedMarkdown
from core.errors import Problem
from search import stage as search

from . import page_templates
from .stamps import STAMPS as OUT_STAMPS

MANIFEST = "render-manifest.json"
WARNINGS = "warnings.json"
ASSETS_STAMP = "assets-stamp.txt"
CONTENT_FILES = "content-files.json"
URLS = "urls.json"
FILES = (MANIFEST, WARNINGS, ASSETS_STAMP, CONTENT_FILES, OUT_STAMPS, URLS)


def folder() -> Path:
    return settings.KILN.CACHE_DIR


def path(name: str) -> Path:
    """The file ``name`` (one of :data:`FILES`) in the cache folder."""
    if name not in FILES:
        raise ValueError(f"{name!r} is not a file of the cache folder")
    return folder() / name


@dataclass(frozen=True)
class PageRecord:
    """What a build wrote for one page."""

    file: str  # its path inside the output folder
    sha: str  # the hash of its bytes
    links: list[str]  # its internal links, for the link check of a reused page
    fingerprint: str | None  # what it was rendered from (None: render it every time)
    kind: str | None = None  # its kind of page (blog.registry)
    templates: list[str] = field(default_factory=list)  # the templates it was made from (kiln.page_templates)
    templates_digest: str = ""  # of those templates' files then

    def reusable(self, fingerprint: str | None, file: str) -> bool:
        """Whether a page with ``fingerprint`` written to ``file`` is this one, so its old file can be kept.

        Its templates must be as they were too. The caller also checks that
        the build's salt is the one this record was made with, and that the
        old file still exists.
        """
        return (
            fingerprint is not None
            and self.fingerprint == fingerprint
            and self.file == file
            and page_templates.digest(self.templates) == self.templates_digest
        )


@dataclass
class RenderManifest:
    """The previous build's record of its pages, and what they were rendered for."""

    out: str | None = None  # the output folder
    salt: str | None = None  # templates, code, settings and assets (kiln.build.global_salt)
    pages: dict[str, PageRecord] = field(default_factory=dict)  # uri -> record
    checked: str | None = None  # what their links were checked with (kiln.check.key); another key: check them all

    @classmethod
    def load(cls) -> RenderManifest:
        """The stored manifest; an empty one when it is missing or unreadable (then nothing is reused)."""
        try:
            data = json.loads(path(MANIFEST).read_text())
            pages = {uri: PageRecord(**record) for uri, record in data.get("pages", {}).items()}
            return cls(data.get("out"), data.get("salt"), pages, data.get("checked"))
        except (OSError, ValueError, TypeError, AttributeError):
            return cls()

    def save(self) -> None:
        pages = {uri: vars(record) for uri, record in sorted(self.pages.items())}  # (asdict: 0.5 ms a page)
        data = {"out": self.out, "salt": self.salt, "pages": pages, "checked": self.checked}
        # (every dict in a fixed order already: sorting keys again was a third of the time)
        path(MANIFEST).write_text(json.dumps(data, check_circular=False))

    def without_files(self, files: set[str]) -> RenderManifest:
        """This manifest without the pages written to ``files`` (edited in ``out/``), so they are rendered again."""
        kept = {u: p for u, p in self.pages.items() if p.file not in files}
        return RenderManifest(self.out, self.salt, kept, self.checked)

    @staticmethod
    def drop() -> None:
        """Forget it (while ``out/`` changes: a build killed then renders everything next time)."""
        path(MANIFEST).unlink(missing_ok=True)


def load_warnings() -> dict[str, list[Problem]]:
    """Source path -> the warnings its last parse gave."""
    try:
        stored = json.loads(path(WARNINGS).read_text())
        return {rel: [Problem(*item) for item in items] for rel, items in stored.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def save_warnings(warnings: dict[str, list[Problem]]) -> None:
    data = {rel: [[p.path, p.line, p.message] for p in found] for rel, found in warnings.items()}
    path(WARNINGS).write_text(json.dumps(data, sort_keys=True))


def forget() -> None:
    """``--clean``: drop everything a previous build left, so this one starts from nothing."""
    for model in (Post, Category, Keyword, RenderedMarkdown):
        model.objects.all().delete()
    caches["memoize"].clear()
    snapshot.forget()
    for name in FILES:
        path(name).unlink(missing_ok=True)
    shutil.rmtree(settings.STATIC_ROOT, ignore_errors=True)
    shutil.rmtree(search.folder(), ignore_errors=True)
    shutil.rmtree(images.cache_folder(), ignore_errors=True)
