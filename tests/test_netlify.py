"""netlify.toml parses, builds with the README's command, and its header rules
fit the paths a real build writes."""

from __future__ import annotations

import re
import tomllib
from xml.etree import ElementTree

import pytest

import pictures
from config.kiln import read
from conftest import GOOD_POST, PROJECT

CONFIG = tomllib.loads((PROJECT / "netlify.toml").read_text())
IMMUTABLE = "public, max-age=31536000, immutable"
HASHED = re.compile(r"\.[0-9a-f]{12}\.\w+$")
SEARCH_FILE = re.compile(r"^search/index/[wtm]-[0-9a-f]{10}\.json$")  # named by content hash (search/FORMAT.md)
NOT_SERVED = {"_redirects", "_headers"}  # Netlify reads these; it does not serve them


def netlify_pattern(rule: str) -> re.Pattern:
    """A header rule's ``for`` path as a regex, with the rules of Netlify's headers parser:
    ``:name`` is one segment, a lone ``*`` segment matches anything (or nothing),
    a ``*`` inside a segment matches any characters, and a trailing slash is optional."""
    parts = []
    for part in filter(None, (p.rstrip() for p in rule.split("/"))):
        if part.startswith(":"):
            parts.append("[^/]+")
        elif part == "*":
            parts.append("?.*")
        else:
            parts.append(".*".join(re.escape(piece) for piece in part.split("*")))
    return re.compile("^/" + "/".join(parts) + "/?$", re.I)


def cache_control(path: str) -> list[str]:
    """Every Cache-Control value the header rules give a request path."""
    return [
        rule["values"]["Cache-Control"]
        for rule in CONFIG["headers"]
        if "Cache-Control" in rule["values"] and netlify_pattern(rule["for"]).match(path)
    ]


def redirected(out) -> set[str]:
    """Paths that out/_redirects answers with a forced redirect, so Netlify never serves a file there."""
    rules = (out / "_redirects").read_text().splitlines() if (out / "_redirects").is_file() else []
    return {fields[0].rstrip("/") for fields in map(str.split, rules) if len(fields) >= 3 and fields[2].endswith("!")}


def request_paths(relative: str) -> list[str]:
    """The paths a browser requests to get a published file."""
    paths = ["/" + relative]
    if relative == "index.html" or relative.endswith("/index.html"):
        paths.append("/" + relative.removesuffix("index.html"))
    return paths


def readme_build_command() -> str:
    readme = (PROJECT / "README.md").read_text()
    return re.findall(r"```sh\n(.*?)\n```", readme, re.S)[0]


def test_the_rule_matcher_follows_netlify():
    assert netlify_pattern("/static/*").match("/static/css/site.0123456789ab.css")
    assert netlify_pattern("/static/*").match("/static")
    assert netlify_pattern("/").match("/") and not netlify_pattern("/").match("/p2/")
    assert netlify_pattern("/p*").match("/plog/a-post/") and netlify_pattern("/p*").match("/p2")
    assert netlify_pattern("/*.xml").match("/oc-Django/rss.xml")
    assert netlify_pattern("/blog/:slug").match("/blog/x/") and not netlify_pattern("/blog/:slug").match("/blog/x/y")


def test_build_command_is_the_readme_command_in_strict_mode():
    assert CONFIG["build"]["command"] == readme_build_command() + " --strict"
    assert CONFIG["build"]["publish"] == "out"


def test_missing_pages_get_the_404_page():
    rules = [r for r in CONFIG.get("redirects", []) if r["from"] == "/*"]
    assert rules == [{"from": "/*", "to": "/404.html", "status": 404}]


