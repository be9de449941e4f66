"""What each ``build.py`` command does once Django is set up."""

from __future__ import annotations

import datetime as dt
import logging
import math
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from django.utils.encoding import uri_to_iri
from django.utils.text import slugify

from blog.snapshot import next_publication
from core.errors import SiteError, display_path

from . import quick
from .build import Options, build, check_content_folder, migrate
from .progress import Progress

log = logging.getLogger("kiln")

# the new post's body, after a first paragraph that says when it is published
BODY_HELP = """\
Write your post here in Markdown, in place of these lines. The first
paragraph is its summary on the home page and in feeds, unless you add a
`summary:` line above; `categories: [Django]` files it under a category, and
`keywords: [static, cdn]` finds its related posts.
"""


def build_site(clean: bool = False, write: bool = True, inputs: quick.Inputs | None = None) -> None:
    """Build (or, without ``write``, check) the site the settings name, and log a summary.

    ``inputs`` is what the build reads, taken before it
    started (``kiln.quick``); a build that published without a warning
    records it, so that the next build with nothing changed stops at once.
    """
    quiet = settings.KILN.QUIET
    summary = build(Options(clean=clean, write=write, progress=Progress(quiet=quiet)))
    if write and not summary.warnings:
        upcoming = next_publication()
        until = upcoming.timestamp() if upcoming is not None else None
        connections.close_all()  # SQLite folds its write-ahead log into the database file now, not at exit
        quick.record(
            settings.KILN, Path(settings.PROJECT_DIR), inputs, quick.Reported(summary.pages, summary.posts), until
        )
    if quiet:
        return
    timings = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in summary.timings.items())
    log.info("stages: %s", timings)
    if write:
        log.info(
            "Built %d pages from %d posts into %s in %.2fs (%d rendered, %d files changed, %d unchanged pages reused).",
            summary.pages, summary.posts, display_path(settings.KILN.OUT_DIR), summary.seconds,
            summary.rendered, summary.written, summary.reused,
        )  # fmt: skip
    else:
        log.info("Checked %d posts and %d pages in %.2fs: no problems.", summary.posts, summary.pages, summary.seconds)


def file_slug(title: str) -> str:
    """The new post's file name: the title in ASCII when it has ASCII letters, else in its own letters."""
    return slugify(title) or slugify(title, allow_unicode=True) or "post"


def unwritable(text: str) -> str | None:
    """What in ``text`` front matter cannot hold on one line (a line break, a control character), if anything."""
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") or char in "\ufffe\uffff":
            named = {"\n": "a line break", "\r": "a carriage return", "\t": "a tab"}.get(char)
            return named or f"the character U+{ord(char):04X}"
    return None


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted string, escaped by PyYAML itself."""
    return yaml.safe_dump(text, default_style='"', allow_unicode=True, width=math.inf).rstrip("\n")


def new_post(content: Path, title: str, categories: list[str], draft: bool = True) -> Path:
    """Write ``content/<slug>.md``, dated now in the site's time zone, with front matter that builds as it is."""
    title = title.strip()
    categories = [category.strip() for category in categories if category.strip()]
    if not title:
        raise SiteError('a new post needs a title: build.py new "My title"')
    for what, text in [("the title", title), *(("a category", category) for category in categories)]:
        found = unwritable(text)
        if found:
            raise SiteError(f"{what} {text!r} holds {found}, which front matter cannot hold; write it on one line")
    slug = file_slug(title)
    path = content / f"{slug}.md"
    if path.exists():
        raise SiteError(f"{display_path(path)} already exists; choose another title or edit that file")
    now = dt.datetime.now(ZoneInfo(settings.TIME_ZONE)).replace(microsecond=0)
    url = uri_to_iri(reverse("post", args=[slug]))
    front = [f"title: {quoted(title)}", f"date: {now.isoformat()}"]
    if categories:
        front.append(f"categories: [{', '.join(quoted(c) for c in categories)}]")
    if draft:
        front.append("draft: true")
        status = (
            f"This post is a draft: `build.py serve` shows it at {url}, and builds\n"
            "leave it out until you delete the `draft: true` line above."
        )
        told = f"a draft: `build.py serve` shows it at {url}; builds publish it once you delete `draft: true`"
    else:
        status = f"The next build publishes this post at {url}."
        told = f"the next build publishes it at {url}"
    content.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(["---", *front, "---", "", status, "", BODY_HELP]), encoding="utf-8")
    log.info("Wrote %s, %s.", display_path(path), told)
    return path


def serve(content: Path, port: str) -> None:
    """Run Django's dev server with live reload; its serving process syncs the content (kiln.devserver)."""
    check_content_folder(content)
    migrate()
    call_command("runserver", port, use_reloader=True)
