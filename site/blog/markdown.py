"""Markdown to HTML, the way every post is rendered.

Python-Markdown with fenced code highlighted by Pygments (an unknown
language falls back to plain text), tables, footnotes, heading ids with
anchors and a table of contents. The result is a :class:`Rendered`, which
the sync stage caches by a hash of the Markdown and of this renderer's
version, so a warm build never renders unchanged Markdown again.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import asdict, dataclass
from urllib.parse import unquote

import markdown
import pygments

# bump when the configuration below changes what HTML comes out
CONFIG_VERSION = "1"
VERSION = f"{CONFIG_VERSION}-markdown{markdown.__version__}-pygments{pygments.__version__}"

EXTENSIONS = ["fenced_code", "codehilite", "tables", "footnotes", "toc", "sane_lists", "attr_list"]
EXTENSION_CONFIGS = {
    "codehilite": {"guess_lang": False, "css_class": "highlight"},
    "toc": {"permalink": "#", "permalink_title": "Link to this section", "toc_depth": "2-4"},
    # footnote ids must be unique per page, and posts are shown alone
    "footnotes": {"UNIQUE_IDS": False},
}
INTERNAL_LINK = re.compile(r'href="/plog/([^/"#?]+)')
PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"\w+")
SUMMARY_LENGTH = 300

_converter: markdown.Markdown | None = None


@dataclass(frozen=True)
class Rendered:
    html: str
    toc_html: str
    word_count: int
    first_paragraph: str  # plain text, for a summary when the post has none
    links: tuple[str, ...]  # slugs of /plog/ pages the HTML links to

    def as_dict(self) -> dict:
        return asdict(self)


def cache_key(body: str) -> str:
    return hashlib.sha256(f"{VERSION}\0{body}".encode()).hexdigest()


def render(body: str) -> Rendered:
    global _converter
    if _converter is None:
        _converter = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    converter = _converter.reset()
    body_html = converter.convert(body)
    toc_html = converter.toc if converter.toc_tokens else ""  # type: ignore[attr-defined]
    return Rendered(
        html=body_html,
        toc_html=toc_html,
        word_count=len(WORD.findall(TAG.sub(" ", body_html))),
        first_paragraph=first_paragraph(body_html),
        links=tuple(dict.fromkeys(unquote(html.unescape(s)) for s in INTERNAL_LINK.findall(body_html))),
    )


def first_paragraph(body_html: str) -> str:
    """The first paragraph as plain text, cut at a word near SUMMARY_LENGTH."""
    match = PARAGRAPH.search(body_html)
    if not match:
        return ""
    text = " ".join(html.unescape(TAG.sub("", match.group(1))).split())
    if len(text) <= SUMMARY_LENGTH:
        return text
    return text[:SUMMARY_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"
