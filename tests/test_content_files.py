"""Images, PDFs and other non-Markdown files in the content folder are published."""

from __future__ import annotations

import os

import pytest

from conftest import GOOD_POST, fails_cleanly, out_state

PNG = b"\x89PNG\r\n\x1a\n a picture"
PDF = b"%PDF-1.4 a paper"


def put(site, relative: str, data: bytes):
    path = site.content / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_bundle_files_go_beside_their_post(site):
    site.write("posts/my-trip/index.md", "---\ntitle: My trip\ndate: 2021-05-01\n---\n![The harbour](cover.jpg)\n")
    put(site, "posts/my-trip/cover.jpg", PNG)
    put(site, "posts/my-trip/gallery/boat.png", PNG + b"boat")
    site.write(
        "posts/renamed/index.md",
        "---\ntitle: Renamed\ndate: 2021-05-02\nslug: chosen\n---\n![Map](map.png) and [the gallery](gallery/a.png)\n",
    )
    put(site, "posts/renamed/map.png", PNG + b"map")
    put(site, "posts/renamed/gallery/a.png", PNG + b"a")
    site.build()  # the link check resolves every image to a published file
    assert (site.out / "plog/my-trip/cover.jpg").read_bytes() == PNG
    assert (site.out / "plog/my-trip/gallery/boat.png").read_bytes() == PNG + b"boat"
    assert (site.out / "plog/chosen/map.png").read_bytes() == PNG + b"map"
    assert (site.out / "plog/chosen/gallery/a.png").is_file()
    assert not (site.out / "posts").exists()
    image = site.html("plog/my-trip/index.html").select_one("article img")
    assert image["src"] == "cover.jpg" and image["alt"] == "The harbour"


def test_other_files_keep_their_path(site):
    """Pelican's layout: content/images/a.png is /images/a.png."""
    site.write(
        "post.md",
        "---\ntitle: Post\ndate: 2020-01-01\n---\n![A](/images/a.png)\n\nRead [the paper](/downloads/paper.pdf).\n",
    )
    put(site, "images/a.png", PNG)
    put(site, "downloads/paper.pdf", PDF)
    put(site, "favicon.ico", b"icon")
    site.build()
    assert (site.out / "images/a.png").read_bytes() == PNG
    assert (site.out / "downloads/paper.pdf").read_bytes() == PDF
    assert (site.out / "favicon.ico").read_bytes() == b"icon"
    assert not (site.out / "post.md").exists()


def test_hidden_draft_and_backup_files_are_not_published(site):
    site.write("good.md", GOOD_POST)
    put(site, ".git/config", b"secret")
    put(site, "images/.DS_Store", b"junk")
    put(site, "_drafts/sketch.png", PNG)
    put(site, "notes.txt~", b"backup")
    put(site, "images/kept.png", PNG)
    site.build()
    published = {p.relative_to(site.out).as_posix() for p in site.out.rglob("*") if p.is_file()}
    assert "images/kept.png" in published
    assert not {name for name in published if ".git" in name or "DS_Store" in name or "sketch" in name or "~" in name}


def test_files_of_an_unpublished_bundle_wait_for_it(site):
    site.write("good.md", GOOD_POST)
    site.write("posts/wip/index.md", "---\ntitle: WIP\ndate: 2020-01-02\ndraft: true\n---\n![x](photo.jpg)\n")
    put(site, "posts/wip/photo.jpg", PNG)
    site.build()
    assert not list(site.out.rglob("photo.jpg"))
    site.build("--drafts")
    assert (site.out / "plog/wip/photo.jpg").read_bytes() == PNG


def test_broken_image_link_names_file_and_line(built):
    site, before = built
    site.write("post.md", "---\ntitle: Post\ndate: 2020-01-01\n---\n\n![A](/images/missing.png)\n")
    put(site, "images/present.png", PNG)
    stderr = fails_cleanly(site, before)
    assert "content/post.md:6: broken link to /images/missing.png" in stderr


@pytest.mark.parametrize("name", ["404.html", "index.html", "rss.xml", "plog/good/index.html", "plog"])
def test_a_content_file_where_a_page_goes_fails(built, name):
    site, before = built
    put(site, name, b"<p>mine</p>")
    stderr = fails_cleanly(site, before)
    assert f"content/{name}: would be published as /{name}, " in stderr, stderr


