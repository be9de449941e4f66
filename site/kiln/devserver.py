"""Live preview for ``build.py serve``: content edits are synced and the browser reloads.

Django's autoreloader already restarts on code changes, and
django-browser-reload reloads the page on template and static changes. This
module adds the content folder to what the reloader watches; a changed post
is synced into the database (no restart) and the browser is told to reload.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.dispatch import receiver
from django.utils.autoreload import BaseReloader, autoreload_started, file_changed

from .build import migrate, shown
from .errors import SiteError

log = logging.getLogger("kiln")


def content_dir() -> Path:
    return Path(settings.KILN["CONTENT_DIR"]).resolve()


def resync() -> bool:
    """Load and sync the content; on bad content, report it and keep the last good state."""
    from blog import content, sync

    migrate()
    folder = content_dir()
    try:
        loaded = content.load(folder, sync.known_hashes(), ZoneInfo(settings.TIME_ZONE), shown(folder))
        report = sync.sync(loaded, folder, shown(folder))
    except SiteError as exc:
        log.error("error: %s", exc)
        return False
    if report.added or report.updated or report.removed:
        log.info("synced content: %d added, %d updated, %d removed", report.added, report.updated, report.removed)
    return True


@receiver(autoreload_started, dispatch_uid="kiln_watch_content")
def watch_content(sender: BaseReloader, **kwargs: Any) -> None:
    for pattern in ("**/*.md", "**/*.markdown"):
        sender.watch_dir(content_dir(), pattern)


@receiver(file_changed, dispatch_uid="kiln_content_changed")
def content_changed(file_path: Path, **kwargs: Any) -> bool | None:
    if content_dir() not in Path(file_path).resolve().parents:
        return None
    resync()
    from django_browser_reload.views import trigger_reload_soon

    trigger_reload_soon()
    return True  # handled: no server restart
