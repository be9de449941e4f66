"""Fragments of pages rendered once per render worker, not once per page: a post's meta line shows on
its own page, on the home page and on each of its categories' pages; its link in related lists on
several other posts' pages.

``{{ fragment("blog/_meta.html", post) }}`` (``blog.jinja``) renders the template (a site's own
``templates/blog/_meta.html`` first, as any template) with ``post`` and the context every page has
(``blog.context.site``: ``site``, ``base_url``...), and nothing else of the page: what it shows must
depend on the post and the settings only. While the render stage runs (``session``; its forked
workers each keep their own) the text is kept per template and post, and each page that reuses it
is noted as made from the templates the first rendering used (see ``recording``), so that editing
one still renders again every page that shows it. Elsewhere (``serve``) every use renders again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any

from django.http import HttpRequest
from jinja2 import Environment
from markupsafe import Markup

from .context import site

_recorders: list[set[str]] = []  # the set of template names the page being rendered notes (kiln.page_templates)
_sessions: list[dict[Hashable, tuple[Markup, frozenset[str]]]] = []  # the texts kept (see session())


@contextmanager
def session() -> Iterator[None]:
    """While pages render from one state of the database, templates and settings (the render stage)."""
    _sessions.append({})
    try:
        yield
    finally:
        _sessions.pop()


@contextmanager
def recording(used: set[str]) -> Iterator[None]:
    """While pages are rendered with ``used`` collecting the names of the templates each one renders."""
    _recorders.append(used)
    try:
        yield
    finally:
        _recorders.pop()


def kept(key: Hashable, make: Callable[[], str]) -> Markup:
    """``make()``'s text (templates rendered), kept by ``key`` during a :func:`session`; each later use
    notes the templates the first one rendered for the page being rendered."""
    kept = _sessions[-1] if _sessions else {}
    held = kept.get(key)
    used = _recorders[-1] if _recorders else None
    if held is None:
        before = set(used) if used is not None else set()
        if used is not None:
            used.clear()
        held = (Markup(make()), frozenset(used or ()))
        if used is not None:
            used.update(before)
        kept[key] = held
    elif used is not None:
        used.update(held[1])
    return held[0]


def render(environment: Environment, request: HttpRequest | None, name: str, post: Any) -> Markup:
    """``name`` rendered with ``post`` and the site's context; kept per post during a :func:`session`."""

    def make() -> str:
        values = site(request) if request is not None else {}
        return environment.get_template(name).render({**values, "post": post})

    pk = getattr(post, "pk", None)
    return Markup(make()) if pk is None else kept(("fragment", name, pk), make)
