"""Render stage: every URL registered with django-distill, into the staging folder.

django-distill lists the URLs (its ``distill_func`` per pattern); we render
them ourselves so that we can

* request each page through one long-lived WSGI handler with the host and
  scheme of ``BASE_URL`` (distill builds a new handler per page and a request
  for ``localhost``),
* skip pages whose fingerprint (``blog.registry``) did not change since the
  last build: their previous file stays, with its mtime (``core.files``),
* render the rest on every core, with forked workers,
* stage only the files whose bytes changed: a page rendered again to the same
  bytes keeps its previous file (and mtime) too.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception
from selectolax.lexbor import LexborHTMLParser

from blog import fragments, registry, snapshot
from core.errors import OutputError, Problem, display_path
from core.files import stage_if_changed
from core.workers import parallel_map

from . import page_templates
from .cache import PageRecord, RenderManifest

LINK_ATTRIBUTES = ("href", "src")


@dataclass
class Page:
    uri: str
    file: str  # path inside the output folder, with forward slashes
    fingerprint: str | None  # None: always render
    source: str | None = None  # the content file this page shows, for messages
    kind: str | None = None  # its kind of page: the URL name (see blog.registry)


@dataclass
class RenderReport:
    pages: dict[str, PageRecord] = field(default_factory=dict)  # uri -> what was written
    rendered: int = 0  # pages whose view ran
    written: int = 0  # files whose bytes changed
    reused: int = 0  # pages skipped by fingerprint


def list_pages(listed: Iterable[registry.Listed]) -> list[Page]:
    """Every distilled URL (``blog.registry.listed``) with its output file; two URLs on one file is an error.

    Two URLs on one file (compared without case: one file on a case-insensitive
    file system) are normally refused by the sync stage already; this is the
    last line of defence, naming the content files of the pages where known.
    """
    pages = []
    owners: dict[str, list[Page]] = {}
    problems = []
    for item in listed:
        uri, source = item.uri, item.source
        file = unquote(item.file).lstrip("/")
        if not file or _outside(file):
            problems.append(Problem(source or uri, None, f"URL {uri} would write outside the output folder ({file!r})"))
            continue
        page = Page(uri, file, item.fingerprint, source, item.kind)
        owners.setdefault(file.casefold(), []).append(page)
        pages.append(page)
    for same in owners.values():
        if len(same) > 1:
            shown = ", ".join(f"{page.uri} ({page.source})" if page.source else page.uri for page in same)
            where = next((page.source for page in same if page.source), same[0].uri)
            message = f"URLs {shown} would all write {same[0].file}; make them differ"
            problems.append(Problem(where, None, message))
    if problems:
        raise OutputError(problems)
    return sorted(pages, key=lambda p: p.file)


def _outside(file: str) -> bool:
    """Whether a page's ``file`` (no leading slash) has an empty, ``.`` or ``..`` folder, or is ``.`` or ``..``."""
    if "//" not in file and "/." not in "/" + file:  # (nearly every page: no folder or name begins with a dot)
        return False
    parts = file.split("/")
    return any(p in ("", ".", "..") for p in parts[:-1]) or parts[-1] in (".", "..")


class PageClient:
    """Requests pages from the Django app in-process, as the deployed site's host."""

    def __init__(self) -> None:
        base = urlsplit(settings.KILN.BASE_URL)
        self.scheme = base.scheme or "https"
        self.host = base.hostname or "localhost"
        self.port = str(base.port or (443 if self.scheme == "https" else 80))
        self.handler = WSGIHandler()
        self.failure: BaseException | None = None  # what the last page raised, if anything
        got_request_exception.connect(self._failed, dispatch_uid="kiln-page-client")

    def _failed(self, sender: object, **kwargs: object) -> None:
        self.failure = sys.exc_info()[1]

    def get(self, uri: str) -> tuple[int, str, bytes]:
        path, _, query = uri.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            # PEP 3333: the raw bytes of the path, as latin-1 text
            "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
            "QUERY_STRING": query,
            "SERVER_NAME": self.host,
            "SERVER_PORT": self.port,
            "HTTP_HOST": self.host if self.port in ("80", "443") else f"{self.host}:{self.port}",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": self.scheme,
            "wsgi.input": BytesIO(),
            "wsgi.errors": BytesIO(),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        status: list[str] = []
        headers: list[tuple[str, str]] = []
        self.failure = None

        def start_response(code: str, response_headers: list, exc_info: object = None) -> None:
            status.append(code)
            headers.extend(response_headers)

        response = self.handler(environ, start_response)
        try:
            body = b"".join(response)
        finally:
            close = getattr(response, "close", None)
            if close:
                close()
        content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
        return int(status[0].split()[0]), content_type, body


def attribute_links(markup: bytes | str) -> list[str]:
    """The ``href`` and ``src`` of every element of an HTML text, as an HTML parser reads them.

    Only real elements count: text that looks like a tag (``&lt;img src="x"&gt;``
    in code), comments and scripts' strings are not links.
    """
    tree = LexborHTMLParser(markup)
    return [
        value
        for node in tree.css(", ".join(f"[{name}]" for name in LINK_ATTRIBUTES))
        for name, value in node.attributes.items()
        if name in LINK_ATTRIBUTES and value is not None
    ]


def page_links(body: bytes, uri: str) -> list[str]:
    """Internal links and asset references of an HTML page, as absolute paths."""
    folder = uri.rsplit("/", 1)[0] or "/"
    values = attribute_links(body.decode("utf-8", "replace"))
    # a root-relative link leads to one path from every page: one cache entry for all
    found = {_link_path(value, "/" if value.lstrip().startswith("/") else folder) for value in values}
    found.discard(None)
    return sorted(found)  # type: ignore[type-var]


