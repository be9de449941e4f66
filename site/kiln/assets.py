"""Assets stage: ``collectstatic`` (django-pipeline bundles and minifies), then
only the fingerprinted files the pages need go into the staging folder.

collectstatic runs only when the asset sources, the settings that shape them
or the pinned node tools changed since the last run, so an unchanged build
never starts csso or terser. Its output lives in the cache folder
(``STATIC_ROOT``); the staging folder gets copies of the hashed names from
the manifest that the previous output lacks, minus the hashed copies of the files that were bundled, so
no unhashed or unused duplicate is shipped and a CDN can cache every file
forever.

Before csso runs, every ``url()`` and ``@import`` in the CSS sources must
point at a file in the assets folder (reported with file and line); after,
every reference in the shipped CSS must resolve to a shipped file.
"""

from __future__ import annotations

import fnmatch
import hashlib
import io
import json
import posixpath
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from pipeline.exceptions import PipelineException

from core.errors import ConfigError, ContentError, Problem, SiteError, ToolError, display_path
from core.files import write

from . import cache

MANIFEST = "staticfiles.json"
IGNORED = ["CVS", ".*", "*~"]
# url(...) with or without quotes, and @import "..." (its url() form is the first branch)
CSS_REFERENCE = re.compile(r"""url\(\s*(['"]?)(?P<url>[^'")]*)\1\s*\)|@import\s*(['"])(?P<imported>[^'"]*)\3""")
EXTERNAL = re.compile(r"^([a-z][a-z0-9+.-]*:|//|#)", re.I)


class AssetError(ContentError):
    """A CSS file refers to something the site does not have."""

    where = "the assets"


def bundles() -> Iterator[tuple[str, str, dict]]:
    """(setting, bundle name, bundle config) for every CSS and JS bundle in PIPELINE."""
    for key in ("STYLESHEETS", "JAVASCRIPT"):
        for name, config in settings.PIPELINE.get(key, {}).items():
            yield key, name, config


def sources() -> dict[str, Path]:
    """Every static source, by its path under STATIC_URL (the first finder wins, as in Django)."""
    found: dict[str, Path] = {}
    for finder in finders.get_finders():
        for path, storage in finder.list(IGNORED):
            found.setdefault(path.replace("\\", "/"), Path(storage.path(path)))
    return found


def sources_hash(files: dict[str, Path]) -> str:
    """A hash of the sources, the settings that shape the output and the node tools' versions."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name].read_bytes()).digest())
    shaping = {
        "STATIC_URL": settings.STATIC_URL,
        "STORAGES": settings.STORAGES,
        "PIPELINE": getattr(settings, "PIPELINE", None),
    }
    digest.update(json.dumps(shaping, sort_keys=True, default=str).encode())
    lock = Path(settings.PROJECT_DIR) / "package-lock.json"
    if lock.is_file():
        digest.update(lock.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Shipped:
    """The collected files to publish, by their hashed names under ``root``."""

    root: Path
    names: list[str]
    salt: str  # a hash of the names: every page's fingerprint includes it

    def files(self) -> set[str]:
        """Their paths inside the output folder."""
        prefix = settings.STATIC_URL.strip("/")
        return {f"{prefix}/{name}" for name in self.names}


def collect(force: bool = False) -> Shipped:
    """Run collectstatic if the sources changed (or ``force``); return what to publish."""
    root = Path(settings.STATIC_ROOT)
    stamp = cache.path(cache.ASSETS_STAMP)
    files = sources()
    current = sources_hash(files)
    manifest_file = root / MANIFEST
    if force or not stamp.is_file() or stamp.read_text() != current or not manifest_file.is_file():
        stamp.unlink(missing_ok=True)  # a failed run must not look up to date
        check_sources(files)
        collectstatic()
        stamp.write_text(current)
    manifest = read_manifest(manifest_file)
    shipped = shipped_files(manifest)
    check_shipped_css(root, shipped)
    return Shipped(root, shipped, hashlib.sha256(json.dumps(shipped).encode()).hexdigest())


def ship(shipped: Shipped, staging: Path, previous: Path | None, untrusted: Collection[str] = ()) -> None:
    """Put the shipped files that ``previous`` (the previous output) lacks under ``staging``, as copies.

    A file of ``previous`` named in ``untrusted`` (edited since it was published) is not kept.
    """
    prefix = settings.STATIC_URL.strip("/")
    for name in shipped.names:
        # a hashed name holds the same bytes in every build: keep the old file and its mtime
        old = previous / prefix / name if previous is not None and f"{prefix}/{name}" not in untrusted else None
        if old is None or not old.is_file():  # a copy: a file edited in out/ must never be the collected file
            write(staging / prefix / name, (shipped.root / name).read_bytes())


def collectstatic() -> None:
    errors = io.StringIO()
    try:
        call_command("collectstatic", interactive=False, clear=True, verbosity=0, stdout=io.StringIO(), stderr=errors)
    except SiteError:
        raise  # our compressors' errors already say what to do
    except (PipelineException, ValueError, OSError) as exc:
        context = errors.getvalue().strip()
        raise ToolError(f"collecting the assets failed: {context + ' ' if context else ''}{exc}") from exc


def read_manifest(path: Path) -> dict[str, str]:
    try:
        return json.loads(path.read_text())["paths"]
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(
            f"collectstatic wrote no usable {display_path(path)}; STORAGES['staticfiles'] must be a manifest "
            "storage such as pipeline.storage.PipelineManifestStorage, so that every asset gets a content hash"
        ) from exc


def bundled_sources(names: list[str]) -> set[str]:
    """The collected files that went into a bundle (matching ``source_filenames``), minus the bundles."""
    bundled, outputs = set(), set()
    for _key, _name, config in bundles():
        outputs.add(config["output_filename"])
        for pattern in config.get("source_filenames", ()):
            bundled.update(fnmatch.filter(names, pattern))
    return bundled - outputs


def shipped_files(manifest: dict[str, str]) -> list[str]:
    """The hashed names to publish: every manifest entry except the bundles' sources."""
    bundled = bundled_sources(sorted(manifest))
    return sorted({hashed for name, hashed in manifest.items() if name not in bundled})


