"""Responsive images: every local picture of a post gets its size, lazy loading and WebP variants.

The picture a post shows (``![x](cover.jpg)``, ``<img src="/images/a.png">``)
is found in the content folder: beside the post in a leaf bundle, else at its
path from the site's root (as :mod:`kiln.content_files` publishes it). Pillow
reads it once per content hash (its size is kept in the cache folder's
``images/``), so that its ``<img>`` gets ``width`` and ``height`` (no layout
shift), ``loading="lazy"`` after the post's first picture, and a ``srcset`` of
WebP variants narrower than it (:data:`WIDTHS`) with ``sizes`` for the reading
column. The original keeps its ``src``, so it stays linked and is the widest
candidate.

Variants are pages of the registry (``/_img/<name>-<width>w.<hash>.webp``),
each encoded once per content hash and width into the cache folder, with fixed
encoder options, so a rebuild re-encodes nothing and the same picture gives the
same bytes. A file that Pillow cannot read (truncated, not a picture) fails the
build, naming it and the post line that shows it.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import os
import posixpath
import re
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings

from core.errors import ContentError, Problem, display_path

from .layout import bundle_folder

# the widths of the WebP variants, in pixels; only those narrower than the original are made
WIDTHS = (480, 960, 1440)
# the reading column: the page's width less its gutters on a phone, 40rem on a wider screen
SIZES = "(max-width: 42.5rem) calc(100vw - 2rem), 40rem"
# pictures Pillow reads and the browser shows; SVG has no pixels, GIF may move (no variants, size only)
SIZED = (".jpg", ".jpeg", ".png", ".gif", ".webp")
VARIED = (".jpg", ".jpeg", ".png", ".webp")
WEBP_OPTIONS = {"quality": 80, "method": 4, "exact": False}
FOLDER = "images"  # in the cache folder
URL_PREFIX = "/_img/"

IMG_TAG = re.compile(r"<img\b(?P<attributes>[^>]*?)\s*/?>", re.I)
ATTRIBUTE = re.compile(
    r"""(?P<name>[^\s"'>/=]+)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`]+)))?"""
)


@functools.cache
def encoder() -> str:
    """What the variants' bytes depend on besides the picture: the encoder and its options.

    Pillow is imported here and where pictures are read, not with the module:
    a build whose posts have no picture never loads it.
    """
    import PIL.features

    return f"pillow{PIL.__version__}-webp{PIL.features.version('webp')}-{sorted(WEBP_OPTIONS.items())}-lanczos"


@dataclass(frozen=True)
class Picture:
    """One local picture: its content file, bytes' hash, size and variants (URL -> width)."""

    source: Path
    sha: str
    width: int
    height: int
    variants: tuple[tuple[str, int], ...] = ()

    def shows(self) -> tuple:
        """What a page that shows it depends on."""
        return (self.sha, self.width, self.height, self.variants)


@dataclass
class Pictures:
    """The local pictures of every published post: by post and address, and every variant to publish."""

    of_post: dict[str, dict[str, Picture]] = field(default_factory=dict)  # slug -> src as written -> picture
    variants: dict[str, tuple[Picture, int]] = field(default_factory=dict)  # variant file name -> (picture, width)
    first_src: dict[str, str] = field(default_factory=dict)  # slug -> the address of its first <img>, local or not


NONE = Pictures()


def cache_folder() -> Path:
    return settings.KILN.CACHE_DIR / FOLDER


def content_folder() -> Path:
    return Path(settings.KILN.CONTENT_DIR).resolve()


def relative(path: Path) -> str:
    """A content file's path inside the content folder, with forward slashes."""
    return path.relative_to(content_folder()).as_posix()


def attributes(tag_attributes: str) -> dict[str, str | None]:
    """An HTML tag's attributes, names in lower case, values unescaped (None for a bare name)."""
    found: dict[str, str | None] = {}
    for match in ATTRIBUTE.finditer(tag_attributes):
        value = next((v for v in (match["dq"], match["sq"], match["bare"]) if v is not None), None)
        found.setdefault(match["name"].lower(), None if value is None else html.unescape(value))
    return found


def sources(body_html: str) -> list[str]:
    """The ``src`` of every ``<img>`` in ``body_html``, in order, once each."""
    found = (attributes(m["attributes"]).get("src") for m in IMG_TAG.finditer(body_html))
    return list(dict.fromkeys(src for src in found if src))


def local_file(src: str, post_url: str, source_path: str, content: Path) -> Path | None:
    """The content file a picture's address names, or None (elsewhere, missing, not a picture Pillow reads)."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or src.startswith(("#", "data:")):
        return None
    path = unquote(urlsplit(urljoin(post_url, src)).path)
    if not path.lower().endswith(SIZED):
        return None
    folder = bundle_folder(source_path)
    candidates = []
    if folder is not None and path.startswith(post_url):
        candidates.append(content / folder / path[len(post_url) :])
    candidates.append(content / path.lstrip("/"))
    for candidate in candidates:
        normal = Path(os.path.normpath(candidate))
        if normal.is_relative_to(content) and normal.is_file():
            return normal
    return None


def measure(path: Path, sha: str) -> tuple[int, int]:
    """(width, height) of the picture as shown (EXIF orientation applied), cached by content hash.

    Raises ValueError, with Pillow's reason, for a file Pillow cannot read whole.
    """
    known = cache_folder() / f"{sha}.json"
    try:
        width, height = json.loads(known.read_text(encoding="utf-8"))
        return int(width), int(height)
    except (OSError, ValueError, TypeError):
        pass
    from PIL import Image, ImageOps

    try:
        with Image.open(path) as image:
            image.load()  # a truncated file fails here, not at Image.open
            shown = ImageOps.exif_transpose(image)
            width, height = shown.size
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValueError(str(exc) or type(exc).__name__) from exc
    write_atomically(known, json.dumps([width, height]).encode())
    return width, height


def write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp{os.getpid()}")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def variant_name(path: Path, sha: str, width: int) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", path.stem).strip("-")[:40] or "image"
    return f"{stem}-{width}w.{sha[:12]}.webp"


def picture(path: Path) -> Picture:
    """The picture at ``path``, measured (ValueError when Pillow cannot read it)."""
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    width, height = measure(path, sha)
    variants: tuple[tuple[str, int], ...] = ()
    if path.suffix.lower() in VARIED:
        variants = tuple((URL_PREFIX + variant_name(path, sha, w), w) for w in WIDTHS if w < width)
    return Picture(path, sha, width, height, variants)


def line_of(text: str, src: str) -> int | None:
    """The first line of ``text`` that holds ``src`` (or its file name), or None."""
    for needle in (src, posixpath.basename(src)):
        position = text.find(needle) if needle else -1
        if position >= 0:
            return text.count("\n", 0, position) + 1
    return None


def collect(posts: list[tuple[str, str, str, str]]) -> Pictures:
    """The pictures of ``posts``, (slug, URL, source path, body HTML) each; every unreadable one is reported.

    Raises ContentError naming each post (and line) that shows a file Pillow cannot read.
    """
    content = content_folder()
    shown_content = display_path(settings.KILN.CONTENT_DIR).rstrip("/")
    found = Pictures()
    measured: dict[Path, Picture | str] = {}
    problems = []
    for slug, url, source_path, body_html in posts:
        addresses = sources(body_html)
        if addresses:
            found.first_src[slug] = addresses[0]
        for src in addresses:
            path = local_file(src, url, source_path, content)
            if path is None:
                continue
            if path not in measured:
                try:
                    measured[path] = picture(path)
                except (OSError, ValueError) as exc:
                    measured[path] = str(exc)
            known = measured[path]
            if isinstance(known, str):
                post_file = content / source_path
                text = post_file.read_text(encoding="utf-8", errors="replace") if post_file.is_file() else ""
                image = f"{shown_content}/{relative(path)}"
                message = f"the image {image} ({src}) cannot be read as a picture: {known}; replace it or remove it"
                problems.append(Problem(f"{shown_content}/{source_path}", line_of(text, src), message))
                continue
            found.of_post.setdefault(slug, {})[src] = known
            for variant_url, width in known.variants:
                found.variants[variant_url.removeprefix(URL_PREFIX)] = (known, width)
    if problems:
        raise ContentError(problems)
    return found


def variant_bytes(image: Picture, width: int) -> bytes:
    """The WebP variant of ``image`` ``width`` pixels wide, encoded once per content hash and width."""
    cached = cache_folder() / f"{image.sha}-{width}-{hashlib.sha256(encoder().encode()).hexdigest()[:12]}.webp"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    from PIL import Image, ImageOps

    with Image.open(image.source) as opened:
        shown = ImageOps.exif_transpose(opened)
        if shown.mode not in ("RGB", "RGBA"):
            shown = shown.convert("RGBA" if "A" in shown.getbands() or "transparency" in shown.info else "RGB")
        height = max(1, round(image.height * width / image.width))
        resized = shown.resize((width, height), Image.Resampling.LANCZOS)
    resized.info.clear()  # no EXIF, ICC or XMP from the original: the same pixels give the same bytes
    buffer = BytesIO()
    resized.save(buffer, "WEBP", **WEBP_OPTIONS)
    data = buffer.getvalue()
    write_atomically(cached, data)
    return data


def responsive(body_html: str, pictures: dict[str, Picture]) -> str:
    """``body_html`` with each local picture's ``<img>`` sized, lazy after the first, with its WebP ``srcset``."""
    if not pictures:
        return body_html
    seen = 0

    def rewrite(match: re.Match[str]) -> str:
        nonlocal seen
        found = attributes(match["attributes"])
        image = pictures.get(found.get("src") or "")
        if image is None:
            return match.group()
        seen += 1
        added: dict[str, str] = {}
        if "width" not in found and "height" not in found:
            added.update(width=str(image.width), height=str(image.height))
        if seen > 1 and "loading" not in found:
            added["loading"] = "lazy"
        added.setdefault("decoding", "async")
        if image.variants and "srcset" not in found:
            candidates = [f"{url} {width}w" for url, width in image.variants]
            candidates.append(f"{found['src'].replace(' ', '%20')} {image.width}w")
            added.update(srcset=", ".join(candidates), sizes=SIZES)
        extra = "".join(f' {name}="{html.escape(value)}"' for name, value in added.items() if name not in found)
        return f"<img{match['attributes']}{extra}>"

    return IMG_TAG.sub(rewrite, body_html)
