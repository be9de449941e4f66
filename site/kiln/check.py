"""Check stage: every internal link, asset reference and feed entry in the staged site resolves.

Links of HTML pages were collected while rendering (and kept in the render
manifest for pages that were reused), so for them this stage only looks
files up. Feeds, the sitemap and other non-HTML pages are read here for the
absolute URLs of this site (``BASE_URL``) they hold. External links are
never fetched.

An edit build checks only what can have broken: the links of pages whose
bytes changed, and the links of the others (remembered in the render
manifest, the URLs a feed holds too) that lead to a file the previous
build published and this one lacks. The previous build checked the rest,
with the same settings (:func:`key`), and none of their targets went away.

A broken link names the page and, when the link is written in a post's
Markdown, the file and line; a broken link that comes from a template is
reported once, with the pages that show it.
"""

from __future__ import annotations

import html
import json
import logging
import posixpath
import re
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping, Set
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings

from core.errors import OutputError, Problem

from .cache import PageRecord
from .render import Page, RenderReport, attribute_links, page_links

log = logging.getLogger("kiln")

SHOWN_PAGES = 3
VERSION = 1  # of what a page's remembered links hold: a feed's site URLs since version 1
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


def resolves(published: Collection[str], path: str) -> bool:
    """Whether a link to ``path`` leads to one of the files ``published`` (paths inside the output folder)."""
    # as a browser resolves it: `/../../etc/passwd` is `/etc/passwd`, never a file above the site
    relative = posixpath.normpath("/" + path).lstrip("/")
    folder = f"{relative}/index.html".lstrip("/")
    if path.endswith("/") or not relative:
        return folder in published
    return relative in published or folder in published


# robots.txt's `Sitemap: URL` lines, and any other text file's
PLAIN_LINE = re.compile(r"^\s*\w+:\s*(https?://\S+)\s*$", re.M)


def json_strings(value: object) -> Iterator[str]:
    """Every string in a JSON document (a JSON Feed's URLs and the HTML of its items)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)


def site_urls(file: Path) -> list[str]:
    """Paths of the absolute URLs of this site in a feed (XML or JSON), sitemap or text file.

    XML (feeds, the sitemap) is parsed: a URL is an element's whole text
    (``<link>``, ``<loc>``), an ``href`` attribute (Atom's ``<link>``), or a
    link of the HTML a feed item carries (its text parsed as HTML). Other text
    is read line by line. In a JSON Feed, a URL is a whole string, or a link
    of the HTML a string carries.
    """
    data = file.read_bytes()
    if file.suffix == ".json":
        found = []
        for string in json_strings(json.loads(data)):
            if string.startswith(("http://", "https://")) and not any(c.isspace() for c in string):
                found.append(string)
            elif "<" in string:
                found += attribute_links(string)
        return site_paths(found)
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        found = PLAIN_LINE.findall(data.decode("utf-8", "replace"))
    else:
        found = []
        for element in root.iter():
            found += [v for k, v in element.attrib.items() if k in ("href", "src")]
            text = (element.text or "").strip()
            if text.startswith(("http://", "https://")) and not any(c.isspace() for c in text):
                found.append(text)
            elif "<" in text:
                found += attribute_links(text)
    return site_paths(found)


def site_paths(urls: list[str]) -> list[str]:
    """The paths of those of ``urls`` that are on this site (under the base URL), sorted."""
    base = settings.KILN.BASE_URL
    paths = set()
    for url in urls:
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
        anchors = "".join(f'<a href="{html.escape(target)}"></a>' for target in sorted(targets))
        if targets and path in page_links(anchors.encode(), uri):
            return number
    return None


def elsewhere(path: str, prefixes: tuple[str, ...]) -> bool:
    """Whether ``path`` is under one of ``prefixes`` (``KILN_LINKS_ELSEWHERE``): another part of the domain.

    ``/docs/`` covers ``/docs/`` and everything under it; ``/docs`` also covers ``/docs.html``.
    """
    return any(path.startswith(prefix) or path == prefix.rstrip("/") for prefix in prefixes)


def key() -> str:
    """What the link check depends on besides the pages' bytes: a manifest checked with another key is not trusted."""
    return json.dumps(
        [VERSION, settings.KILN.BASE_URL, list(settings.KILN.LINKS_ELSEWHERE), settings.KILN.BROKEN_LINKS]
    )


def candidates(path: str) -> set[str]:
    """The files a link to ``path`` may resolve to (:func:`resolves`)."""
    relative = posixpath.normpath("/" + path).lstrip("/")
    return {relative, f"{relative}/index.html".lstrip("/")}


def links(
    staging: Path,
    pages: list[Page],
    report: RenderReport,
    published: Collection[str],
    checked: Mapping[str, PageRecord] | None = None,
    removed: set[str] | None = None,
    previous: Path | None = None,
    warned: Set[str] = frozenset(),
) -> list[Problem]:
    """Check the links of ``pages`` among the files ``published``, those changed in ``staging`` and the others
    in ``previous`` (the previous output); ``checked``: the pages of the previous build, whose links were
    checked among the files it published, so that a page with the same bytes is checked only for those of its
    links that may lead to one of them that this build does not have (``removed``; None: not known).

    Each page's record in ``report`` keeps the links checked (a feed's too), for the next build.
    ``warned``: where links the sync stage already warned of lead (KILN_BROKEN_LINKS=warn), not warned of twice.
    The broken links raise OutputError; with ``KILN_BROKEN_LINKS=warn`` they are returned, and every page is
    checked again by every build (a broken link is then reported each time, not only when its page changes).
    """
    problems = []
    cache: dict[str, bool] = {}
    prefixes = settings.KILN.LINKS_ELSEWHERE
    skipped: dict[str, int] = defaultdict(int)  # path elsewhere on the domain -> links to it
    from_templates: dict[str, list[str]] = defaultdict(list)  # broken path -> pages showing it
    from_markdown: set[str] = set()
    checked = checked if checked and removed is not None and settings.KILN.BROKEN_LINKS != "warn" else {}
    lost: dict[str, bool] = {}  # path -> whether it may lead to a removed file
    for page in pages:
        record = report.pages[page.uri]
        old = checked.get(page.uri)
        if old is not None and old.file == record.file and old.sha == record.sha:
            if record.links is not old.links:  # (a page not rendered again holds its old record already)
                report.pages[page.uri] = replace(record, links=old.links)
            # (links elsewhere on the domain are counted again, for the line that says how many were skipped)
            found = []
            for path in old.links:
                if path not in lost:
                    lost[path] = bool(removed and candidates(path) & removed)
                if lost[path] or (prefixes and elsewhere(path, prefixes)):
                    found.append(path)
        else:
            found = record.links
            if not page.file.endswith(".html"):
                file = staging / page.file
                if previous is not None and not file.exists():  # not changed: the previous output's
                    file = previous / page.file
                found = sorted({*found, *site_urls(file)})
                report.pages[page.uri] = replace(record, links=found)
        for path in found:
            if prefixes and elsewhere(path, prefixes):
                skipped[path] += 1
                continue
            if path in warned:
                continue
            if path not in cache:
                cache[path] = resolves(published, path)
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
    if skipped:
        count = sum(skipped.values())
        log.info(
            "Link check: skipped %d link%s to %d path%s served elsewhere on the domain (KILN_LINKS_ELSEWHERE: %s).",
            count, "" if count == 1 else "s", len(skipped), "" if len(skipped) == 1 else "s", ", ".join(prefixes),
        )  # fmt: skip
    if problems and settings.KILN.BROKEN_LINKS != "warn":
        raise OutputError(problems)
    return problems
