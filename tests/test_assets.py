"""The asset pipeline: real csso and terser, fingerprinted names, and every way they can fail.

Builds run the project's own assets/ through django-pipeline. Tests that
need to change an asset copy assets/ into their tmp folder and point
KILN_ASSETS_DIR at the copy; tests of failing tools point KILN_CSSO_BINARY
or KILN_TERSER_BINARY at small real scripts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings

from conftest import PROJECT, snapshot
from kiln.vendor import FILES

HASHED = re.compile(r"\.[0-9a-f]{12}\.\w+$")
NODE_BIN = PROJECT / "node_modules" / ".bin"
POST = """
---
title: Code
date: 2024-01-01
categories: [Python]
---
Some code:

```python
def hello():
    return "world"
```
"""


def bundle_sources(kind: str, name: str = "site") -> list[Path]:
    key = {"css": "STYLESHEETS", "js": "JAVASCRIPT"}[kind]
    return [PROJECT / "assets" / path for path in settings.PIPELINE[key][name]["source_filenames"]]


def script(path: Path, body: str) -> Path:
    """A small real executable, standing in for a broken or wrapped tool."""
    path.write_text("#!/bin/sh\n" + textwrap.dedent(body).lstrip())
    path.chmod(0o755)
    return path


def own_assets(site) -> tuple[Path, dict[str, str]]:
    """A copy of the project's assets/ that this test may edit, and the env that selects it."""
    folder = site.root / "assets"
    shutil.copytree(PROJECT / "assets", folder)
    return folder, {"KILN_ASSETS_DIR": str(folder)}


def static_refs(page) -> dict[str, str]:
    """The stylesheet and script URLs of a parsed page."""
    return {
        "css": page.select_one('link[rel="stylesheet"]')["href"],
        "js": page.select_one("script[src]")["src"],
    }


@pytest.fixture
def built(site):
    site.write("code.md", POST)
    site.build()
    return site


# Output: minified, valid, fingerprinted


def test_each_bundle_has_one_hashed_url_in_the_html(built):
    refs = static_refs(built.html("plog/code/index.html"))
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", refs["css"])
    assert re.fullmatch(r"/static/js/site\.[0-9a-f]{12}\.js", refs["js"])
    page = built.html("plog/code/index.html")
    assert len(page.select('link[rel="stylesheet"]')) == 1 and len(page.select("script[src]")) == 1


