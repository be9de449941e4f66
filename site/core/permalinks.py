"""The posts' URL pattern (``KILN_PERMALINK``): ``/plog/{slug}/``, ``/{year}/{month}/{day}/{slug}/``...

A pattern is a root-relative path ending with ``/`` that holds ``{slug}``
and may hold ``{year}``, ``{month}``, ``{day}`` (two digits) and
``{section}`` (the post's folder; an empty one drops its segment). The
pattern's *prefix* is its text before the first placeholder (``/plog/``):
the page registry routes every post below it, and a post is named by its
*key*, its URL below the prefix without the slashes around it
(``hello``, ``2014/12/12/hello``). A post whose front matter gives its own
URL keeps it when it lies below the prefix; see :func:`key_of`.
"""

from __future__ import annotations

import datetime as dt
import re

PLACEHOLDERS = ("year", "month", "day", "section", "slug")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
DEFAULT = "/plog/{slug}/"


def validate(text: str) -> str:
    """``text`` as a permalink pattern, or a ValueError saying what is wrong with it."""
    pattern = text.strip()
    unknown = [name for name in PLACEHOLDER.findall(pattern) if name not in PLACEHOLDERS]
    if unknown:
        known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        raise ValueError(f"unknown placeholder {{{unknown[0]}}} in {text!r}; use {known}")
    if not pattern.startswith("/") or not pattern.endswith("/") or "//" in pattern:
        raise ValueError(f"must be a path that starts and ends with `/`, such as {DEFAULT}, got {text!r}")
    if pattern.count("{slug}") != 1:
        raise ValueError(f"must hold {{slug}} once, such as {DEFAULT}, got {text!r}")
    if any(c in pattern for c in "?#%\\ ") or ".." in pattern.split("/"):
        raise ValueError(f"must be a plain path (no `?`, `#`, `%`, spaces or `..`), got {text!r}")
    if not prefix(pattern).endswith("/"):
        raise ValueError(f"each placeholder must start a path segment (`/blog/{{slug}}/`), got {text!r}")
    return pattern


def prefix(pattern: str) -> str:
    """The fixed text before the first placeholder: ``/plog/`` of ``/plog/{slug}/``."""
    return pattern[: pattern.index("{")] if "{" in pattern else pattern


def expand(pattern: str, date: dt.datetime, section: str, slug: str) -> str:
    """The URL ``pattern`` gives a post; an empty ``{section}`` drops its segment."""
    values = {
        "year": f"{date.year:04d}",
        "month": f"{date.month:02d}",
        "day": f"{date.day:02d}",
        "section": section.strip("/"),
        "slug": slug,
    }
    url = PLACEHOLDER.sub(lambda m: values[m[1]], pattern)
    return re.sub(r"/{2,}", "/", url)


def key_of(url: str, pattern: str) -> str | None:
    """The key of the post at ``url`` (its part below the pattern's prefix), or None when ``url`` lies
    elsewhere (or is the prefix itself): such a post is published at the pattern's URL and redirected from
    ``url``."""
    start = prefix(pattern)
    path = "/" + url.strip().lstrip("/")
    if not path.startswith(start):
        return None
    key = path[len(start) :].strip("/")
    return key or None


def url_of(key: str, pattern: str) -> str:
    """The URL of the post named ``key``."""
    return f"{prefix(pattern)}{key}/"


def link_shape(pattern: str) -> str | None:
    """A regular expression for the keys links to posts may name, for the broken-link check; None when the
    pattern cannot tell a post's URL from another page's (``/{slug}/``: the check stage still checks them)."""
    rest = pattern[len(prefix(pattern)) :].strip("/")
    parts = {
        "year": r"\d{4}",
        "month": r"\d{2}",
        "day": r"\d{2}",
        "section": r"(?:[^/\"#?<>\s]+/)*",
        "slug": r"(?:[^/\"#?<>\s]+/)*[^/\"#?<>\s]+",  # a section folded in before the slug (see blog.urls)
    }
    if prefix(pattern) == "/" and not re.match(r"\{(year|month|day)\}", rest.replace("{section}/", "")):
        return None
    shape = ""
    for piece in re.split(r"(\{[a-z]+\})", rest):
        name = piece[1:-1] if piece.startswith("{") else None
        shape += parts[name] if name else re.escape(piece)
    return shape.replace(")*/", ")*")
