"""The settings authors and site owners change, declared once.

Each setting is a field of :class:`KilnSettings` with its type, default and
a line of help. Its value comes from the environment variable of the same
name prefixed with ``KILN_`` (so ``KILN_BASE_URL=https://example.com``);
``build.py`` sets some of them from its command-line options, through
:data:`OPTIONS` (the one place options become settings). Django's settings
hold the result, frozen, as ``settings.KILN``: read ``settings.KILN.BASE_URL``.
The README's settings table is checked against :data:`SETTINGS` by a test.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core import permalinks

from . import netlify

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


SIZE_UNITS = {"": 1, "B": 1, "KB": 1000, "MB": 1000**2, "GB": 1000**3}


def _size(text: str) -> int:
    """A size in bytes, written as ``5000000``, ``500KB``, ``5MB`` or ``1GB``."""
    match = re.fullmatch(r"\s*(\d+)\s*([KMG]?B?)\s*", text.upper())
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"must be a size such as 5MB, 500KB or 5000000 (bytes), got {text!r}")
    return int(match.group(1)) * SIZE_UNITS[match.group(2).rstrip("B") + "B" if match.group(2) else ""]


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


def nav_links(text: str) -> list[tuple[str, str]]:
    """The header's links, written ``Home=/, Archive=/plog/``: (label, site path) each, in order."""
    links = []
    for item in text.split(","):
        if not item.strip():
            continue
        label, equals, path = (part.strip() for part in item.partition("="))
        if not equals or not label or not path.startswith("/") or path.startswith("//"):
            raise ValueError(f"each link must be Label=/path/ (a path on the site), got {item.strip()!r}")
        links.append((label, path))
    return links


def _nav(text: str) -> str:
    """The header's links, checked and written the one way (``Label=/path/, Label=/path/``)."""
    return ", ".join(f"{label}={path}" for label, path in nav_links(text))


def _folder(text: str) -> Path:
    return Path(text)


def _globs(text: str) -> tuple[str, ...]:
    """Comma-separated glob patterns (``README*, notes/*.md``); empty means none."""
    patterns = tuple(part.strip().strip("/") for part in text.split(",") if part.strip())
    if any(not pattern or ".." in pattern.split("/") for pattern in patterns):
        raise ValueError(f"must be glob patterns inside the content folder, such as README*,drafts/*.md; got {text!r}")
    return patterns


BROKEN_LINK_LEVELS = ("error", "warn")


def _level(text: str) -> str:
    level = text.strip().lower()
    if level not in BROKEN_LINK_LEVELS:
        raise ValueError(f"must be error or warn, got {text!r}")
    return level


def _prefixes(text: str) -> tuple[str, ...]:
    """Comma-separated URL path prefixes, each starting with `/` (``/docs/, /api/``); empty means none."""
    prefixes = tuple(part.strip() for part in text.split(",") if part.strip())
    wrong = [prefix for prefix in prefixes if not prefix.startswith("/") or prefix == "/"]
    if wrong:
        raise ValueError(f"must be URL paths below the site's root starting with /, such as /docs/; got {wrong[0]!r}")
    return prefixes


# what a repository holds beside its posts (among KILN_IGNORE's defaults), by whole name: not a post called
# changelog-of-the-week.md; and a Markdown one that opens with front matter is content after all
# (Jekyll's docs have _docs/contributing.md with a permalink)
REPOSITORY_FILES = (
    "README", "README.*", "LICENSE", "LICENSE.*", "LICENCE", "LICENCE.*", "CHANGELOG", "CHANGELOG.*",
    "CONTRIBUTING", "CONTRIBUTING.*", "CODE_OF_CONDUCT", "CODE_OF_CONDUCT.*", "SECURITY.md",
)  # fmt: skip

# what other generators' repositories hold beside the posts (Jekyll's own `exclude` defaults among them)
DEFAULT_IGNORE = (
    *REPOSITORY_FILES,
    "Gemfile", "Gemfile.lock", "gemfiles", "node_modules", "package.json", "package-lock.json",
    "vendor/bundle", "vendor/cache", "vendor/gems", "vendor/ruby",
)  # fmt: skip


def setting(
    default: Any, help: str, parse: Callable[[str], Any] = str, *, in_pages: bool = True, also: str = ""
) -> Any:
    """Declare a setting: its default, a line of help, how its variable is parsed.

    ``in_pages=False`` for a setting that cannot change a page (where things
    are, how fast, how strict): templates do not see it, and changing it does
    not render the pages again. ``also`` names another environment variable,
    read when the ``KILN_`` one is not set.
    """
    return field(default=default, metadata={"help": help, "parse": parse, "in_pages": in_pages, "also": also})


