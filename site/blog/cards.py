"""Social cards: the 1200x630 picture a link preview shows for a post that has no picture of its own.

Drawn with Pillow at build time: the site's name, the post's title (wrapped,
smaller when it is long) and its date, on the site's colours. The font is
DejaVu Sans from Debian's ``fonts-dejavu-core`` package (``.ci/run`` installs
it); its bytes' hash is part of :data:`VERSION`, so another font version draws
new cards. The PNG encoder's options are fixed and no metadata is written, so
the same post gives the same bytes; each card is kept in the cache folder by
the hash of what it shows, so a rebuild draws nothing again.
"""

from __future__ import annotations

import functools
import hashlib
import json
from io import BytesIO
from pathlib import Path

import PIL
from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from core.errors import ConfigError

from .images import cache_folder, write_atomically

SIZE = (1200, 630)
MARGIN = 80
FONT_FOLDER = Path("/usr/share/fonts/truetype/dejavu")
REGULAR, BOLD = FONT_FOLDER / "DejaVuSans.ttf", FONT_FOLDER / "DejaVuSans-Bold.ttf"
# the light theme's colours (assets/css/base.css)
BACKGROUND, TEXT, MUTED, ACCENT = "#fdfcfa", "#1f2328", "#5c6570", "#a8401b"
TITLE_SIZES = (72, 60, 50, 42)  # the largest that fits the title in TITLE_LINES lines
TITLE_LINES = 4
PNG_OPTIONS = {"optimize": False, "compress_level": 6}  # level 9 takes twice as long for 7% fewer bytes
URL_PREFIX = "/_card/"


@functools.cache
def version() -> str:
    """What a card's bytes depend on besides its text: the drawing code's version, Pillow, the fonts."""
    try:
        fonts = hashlib.sha256(REGULAR.read_bytes() + BOLD.read_bytes()).hexdigest()[:16]
    except OSError:
        fonts = "missing"
    return f"1-pillow{PIL.__version__}-fonts{fonts}-{sorted(PNG_OPTIONS.items())}"


def font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)
    except OSError:
        raise ConfigError(
            f"social cards need the font {path} (Debian's fonts-dejavu-core: apt-get install fonts-dejavu-core); "
            "install it or set KILN_SOCIAL_CARDS=false"
        ) from None


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """``text`` in lines no wider than ``width`` pixels, broken between words (inside a word too long alone)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if face.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for character in word:  # a word wider than the card goes on, letter by letter
            if line and face.getlength(line + character) > width:
                lines.append(line)
                line = ""
            line += character
    if line:
        lines.append(line)
    return lines


def title_lines(title: str, width: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The title's font and lines: the largest size that fits, else the smallest, cut with an ellipsis."""
    for size in TITLE_SIZES:
        face = font(BOLD, size)
        lines = wrap(title, face, width)
        if len(lines) <= TITLE_LINES:
            return face, lines
    kept = lines[:TITLE_LINES]
    last = kept[-1]
    while last and face.getlength(last + "…") > width:
        last = last[:-1]
    return face, [*kept[:-1], last.rstrip() + "…"]


def draw(site_name: str, title: str, date: str) -> bytes:
    """A card's PNG bytes."""
    card = Image.new("RGB", SIZE, BACKGROUND)
    pen = ImageDraw.Draw(card)
    width = SIZE[0] - 2 * MARGIN
    pen.rectangle((0, 0, SIZE[0], 16), fill=ACCENT)
    pen.text((MARGIN, MARGIN), site_name, font=font(BOLD, 36), fill=ACCENT)
    face, lines = title_lines(title, width)
    top = MARGIN + 90
    line_height = round(face.size * 1.2)
    for number, line in enumerate(lines):
        pen.text((MARGIN, top + number * line_height), line, font=face, fill=TEXT)
    pen.text((MARGIN, SIZE[1] - MARGIN - 32), date, font=font(REGULAR, 32), fill=MUTED)
    buffer = BytesIO()
    card.save(buffer, "PNG", **PNG_OPTIONS)
    return buffer.getvalue()


def card(site_name: str, title: str, date: str) -> bytes:
    """The card of a post, drawn once per text and :func:`version`, then taken from the cache folder."""
    key = hashlib.sha256(json.dumps([version(), site_name, title, date]).encode()).hexdigest()
    cached = cache_folder() / f"card-{key}.png"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    data = draw(site_name, title, date)
    write_atomically(cached, data)
    return data


def enabled() -> bool:
    return settings.KILN.SOCIAL_CARDS