@functools.lru_cache(maxsize=1 << 15)  # pages share most of their links (the header's, categories, neighbours)
def _link_path(value: str, folder: str) -> str | None:
    """The absolute path a link (``href`` or ``src`` as written) leads to on the page's ``folder``; None: not ours."""
    href = value.strip()
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("#", "data:")) or not href:
        return None
    path = parts.path
    if not path.startswith("/"):
        path = os.path.normpath(os.path.join(folder, path))
    return unquote(path)


def failing_post(failure: BaseException | None) -> str:
    """What names the post a failed view was working on: its content file, or its page's URL path, or "".

    The innermost frame that holds a post (a model instance with a
    ``source_path``) or a feed item (a dict with a ``link``) wins: a listing's
    or a feed's view holds many posts, the frame that failed holds one.
    """
    traceback = failure.__traceback__ if failure else None
    found = ""
    while traceback is not None:
        for value in traceback.tb_frame.f_locals.values():
            if type(value).__name__ == "Post" and isinstance(getattr(value, "source_path", None), str):
                content = display_path(Path(settings.KILN.CONTENT_DIR)).rstrip("/")
                found = f"{content}/{value.source_path}"
            elif isinstance(value, dict) and isinstance(value.get("link"), str):
                found = unquote(urlsplit(value["link"]).path)
        traceback = traceback.tb_next
    return found


_clients: dict[tuple, PageClient] = {}


def page_client() -> PageClient:
    """This process's client, made once per address and middleware: loading the middleware for each slice
    cost more than rendering its pages."""
    key = (settings.KILN.BASE_URL, tuple(settings.MIDDLEWARE))
    if key not in _clients:
        _clients.clear()
        _clients[key] = PageClient()
    return _clients[key]


def _render_slice(jobs: Sequence[tuple[str, str, str, str]]) -> list[tuple[str, list[str], bool, list[str]]]:
    """Render (uri, file, staging, previous) jobs; return (sha, links, bytes changed, templates used) each."""
    client = page_client()
    results = []
    # the database does not change while pages render
    with snapshot.frozen(), snapshot.upcoming([uri for uri, *_ in jobs]):
        with page_templates.recorded() as used, fragments.recording(used):
            for uri, file, staging, previous in jobs:
                used.clear()
                results.append((*_render_one(client, uri, file, staging, previous), sorted(used)))
    return results


def _render_one(client: PageClient, uri: str, file: str, staging: str, previous: str) -> tuple[str, list[str], bool]:
    """Render one page into ``staging``; (sha, links, bytes changed), or ("", [reason, post], False) on failure."""
    status, content_type, body = client.get(uri)
    if status != 200:
        failure = client.failure
        reason = f"HTTP {status}" + (f" ({type(failure).__name__}: {failure})" if failure else "")
        return "", [reason, failing_post(failure)], False
    links = page_links(body, uri) if content_type.startswith("text/html") else []
    old = Path(previous) / file if previous else None
    changed = stage_if_changed(Path(staging) / file, body, old)
    return hashlib.sha256(body).hexdigest(), links, changed


def render(
    pages: list[Page],
    staging: Path,
    previous: Path | None,
    manifest: RenderManifest,
    reuse: bool,
    done: Callable[[int], None] | None = None,
    present: Collection[str] | None = None,
) -> RenderReport:
    """Write every page whose bytes changed into ``staging``.

    ``manifest`` is the previous build's record of pages; with ``reuse``, a
    page it says is reusable is not rendered: its file in ``previous`` (the
    previous output) stays. A rendered page whose bytes equal the previous
    file is not staged either, so it keeps its mtime. ``done(n)`` hears of
    pages as they are done (``kiln.progress``). ``present`` is every file
    ``previous`` holds, when the caller walked it already.
    """
    report = RenderReport()
    old_pages = manifest.pages if previous is not None and reuse else {}

    def kept(file: str) -> bool:
        return file in present if present is not None else (previous / file).is_file()  # type: ignore[operator]

    jobs = []
    for page in pages:
        old = old_pages.get(page.uri)
        if old is not None and old.reusable(page.fingerprint, page.file) and kept(page.file):
            report.pages[page.uri] = old if old.kind == page.kind else replace(old, kind=page.kind)
            report.reused += 1
            continue
        jobs.append(page)
    if done is not None and report.reused:
        done(report.reused)
    if jobs:
        snapshot.published()  # read once here: the forked workers share it (pages of posts all read it)
    with fragments.session():  # each worker keeps the fragments it rendered for all its slices
        results = parallel_map(
            _render_slice,
            [(p.uri, p.file, str(staging), str(previous) if previous else "") for p in jobs],
            done=done,
        )
    problems = []
    sources = {page.uri: page.source for page in pages if page.source}
    for page, (sha, links, changed, templates) in zip(jobs, results, strict=True):
        if not sha:
            reason, post = links
            source = sources.get(post, "") if post.startswith("/") else post
            where = source or page.source or page.uri
            problems.append(Problem(where, None, f"page {page.uri} failed to render: {reason}, expected HTTP 200"))
            continue
        used = page_templates.digest(templates)
        report.pages[page.uri] = PageRecord(page.file, sha, links, page.fingerprint, page.kind, templates, used)
        report.rendered += 1
        report.written += changed
    if problems:
        raise OutputError(problems)
    return report