def not_in_pages(default: Any, help: str, parse: Callable[[str], Any] = str, *, also: str = "") -> Any:
    """Declare a setting that no page shows or depends on (see :func:`setting`)."""
    return setting(default, help, parse, in_pages=False, also=also)


@dataclass(frozen=True)
class KilnSettings:
    """Every setting's value, typed and frozen: ``settings.KILN.POSTS_PER_PAGE``."""

    SITE_TITLE: str = setting("Kiln", "The site's name, in the header, titles and feeds.")
    SITE_DESCRIPTION: str = setting(
        "A blog built with Kiln.", "One sentence about the site, for the home page and feeds."
    )
    AUTHOR: str = setting("", "The author's name, for meta tags and feeds.")
    BASE_URL: str = setting("http://localhost:8000", "Absolute URL of the deployed site, for feeds and sitemap.", _url)
    POSTS_PER_PAGE: int = setting(10, "Posts on each page of the home page and of each category page.", _count(1))
    PERMALINK: str = setting(
        permalinks.DEFAULT,
        "URL of each post, from `{year}` `{month}` `{day}` `{section}` `{slug}`; front matter's own URL wins.",
        permalinks.validate,
    )
    TIME_ZONE: str = setting("UTC", "Time zone of dates written without an offset, and of dates shown.", _time_zone)
    NAV: str = setting(
        "Home=/, Archive=/plog/, Categories=/#category-list, Search=/search/, Feed=/atom.xml",
        "The header's links, `Label=/path/` each, comma-separated; empty: none.",
        _nav,
    )
    SOCIAL_CARDS: bool = setting(True, "Draw a 1200x630 social card for each post without an image.", _bool)
    CONTENT_DIR: Path = not_in_pages(PROJECT_DIR / "content", "Folder of Markdown posts (`--content`).", _folder)
    OUT_DIR: Path = not_in_pages(PROJECT_DIR / "out", "Folder the site is exported to (`--out`).", _folder)
    CACHE_DIR: Path = not_in_pages(
        PROJECT_DIR / ".kiln-cache", "Folder of the database and caches (`--cache`).", _folder
    )
    DRAFTS: bool = setting(False, "Publish posts marked `draft: true` (`--drafts`; always on in `serve`).", _bool)
    FUTURE: bool = setting(False, "Publish posts dated in the future (`--future`).", _bool)
    STRICT: bool = not_in_pages(False, "Treat warnings as errors (`--strict`).", _bool)
    WORKERS: int = not_in_pages(0, "Processes that render pages; 0 means one per core.", _count(0))
    QUIET: bool = not_in_pages(False, "Show no progress and no summary, only warnings and errors (`--quiet`).", _bool)
    RELATED_POSTS: int = setting(5, "Related posts listed under each post; 0 hides the list.", _count(0))
    FEED_ITEMS: int = setting(20, "Newest posts in each RSS feed; 0 means every post.", _count(0))
    FEED_FULL_CONTENT: bool = setting(True, "Feeds carry each post's full text; false: its summary only.", _bool)
    ASSETS_DIR: Path = not_in_pages(
        PROJECT_DIR / "assets", "Folder of the CSS, JavaScript and images to bundle.", _folder
    )
    CSSO_BINARY: str = not_in_pages("", "The csso program; empty means `node_modules/.bin/csso` (from `npm ci`).")
    CSSO_RESTRUCTURE: bool = not_in_pages(
        False, "Let csso merge and move rules: smaller CSS, rules not as written.", _bool
    )
    MAX_POST_SIZE: int = not_in_pages(
        5_000_000, "Largest Markdown file read (bytes, or 5MB, 500KB); larger fails.", _size
    )
    MAX_FILE_SIZE: int = not_in_pages(100_000_000, "Largest other content file published (bytes, or 100MB).", _size)
    TERSER_BINARY: str = not_in_pages("", "The terser program; empty means `node_modules/.bin/terser` (from `npm ci`).")
    # the search index files are pages of their own: the search stage follows these, not the page fingerprints
    ELASTICSEARCH_URL: str = not_in_pages(
        "", "Elasticsearch to index posts into, not SQLite FTS5 (also `ELASTICSEARCH_URL`).", _service_url,
        also="ELASTICSEARCH_URL",
    )  # fmt: skip
    ELASTICSEARCH_API_KEY: str = not_in_pages("", "API key for Elasticsearch (the base64 `id:api_key` form).")
    ELASTICSEARCH_USERNAME: str = not_in_pages("", "User for Elasticsearch's basic authentication (when no API key).")
    ELASTICSEARCH_PASSWORD: str = not_in_pages("", "Password of `KILN_ELASTICSEARCH_USERNAME`.")
    ELASTICSEARCH_CA_CERTS: str = not_in_pages("", "CA certificate file that signed the cluster's HTTPS certificate.")
    ELASTICSEARCH_INDEX: str = not_in_pages(
        "kiln", "Alias Kiln keeps its index behind; each build's index is named after it.", _index_name
    )
    ELASTICSEARCH_SYNONYMS: str = not_in_pages(
        "", "File of synonyms, one group a line (`k8s, kube`), added to the defaults."
    )
    ELASTICSEARCH_TIMEOUT: float = not_in_pages(
        10.0, "Seconds to wait for Elasticsearch to answer before failing.", _seconds
    )
    IGNORE: tuple[str, ...] = not_in_pages(
        DEFAULT_IGNORE, "Content files and folders neither read nor published: comma-separated globs.", _globs
    )
    PAGES: tuple[str, ...] = not_in_pages(
        (), "Markdown files that are pages at their own path, not posts: comma-separated globs (`docs/*`).", _globs
    )
    LINKS_ELSEWHERE: tuple[str, ...] = not_in_pages(
        (), "URL prefixes served elsewhere on the domain (`/docs/`): the link check skips them.", _prefixes
    )
    BROKEN_LINKS: str = not_in_pages(
        "error", "A broken link in the content: `error` fails the build; `warn` reports it and publishes.", _level
    )

    def in_pages(self) -> dict[str, Any]:
        """The settings a page can show or depend on (what templates get as ``site``)."""
        return {s.name: getattr(self, s.name) for s in SETTINGS if s.in_pages}

    def __getitem__(self, name: str) -> Any:
        """``settings.KILN.NAME``, for code written against the old dict; prefer ``settings.KILN.NAME``."""
        return getattr(self, name)


