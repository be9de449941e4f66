"""Live preview for ``build.py serve``: content edits are synced and the browser reloads.

Django's autoreloader restarts the server on code changes, and
django-browser-reload reloads the page on template and static changes. The
content folder is watched here instead, by a thread that polls it: Django's
reloader ignores files that appear after it started, and a post edit should
not restart the server. A change (edit, new file, deletion) is synced into
the database and the browser is told to reload.

While the content has problems, :class:`ContentErrorMiddleware` answers every
request with a page listing them (HTTP 500), as the build prints them; the
page carries the live-reload script, so the fixed page replaces it as soon as
the file is saved.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import Resolver404, resolve

from blog import snapshot as post_maps
from blog import sync
from blog.layout import visible_files
from core.errors import ContentError, SiteError, display_path

from . import cache, lock
from .build import load_content, migrate
from .content_files import listing

log = logging.getLogger("kiln")
POLL_SECONDS = 0.5
# requests the error page leaves alone: the live-reload script's own endpoint
NOT_PAGES = ("/__reload__/",)


class ContentState:
    """What the last sync of the content found: nothing wrong, or the error every page shows instead."""

    def __init__(self) -> None:
        self.error: SiteError | None = None
        self.watching = False
        self.synced = threading.Event()

    def current_error(self) -> SiteError | None:
        """The content's error, once the watcher's first sync is done (pages wait for it)."""
        if self.watching:
            self.synced.wait(timeout=300)
        return self.error


STATE = ContentState()


def content_dir() -> Path:
    return settings.KILN.CONTENT_DIR.resolve()


def resync() -> bool:
    """Load and sync the content; on bad content, report it, keep the last good state and show the error.

    A build on the same cache folder writes the same rows: the sync waits for it (the build's lock).
    """
    folder = content_dir()
    try:
        with lock.held(cache.folder(), wait=True):
            migrate()
            report = sync.sync(load_content(folder), folder, display_path(folder))
    except SiteError as exc:
        log.error("error: %s", exc)
        STATE.error = exc
        return False
    STATE.error = None
    post_maps.forget()  # a picture may have changed with no post: the maps measured the old one
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
    try:
        resync()
    finally:
        connections.close_all()
        STATE.synced.set()
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
    STATE.watching = True
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


def error_lines(error: SiteError) -> tuple[str, list[tuple[str, str]]]:
    """An error's heading and its lines, as ``build.py`` prints them: (file:line, message) pairs."""
    if isinstance(error, ContentError):
        return str(error).splitlines()[0].rstrip(":"), [(p.where, p.message) for p in error.problems]
    head, *rest = str(error).splitlines()
    return head, [("", line.strip()) for line in rest]


class ContentErrorMiddleware:
    """In ``serve``: while the content has problems, every page is the page that lists them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        error = None if request.path.startswith(NOT_PAGES) else STATE.current_error()
        if error is None:
            return self.get_response(request)
        heading, problems = error_lines(error)
        context = {"heading": heading, "problems": problems, "path": request.path}
        response = render(request, "kiln/content_error.html", context, status=500)
        response._has_been_logged = True  # Django would log each page as an "Internal Server Error"
        return response