def test_a_content_file_under_static_fails(built):
    site, before = built
    put(site, "static/logo.png", PNG)
    stderr = fails_cleanly(site, before)
    assert "content/static/logo.png: would be published as /static/logo.png" in stderr
    assert "reserved for the assets" in stderr


def test_two_content_files_on_one_path_fail_naming_both(built):
    site, before = built
    site.write("posts/trip/index.md", "---\ntitle: Trip\ndate: 2020-01-02\n---\nx\n")
    put(site, "posts/trip/cover.jpg", PNG)
    put(site, "plog/trip/Cover.jpg", PNG)  # the same file on a case-insensitive file system
    stderr = fails_cleanly(site, before)
    both = "content/plog/trip/Cover.jpg and content/posts/trip/cover.jpg would all be published"
    assert f"content/posts/trip/cover.jpg: {both}" in stderr, stderr
    assert f"content/plog/trip/Cover.jpg: {both}" in stderr


def test_check_command_reports_a_collision(site):
    site.write("good.md", GOOD_POST)
    put(site, "404.html", b"mine")
    result = site.run("check")
    assert result.returncode == 1 and "content/404.html: would be published as /404.html" in result.stderr
    assert not site.out.exists()


def test_unchanged_files_keep_their_mtime(site):
    site.write("post.md", "---\ntitle: Post\ndate: 2020-01-01\n---\n![A](/images/a.png)\n")
    image = put(site, "images/a.png", PNG)
    site.build()
    before = out_state(site)
    site.build()
    assert out_state(site) == before
    # rewritten with the same bytes (a checkout, an export): out/ keeps its file and mtime
    replacement = image.with_name("new.tmp")
    replacement.write_bytes(PNG)
    os.utime(replacement, (1, 1))
    os.replace(replacement, image)
    site.write("other.md", "---\ntitle: Other\ndate: 2020-01-02\n---\nx\n")  # a build that does render
    site.build()
    assert (site.out / "images/a.png").stat().st_mtime_ns == before[site.out / "images/a.png"][1]
    again = out_state(site)
    site.build()
    assert out_state(site) == again


def test_editing_an_image_updates_out(site):
    site.write("post.md", "---\ntitle: Post\ndate: 2020-01-01\n---\n![A](/images/a.png)\n")
    image = put(site, "images/a.png", PNG)
    put(site, "images/b.png", PNG + b"b")
    site.build()
    b_mtime = (site.out / "images/b.png").stat().st_mtime_ns
    # an editor that saves by writing a new file and renaming it over the old one
    replacement = image.with_name("a.png.new")
    replacement.write_bytes(PNG + b" edited")
    os.replace(replacement, image)
    site.build()
    assert (site.out / "images/a.png").read_bytes() == PNG + b" edited"
    assert (site.out / "images/b.png").stat().st_mtime_ns == b_mtime
    # one that writes in place
    image.write_bytes(PNG + b" edited again")
    site.build()
    assert (site.out / "images/a.png").read_bytes() == PNG + b" edited again"


def test_removed_and_tampered_files(site):
    site.write("good.md", GOOD_POST)
    put(site, "images/a.png", PNG)
    gone = put(site, "images/gone.png", PNG)
    site.build()
    gone.unlink()
    site.build()
    assert not (site.out / "images/gone.png").exists()
    assert (site.out / "images/a.png").is_file()
    # out/ lost a file and gained a stray one, with nothing changed in the content: the build repairs it
    expected = out_state(site)
    (site.out / "images/a.png").unlink()
    (site.out / "images/stray.png").write_bytes(PNG)
    site.build()
    assert {p: data for p, (data, _) in out_state(site).items()} == {p: data for p, (data, _) in expected.items()}


def test_a_draft_bundle_in_drafts_publishes_its_files_with_it(site):
    site.write("good.md", GOOD_POST)
    site.write("_drafts/trip/index.md", "---\ntitle: Trip\ndate: 2020-01-02\n---\n![x](photo.jpg)\n")
    put(site, "_drafts/trip/photo.jpg", PNG)
    put(site, "_drafts/loose.png", PNG)
    site.build()
    assert not list(site.out.rglob("*.jpg"))
    site.build("--drafts")
    assert (site.out / "plog/trip/photo.jpg").read_bytes() == PNG
    assert not list(site.out.rglob("loose.png"))
