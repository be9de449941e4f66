"""Excerpts: what a listing and a feed show of a post that has no ``summary:``.

A ``<!--more-->`` marker (Hugo, Jekyll, Zola; ``<!-- more -->`` too) ends the
excerpt: everything before it, as plain text. Without one, the first
paragraph (``blog.markdown.first_paragraph``). A marker inside code is text,
escaped in the HTML, so it never ends an excerpt.
"""

from __future__ import annotations

import html
import re

from .markdown import TAG

MORE = re.compile(r"<!--\s*more\s*-->", re.I)


def excerpt(summary: str, body_html: str, first_paragraph: str) -> str:
    """The summary shown for a post: its own ``summary``, else the text before the marker, else ``first_paragraph``."""
    if summary:
        return summary
    marker = MORE.search(body_html)
    if marker is None:
        return first_paragraph
    return " ".join(html.unescape(TAG.sub("", body_html[: marker.start()])).split())
