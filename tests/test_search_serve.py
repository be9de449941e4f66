"""`build.py serve` serves the search index live: drafts included, updated on save."""

from __future__ import annotations

import json
import urllib.request

from search_reference import StaticSearch
from test_serve import get, server, wait_for  # noqa: F401 - `server` is the fixture


def reader(base: str):
    def read(relative: str) -> bytes:
        with urllib.request.urlopen(f"{base}/search/{relative}", timeout=10) as response:
            assert response.headers["Content-Type"] == "application/json"
            return response.read()

    return read


def found(base: str, query: str) -> list[str]:
    index = StaticSearch(reader(base))
    return [index.meta(r.post)["url"] for r in index.search(query).results]


def test_the_index_is_served_live_with_drafts(server):  # noqa: F811
    _site, base = server
    status, body = get(base + "/search/index.json")
    assert status == 200 and json.loads(body)["posts"] == 2
    assert found(base, "progress") == ["/plog/wip/"], "serve shows drafts, so it finds them"
    assert found(base, "first version") == ["/plog/hello/"]
    assert get(base + "/search/index/w-0000000000.json")[0] == 404


def test_an_edit_is_found_after_save(server):  # noqa: F811
    site, base = server
    site.write("hello.md", "---\ntitle: Hello\ndate: 2020-01-01\ncategories: [Django]\n---\nZeppelins at dawn.\n")
    wait_for(lambda: found(base, "zeppelin") == ["/plog/hello/"])
    assert found(base, "first") == []
