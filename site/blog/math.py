"""``$…$`` and ``$$…$$`` math, typeset at build time by KaTeX into MathML (no script, no font files).

Markdown leaves each formula as pymdown-extensions' arithmatex element
(``<span class="arithmatex">\\(…\\)</span>``, ``<div …>\\[…\\]</div>``); the
sync stage hands every formula of the posts it rendered to :func:`typeset`,
which runs the pinned npm ``katex`` in one Node process for the whole build,
only for the formulas its cache (in the cache folder, by a hash of the formula
and KaTeX's version) does not hold.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

from core.errors import ToolError

SCRIPT = Path(__file__).with_name("katex_batch.js")
PACKAGE = Path(settings.PROJECT_DIR) / "node_modules" / "katex" / "package.json"
FORMULA = re.compile(r'<(span|div) class="arithmatex">\\([(\[])(.*?)\\[)\]]</\1>', re.S)
CACHE = "katex.json"


def katex_version() -> str:
    try:
        return json.loads(PACKAGE.read_text())["version"]
    except (OSError, ValueError, KeyError):
        return "missing"


def formulas(body_html: str) -> list[tuple[bool, str]]:
    """(display, TeX) of each formula in ``body_html``."""
    return [(match[2] == "[", html.unescape(match[3])) for match in FORMULA.finditer(body_html)]


def key(display: bool, tex: str) -> str:
    return hashlib.sha256(f"{katex_version()}\0{display}\0{tex}".encode()).hexdigest()


def typeset(pages: list[str]) -> list[str]:
    """``pages`` (HTML) with every formula typeset, KaTeX run at most once for all of them."""
    wanted = {(display, tex) for page in pages for display, tex in formulas(page)}
    if not wanted:
        return pages
    path = Path(settings.KILN.CACHE_DIR) / CACHE
    try:
        cache = json.loads(path.read_text())
    except (OSError, ValueError):
        cache = {}
    missing = sorted(f for f in wanted if key(*f) not in cache)
    if missing:
        for formula, output in zip(missing, run_katex(missing), strict=True):
            cache[key(*formula)] = output
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(cache, sort_keys=True))

    def replace(match: re.Match[str]) -> str:
        output = cache[key(match[2] == "[", html.unescape(match[3]))]
        return f'<div class="math">{output}</div>' if match[1] == "div" else output

    return [FORMULA.sub(replace, page) for page in pages]


def run_katex(formulas: list[tuple[bool, str]]) -> list[str]:
    node = shutil.which("node")
    if node is None or not PACKAGE.is_file():
        raise ToolError("math needs Node and the pinned KaTeX: install Node and run `npm ci`")
    result = subprocess.run(
        [node, str(SCRIPT)], input=json.dumps(formulas), capture_output=True, text=True, cwd=settings.PROJECT_DIR
    )
    if result.returncode != 0:
        raise ToolError(f"KaTeX failed (exit {result.returncode}): {result.stderr.strip()[-500:]}")
    return json.loads(result.stdout)
