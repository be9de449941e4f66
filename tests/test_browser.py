"""The browser harness itself: a built site served over HTTP, read by a real headless Chromium."""

from __future__ import annotations

import pytest

from browser import static_server
from built_sites import build_copy


@pytest.fixture(scope="module")
def blog(tmp_path_factory):
    return build_copy(tmp_path_factory, "blog")


def test_chromium_shows_the_built_home_page(blog, browser_page):
    with static_server(blog.out) as base:
        response = browser_page.goto(f"{base}/")
        assert response.status == 200
        assert browser_page.locator("header .site-title").inner_text() == "Kiln"
        # the page's own script ran: the header link to the home page is marked current
        assert browser_page.locator("header .site-title").get_attribute("aria-current") == "page"


def test_a_missing_path_gets_the_sites_404_page(blog, browser_page):
    with static_server(blog.out) as base:
        response = browser_page.goto(f"{base}/no/such/page/")
        assert response.status == 404
        assert browser_page.locator("main h1").inner_text() == "Page not found"
        browser_page.wait_for_load_state("networkidle")  # its suggestions read the search index
