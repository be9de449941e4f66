"""The search page, the header's search box and 404.html, in a real headless Chromium.

A fixture site (tests/sites/search-page/) is built with the real build, served
from out/ over HTTP as a CDN would, and searched by typing, as a reader does.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser import static_server
from built_sites import build_copy

RESULTS = "#search-results .search-result"
TITLES = f"{RESULTS} > a"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_copy(tmp_path_factory, "search-page")


@pytest.fixture(scope="module")
def base(site):
    with static_server(site.out) as url:
        yield url


@pytest.fixture
def page(browser_page, base):
    browser_page.goto(f"{base}/search/")
    return browser_page


def type_query(page, text: str) -> None:
    """Type into the search page's box one key at a time, as a reader does."""
    box = page.locator("#search-q")
    box.fill("")
    box.press_sequentially(text)


@pytest.mark.parametrize(
    ("typed", "titles"),
    [
        ("postgres", ["Postgres tuning"]),  # a whole word
        ("kube", ["Kubernetes deployment"]),  # the last word as a prefix, while typing
        ("pack", {"Python packaging", "Packing list"}),  # a prefix of two words
        ("caching", ["Caching basics"]),  # a stemmed form: the post says "cached"
        ("wheel", ["Python packaging"]),  # and a form the posts never use: they say "Wheels"
        ("resume", ["Writing a résumé"]),  # accents folded: the post says "résumé"
        ("Café", ["Café wifi"]),  # both ways: "Café" finds "cafe" too
        ("naive", ["Writing a résumé"]),
    ],
)
def test_typing_finds_the_expected_posts(page, typed, titles):
    type_query(page, typed)
    if isinstance(titles, set):  # in the order of their scores
        expect(page.locator(TITLES)).to_have_count(len(titles))
        assert set(page.locator(TITLES).all_inner_texts()) == titles
    else:
        expect(page.locator(TITLES)).to_have_text(titles)
    expect(page.locator("#search-correction")).to_be_hidden()


@pytest.mark.parametrize(
    ("typed", "correction"),
    [
        ("lubernetes", "kubernetes"),  # the first letter wrong
        ("ukbernetes", "kubernetes"),  # the first two swapped
        ("kbernetes", "kubernetes"),  # one deleted early
        ("kubernettes", "kubernetes"),  # one inserted late
        ("pasport", "passport"),
    ],
)
def test_a_typo_finds_the_post_and_says_what_it_searched(page, typed, correction):
    type_query(page, typed + " ")  # a finished word: no completion
    expect(page.locator(TITLES)).to_have_count(1)
    expect(page.locator("#search-correction")).to_be_visible()
    expect(page.locator("#search-correction")).to_have_text(f"Showing results for {correction}")


def test_matches_are_highlighted_in_titles_and_summaries(page):
    type_query(page, "caching ")
    expect(page.locator(TITLES)).to_have_text(["Caching basics"])
    result = page.locator(RESULTS).first
    expect(result.locator("a mark")).to_have_text(["Caching"])
    # the summary says "cached": the same stem, so it is highlighted too
    expect(result.locator(".search-summary mark")).to_have_text(["cached"])


def test_titles_and_summaries_from_the_index_stay_text(page):
    type_query(page, "escaping")
    expect(page.locator(TITLES)).to_have_text(["Templates & <em>escaping</em>"])
    result = page.locator(RESULTS).first
    assert result.locator("em, script").count() == 0
    expect(result.locator(".search-summary")).to_have_text("Why <script>alert(1)</script> stays text.")
    expect(result.locator("a mark")).to_have_text(["escaping"])


def test_no_results_says_so(page):
    type_query(page, "zxqvj ")
    expect(page.locator("#search-status")).to_have_text(re.compile(r"^No results for .zxqvj."))
    expect(page.locator("#search-results")).to_be_hidden()
    expect(page.locator("#search-filter")).to_be_hidden()


def test_the_query_lives_in_the_url(page, base):
    type_query(page, "wifi")
    expect(page.locator(TITLES)).to_have_text(["Café wifi"])
    assert page.url == f"{base}/search/?q=wifi"
    # a shared link runs its query on load
    page.goto(f"{base}/search/?q=django")
    expect(page.locator("#search-q")).to_have_value("django")
    expect(page.locator(TITLES)).to_have_count(3)
    titles = page.locator(TITLES).all_inner_texts()
    # in its title, keywords and categories it ranks first; the others say it in fewer fields
    assert titles[0] == "Django signals" and set(titles[1:]) == {"Postgres tuning", "Caching basics"}
    expect(page.locator("#search-status")).to_have_text("3 results for \u201cdjango\u201d")


