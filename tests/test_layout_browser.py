"""The site's chrome in a real headless Chromium: phones never scroll sideways, pictures are sized,
listing titles fill the column, heading anchors show on hover or focus only."""

from __future__ import annotations

import re

import pytest

import pictures
from browser import static_server
from conftest import Site

pytestmark = pytest.mark.xdist_group(__name__)

# one page of each kind (a post with pictures, a wide table and code; one without)
PAGES = [
    "/",
    "/plog/trip/",
    "/plog/plain/",
    "/plog/",
    "/oc-Travel/",
    "/tag/",
    "/tag/photos/",
    "/search/",
    "/404.html",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Site:
    return pictures.build(tmp_path_factory, "layout")


def test_no_page_scrolls_sideways_on_a_phone_and_every_image_is_sized(built, browser_page):
    browser_page.set_viewport_size({"width": 390, "height": 844})
    with static_server(built.out) as base:
        for path in PAGES:
            browser_page.goto(base + path)
            browser_page.wait_for_load_state("networkidle")
            overflow = browser_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls {overflow}px sideways at 390px"
            unsized = browser_page.evaluate(
                "[...document.images].filter(i => !i.getAttribute('width') || !i.getAttribute('height'))"
                ".map(i => i.getAttribute('src'))"
            )
            if path == "/plog/trip/":  # the one picture on another site: not ours to measure
                assert unsized == ["https://images.example.org/far.jpg"]
            else:
                assert unsized == [], path


def test_a_phone_loads_the_narrow_webp_variant(built, browser_page):
    browser_page.set_viewport_size({"width": 390, "height": 844})
    with static_server(built.out) as base:
        browser_page.goto(base + "/plog/trip/")
        cover = browser_page.locator("article img[alt='The cover']")
        browser_page.wait_for_function("document.querySelector(\"img[alt='The cover']\").complete")
        assert re.search(r"/cover-480w\.[0-9a-f]{12}\.webp$", cover.evaluate("i => i.currentSrc"))
        fetched = browser_page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
        assert not any(name.endswith("/cover.jpg") for name in fetched)  # the original is not downloaded
        # laid out at its own proportions from the start: width and height give the ratio
        box = cover.bounding_box()
        assert abs(box["height"] / box["width"] - 1000 / 1600) < 0.01


def test_a_listing_title_fills_the_line_before_it_wraps(built, browser_page):
    browser_page.set_viewport_size({"width": 1280, "height": 800})  # the title takes a line and a bit
    with static_server(built.out) as base:
        browser_page.goto(base + "/")
        lines = browser_page.evaluate(
            """() => {
                const links = [...document.querySelectorAll('.post-summary h2 a')];
                const link = links.find(a => a.textContent.includes('trip'));
                const range = document.createRange();
                range.selectNodeContents(link);
                const rows = new Map();
                for (const rect of range.getClientRects()) {
                    const top = Math.round(rect.top);
                    rows.set(top, (rows.get(top) || 0) + rect.width);
                }
                return {rows: [...rows.values()], column: link.closest('h2').getBoundingClientRect().width};
            }"""
        )
        assert len(lines["rows"]) == 2
        # balanced text would break it near half the column
        assert lines["rows"][0] > 0.75 * lines["column"], lines


def test_heading_anchors_are_hidden_on_a_touch_screen_until_focused(built, chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        with static_server(built.out) as base:
            page.goto(base + "/plog/trip/")
            assert page.evaluate("matchMedia('(hover: none)').matches")
            anchor = page.locator("article h2 .headerlink").first
            assert anchor.evaluate("e => getComputedStyle(e).opacity") == "0"
            anchor.focus()
            page.wait_for_function("getComputedStyle(document.activeElement).opacity === '1'")
    finally:
        context.close()


def test_heading_anchors_show_on_hover_or_focus_only(built, browser_page):
    with static_server(built.out) as base:
        browser_page.goto(base + "/plog/trip/")
        anchor = browser_page.locator("article h2 .headerlink").first
        opacity = "e => getComputedStyle(e).opacity"
        assert anchor.evaluate(opacity) == "0"
        anchor.focus()
        browser_page.wait_for_function("document.activeElement.classList.contains('headerlink')")
        browser_page.wait_for_function("getComputedStyle(document.activeElement).opacity === '1'")
        anchor.blur()
        browser_page.locator("article h2").first.hover()
        browser_page.wait_for_function(
            "getComputedStyle(document.querySelector('article h2 .headerlink')).opacity === '1'"
        )


def test_a_posts_tags_are_chips_on_one_row_not_a_bulleted_list(built, browser_page):
    browser_page.set_viewport_size({"width": 390, "height": 844})
    with static_server(built.out) as base:
        browser_page.goto(base + "/plog/trip/")
        chips = browser_page.evaluate(
            """[...document.querySelectorAll('.post-tags li')].map(li => {
                const a = li.querySelector('a'), box = a.getBoundingClientRect(), style = getComputedStyle(a);
                return {marker: getComputedStyle(li).listStyleType, top: Math.round(box.top), left: box.left,
                        border: style.borderTopStyle, radius: parseFloat(style.borderTopLeftRadius)};
            })"""
        )
        assert len(chips) == 2
        assert {chip["marker"] for chip in chips} == {"none"}  # no bullets
        assert chips[0]["top"] == chips[1]["top"] and chips[0]["left"] < chips[1]["left"]  # side by side
        assert all(chip["border"] == "solid" and chip["radius"] > 0 for chip in chips)