@dataclass(frozen=True)
class Setting:
    """One declared setting, as the README and the error messages name it."""

    name: str
    default: Any
    help: str
    parse: Callable[[str], Any]
    in_pages: bool
    also: str = ""  # another environment variable read when the KILN_ one is not set

    @property
    def env(self) -> str:
        return f"KILN_{self.name}"


SETTINGS = [
    Setting(f.name, f.default, f.metadata["help"], f.metadata["parse"], f.metadata["in_pages"], f.metadata["also"])
    for f in fields(KilnSettings)
]

# command-line options of build.py -> the setting each one sets (the one place they meet)
OPTIONS = {
    "content": "CONTENT_DIR",
    "out": "OUT_DIR",
    "cache": "CACHE_DIR",
    "drafts": "DRAFTS",
    "future": "FUTURE",
    "strict": "STRICT",
    "base_url": "BASE_URL",
    "quiet": "QUIET",
}


def option_environment(options: Mapping[str, Any]) -> dict[str, str]:
    """The ``KILN_*`` variables that the given command-line options set (options left unset set none).

    Folders are made absolute, flags that are on become ``1``.
    """
    found = {}
    for option, name in OPTIONS.items():
        value = options.get(option)
        if value is None or value is False:
            continue
        if isinstance(value, Path):
            value = value.resolve()
        found[f"KILN_{name}"] = "1" if value is True else str(value)
    return found


def read(environ: Mapping[str, str] | None = None) -> KilnSettings:
    """Every setting's value: the environment's, parsed, or the default.

    Every invalid value is reported at once, in one ValueError. On Netlify,
    the base URL is the deploy's own unless ``KILN_BASE_URL`` is set.
    """
    environ = dict(os.environ if environ is None else environ)
    if deployed := netlify.base_url(environ):
        environ.setdefault("KILN_BASE_URL", deployed)
    values = {}
    errors = []
    for declared in SETTINGS:
        raw = environ.get(declared.env)
        if raw is None and declared.also:
            raw = environ.get(declared.also)
        if raw is None:
            continue
        try:
            values[declared.name] = declared.parse(raw)
        except ValueError as exc:
            errors.append(f"{declared.env}: {exc}")
    if errors:
        raise ValueError("\n  ".join(["invalid settings:", *errors]))
    if "BASE_URL" in values:
        values["BASE_URL"] = values["BASE_URL"].rstrip("/")
    return KilnSettings(**values)
