"""Issue 14: a DATABASE_URL that cannot work is a message naming the setting, never a hang or a traceback."""

from __future__ import annotations

import socket
import time

import pytest

from conftest import out_state, report_lines


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_server_that_never_answers_times_out(built):
    site, before = built
    with socket.socket() as silent:  # the kernel accepts connections; nothing ever answers them
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        started = time.monotonic()
        result = site.run("build", env={"DATABASE_URL": f"postgres://kiln:secret@127.0.0.1:{port}/kiln"})
        took = time.monotonic() - started
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert took < 60
    assert "DATABASE_URL" in result.stderr and "timeout" in result.stderr and f"127.0.0.1:{port}" in result.stderr
    assert "secret" not in result.stderr
    assert out_state(site) == before


@pytest.mark.parametrize(
    "url, words",
    [
        ("postgres://kiln@127.0.0.1:{port}/kiln", "Connection refused"),
        ("sqlite:////no/such/folder/kiln.sqlite3", "unable to open database file"),
        ("mongodb://localhost/kiln", "is not a database this site can use"),
        ("mysql://kiln@localhost/kiln", "is not supported"),
    ],
    ids=["refused-port", "bad-sqlite-path", "unknown-scheme", "unsupported-engine"],
)
def test_a_database_that_cannot_be_used_names_the_setting(built, url, words):
    site, before = built
    result = site.run("build", env={"DATABASE_URL": url.format(port=free_port())})
    message = result.stderr
    assert result.returncode == 1 and "Traceback" not in message, message
    assert report_lines(message)[0].startswith("error: DATABASE_URL: ") and words in message
    assert out_state(site) == before
