"""netlify.toml parses, builds with the README's command, and its header rules
fit the paths a real build writes."""

from __future__ import annotations

import re
import tomllib

import pytest

from conftest import PROJECT

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
            f"aliases: [/2019/old-{number}/]\n---\nText.\n",
        )
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


def test_pages_and_other_files_revalidate(published):
    others = [f for f in published if not f.startswith(("static/", "search/index/"))]
    assert any(f.endswith(".html") for f in others)
    for relative in others:
        for path in request_paths(relative):
            values = cache_control(path)
            # exactly one rule: Netlify would join the values of several into one header
            assert len(values) == 1, f"{path}: {values}"
            assert "must-revalidate" in values[0] and "max-age=0" in values[0], path
