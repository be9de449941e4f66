"""`build.py serve`: the dev server shows drafts, picks up edits without a restart,
injects the live-reload script, and shows content errors in the browser until they are fixed."""

from __future__ import annotations

import fcntl
import http.client
import json
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
from contextlib import contextmanager
from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from PIL import Image

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


@contextmanager
def serving(site, ready: int = 200, env: dict[str, str] | None = None, timeout: float = 30.0) -> Iterator[str]:
    """``build.py serve`` for ``site`` on a free port; yields its base URL once ``/`` answers ``ready``."""
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
        wait_for(lambda: get(base + "/")[0] == ready, timeout)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


@pytest.fixture
def server(site):
    site.write("hello.md", "---\ntitle: Hello\ndate: 2020-01-01\ncategories: [Django]\n---\nFirst version.\n")
    site.write("wip.md", "---\ntitle: Work in progress\ndate: 2020-01-02\ndraft: true\n---\nA draft.\n")
    site.write("images/dot.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>')
    with serving(site) as base:
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


def test_serve_waits_for_a_build_on_its_cache_folder_before_syncing(server):
    # a build holds the cache folder's lock (an flock, as kiln.lock takes it) for as long as it runs
    site, base = server
    with (site.cache / "build.lock").open("a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        site.write("hello.md", "---\ntitle: Hello\ndate: 2020-01-01\ncategories: [Django]\n---\nEdited meanwhile.\n")
        time.sleep(3)  # the watcher polls every 0.5 s: it has seen the edit, and waits
        assert "First version." in get(base + "/plog/hello/")[1]
        fcntl.flock(lock, fcntl.LOCK_UN)
    wait_for(lambda: "Edited meanwhile." in get(base + "/plog/hello/")[1])


def test_a_picture_replaced_on_its_own_is_measured_again(site):
    def png(width: int, height: int) -> bytes:
        data = BytesIO()
        Image.new("RGB", (width, height), "teal").save(data, "PNG")
        return data.getvalue()

    site.write("pictured.md", "---\ntitle: Pictured\ndate: 2020-01-01\n---\n![A box](/images/box.png)\n")
    (site.content / "images").mkdir()
    (site.content / "images/box.png").write_bytes(png(120, 60))
    with serving(site) as base:

        def size() -> tuple[str, str]:
            img = BeautifulSoup(get(base + "/plog/pictured/")[1], "html.parser").select_one("article img")
            return img["width"], img["height"]

        assert size() == ("120", "60")
        (site.content / "images/box.png").write_bytes(png(90, 200))  # no post changes
        wait_for(lambda: size() == ("90", "200"))


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


def reload_events(base: str):
    """The event stream that django-browser-reload's script listens to: each message's type."""
    request = urllib.request.Request(base + "/__reload__/events/", headers={"Accept": "text/event-stream"})
    with urllib.request.urlopen(request, timeout=30) as stream:
        for line in stream:
            if line.startswith(b"data: "):
                yield json.loads(line[len(b"data: ") :])["type"]


def settle(events) -> None:
    """Read the stream until no reload is pending (two pings in a row): earlier edits queued one."""
    previous = None
    for kind in events:
        if kind == previous == "ping":
            return
        previous = kind


def problems_on(body: str) -> list[str]:
    return [item.get_text() for item in BeautifulSoup(body, "html.parser").select("ol.problems li")]


def test_content_errors_replace_every_page_until_fixed(server, tmp_path):
    site, base = server
    site.write("bad.md", "---\ntitle: Bad\ndate: 2023-02-30\n---\nBody.\n")
    site.write("worse.md", "---\ntitle: Worse\ndate: <b>soon</b>\n---\nBody.\n")
    # what `build.py check` prints for the same content, with folders of its own
    check = site.run("check", "--drafts", "--cache", str(tmp_path / "check-cache"), "--out", str(tmp_path / "out"))
    assert check.returncode == 1
    printed = [line.strip() for line in check.stderr.splitlines() if line.startswith("  ")]
    assert [line.split(": ")[0] for line in printed] == ["content/bad.md:3", "content/worse.md:3"]

    wait_for(lambda: len(problems_on(get(base + "/plog/hello/")[1])) == 2)
    for path in ("/", "/plog/hello/", "/plog/wip/", "/plog/nothing/", "/rss.xml", "/images/dot.svg"):
        status, body = get(base + path)
        assert status == 500, path
        page = BeautifulSoup(body, "html.parser")
        assert page.h1.get_text() == "2 problems in the content"
        assert problems_on(body) == printed, path
        assert "'<b>soon</b>'" in printed[1] and page.find("b") is None, "escaped"
        assert page.find("script", attrs={"data-events-path": "/__reload__/events/"}), "the live-reload script"

    events = reload_events(base)
    settle(events)
    (site.content / "worse.md").unlink()
    assert "reload" in events, "the browser is told to reload"
    assert problems_on(get(base + "/")[1]) == printed[:1], "the list follows the edits"
    site.write("bad.md", "---\ntitle: Bad\ndate: 2023-02-28\n---\nFixed.\n")
    assert "reload" in events, "the browser is told to reload"
    status, body = get(base + "/plog/hello/")
    assert status == 200 and "First version." in body
    assert "Fixed." in get(base + "/plog/bad/")[1]


def test_a_post_broken_while_serve_was_stopped_is_shown_at_once(site):
    """The database still holds the post's last good version: serve must not show it."""
    site.write("hello.md", "---\ntitle: Hello\ndate: 2020-01-01\n---\nGood version.\n")
    with serving(site) as base:
        assert "Good version." in get(base + "/plog/hello/")[1]
    site.write("hello.md", "---\ntitle: Hello\ndate: 2020-13-01\n---\nBroken version.\n")
    with serving(site, ready=500) as base:
        status, body = get(base + "/plog/hello/")
        assert status == 500
        items = problems_on(body)
        assert len(items) == 1 and items[0].startswith("content/hello.md:3: invalid date '2020-13-01'")
