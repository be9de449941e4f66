"""Pages that are not posts: about, 404, docs. Published at their own path, never listed as blog posts.

A Markdown file is such a page when any of these holds (the rules of the
generator it was written for):

- its front matter says ``layout: page`` (Jekyll's page layout) or ``type: page``;
- it is under a top-level ``pages/`` or ``_pages/`` folder (Pelican's ``PAGE_PATHS``);
- it is the site's own ``404.md`` (or ``.markdown``) at the top of the content folder (Eleventy's, Jekyll's);
- the content is a Jekyll site (a ``_config.yml`` and a ``_posts/`` folder) and the file is
  outside ``_posts/`` and ``_drafts/`` (Jekyll's pages and collections);
- the content is a Hugo project's (:func:`blog.project.hugo_config`) and the file is at its top, in no
  section (``about.md``): Hugo's lists of posts show its main sections' pages only;
- it matches a pattern of ``KILN_PAGES``.

Its URL is its ``permalink:`` (Jekyll, Eleventy) or ``url:`` (Hugo), else its
path without the extension, as a folder: ``about.md`` is ``/about/``,
``docs/index.md`` is ``/docs/``, and a Jekyll collection's leading ``_`` is
dropped (``_docs/install.md`` is ``/docs/install/``). URLs always end in
``/`` (``permalink: /about.html`` is ``/about/``).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from core.errors import Problem

from . import frontmatter, rst
from .generator import absolute_alias, source_generator
from .layout import DRAFTS, JEKYLL_POSTS, ignored, is_markdown

PAGE_FOLDERS = ("pages", "_pages")
NOT_FOUND_PAGES = ("404.md", "404.markdown")
PAGE_LAYOUT = re.compile(rb"^(?:layout|type)\s*[:=]\s*[\"']?page[\"']?\s*$", re.M | re.I)
URL_SEGMENT = re.compile(r"^[\w.~+@-]+$")


@dataclass
class PageSource:
    """A page as its file describes it."""

    path: str  # relative to the content folder
    source_hash: str
    title: str
    url: str  # /about/
    body: str
    body_line: int
    extra: dict[str, Any] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)  # its old URLs (see :func:`page_aliases`)


def is_page(rel: str, layout_page: bool, jekyll: bool, patterns: Sequence[str] = (), hugo: bool = False) -> bool:
    """Whether the Markdown file at ``rel`` is a page rather than a post (see above); ``layout_page``: its
    front matter says ``layout: page`` (:func:`says_page`), ``hugo``: the content folder is a Hugo project's."""
    parts = rel.split("/")
    if len(parts) > 1 and parts[0] in PAGE_FOLDERS or rel.lower() in NOT_FOUND_PAGES:
        return True
    if hugo and len(parts) == 1:  # in no section: not in Hugo's main sections, the blog
        return True
    if jekyll and JEKYLL_POSTS not in parts[:-1] and DRAFTS not in parts[:-1]:  # see layout.jekyll_site()
        return True
    if patterns and ignored(rel, patterns):
        return True
    return layout_page


def says_page(raw: bytes) -> bool:
    """Whether the front matter of the Markdown file ``raw`` says it is a page (``layout: page``)."""
    head = raw[:8192]
    return b"page" in head and PAGE_LAYOUT.search(head.split(b"\n---", 1)[0].split(b"\n+++", 1)[0]) is not None


def is_html(rel: str) -> bool:
    """Whether the page at ``rel`` is a Jekyll ``.html`` page: Liquid and HTML, not Markdown."""
    return rel.lower().endswith((".html", ".htm"))


def own_page_url(text: str) -> str | None:
    """The ``permalink:`` or ``url:`` the front matter of ``text`` gives, as written; None without one."""
    try:
        meta = frontmatter.parse(text).meta
    except frontmatter.FrontMatterError:
        return None
    value = meta.get("permalink") or meta.get("url")
    return value if isinstance(value, str) else None


