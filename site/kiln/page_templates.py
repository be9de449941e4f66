"""Which templates each page is made from, so that editing one template renders again only the pages that use it.

A render worker notes every Django template rendered for a page (the
view's own, the one it extends, each ``{% include %}``, however deep) while
it renders the page; the render manifest keeps those names and one digest
of the files they named. Next build, a page is reused only when the digest
of the files those names name now is the same: a template edited, removed,
or shadowed by a new file of the same name in an earlier folder of the
loader's search path renders again every page that used it, and no other.

Templates outside the pages (the Markdown shortcodes', read by the sync
stage) stay in the build's global salt (``kiln.build.global_salt``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache

from django.template import TemplateDoesNotExist, engines
from django.template.base import Template


@contextmanager
def recorded() -> Iterator[set[str]]:
    """The names of the templates rendered meanwhile (clear the set between pages)."""
    used: set[str] = set()
    original = Template._render

    def _render(self: Template, context: object) -> str:
        name = getattr(self.origin, "template_name", None)
        if name:
            used.add(name)
        return original(self, context)

    Template._render = _render  # type: ignore[method-assign]
    try:
        yield used
    finally:
        Template._render = original  # type: ignore[method-assign]


@cache
def _file_digest(name: str) -> str:
    """What ``name`` loads now: the file the loaders find first, and its bytes."""
    try:
        _template, origin = engines["django"].engine.find_template(name)
    except TemplateDoesNotExist:
        return "missing"
    with open(origin.name, "rb") as handle:
        return hashlib.sha256(origin.name.encode() + b"\0" + handle.read()).hexdigest()


def digest(names: Iterable[str]) -> str:
    """One digest of the files that ``names`` load now."""
    return _digest(tuple(sorted(set(names))))


@cache  # thousands of pages share a few lists of templates
def _digest(names: tuple[str, ...]) -> str:
    combined = hashlib.sha256()
    for name in names:
        combined.update(f"{name}\0{_file_digest(name)}\0".encode())
    return combined.hexdigest()


def forget() -> None:
    """Read the template files again (``serve`` and tests that edit templates in one process)."""
    _file_digest.cache_clear()
    _digest.cache_clear()
