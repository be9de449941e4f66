"""The pages' Jinja2 environment (``TEMPLATES``' ``jinja2`` engine, Django's own backend).

Pages render through Jinja2, not the Django template language: the same
templates in ``site/templates/`` compile to Python code, several times faster
to render. What the pages' templates had from Django is here under the same
names: ``static()``, ``url()``, the ``date`` filter (Django's formats, in the
site's time zone as Django's filter shows them), ``{% stylesheet %}`` and
``{% javascript %}`` (django-pipeline's, kept per bundle while pages render),
and ``fragment()`` (``blog.fragments``). Values are escaped as Django escapes
them (``&#x27;``, ``&quot;``), and a name a page's context lacks shows as
nothing, as in Django, so the pages' bytes are the ones Django's templates made.
"""

from __future__ import annotations

import datetime as dt
import html
from functools import lru_cache
from typing import Any

from django.template import Context
from django.template.defaultfilters import date as django_date
from django.templatetags.static import static
from django.urls import reverse
from django.utils.timezone import get_current_timezone, template_localtime
from jinja2 import ChainableUndefined, Environment, pass_context
from jinja2.runtime import Context as JinjaContext
from markupsafe import Markup
from pipeline.jinja2 import PipelineExtension
from pipeline.templatetags import pipeline

from . import fragments


def environment(**options: Any) -> Environment:
    """The engine's environment (``OPTIONS["environment"]``)."""
    options["undefined"] = ChainableUndefined  # Django's templates show nothing for what is missing
    options.setdefault("keep_trailing_newline", True)  # and keep a file's last line break
    env = Environment(**options, finalize=_escaped, extensions=[CachedPipeline])
    env.globals.update(static=static, url=url, fragment=fragment)
    env.filters["date"] = date
    return env


def _escaped(value: object) -> object:
    """What ``{{ value }}`` writes, escaped the way Django escapes (the environment then leaves it as is)."""
    if hasattr(value, "__html__"):
        return value
    return Markup(html.escape(str(value)))


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """``{% url name arg %}``: the path of a named URL."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def date(value: Any, format: str | None = None) -> str:
    """Django's ``date`` filter: an aware datetime in the site's time zone first, as Django's templates do.

    Each post's dates show on many pages (its own, listings, the archive, related lists): each text is
    kept for the value, format and time zone it came from.
    """
    if format is None or not isinstance(value, dt.date):
        return django_date(template_localtime(value), format)
    return _formatted(value, format, get_current_timezone())


@lru_cache(maxsize=16384)
def _formatted(value: dt.date, format: str, zone: object) -> str:
    return django_date(template_localtime(value), format)


@pass_context
def fragment(context: JinjaContext, name: str, post: Any) -> Markup:
    """``{{ fragment("blog/_meta.html", post) }}``: ``name`` rendered with ``post`` and the site's context."""
    return fragments.render(context.environment, context.get("request"), name, post)


class CachedPipeline(PipelineExtension):
    """django-pipeline's ``{% stylesheet %}`` and ``{% javascript %}``, rendered once per bundle while pages render.

    The tags are pipeline's Django ones (``pipeline/css.html``), so the links
    read as they did in the Django templates (``media="all"``).
    """

    def package_css(self, package_name: str, *args: Any, **kwargs: Any) -> Markup:
        node = pipeline.StylesheetNode(repr(package_name))
        return fragments.kept(("stylesheet", package_name), lambda: node.render(Context()))

    def package_js(self, package_name: str, *args: Any, **kwargs: Any) -> Markup:
        node = pipeline.JavascriptNode(repr(package_name))
        return fragments.kept(("javascript", package_name), lambda: node.render(Context()))
