"""A Hugo or Zola project's ``static/`` folder, beside the content folder, is published at the site's root."""

from __future__ import annotations

import json

from conftest import GOOD_POST, fails_cleanly, out_state

ZOLA_CONFIG = 'base_url = "https://blog.example.org"\ntitle = "A Zola blog"\n'
LINKING_POST = """\
+++
title = "Plots"
date = 2024-05-01
+++
<script src="/scripts/plot-1.2.min.js"></script>

See [the data](/data/points.csv) and ![a chart](/images/chart.svg).
"""


def put(path, data: bytes = b"x"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def published(site) -> set[str]:
    return {p.relative_to(site.out).as_posix() for p in site.out.rglob("*") if p.is_file()}


def test_zola_static_folder_is_published_at_the_root(site):
    (site.root / "config.toml").write_text(ZOLA_CONFIG)
    site.write("plots.md", LINKING_POST)
    put(site.root / "static/scripts/plot-1.2.min.js", b"var plot = 1;")
    put(site.root / "static/data/points.csv", b"x,y\n1,2\n")
    put(site.root / "static/images/chart.svg", b"<svg/>")
    put(site.root / "static/notes.md", b"# shipped as it is")
    put(site.root / "static/.hidden", b"secret")
    put(site.root / "static/README.md", b"repository file")
    site.build()  # the link check finds every linked file
    assert (site.out / "scripts/plot-1.2.min.js").read_bytes() == b"var plot = 1;"
    assert (site.out / "data/points.csv").read_bytes() == b"x,y\n1,2\n"
    assert (site.out / "notes.md").read_bytes() == b"# shipped as it is"
    files = published(site)
    assert ".hidden" not in files and "README.md" not in files  # the content folder's exclusions hold
    script = site.html("plog/plots/index.html").select_one("article script")
    assert script["src"] == "/scripts/plot-1.2.min.js"


def test_a_config_toml_without_base_url_is_hugo_and_its_static_dir_is_read(site):
    (site.root / "hugo.toml").write_text('baseURL = "https://example.org/"\nstaticDir = ["assets-static", "more"]\n')
    site.write("post.md", GOOD_POST)
    put(site.root / "assets-static/favicon.ico", b"icon")
    put(site.root / "more/js/app.js", b"app")
    put(site.root / "static/ignored.txt", b"not the configured folder")
    site.build()
    files = published(site)
    assert (site.out / "favicon.ico").read_bytes() == b"icon"
    assert (site.out / "js/app.js").read_bytes() == b"app"
    assert "ignored.txt" not in files


def test_hugo_yaml_config_and_language_content_folder(site):
    content = site.root / "content"
    (site.root / "config.yaml").write_text("baseURL: https://example.org/\n")
    put(site.root / "static/robots-extra.txt", b"extra")
    site.write("en/post.md", GOOD_POST)
    result = site.run("build", "--content", str(content / "en"))
    assert result.returncode == 0, result.stderr
    assert (site.out / "robots-extra.txt").read_bytes() == b"extra"


def test_no_project_no_static_folder(site):
    """Without a Hugo or Zola configuration beside the content folder, a static/ folder there is not the site's."""
    site.write("post.md", GOOD_POST)
    put(site.root / "static/stray.js", b"stray")
    site.build()
    assert "stray.js" not in published(site)


def test_a_static_file_on_a_page_is_refused_naming_it(site):
    (site.root / "zola.toml").write_text(ZOLA_CONFIG)
    site.write("post.md", GOOD_POST)
    site.build()
    before = out_state(site)
    put(site.root / "static/robots.txt", b"User-agent: *\n")
    message = fails_cleanly(site, before)
    assert "static/robots.txt" in message and "/robots.txt" in message


def test_a_static_file_on_a_content_file_is_refused_naming_both(site):
    (site.root / "config.toml").write_text(ZOLA_CONFIG)
    site.write("post.md", GOOD_POST)
    put(site.content / "images/a.png", b"content")
    put(site.root / "static/images/a.png", b"static")
    message = fails_cleanly(site, {})
    assert "content/images/a.png" in message and "static/images/a.png" in message


def test_edits_to_the_static_folder_reach_out_as_a_clean_build_would(site, tmp_path):
    (site.root / "config.toml").write_text(ZOLA_CONFIG)
    site.write("post.md", GOOD_POST)
    kept = put(site.root / "static/kept.js", b"kept")
    gone = put(site.root / "static/gone.js", b"gone")
    site.build()
    mtime = (site.out / "kept.js").stat().st_mtime_ns
    gone.unlink()
    put(site.root / "static/new/added.css", b"added")
    site.build()  # the no-op build must see the static folder changed
    assert published(site) >= {"kept.js", "new/added.css"} and "gone.js" not in published(site)
    assert (site.out / "kept.js").stat().st_mtime_ns == mtime  # unchanged bytes keep their mtime
    kept.write_bytes(b"changed")
    site.build()
    assert (site.out / "kept.js").read_bytes() == b"changed"
    # the configuration decides the folders: a Hugo staticDir change is seen too
    (site.root / "config.toml").unlink()
    (site.root / "hugo.json").write_text(json.dumps({"baseURL": "https://example.org/", "staticDir": "other"}))
    put(site.root / "other/o.txt", b"o")
    site.build()
    incremental = {name: (site.out / name).read_bytes() for name in published(site)}
    clean_out = tmp_path / "clean-out"
    result = site.run("build", "--clean", "--out", str(clean_out), "--cache", str(tmp_path / "clean-cache"))
    assert result.returncode == 0, result.stderr
    clean = {p.relative_to(clean_out).as_posix(): p.read_bytes() for p in clean_out.rglob("*") if p.is_file()}
    assert "o.txt" in incremental and "kept.js" not in incremental
    assert incremental == clean