def test_a_submitted_start_of_a_word_still_finds_it(page, base):
    page.goto(f"{base}/search/?q=kube")
    expect(page.locator(TITLES)).to_have_text(["Kubernetes deployment"])


def test_arrow_keys_and_enter_open_a_result(page, base):
    page.goto(f"{base}/search/?q=django")
    expect(page.locator(TITLES)).to_have_count(3)
    box = page.locator("#search-q")
    options = page.locator(RESULTS)
    box.press("ArrowDown")
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    box.press("ArrowUp")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(options.nth(1)).to_have_attribute("aria-selected", "false")
    box.press("Enter")
    page.wait_for_url(f"{base}/plog/django-signals/")
    expect(page.locator("h1")).to_have_text("Django signals")


def test_category_filter_counts_and_filters(page, base):
    page.goto(f"{base}/search/?q=django")
    filters = page.locator("#search-filter button")
    expect(filters).to_have_text(["All (3)", "Django (3)", "PostgreSQL (1)"])
    filters.nth(2).click()
    expect(page.locator(TITLES)).to_have_text(["Postgres tuning"])
    expect(filters.nth(2)).to_have_attribute("aria-pressed", "true")
    filters.nth(0).click()
    expect(page.locator(TITLES)).to_have_count(3)


def test_the_header_box_of_any_page_searches(browser_page, base):
    browser_page.goto(f"{base}/plog/packing-list/")
    box = browser_page.locator("header form[role=search] input[type=search]")
    box.fill("passport")
    box.press("Enter")
    browser_page.wait_for_url(f"{base}/search/?q=passport")
    expect(browser_page.locator(TITLES)).to_have_text(["Packing list"])
    # on the search page, the header's box and the page's box are one query
    expect(browser_page.locator("#site-search-q")).to_have_value("passport")


def test_404_suggests_posts_matching_the_missing_url(browser_page, base):
    response = browser_page.goto(f"{base}/plog/kubernetes-deploy/")
    assert response.status == 404
    suggestions = browser_page.locator(".search-suggestions")
    expect(suggestions).to_be_visible()
    expect(suggestions.locator("a")).to_have_text(["Kubernetes deployment"])
    assert suggestions.locator("a").get_attribute("href") == "/plog/kubernetes-deployment/"


def test_a_404_whose_url_matches_nothing_suggests_nothing(browser_page, base):
    browser_page.goto(f"{base}/zxqvj/")
    expect(browser_page.locator("main h1")).to_have_text("Page not found")
    browser_page.wait_for_load_state("networkidle")
    expect(browser_page.locator(".search-suggestions")).to_be_hidden()


@pytest.mark.parametrize("path", ["/search/?q=django", "/plog/escaping-templates/", "/no/such/page/"])
def test_nothing_scrolls_sideways_on_a_phone(browser_page, base, path):
    browser_page.set_viewport_size({"width": 320, "height": 640})
    browser_page.goto(f"{base}{path}")
    browser_page.wait_for_load_state("networkidle")
    widths = browser_page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{path} is {widths[0]}px wide on a {widths[1]}px screen"


def test_search_markup_is_accessible(site):
    page = site.html("search/index.html")
    box = page.select_one("main form[role=search] input[type=search][name=q]")
    assert page.select_one(f"label[for={box['id']}]").get_text(strip=True)
    results = page.select_one(f"#{box['aria-controls']}")
    assert results["role"] == "listbox"
    status = page.select_one(f"#{box['aria-describedby']}")
    assert status["aria-live"] == "polite"
    # every page's header has a labelled search box that works without JavaScript
    for path in ("index.html", "plog/cafe-wifi/index.html", "404.html"):
        form = site.html(path).select_one("header form[role=search]")
        assert form["action"] == "/search/" and form["method"] == "get"
        header_box = form.select_one("input[type=search][name=q]")
        assert form.select_one(f"label[for={header_box['id']}]").get_text(strip=True) == "Search"
