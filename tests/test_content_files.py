"""Images, PDFs and other non-Markdown files in the content folder are published."""

from __future__ import annotations

import dataclasses
import os
import time
import unicodedata

import pytest

from conftest import GOOD_POST, fails_cleanly, out_state
from pictures import TINY_PNG

PNG = TINY_PNG + b" a picture"
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
    # out/ lost a file, with nothing changed in the content: the build repairs it; a stray file it
    # refuses to delete (issue 14), naming it
    expected = out_state(site)
    (site.out / "images/a.png").unlink()
    (site.out / "images/stray.png").write_bytes(PNG)
    refused = site.run("build")
    assert refused.returncode == 1 and "images/stray.png" in refused.stderr
    assert (site.out / "images/stray.png").read_bytes() == PNG
    (site.out / "images/stray.png").unlink()
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


def test_output_paths_are_nfc(site):
    """macOS writes decomposed (NFD) names; links are typed composed (NFC)."""
    site.write("posts/café/index.md", "---\ntitle: Café\ndate: 2021-05-01\n---\n![Crème](crème.jpg)\n")
    put(site, "posts/café/" + unicodedata.normalize("NFD", "crème.jpg"), PNG)
    site.write("post.md", "---\ntitle: Post\ndate: 2020-01-01\n---\n![Été](/images/été.png)\n")
    put(site, unicodedata.normalize("NFD", "images/été.png"), PNG)
    bundle = unicodedata.normalize("NFD", "posts/noël")  # the whole folder, as a Mac names it
    site.write(f"{bundle}/index.md", "---\ntitle: Noël\ndate: 2021-12-24\n---\n![Sapin](sapin.jpg)\n")
    put(site, f"{bundle}/sapin.jpg", PNG)
    site.build()  # the links resolve
    published = {p.relative_to(site.out).as_posix() for p in site.out.rglob("*") if p.suffix in (".jpg", ".png")}
    assert published == {"plog/café/crème.jpg", "images/été.png", "plog/noël/sapin.jpg"}  # NFC, as written here


def test_two_names_that_differ_only_by_normalisation_collide(built):
    site, before = built
    composed = put(site, "images/été.png", PNG)
    decomposed = put(site, unicodedata.normalize("NFD", "images/été.png"), PNG + b"other")
    assert composed != decomposed
    stderr = fails_cleanly(site, before)
    assert "would all be published as /images/été.png" in stderr, stderr
    assert stderr.count("content/images/") >= 2


def test_out_shares_no_file_with_the_content(site):
    site.write("posts/trip/index.md", "---\ntitle: Trip\ndate: 2021-05-01\n---\n![Cover](cover.jpg)\n")
    source = put(site, "posts/trip/cover.jpg", PNG)
    site.build()
    published = site.out / "plog/trip/cover.jpg"
    assert not os.path.samefile(published, source)
    # `cp new.jpg content/trip/cover.jpg` writes into the source's file: out/ keeps the published bytes
    # (written after the picture's end, so that it still reads as one)
    end = len(TINY_PNG)
    with source.open("r+b") as file:
        file.seek(end)
        file.write(b"NEW!")
    assert published.read_bytes() == PNG
    # and a tool that rewrites files in out/ (an image optimiser) leaves the content alone
    with published.open("r+b") as file:
        file.seek(end)
        file.write(b"OPT!")
    assert source.read_bytes()[end : end + 4] == b"NEW!"
    site.build()
    assert published.read_bytes() == source.read_bytes()


def test_a_published_file_hard_linked_by_an_older_build_becomes_a_copy(site):
    site.write("post.md", "---\ntitle: Post\ndate: 2020-01-01\n---\n![A](/images/a.png)\n")
    source = put(site, "images/a.png", PNG)
    site.build()
    published = site.out / "images/a.png"
    published.unlink()
    os.link(source, published)  # as builds before this change published it
    site.build()
    assert published.read_bytes() == PNG and not os.path.samefile(published, source)


@pytest.mark.parametrize("how", ["in place", "rename"])
def test_a_replaced_file_with_the_same_size_and_mtime_is_republished(site, how):
    """`cp -p` writes into the file and restores its mtime; `rsync -a` renames a new file with it over the old."""
    site.write("post.md", "---\ntitle: Post\ndate: 2020-01-01\n---\n![A](/images/a.png)\n")
    image = put(site, "images/a.png", PNG)
    site.build()
    site.build()  # a build with nothing to do, which may remember the file as checked
    old = image.stat()
    new = PNG[:-1] + b"!"  # the same size
    if how == "in place":
        image.write_bytes(new)
    else:
        replacement = image.with_name(".a.png.tmp")
        replacement.write_bytes(new)
        os.replace(replacement, image)
    os.utime(image, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert (image.stat().st_size, image.stat().st_mtime_ns) == (old.st_size, old.st_mtime_ns)
    site.build()
    assert (site.out / "images/a.png").read_bytes() == new


def test_checked_pairs_are_remembered_until_either_file_changes(tmp_path, settings, monkeypatch):
    """An unchanged site reads no file twice; any change to the source or the output compares bytes again."""
    from kiln import content_files

    settings.KILN = dataclasses.replace(settings.KILN, CACHE_DIR=tmp_path)
    monkeypatch.setattr(content_files, "RACY_NS", 0)
    compared = []
    same_content = content_files.same_content
    monkeypatch.setattr(content_files, "same_content", lambda a, b: compared.append(a) or same_content(a, b))
    source, target = tmp_path / "source.png", tmp_path / "out.png"
    source.write_bytes(PNG)
    target.write_bytes(PNG)

    def check() -> bool:
        verified = content_files.Verified()
        found = verified.same(target, source)
        verified.save(forget_others=False)
        return found

    assert check() and len(compared) == 1
    assert check() and len(compared) == 1  # remembered
    time.sleep(0.01)
    stat = source.stat()
    source.write_bytes(PNG[:-1] + b"!")  # as `cp -p` does: same size, mtime put back
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert not check() and len(compared) == 2
    source.write_bytes(PNG)
    assert check() and len(compared) == 3
    target.write_bytes(PNG[:-1] + b"!")
    assert not check() and len(compared) == 4
