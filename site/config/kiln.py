"""The settings authors and site owners change, declared once.

Each setting has a type, a default and a line of help. Its value comes from
the environment variable of the same name prefixed with ``KILN_`` (so
``KILN_BASE_URL=https://example.com``); ``build.py`` sets some of them from
its command-line options. The README's settings table is checked against
this list by a test.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PROJECT_DIR = Path(__file__).resolve().parents[2]


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"expected true or false, got {text!r}")


def _count(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(text)
        if value < minimum:
            raise ValueError(f"must be {minimum} or more, got {value}")
        return value

    return parse


def _url(text: str) -> str:
    """The site's root URL: scheme and host (and port), no path, since pages live at the root."""
    url = text.strip().rstrip("/")
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises on a port out of range
    except ValueError:
        raise ValueError(f"has an invalid port: {text!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
        raise ValueError(f"must be an absolute http(s) URL such as https://blog.example.com, got {text!r}")
    if parts.path or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(
            f"must be the site's root, with no path (Kiln's pages live at /), such as https://blog.example.com, "
            f"got {text!r}"
        )
    return url


def _service_url(text: str) -> str:
    """A server's URL (http or https, host, optional port and path); empty means none."""
    url = text.strip().rstrip("/")
    if not url:
        return ""
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises on a port out of range
    except ValueError:
        raise ValueError(f"has an invalid port: {text!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"must be an http(s) URL such as http://localhost:9200, got {text!r}")
    return url


def _index_name(text: str) -> str:
    """An Elasticsearch index name: lower case, no separators, not starting with - _ or +."""
    name = text.strip()
    if not name or name != name.lower() or name[0] in "-_+" or any(c in name for c in '\\/*?"<>|,# :'):
        raise ValueError(f"must be a lower-case Elasticsearch index name such as kiln, got {text!r}")
    return name


def _seconds(text: str) -> float:
    value = float(text)
    if not 0 < value <= 3600:
        raise ValueError(f"must be a number of seconds above 0 (at most 3600), got {text!r}")
    return value


def _time_zone(text: str) -> str:
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {text!r}; use a name such as Europe/Paris or UTC") from None
    return text


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str
    also: str = ""  # another environment variable read when the KILN_ one is not set

    @property
    def env(self) -> str:
        return f"KILN_{self.name}"


# fmt: off
SETTINGS = [
    Setting("SITE_TITLE", "Kiln", "The site's name, in the header, titles and feeds."),
    Setting("SITE_DESCRIPTION", "A blog built with Kiln.", "One sentence about the site, for the home page and feeds."),
    Setting("AUTHOR", "", "The author's name, for meta tags and feeds."),
    Setting("BASE_URL", "http://localhost:8000", "Absolute URL of the deployed site, for feeds and sitemap.", _url),
    Setting("POSTS_PER_PAGE", 10, "Posts on each page of the home page and of each category page.", _count(1)),
    Setting("TIME_ZONE", "UTC", "Time zone of dates written without an offset, and of dates shown.", _time_zone),
    Setting("CONTENT_DIR", str(PROJECT_DIR / "content"), "Folder of Markdown posts (`--content`)."),
    Setting("OUT_DIR", str(PROJECT_DIR / "out"), "Folder the site is exported to (`--out`)."),
    Setting("CACHE_DIR", str(PROJECT_DIR / ".kiln-cache"), "Folder of the database and caches (`--cache`)."),
    Setting("DRAFTS", False, "Publish posts marked `draft: true` (`--drafts`; always on in `serve`).", _bool),
    Setting("FUTURE", False, "Publish posts dated in the future (`--future`).", _bool),
    Setting("STRICT", False, "Treat warnings as errors (`--strict`).", _bool),
    Setting("WORKERS", 0, "Processes that render pages; 0 means one per core.", _count(0)),
    Setting("RELATED_POSTS", 5, "Related posts listed under each post; 0 hides the list.", _count(0)),
    Setting("FEED_ITEMS", 20, "Newest posts in each RSS feed; 0 means every post.", _count(0)),
    Setting("FEED_FULL_CONTENT", True, "Feeds carry each post's full text; false: its summary only.", _bool),
    Setting("ASSETS_DIR", str(PROJECT_DIR / "assets"), "Folder of the CSS, JavaScript and images to bundle."),
    Setting("CSSO_BINARY", "", "The csso program; empty means `node_modules/.bin/csso` (from `npm ci`)."),
    Setting("CSSO_RESTRUCTURE", False, "Let csso merge and move rules: smaller CSS, rules not as written.", _bool),
    Setting("TERSER_BINARY", "", "The terser program; empty means `node_modules/.bin/terser` (from `npm ci`)."),
    Setting("ELASTICSEARCH_URL", "", "Elasticsearch to index posts into, not SQLite FTS5 (also `ELASTICSEARCH_URL`).",
            _service_url, also="ELASTICSEARCH_URL"),
    Setting("ELASTICSEARCH_API_KEY", "", "API key for Elasticsearch (the base64 `id:api_key` form)."),
    Setting("ELASTICSEARCH_USERNAME", "", "User for Elasticsearch's basic authentication (when no API key)."),
    Setting("ELASTICSEARCH_PASSWORD", "", "Password of `KILN_ELASTICSEARCH_USERNAME`."),
    Setting("ELASTICSEARCH_CA_CERTS", "", "CA certificate file that signed the cluster's HTTPS certificate."),
    Setting("ELASTICSEARCH_INDEX", "kiln", "Alias Kiln keeps its index behind; each build's index is named after it.",
            _index_name),
    Setting("ELASTICSEARCH_SYNONYMS", "", "File of synonyms, one group a line (`k8s, kube`), added to the defaults."),
    Setting("ELASTICSEARCH_TIMEOUT", 10.0, "Seconds to wait for Elasticsearch to answer before failing.", _seconds),
]
# fmt: on


def read(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Every setting's value: the environment's, parsed, or the default.

    Every invalid value is reported at once, in one ValueError.
    """
    environ = dict(os.environ if environ is None else environ)
    values = {}
    errors = []
    for setting in SETTINGS:
        raw = environ.get(setting.env)
        if raw is None and setting.also:
            raw = environ.get(setting.also)
        if raw is None:
            values[setting.name] = setting.default
            continue
        try:
            values[setting.name] = setting.parse(raw)
        except ValueError as exc:
            errors.append(f"{setting.env}: {exc}")
    if errors:
        raise ValueError("\n  ".join(["invalid settings:", *errors]))
    values["BASE_URL"] = values["BASE_URL"].rstrip("/")
    return values
