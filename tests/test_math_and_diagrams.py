"""Math is typeset at build time by the pinned KaTeX, into MathML: readers get no script (issue 11, point 5)."""

from __future__ import annotations

import dataclasses
import json

from bs4 import BeautifulSoup

from blog import markdown, math


def typeset(body: str) -> BeautifulSoup:
    return BeautifulSoup(math.typeset([markdown.render(body).html])[0], "html.parser")


def test_inline_and_display_math_become_mathml():
    page = typeset("Euler: $e^{i\\pi} + 1 = 0$ and $a < b$.\n\n$$\n\\frac{1}{3}\n$$\n")
    inline = page.p.select("span.katex math")
    assert [m.annotation.get_text() for m in inline] == ["e^{i\\pi} + 1 = 0", "a < b"]
    assert inline[0].find("mi", string="π") is not None
    display = page.select_one("div.math math[display=block]")
    assert display.find("mfrac") is not None and "\\frac{1}{3}" in display.annotation.get_text()
    assert "arithmatex" not in str(page)


def test_dollars_in_prose_and_math_in_code_stay_text():
    page = typeset("It costs $5 and $6 today. `$x^2$` and\n\n```\n$$y$$\n```\n")
    assert page.p.get_text() == "It costs $5 and $6 today. $x^2$ and"
    assert page.select_one("div.highlight").get_text() == "$$y$$\n"
    assert page.find("math") is None


def test_every_formula_is_typeset_once_and_cached(settings, tmp_path):
    settings.KILN = dataclasses.replace(settings.KILN, CACHE_DIR=tmp_path)
    pages = [markdown.render(body).html for body in ("$x$ and $y$", "$x$ again", "$$x$$")]
    first = math.typeset(pages)
    cache = json.loads((tmp_path / math.CACHE).read_text())
    assert len(cache) == 3  # x inline, y inline, x displayed: each once for the whole batch
    assert math.typeset(pages) == first  # from the cache
    assert all("<math" in page for page in first)


def test_a_post_with_math_builds_with_mathml_and_no_script(site):
    site.write("m.md", "---\ntitle: M\ndate: 2024-01-02\n---\n\nArea: $\\pi r^2$.\n")
    site.build()
    page = site.html("plog/m/index.html")
    assert page.select_one("article math annotation").get_text() == "\\pi r^2"
    assert not [s for s in page.find_all("script") if "katex" in (s.get("src") or "")]


def test_a_mermaid_block_is_a_diagram_for_the_browser():
    page = BeautifulSoup(markdown.render("```mermaid\ngraph TD\n  A --> B\n```\n").html, "html.parser")
    assert page.select_one("pre.mermaid").get_text() == "graph TD\n  A --> B"
    assert page.find("div", class_="highlight") is None


def test_mermaid_is_loaded_only_on_pages_with_a_diagram(site):
    site.write("diagram.md", "---\ntitle: D\ndate: 2024-01-02\n---\n\n```mermaid\ngraph TD\n  A --> B\n```\n")
    site.write("plain.md", "---\ntitle: P\ndate: 2024-01-03\n---\n\nNo diagram.\n")
    site.build()
    with_diagram = site.html("plog/diagram/index.html")
    [script] = [s for s in with_diagram.find_all("script", src=True) if "mermaid" in s["src"]]
    assert (site.out / script["src"].lstrip("/")).stat().st_size > 100_000  # the pinned mermaid, shipped
    assert with_diagram.select_one("pre.mermaid").get_text().startswith("graph TD")
    plain = site.html("plog/plain/index.html")
    assert not [s for s in plain.find_all("script") if "mermaid" in (s.get("src") or "") + s.get_text()]
