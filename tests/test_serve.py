"""`build.py serve`: the dev server shows drafts, picks up edits without a restart,
and injects the live-reload script."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

from conftest import PROJECT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def status_of(url: str) -> int:
    """The status of a GET, redirects not followed."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", parts.path)
        return connection.getresponse().status
    finally:
        connection.close()


def wait_for(predicate, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
            if last:
                return last
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out; last result: {last!r}")


def serving(site, env: dict[str, str] | None = None, timeout: float = 30.0) -> Iterator[str]:
    """Run ``build.py serve`` on the site until the generator is closed; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            str(PROJECT / "build.py"),
            "serve",
            "--content",
            str(site.content),
            "--cache",
            str(site.cache),
            "--port",
            f"127.0.0.1:{port}",
        ],  # fmt: skip
        cwd=site.root,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: get(base + "/")[0] == 200, timeout)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


@pytest.fixture
def server(site):
    site.write("hello.md", "---\ntitle: Hello\ndate: 2020-01-01\ncategories: [Django]\n---\nFirst version.\n")
    site.write("wip.md", "---\ntitle: Work in progress\ndate: 2020-01-02\ndraft: true\n---\nA draft.\n")
    site.write("images/dot.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>')
    for base in serving(site):
        yield site, base


def test_serve_shows_posts_drafts_and_reload_script(server):
    site, base = server
    status, body = get(base + "/plog/hello/")
    assert status == 200 and "First version." in body
    assert get(base + "/plog/wip/")[0] == 200, "serve shows drafts"
    assert "django-browser-reload" in body or "__reload__" in body
    assert get(base + "/plog/nothing/")[0] == 404


def test_serve_picks_up_content_edits_without_restart(server):
    site, base = server
    site.write("hello.md", "---\ntitle: Hello\ndate: 2020-01-01\ncategories: [Django]\n---\nSecond version.\n")
    wait_for(lambda: "Second version." in get(base + "/plog/hello/")[1])
    site.write("added.md", "---\ntitle: Added later\ndate: 2021-01-01\n---\nNew.\n")
    wait_for(lambda: "Added later" in get(base + "/")[1])


def test_serve_serves_static_files(server):
    _site, base = server
    _status, body = get(base + "/")
    import re

    hrefs = re.findall(r'href="(/static/[^"]+\.css)"', body)
    assert hrefs, body
    for href in hrefs:
        assert get(base + href)[0] == 200


def test_serve_serves_content_files_and_appends_slashes(server):
    _site, base = server
    status, body = get(base + "/images/dot.svg")
    assert status == 200 and body.startswith("<svg")
    assert get(base + "/images/none.svg")[0] == 404
    assert status_of(base + "/plog/hello/none.png") == 404  # not a redirect to a slash URL
    assert status_of(base + "/plog/hello") == 301
    with urllib.request.urlopen(base + "/plog/hello", timeout=10) as response:
        assert response.url.endswith("/plog/hello/")