def check_sources(files: dict[str, Path]) -> None:
    """Fail before csso runs: a bundle lists a missing file, or CSS refers to a missing file.

    django-pipeline silently leaves missing sources out of a bundle, and
    Django's own error for a bad ``url()`` names neither the file nor the line.
    """
    names = sorted(files)
    missing = [
        f"PIPELINE['{key}']['{bundle}'] lists {pattern}, which matches no file"
        for key, bundle, config in bundles()
        for pattern in config.get("source_filenames", ())
        if not fnmatch.filter(names, pattern)
    ]
    if missing:
        folders = ", ".join(display_path(Path(d)) for d in settings.STATICFILES_DIRS)
        raise ConfigError("\n".join([*missing, f"(assets are looked up in {folders})"]))
    problems = [
        Problem(display_path(files[name]), line, problem)
        for name in names
        if name.endswith(".css")
        for line, problem in css_problems(name, files[name].read_text(encoding="utf-8", errors="replace"), files)
    ]
    if problems:
        raise AssetError(problems)


def check_shipped_css(root: Path, shipped: list[str]) -> None:
    """Every reference in a shipped stylesheet resolves to a shipped file."""
    available = set(shipped)
    problems = [
        Problem(f"{settings.STATIC_URL}{name}", None, problem)
        for name in shipped
        if name.endswith(".css")
        for _line, problem in css_problems(name, (root / name).read_text(encoding="utf-8", errors="replace"), available)
    ]
    if problems:
        raise AssetError(problems)


def css_problems(name: str, text: str, available: Collection[str]) -> Iterator[tuple[int, str]]:
    """(line, problem) for each reference in the stylesheet ``name`` that ``available`` lacks."""
    for match in CSS_REFERENCE.finditer(text):
        url = match["url"] if match["url"] is not None else match["imported"]
        problem = reference_problem(name, url, available)
        if problem:
            yield text.count("\n", 0, match.start()) + 1, problem


def reference_problem(css_name: str, url: str, available: Collection[str]) -> str | None:
    """What is wrong with a reference from a stylesheet, or None when it resolves.

    External URLs, ``data:`` URLs and fragments are not ours to check.
    """
    url = url.strip()
    path = unquote(urlsplit(url).path)
    if not path or EXTERNAL.match(url):
        return None
    if path.startswith("/"):
        if not path.startswith(settings.STATIC_URL):
            return (
                f"{url!r} is outside {settings.STATIC_URL}, so it would get no content hash; "
                "put the file in the assets folder and refer to it with a relative path"
            )
        target = path[len(settings.STATIC_URL) :]
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(css_name), path))
    if target not in available:
        return f"{url!r} refers to {target}, which is not among the assets; fix the path or add the file"
    return None
