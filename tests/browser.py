"""A real headless Chromium (Debian's ``chromium``) looking at a built site served over HTTP.

``static_server(folder)`` serves an exported ``out/`` folder the way a CDN
does: files as they are, ``404.html`` (with status 404) for a missing path,
and on a free port of 127.0.0.1. ``launch(playwright)`` starts
``/usr/bin/chromium`` through Playwright; Playwright's own browser download is
never used. The fixtures (``chromium``, ``browser_page``) are registered in
``conftest.py``; ``bench/search.py`` uses the same two helpers.

Without chromium the browser tests skip on a developer's machine and fail
in CI (``CI=true``), so a CI run can never pass without them.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("KILN_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


class StaticHandler(SimpleHTTPRequestHandler):
    """Files of one folder, with the site's ``404.html`` for what is missing, as Netlify does."""

    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".json": "application/json",
    }

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: pytest shows failures, not every request


@contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on a free port of 127.0.0.1 while the block runs; yields the base URL."""
    handler = functools.partial(StaticHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"static-server-{folder.name}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def require_chromium() -> None:
    """Skip without chromium, except in CI, where its absence is a failure."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return
    message = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); .ci/run does"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def launch(playwright):
    """Debian's chromium, headless, through Playwright."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


def chromium_fixture() -> Iterator:
    """Session fixture body: one browser for the whole run."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


def is_script_error(message) -> bool:
    """A console error of a script (a 404 response the test asked for is not one)."""
    return message.type == "error" and not message.text.startswith("Failed to load resource")


def page_fixture(browser) -> Iterator:
    """Test fixture body: a fresh context and page; any uncaught script error fails the test."""
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if is_script_error(message) else None)
    page.script_errors = errors
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"the page logged errors: {errors}"