@pytest.fixture
def published(site):
    """Every file a build with pagination and categories publishes."""
    for number in range(1, 4):
        site.write(
            f"post-{number}.md",
            f"---\ntitle: Post {number}\ndate: 2024-01-0{number}\ncategories: [Web development, Django]\n"
            f"aliases: [/2019/old-{number}/]\n---\nText.\n"
            + ("![A picture](/plog/post-1/a.png)\n" if number == 1 else ""),
        )
    # a picture beside the first post: its WebP copies (and the others' social cards) are published too
    pictures.draw(site.content / "plog" / "post-1" / "a.png", (1000, 500))
    site.build(env={"KILN_POSTS_PER_PAGE": "1"})
    files = sorted(p.relative_to(site.out).as_posix() for p in site.out.rglob("*") if p.is_file())
    assert "404.html" in files and "p2/index.html" in files and "oc-Django/p2/index.html" in files
    moved = redirected(site.out)
    assert "/2019/old-1" in moved, "aliases redirect"
    return [f for f in files if f not in NOT_SERVED and not moved & {p.rstrip("/") for p in request_paths(f)}]


def test_fingerprinted_assets_are_cached_forever(published):
    assets = [f for f in published if f.startswith("static/")]
    assert any(f.endswith(".css") for f in assets) and any(f.endswith(".js") for f in assets)
    for relative in assets:
        assert HASHED.search(relative), f"{relative} is cached forever but has no content hash"
        assert cache_control("/" + relative) == [IMMUTABLE], relative


def test_search_index_files_are_cached_forever(published):
    shards = [f for f in published if f.startswith("search/index/")]
    assert shards and "search/index.json" in published
    for relative in shards:
        assert SEARCH_FILE.match(relative), f"{relative} is cached forever but is not named by its hash"
        assert cache_control("/" + relative) == [IMMUTABLE], relative


def test_picture_variants_are_cached_forever(published):
    variants = [f for f in published if f.startswith("_img/")]
    assert len(variants) == 2  # 480 and 960 pixels wide
    for relative in variants:
        assert HASHED.search(relative), f"{relative} is cached forever but has no content hash"
        assert cache_control("/" + relative) == [IMMUTABLE], relative


def test_pages_and_other_files_revalidate(published):
    assert any(f.startswith("_card/") for f in published)
    others = [f for f in published if not f.startswith(("static/", "search/index/", "_img/"))]
    assert any(f.endswith(".html") for f in others)
    for relative in others:
        for path in request_paths(relative):
            values = cache_control(path)
            # exactly one rule: Netlify would join the values of several into one header
            assert len(values) == 1, f"{path}: {values}"
            assert "must-revalidate" in values[0] and "max-age=0" in values[0], path


NETLIFY = {
    "NETLIFY": "true",
    "URL": "https://kiln.example.org",
    "DEPLOY_PRIME_URL": "https://deploy-preview-7--kiln.netlify.app",
}


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ("production", "https://kiln.example.org"),
        ("deploy-preview", "https://deploy-preview-7--kiln.netlify.app"),
        ("branch-deploy", "https://deploy-preview-7--kiln.netlify.app"),
        ("dev", "http://localhost:8000"),  # `netlify dev` on a laptop: the default
    ],
)
def test_the_base_url_is_netlify_s_address_of_the_deploy(context, expected):
    assert read({**NETLIFY, "CONTEXT": context})["BASE_URL"] == expected


def test_the_base_url_setting_wins_over_netlify_and_netlify_counts_only_on_netlify():
    explicit = {**NETLIFY, "CONTEXT": "production", "KILN_BASE_URL": "https://blog.example.com/"}
    assert read(explicit)["BASE_URL"] == "https://blog.example.com"
    assert read({**NETLIFY, "NETLIFY": "", "CONTEXT": "production"})["BASE_URL"] == "http://localhost:8000"


def test_a_netlify_deploy_needs_no_base_url_setting(site):
    """netlify.toml's strict build, with Netlify's environment and no KILN_BASE_URL, points at the deploy."""
    site.write("post.md", GOOD_POST)
    site.build("--strict", env={**NETLIFY, "CONTEXT": "deploy-preview", "KILN_BASE_URL": None})
    page = site.html("plog/post/index.html")
    assert page.find("link", rel="canonical")["href"] == "https://deploy-preview-7--kiln.netlify.app/plog/post/"
    sitemap = ElementTree.parse(site.out / "sitemap.xml").getroot()
    locations = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://deploy-preview-7--kiln.netlify.app/plog/post/" in locations
