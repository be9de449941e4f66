"""What each ``build.py`` command does once Django is set up."""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management import call_command

from core.errors import SiteError, display_path

from .build import Options, build
from .devserver import resync

log = logging.getLogger("kiln")


def build_site(clean: bool = False, write: bool = True) -> None:
    """Build (or, without ``write``, check) the site the settings name, and log a summary."""
    summary = build(Options(clean=clean, write=write))
    timings = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in summary.timings.items())
    log.debug("stages: %s", timings)
    if write:
        log.info(
            "Built %d pages from %d posts into %s in %.2fs (%d rendered, %d files changed, %d unchanged pages reused).",
            summary.pages, summary.posts, display_path(settings.KILN.OUT_DIR), summary.seconds,
            summary.rendered, summary.written, summary.reused,
        )  # fmt: skip
    else:
        log.info("Checked %d posts and %d pages in %.2fs: no problems.", summary.posts, summary.pages, summary.seconds)


def slugify(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "post"


def new_post(content: Path, title: str, categories: list[str], draft: bool) -> Path:
    """Write ``content/<slug>.md`` with front matter that builds as it is."""
    if not title.strip():
        raise SiteError('a new post needs a title: build.py new "My title"')
    path = content / f"{slugify(title)}.md"
    if path.exists():
        raise SiteError(f"{display_path(path)} already exists; choose another title or edit that file")
    now = dt.datetime.now(ZoneInfo(settings.TIME_ZONE)).replace(microsecond=0)
    quote = lambda text: '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    lines = [
        "---",
        f"title: {quote(title.strip())}",
        f"date: {now.isoformat()}",
        f"categories: [{', '.join(quote(c) for c in categories)}]",
        "keywords: []",
        'summary: ""',
    ]
    if draft:
        lines.append("draft: true")
    lines += ["---", "", "Write your post here, in Markdown.", ""]
    content.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    log.info("Wrote %s", display_path(path))
    return path


def serve(content: Path, port: str) -> None:
    """Sync the content, then run Django's dev server with live reload."""
    resync()
    call_command("runserver", port, use_reloader=True)
