"""``reverse()``, once per URL name and arguments while the URL configuration stays the same.

A build needs the URL of every page several times: to list the pages, to
name them in the sitemap, and on every page that links to them (a post's
neighbours and related posts, each post of a listing). Django's ``reverse()``
costs about 40 microseconds a call; a site of 4,000 posts asked it 22,000
times a build. :func:`url` asks it once per (name, arguments) and keeps the
answer while the resolver and the script prefix are the same objects
(``clear_url_caches()``, as a test that changes the URL patterns calls it,
makes a new resolver, and so forgets every URL). Render workers are forked
after the plan listed every page, so they start with every page's URL.

What it keeps must depend on the name and arguments only: every converter's
``to_url`` of the page registry is a plain function of its value. So a build
also keeps them from one build to the next (:func:`load`, :func:`save`),
under a key that changes with the code and the settings the URL patterns are
made from (the build's global salt), and Django's version.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path

import django
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse

_held: dict[tuple[str, tuple[Hashable, ...]], str] = {}
_made_by: list[object] = []  # the (resolver, prefix) the URLs held were reversed with
_new: list[int] = [0]  # URLs reversed since the last load() or save()


def url(name: str, args: Sequence[Hashable] = ()) -> str:
    """``reverse(name, args=args)``, reversed once while the URL configuration stays the same."""
    return reverser()(name, args)


def reverser() -> Callable[[str, Sequence[Hashable]], str]:
    """:func:`url` for many URLs in a row: the URL configuration is looked at once, not once per URL."""
    made_by = (get_resolver(get_urlconf()), get_script_prefix())
    if not _made_by or _made_by[0] != made_by:
        _held.clear()
        _made_by[:] = [made_by]
    held = _held

    def lookup(name: str, args: Sequence[Hashable] = ()) -> str:
        key = (name, tuple(args))
        found = held.get(key)
        if found is None:
            found = held[key] = reverse(name, args=key[1])
            _new[0] += 1
        return found

    return lookup


def _current() -> None:
    reverser()  # forgets the URLs of another URL configuration


def load(path: Path, key: str) -> None:
    """Take the URLs :func:`save` kept in ``path`` under the same ``key``; none when they were kept under another."""
    _current()
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return
    if not isinstance(data, dict) or data.get("key") != [key, django.get_version()]:
        return
    for name, args, found in data.get("urls", []):
        _held.setdefault((name, tuple(args)), found)
    _new[0] = 0


def save(path: Path, key: str) -> None:
    """Keep the URLs reversed so far in ``path``, for the next build with the same ``key`` (when there are new ones)."""
    _current()
    if not _new[0] and path.is_file():
        return
    held = _held.items()
    plain = [[name, list(args), found] for (name, args), found in held if all(type(a) in (str, int) for a in args)]
    path.write_text(json.dumps({"key": [key, django.get_version()], "urls": sorted(plain)}))
    _new[0] = 0
