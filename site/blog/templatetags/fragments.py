"""``{% fragment "TEMPLATE" post %}``: a template rendered once per post while pages render (``blog.fragments``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template import Context
from django.utils.safestring import SafeString

from blog import fragments

register = template.Library()


@register.simple_tag(takes_context=True)
def fragment(context: Context, name: str, post: Any) -> SafeString:
    """``name`` rendered with ``post`` (and the site's context, not the page's)."""
    return fragments.render(context, name, post)
