"""Check stage: every internal link, asset reference and feed entry in the staged site resolves.

Links of HTML pages were collected while rendering (and kept in the render
manifest for pages that were reused), so for them this stage only looks
files up. Feeds, the sitemap and other non-HTML pages are read here for the
absolute URLs of this site (``BASE_URL``) they hold. External links are
never fetched.

A broken link names the page and, when the link is written in a post's
Markdown, the file and line; a broken link that comes from a template is
reported once, with the pages that show it.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings

from core.errors import OutputError, Problem

from .render import Page, RenderReport, page_links

SHOWN_PAGES = 3
# link targets as Markdown writes them: [text](target "title"), ![alt](<target with spaces>),
# [id]: target "title", <target>, href="target". An inline target runs to the `)` that closes
# it (one level of parentheses inside is kept), so it may hold spaces: `[a](/x/y z/)`,
# Jekyll's `[a]({% post_url 2010-07-21-name %})`.
MARKDOWN_TARGET = re.compile(
    r"""\]\(\s*((?:[^()\s]|\s+(?=[^\s)])|\([^()]*\))*)\s*\)"""
    r"""|^\s*\[[^\]]+\]:\s*(\S.*?)\s*$"""
    r"""|<(/[^>\s]*)>"""
    r"""|(?:href|src)\s*=\s*["']([^"']+)"""
)
# what may follow a target: a "title", a 'title' or a (title)
TITLE = re.compile(r"""\s+(?:"[^"]*"|'[^']*'|\([^()]*\))$""")


def target_forms(target: str) -> set[str]:
    """The URLs a Markdown link target may stand for: as written, without its title, inside ``<...>``."""
    untitled = TITLE.sub("", target)
    forms = {target, untitled, target.split()[0]}
    for text in (target, untitled):
        if text.startswith("<") and ">" in text:
            forms.add(text[1 : text.index(">")])
    return forms


def resolves(staging: Path, path: str) -> bool:
    relative = path.lstrip("/")
    target = staging / relative
    if path.endswith("/") or not relative:
        return (target / "index.html").is_file()
    return target.is_file() or (target / "index.html").is_file()


# where a feed, sitemap or robots.txt holds a URL, once its XML is unescaped:
# element text (<link>URL</link>, <loc>), attributes of the HTML it carries
# (href="URL", quoted either way), and robots.txt's `Sitemap: URL` lines
XML_TEXT = re.compile(r">\s*(https?://[^<]*?)\s*<")
ATTRIBUTE = re.compile(r"""(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
PLAIN_LINE = re.compile(r"^\s*\w+:\s*(https?://\S+)\s*$", re.M)


def site_urls(file: Path) -> list[str]:
    """Paths of the absolute URLs of this site in a feed, sitemap or text file."""
    text = html.unescape(file.read_text(encoding="utf-8", errors="replace"))
    found = set(XML_TEXT.findall(text)) | set(PLAIN_LINE.findall(text))
    # the HTML inside a feed item was escaped twice: its attributes once more
    found.update(html.unescape(double or single) for double, single in ATTRIBUTE.findall(text))
    base = settings.KILN.BASE_URL
    paths = set()
    for url in found:
        url = url.strip()
        if url == base or url.startswith(base + "/"):
            paths.add(unquote(urlsplit(url[len(base) :]).path) or "/")
    return sorted(paths)


def line_in_source(source: str, uri: str, path: str) -> int | None:
    """The line of the Markdown file ``source`` whose link resolves to ``path`` on page ``uri``."""
    try:
        lines = Path(source).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for number, line in enumerate(lines, start=1):
        targets = {form for groups in MARKDOWN_TARGET.findall(line) for t in groups if t for form in target_forms(t)}
        # resolved exactly as the rendered page's links were
        attributes = "".join(f' href="{html.escape(target)}"' for target in sorted(targets))
        if targets and path in page_links(attributes.encode(), uri):
            return number
    return None


def links(staging: Path, pages: list[Page], report: RenderReport) -> None:
    problems = []
    cache: dict[str, bool] = {}
    from_templates: dict[str, list[str]] = defaultdict(list)  # broken path -> pages showing it
    from_markdown: set[str] = set()
    for page in pages:
        found = report.pages[page.uri].links
        if not page.file.endswith(".html"):
            found = [*found, *site_urls(staging / page.file)]
        for path in found:
            if path not in cache:
                cache[path] = resolves(staging, path)
            if cache[path]:
                continue
            line = line_in_source(page.source, page.uri, path) if page.source else None
            if line is None:
                from_templates[path].append(page.uri)
                continue
            from_markdown.add(path)
            problems.append(
                Problem(page.source, line, f"broken link to {path} (on page {page.uri}); the site has no such file")
            )
    for path, uris in from_templates.items():
        if path in from_markdown:  # a feed's copy of a post's body
            continue
        more = len(uris) - SHOWN_PAGES
        shown = ", ".join(uris[:SHOWN_PAGES]) + (f" and {more} more" if more > 0 else "")
        problems.append(
            Problem(uris[0], None, f"{path} is linked from {shown}, but the site has no such file (a template's link?)")
        )
    if problems:
        raise OutputError(problems)