def test_css_is_minified_by_csso_and_still_valid(built):
    css = built.out / static_refs(built.html("index.html"))["css"].lstrip("/")
    sources = bundle_sources("css")
    assert css.stat().st_size < 0.8 * sum(p.stat().st_size for p in sources)
    text = css.read_text()
    assert "/*" not in text and "\n\n" not in text, "comments and blank lines are gone"
    # csso's own parser (css-tree) must read it without a single error
    check = subprocess.run(
        ["node", "-e", CSS_PARSE_CHECK, str(css)], cwd=PROJECT, capture_output=True, text=True, timeout=60
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert int(check.stdout) > 50, "the parsed stylesheet has rules"


CSS_PARSE_CHECK = """
const csstree = require("css-tree");
const text = require("fs").readFileSync(process.argv[1], "utf8");
const errors = [];
const ast = csstree.parse(text, { onParseError: (e) => errors.push(e.formattedMessage || e.message) });
if (errors.length) { console.error(errors.join("\\n")); process.exit(1); }
let rules = 0;
csstree.walk(ast, { visit: "Rule", enter: () => { rules += 1; } });
console.log(rules);
"""


def test_js_is_minified_by_terser_and_still_valid(built):
    js = built.out / static_refs(built.html("index.html"))["js"].lstrip("/")
    assert js.stat().st_size < 0.7 * sum(p.stat().st_size for p in bundle_sources("js"))
    check = subprocess.run(["node", "--check", str(js)], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stderr
    assert "navigator.clipboard" in js.read_text(), "the code survived minification"


def test_css_urls_point_at_hashed_files_that_exist(built):
    css = built.out / static_refs(built.html("index.html"))["css"].lstrip("/")
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text())
    assert urls, "the stylesheet refers to at least one image"
    for url in urls:
        target = (css.parent / url).resolve()
        assert HASHED.search(target.name), url
        assert target.is_file(), f"{url} does not resolve in out/"


def test_every_static_reference_in_every_page_is_hashed_and_exists(built):
    pages = list(built.out.rglob("*.html"))
    assert len(pages) >= 3
    for page in pages:
        for url in re.findall(r'(?:href|src)="(/static/[^"]+)"', page.read_text()):
            assert HASHED.search(url), f"{page}: {url}"
            assert (built.out / url.lstrip("/")).is_file(), f"{page}: {url}"


def test_only_hashed_files_are_shipped(built):
    shipped = [p.relative_to(built.out / "static").as_posix() for p in (built.out / "static").rglob("*") if p.is_file()]
    assert shipped
    assert all(HASHED.search(name) for name in shipped), shipped
    # the hashed copies of the bundled sources are not shipped either: only the bundles, once each, and the
    # vendored files of npm packages (such as mermaid.min.js)
    outputs = [c["output_filename"] for key in ("STYLESHEETS", "JAVASCRIPT") for c in settings.PIPELINE[key].values()]
    bundles = [Path(name) for name in outputs]
    hashed = [
        re.compile(rf"{re.escape((b.parent / b.stem).as_posix())}\.[0-9a-f]{{12}}{re.escape(b.suffix)}")
        for b in bundles
    ]
    vendored = [rf"{re.escape(stem)}\.[0-9a-f]{{12}}\.{ext}" for stem, _, ext in (n.rpartition(".") for n in FILES)]
    code = sorted(n for n in shipped if n.endswith((".css", ".js")) and not any(re.fullmatch(v, n) for v in vendored))
    assert len(code) == len(bundles) and all(any(h.fullmatch(n) for n in code) for h in hashed), code


# Failures of csso and terser


@pytest.fixture
def previous(built):
    """A site whose out/ holds a good build, to prove a failed build leaves it alone."""
    return built, snapshot(built.out)


def assert_failed_cleanly(site, result, before: dict[str, bytes], *needles: str):
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr
    assert snapshot(site.out) == before, "out/ was left untouched"


def test_missing_csso_fails_the_build_and_says_npm_ci(previous):
    site, before = previous
    result = site.run(env={"KILN_CSSO_BINARY": str(site.root / "node_modules" / ".bin" / "csso")})
    assert_failed_cleanly(site, result, before, "csso", "npm ci")


def test_csso_exiting_non_zero_fails_the_build(previous):
    site, before = previous
    # exit status 2 and nothing on stderr: django-pipeline alone would ship an empty bundle
    broken = script(site.root / "csso-exits", "cat > /dev/null\nexit 2\n")
    result = site.run(env={"KILN_CSSO_BINARY": str(broken)})
    assert_failed_cleanly(site, result, before, "csso exited with status 2")


def test_csso_printing_nothing_fails_the_build(previous):
    site, before = previous
    silent = script(site.root / "csso-silent", "cat > /dev/null\n")
    result = site.run(env={"KILN_CSSO_BINARY": str(silent)})
    assert_failed_cleanly(site, result, before, "csso returned no output")


def test_terser_failures_fail_the_build(previous):
    site, before = previous
    broken = script(site.root / "terser-exits", "cat > /dev/null\necho 'ERROR: out of cheese' >&2\nexit 1\n")
    result = site.run(env={"KILN_TERSER_BINARY": str(broken)})
    assert_failed_cleanly(site, result, before, "terser exited with status 1", "out of cheese")
    result = site.run(env={"KILN_TERSER_BINARY": str(site.root / "no-terser")})
    assert_failed_cleanly(site, result, before, "terser could not be started", "npm ci")


def test_javascript_syntax_error_is_reported_by_the_real_terser(previous):
    site, before = previous
    folder, env = own_assets(site)
    with (folder / "js" / "current-page.js").open("a") as handle:
        handle.write("\nfunction (broken {\n")
    result = site.run(env=env)
    assert_failed_cleanly(site, result, before, "terser", "Parse error", "function (broken {")
    assert "    at " not in result.stderr, "node's stack trace is left out"


def test_csso_warning_on_stderr_is_a_warning_and_fails_strict(site):
    site.write("code.md", POST)
    chatty = script(site.root / "csso-chatty", f'echo "careful: odd CSS" >&2\nexec "{NODE_BIN / "csso"}" "$@"\n')
    env = {"KILN_CSSO_BINARY": str(chatty)}
    result = site.build(env=env)
    assert "careful: odd CSS" in result.stderr
    result = site.run("--strict", "--clean", env=env)
    assert result.returncode == 1 and "strict mode" in result.stderr, result.stderr


# References the pipeline would otherwise get wrong quietly


def test_css_reference_to_a_missing_file_names_the_file_and_line(site):
    site.write("code.md", POST)
    folder, env = own_assets(site)
    blog = folder / "css" / "blog.css"
    lines = blog.read_text().count("\n")
    with blog.open("a") as handle:
        handle.write(".logo { background: url(../img/missing.png) }\n.abs { background: url(/images/x.png) }\n")
    result = site.run(env=env)
    assert result.returncode == 1
    assert f"blog.css:{lines + 1}: '../img/missing.png' refers to img/missing.png" in result.stderr, result.stderr
    assert f"blog.css:{lines + 2}: '/images/x.png' is outside /static/" in result.stderr


def test_missing_bundle_source_fails_instead_of_being_dropped(site):
    site.write("code.md", POST)
    folder, env = own_assets(site)
    (folder / "css" / "layout.css").unlink()
    result = site.run(env=env)
    assert result.returncode == 1
    assert "PIPELINE['STYLESHEETS']['site'] lists css/layout.css, which matches no file" in result.stderr


# Unchanged assets are not minified again


def test_unchanged_assets_do_not_run_csso_or_terser_again(site):
    site.write("code.md", POST)
    folder, env = own_assets(site)
    log = site.root / "tools.log"
    for tool in ("csso", "terser"):
        wrapper = script(site.root / f"{tool}-logged", f'echo {tool} >> "{log}"\nexec "{NODE_BIN / tool}" "$@"\n')
        env[f"KILN_{tool.upper()}_BINARY"] = str(wrapper)
    runs = lambda: log.read_text().split() if log.exists() else []

    # each tool runs once per bundle
    once = sorted(["csso"] * len(settings.PIPELINE["STYLESHEETS"]) + ["terser"] * len(settings.PIPELINE["JAVASCRIPT"]))
    site.build(env=env)
    assert sorted(runs()) == once
    first = static_refs(site.html("index.html"))

    site.build(env=env)
    assert sorted(runs()) == once, "nothing changed: no tool ran"
    assert static_refs(site.html("index.html")) == first

    with (folder / "css" / "blog.css").open("a") as handle:
        handle.write(".post-summary h2 { letter-spacing: 0.01em }\n")
    site.build(env=env)
    assert runs().count("csso") == 2 * once.count("csso"), "an edited stylesheet is minified again"
    refs = static_refs(site.html("index.html"))
    assert refs["css"] != first["css"] and refs["js"] == first["js"]
    assert not (site.out / first["css"].lstrip("/")).exists(), "the old bundle is gone from out/"


# whitenoise, in `serve` and behind a production server

SERVER_CHECK = """
import json, os, re, sys
sys.path.insert(0, os.path.join(sys.argv[1], "site"))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
import django
django.setup()
from django.test import Client
from kiln.build import migrate
migrate()
client = Client()
page = client.get("/").content.decode()
found = {}
for url in re.findall(r'(?:href|src)="(/static/[^"]+)"', page):
    response = client.get(url)
    found[url] = [response.status_code, response.get("Cache-Control", ""), type(response).__name__]
print(json.dumps(found))
"""


def served_static(site, **env: str) -> dict[str, list]:
    environ = {**os.environ, "KILN_CACHE_DIR": str(site.cache), "KILN_CONTENT_DIR": str(site.content), **env}
    done = subprocess.run(
        [sys.executable, "-c", SERVER_CHECK, str(PROJECT)], env=environ, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_serve_links_every_source_and_whitenoise_serves_it_fresh(site):
    served = served_static(site, KILN_SERVE="1")
    sources = [f"/static/{p.relative_to(PROJECT / 'assets').as_posix()}" for p in bundle_sources("css")]
    assert set(sources) <= set(served), "serve links the unminified sources"
    for url, (status, cache_control, kind) in served.items():
        assert status == 200 and kind == "WhiteNoiseFileResponse", url
        assert "max-age=0" in cache_control, "development files are never cached"


def test_a_production_server_serves_the_hashed_bundles_as_immutable(built):
    served = served_static(built)
    assert any(url.endswith(".css") for url in served) and any(url.endswith(".js") for url in served)
    for url, (status, cache_control, kind) in served.items():
        assert HASHED.search(url) and status == 200 and kind == "WhiteNoiseFileResponse", url
        assert "immutable" in cache_control, url
