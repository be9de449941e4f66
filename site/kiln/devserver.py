"""Live preview for ``build.py serve``: content edits are synced and the browser reloads.

Django's autoreloader restarts the server on code changes, and
django-browser-reload reloads the page on template and static changes. The
content folder is watched here instead, by a thread that polls it: Django's
reloader ignores files that appear after it started, and a post edit should
not restart the server. A change (edit, new file, deletion) is synced into
the database and the browser is told to reload.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve

from blog import sync
from blog.layout import visible_files
from core.errors import SiteError, display_path

from .build import load_content, migrate
from .content_files import listing

log = logging.getLogger("kiln")
POLL_SECONDS = 0.5


def content_dir() -> Path:
    return settings.KILN.CONTENT_DIR.resolve()


def resync() -> bool:
    """Load and sync the content; on bad content, report it and keep the last good state."""
    migrate()
    folder = content_dir()
    try:
        report = sync.sync(load_content(folder), folder, display_path(folder))
    except SiteError as exc:
        log.error("error: %s", exc)
        return False
    if report.added or report.updated or report.removed:
        log.info("synced content: %d added, %d updated, %d removed", report.added, report.updated, report.removed)
    return True


def snapshot(folder: Path) -> frozenset[tuple[str, int, int]]:
    """Every visible file of the content folder (posts and images) with its mtime and size."""
    found = set()
    for path in visible_files(folder):
        try:
            stat = path.stat()
        except OSError:
            continue
        found.add((str(path), stat.st_mtime_ns, stat.st_size))
    return frozenset(found)


def watch(stop: threading.Event) -> None:
    # only installed in `serve` (settings.INSTALLED_APPS), so imported only when watching
    from django_browser_reload.views import trigger_reload_soon

    folder = content_dir()
    seen = snapshot(folder)
    while not stop.wait(POLL_SECONDS):
        current = snapshot(folder)
        if current != seen:
            seen = current
            resync()
            connections.close_all()
            trigger_reload_soon()


def start_watching() -> None:
    """Start the content watcher in the process that serves (not the reloader's parent)."""
    if os.environ.get("RUN_MAIN") != "true":
        return
    thread = threading.Thread(target=watch, args=(threading.Event(),), name="kiln-content-watcher", daemon=True)
    thread.start()


def content_file(request: HttpRequest, path: str) -> HttpResponse:
    """In ``serve``: the content folder's images and other files, where the build publishes them."""
    folder = content_dir()
    for item in listing(folder, display_path(folder)):
        if item.output == path:
            return FileResponse(item.source.open("rb"))
    # Django's APPEND_SLASH cannot see past this catch-all: redirect to a page's slash URL here
    if not path.endswith("/"):
        try:
            match = resolve(f"/{path}/")
        except Resolver404:
            match = None
        if match is not None and match.func is not content_file:
            return HttpResponsePermanentRedirect(f"/{path}/")
    raise Http404(path)