def default_url(rel: str) -> str:
    """``about.md`` -> ``/about/``; ``docs/index.md`` -> ``/docs/``; ``_docs/a.md`` -> ``/docs/a/``."""
    stem = rel.rsplit(".", 1)[0] if is_markdown(rel) or is_html(rel) else rel
    parts = stem.split("/")
    if parts[-1].lower() in ("index", "_index"):  # a folder's page, or a Hugo/Zola section's
        parts = parts[:-1]
    if len(parts) > 1 and parts[0] in PAGE_FOLDERS:
        parts = parts[1:] if parts[0] == "_pages" else parts  # Jekyll's _pages/ is a folder of root pages
    elif parts and parts[0].startswith("_"):
        parts[0] = parts[0][1:]  # a Jekyll collection: _docs/ is published as /docs/
    return "/" + "".join(f"{part}/" for part in parts)


def page_url(value: object, rel: str) -> tuple[str | None, str | None]:
    """The page's URL from ``permalink:``/``url:`` (``value``) or its path, or why it cannot be used."""
    url = value.strip() if isinstance(value, str) and value.strip() else default_url(rel)
    if not url.startswith("/"):
        url = "/" + url
    if url.endswith(".html"):
        url = url[: -len(".html")]
        url = url[: -len("/index")] if url.endswith("/index") else url
    if not url.endswith("/"):
        url += "/"
    segments = [s for s in url.split("/") if s]
    if any(s in (".", "..") or not URL_SEGMENT.match(s) for s in segments) or posixpath.normpath(url) == "/":
        return None, (
            f"the page's URL {url!r} is the home page or not a plain path; set `permalink: /a-path/` "
            "(letters, digits, `-`, `_`, `.`)"
        )
    return url, None


def parse_page(rel: str, text: str, digest: str, shown: str) -> tuple[PageSource | None, list[Problem]]:
    """Read a page (``text``, decoded): its title (else its file name), its URL and body; problems name the
    file and line."""
    try:
        doc = rst.parse(text) if rel.lower().endswith(".rst") else frontmatter.parse(text)
    except frontmatter.FrontMatterError as exc:
        return None, [Problem(shown, exc.line, str(exc))]
    meta = doc.meta
    url, problem = page_url(meta.get("permalink") or meta.get("url"), rel)
    if url is None:
        line = doc.field_lines.get("permalink") or doc.field_lines.get("url") or 1
        return None, [Problem(shown, line, problem or "")]
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        title = default_url(rel).strip("/").rpartition("/")[2] or rel  # about.md: about; docs/_index.md: docs
    extra = {str(key): value for key, value in meta.items() if isinstance(value, (str, int, float, bool))}
    olds, problems = page_aliases(rel, doc, url, shown)
    if problems:
        return None, problems
    return PageSource(rel, digest, " ".join(title.split()), url, doc.body, doc.body_line, extra, olds), []


def page_aliases(rel: str, doc: frontmatter.Document, url: str, shown: str) -> tuple[list[str], list[Problem]]:
    """The page's old URLs, as a post's (Jekyll's ``redirect_from:``, Hugo's and Zola's ``aliases``, relative
    ones as its generator reads them), or why they cannot be read. A folder's ``index.html`` is the folder
    (``/help/index.html`` is ``/help/``, the URL a reader follows); one that is the page's own URL is
    dropped."""
    found: list[str] = []
    problems = []
    for key in ("aliases", "redirect_from"):
        value = doc.meta.get(key)
        items = [value] if isinstance(value, str) else value if isinstance(value, list) else None
        if value is None:
            continue
        if items is None or not all(isinstance(item, str) for item in items):
            problems.append(Problem(shown, doc.field_lines.get(key, 1), f"`{key}` must be a list of paths"))
            continue
        for item in items:
            alias = absolute_alias(item.strip(), source_generator(rel, doc), rel)
            if alias.endswith("/index.html"):
                alias = alias.removesuffix("index.html")
            if alias not in found and alias != url and alias + "/" != url:
                found.append(alias)
    return found, problems


def duplicate_urls(pages: Sequence[PageSource], shown_root: str) -> list[Problem]:
    """Two pages on one URL: each is named, with the other."""
    owners: dict[str, list[str]] = {}
    for page in pages:
        owners.setdefault(page.url, []).append(page.path)
    problems = []
    for url, paths in sorted(owners.items()):
        for path in paths if len(paths) > 1 else ():
            others = ", ".join(f"{shown_root}/{other}" for other in paths if other != path)
            message = f"the page URL {url} is also the URL of {others}; give one of them another `permalink:`"
            problems.append(Problem(f"{shown_root}/{path}", None, message))
    return problems
