"""Social cards: the 1200x630 picture a link preview shows for a post that has no picture of its own.

Drawn with Pillow at build time: the site's name, the post's title (wrapped,
smaller when it is long) and its date, on the site's colours. The font is
DejaVu Sans from Debian's ``fonts-dejavu-core`` package (``.ci/run`` installs
it); the letters it lacks (Chinese, Japanese, Korean) are drawn in Droid Sans
Fallback from ``fonts-droid-fallback`` when that is installed, and are boxes
otherwise. The fonts' hash is part of :func:`version`, so another font version
draws new cards. The PNG encoder's options are fixed and no metadata is written, so
the same post gives the same bytes; each card is kept in the cache folder by
the hash of what it shows, so a rebuild draws nothing again.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:  # Pillow and fontTools load where a card is drawn: a build without cards never loads them
    from PIL import ImageDraw, ImageFont

from core.errors import ConfigError

from .images import cache_folder, write_atomically

SIZE = (1200, 630)
MARGIN = 80
FONT_FOLDER = Path("/usr/share/fonts/truetype/dejavu")
REGULAR, BOLD = FONT_FOLDER / "DejaVuSans.ttf", FONT_FOLDER / "DejaVuSans-Bold.ttf"
FALLBACK = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")  # one weight only
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
        fonts = hashlib.sha256(REGULAR.read_bytes() + BOLD.read_bytes())
    except OSError:
        return "fonts-missing"
    if FALLBACK.is_file():
        fonts.update(FALLBACK.read_bytes())
    import PIL

    return f"2-pillow{PIL.__version__}-fonts{fonts.hexdigest()[:16]}-{sorted(PNG_OPTIONS.items())}"


@functools.cache
def letters(path: Path) -> frozenset[int]:
    """The code points the font at ``path`` has a glyph for."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font_file:
        return frozenset(font_file.getBestCmap())


@dataclass(frozen=True)
class Face:
    """A font at one size, with the fallback font for the letters it lacks (when that is installed)."""

    main: ImageFont.FreeTypeFont
    path: Path
    fallback: ImageFont.FreeTypeFont | None

    @property
    def size(self) -> int:
        return self.main.size

    def runs(self, text: str) -> list[tuple[str, ImageFont.FreeTypeFont]]:
        """``text`` in pieces, each with the font that draws it."""
        if self.fallback is None:
            return [(text, self.main)] if text else []
        own = letters(self.path)
        pieces: list[tuple[str, ImageFont.FreeTypeFont]] = []
        for character in text:
            face = self.main if ord(character) in own or character.isspace() else self.fallback
            if pieces and pieces[-1][1] is face:
                pieces[-1] = (pieces[-1][0] + character, face)
            else:
                pieces.append((character, face))
        return pieces

    def getlength(self, text: str) -> float:
        return sum(face.getlength(piece) for piece, face in self.runs(text))

    def draw(self, pen: ImageDraw.ImageDraw, at: tuple[int, int], text: str, fill: str) -> None:
        """Draw ``text`` from ``at``, each piece on the main font's baseline."""
        x, top = at
        baseline = top + self.main.getmetrics()[0]
        for piece, face in self.runs(text):
            pen.text((x, baseline), piece, font=face, fill=fill, anchor="ls")
            x += face.getlength(piece)


@functools.cache
def font(path: Path, size: int) -> Face:
    from PIL import ImageFont

    try:
        main = ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)
    except OSError:
        raise ConfigError(
            f"social cards need the font {path} (Debian's fonts-dejavu-core: apt-get install fonts-dejavu-core); "
            "install it or set KILN_SOCIAL_CARDS=false"
        ) from None
    fallback = None
    if FALLBACK.is_file():
        fallback = ImageFont.truetype(str(FALLBACK), size, layout_engine=ImageFont.Layout.BASIC)
    return Face(main, path, fallback)


def wrap(text: str, face: Face, width: int) -> list[str]:
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


def title_lines(title: str, width: int) -> tuple[Face, list[str]]:
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
    from PIL import Image, ImageDraw

    card = Image.new("RGB", SIZE, BACKGROUND)
    pen = ImageDraw.Draw(card)
    width = SIZE[0] - 2 * MARGIN
    pen.rectangle((0, 0, SIZE[0], 16), fill=ACCENT)
    font(BOLD, 36).draw(pen, (MARGIN, MARGIN), site_name, ACCENT)
    face, lines = title_lines(title, width)
    top = MARGIN + 90
    line_height = round(face.size * 1.2)
    for number, line in enumerate(lines):
        face.draw(pen, (MARGIN, top + number * line_height), line, TEXT)
    font(REGULAR, 32).draw(pen, (MARGIN, SIZE[1] - MARGIN - 32), date, MUTED)
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
