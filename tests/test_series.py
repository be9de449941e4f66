"""Series: ``series:`` puts a box on each post of the series linking the others, oldest first."""

from __future__ import annotations

import pytest

from built_sites import build_posts
from conftest import Site, fails_cleanly, out_state

POSTS = {
    "two.md": "---\ntitle: Part two\ndate: 2024-02-01\nseries: Building Kiln\n---\nTwo.\n",
    "one.md": "---\ntitle: Part one\ndate: 2024-01-01\nseries: [Building Kiln]\n---\nOne.\n",  # Hugo's list form
    "three.md": "---\ntitle: Part three\ndate: 2024-03-01\nseries: Building Kiln\n---\nThree.\n",
    "draft.md": "---\ntitle: Part four\ndate: 2024-04-01\nseries: Building Kiln\ndraft: true\n---\nFour.\n",
    "alone.md": "---\ntitle: Alone\ndate: 2024-01-15\n---\nIn no series.\n",
    "other.md": "---\ntitle: Elsewhere\ndate: 2024-01-20\nseries: Building Kiln, the sequel\n---\nOther.\n",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Site:
    return build_posts(tmp_path_factory, "series", POSTS)


def box(site: Site, slug: str) -> tuple[str, list[tuple[str, str | None]]] | None:
    """(series name, [(title, link or None for the post itself)]) of the post's series box."""
    aside = site.html(f"plog/{slug}/index.html").select_one("aside.series")
    if aside is None:
        return None
    parts = [(li.get_text(strip=True), li.a["href"] if li.a else None) for li in aside.select("li")]
    return aside.select_one(".series-name").get_text(), parts


PARTS = {"one": "Part one", "two": "Part two", "three": "Part three"}


def test_each_post_of_a_series_links_the_others_in_order(built):
    for slug, title in PARTS.items():
        name, parts = box(built, slug)
        assert name == "Building Kiln"
        assert [part[0] for part in parts] == ["Part one", "Part two", "Part three"]  # no draft
        assert dict(parts)[title] is None  # itself, not a link
        others = {t: f"/plog/{s}/" for s, t in PARTS.items() if t != title}
        assert {t: href for t, href in parts if t != title} == others
    current = built.html("plog/two/index.html").select_one('aside.series [aria-current="page"]')
    assert current.get_text() == "Part two"


def test_posts_outside_the_series_have_no_box_or_their_own(built):
    assert box(built, "alone") is None
    assert box(built, "other") == ("Building Kiln, the sequel", [("Elsewhere", None)])


def test_a_series_that_is_not_one_name_fails_naming_the_file_and_line(site):
    site.write("ok.md", "---\ntitle: OK\ndate: 2024-01-01\n---\nFine.\n")
    site.build()
    before = out_state(site)
    site.write("bad.md", "---\ntitle: Bad\ndate: 2024-01-02\nseries: {name: x, part: 2}\n---\nBad.\n")
    message = fails_cleanly(site, before)
    assert "content/bad.md:4: `series` must be one name" in message
