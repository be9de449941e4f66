"""Which templates each page is made from, so that editing one template renders again only the pages that use it.

A render worker notes every template rendered for a page (the view's own,
the one it extends, each ``{% include %}`` and ``fragment()``, however deep:
the Jinja2 ones Jinja2 loads, the Django ones Django renders) while it
renders the page; the render manifest keeps those names and one digest of
the files they named. Next build, a page is reused only when the digest
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

from django.template import TemplateDoesNotExist as DjangoTemplateDoesNotExist
from django.template import engines
from django.template.backends.django import DjangoTemplates
from django.template.backends.jinja2 import Jinja2
from django.template.base import Template
from jinja2 import Environment, TemplateNotFound


@contextmanager
def recorded() -> Iterator[set[str]]:
    """The names of the templates rendered meanwhile (clear the set between pages)."""
    used: set[str] = set()
    original = Template._render
    original_load = Environment._load_template

    def _render(self: Template, context: object) -> str:
        name = getattr(self.origin, "template_name", None)
        if name:
            used.add(name)
        return original(self, context)

    def _load_template(self: Environment, name: str, globals: object) -> object:
        template = original_load(self, name, globals)  # type: ignore[arg-type]
        used.add(name)  # loaded as it renders: the page's, its base, an include, a fragment
        return template

    Template._render = _render  # type: ignore[method-assign]
    Environment._load_template = _load_template  # type: ignore[method-assign,assignment]
    try:
        yield used
    finally:
        Template._render = original  # type: ignore[method-assign]
        Environment._load_template = original_load  # type: ignore[method-assign]


@cache
def _file_digest(name: str) -> str:
    """What ``name`` loads now: the file the engines' loaders find first, and its bytes."""
    for engine in engines.all():
        if isinstance(engine, Jinja2):
            try:
                _source, path, _uptodate = engine.env.loader.get_source(engine.env, name)
            except TemplateNotFound:
                continue
        elif isinstance(engine, DjangoTemplates):
            try:
                _template, origin = engine.engine.find_template(name)
            except DjangoTemplateDoesNotExist:
                continue
            path = origin.name
        else:
            continue
        with open(path, "rb") as handle:
            return hashlib.sha256(path.encode() + b"\0" + handle.read()).hexdigest()
    return "missing"


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
