"""Responsive images: sizes, lazy loading and WebP variants of every local picture; bad pictures fail the build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest
from PIL import Image

import pictures
from conftest import Site, fails_cleanly, out_state, snapshot

pytestmark = pytest.mark.xdist_group(__name__)

POST = "plog/trip/index.html"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Site:
    return pictures.build(tmp_path_factory, "images")


def images(site: Site) -> list:
    return site.html(POST).select("article .post-body img")


def published(site: Site, address: str) -> Path:
    """The output file of an address on the post's page."""
    return site.out / urljoin("/plog/trip/", address).lstrip("/")


def candidates(img) -> list[tuple[str, int]]:
    return [(url, int(size.rstrip("w"))) for url, size in (c.split() for c in img["srcset"].split(","))]


def test_every_local_picture_gets_its_size_and_lazy_loading_after_the_first(built):
    found = {img["src"]: img for img in images(built)}
    for src in ("cover.jpg", "small.png", "/images/wide.png"):
        with Image.open(published(built, src)) as original:
            assert (int(found[src]["width"]), int(found[src]["height"])) == original.size, src
    assert [img["src"] for img in images(built)][:3] == ["cover.jpg", "small.png", "/images/wide.png"]
    assert not found["cover.jpg"].has_attr("loading")  # the first picture is wanted at once
    assert found["small.png"]["loading"] == found["/images/wide.png"]["loading"] == "lazy"
    far = found["https://images.example.org/far.jpg"]
    assert not far.has_attr("width") and not far.has_attr("srcset")  # not ours to measure


def test_variants_are_narrower_webp_pictures_and_the_original_stays_linked(built):
    cover = next(img for img in images(built) if img["src"] == "cover.jpg")
    listed = candidates(cover)
    assert listed[-1] == ("cover.jpg", 1600)  # the original, the widest
    assert [width for _url, width in listed[:-1]] == [480, 960, 1440]
    assert cover["sizes"]
    for url, width in listed[:-1]:
        with Image.open(published(built, url)) as variant:
            assert variant.format == "WEBP"
            assert variant.size == (width, round(1000 * width / 1600))
    assert published(built, "cover.jpg").read_bytes() == (built.content / "trip" / "cover.jpg").read_bytes()
    wide = next(img for img in images(built) if img["src"] == "/images/wide.png")
    assert [width for _url, width in candidates(wide)] == [480, 960, 1000]


def test_a_picture_narrower_than_every_variant_has_none(built):
    small = next(img for img in images(built) if img["src"] == "small.png")
    assert not small.has_attr("srcset")


def test_code_that_shows_an_img_tag_is_left_alone(built):
    code = built.html(POST).select_one("article pre code")
    assert '<img src="small.png">' in code.get_text()
    assert len(images(built)) == 4


def test_the_variants_are_the_same_bytes_in_another_build_and_not_encoded_again(built, tmp_path):
    other = pictures.write_site(Site(tmp_path))
    other.build()
    mine = {name: data for name, data in snapshot(built.out).items() if name.startswith("_img/")}
    assert len(mine) == 5  # cover 480, 960, 1440; wide 480, 960
    assert {name: data for name, data in snapshot(other.out).items() if name.startswith("_img/")} == mine
    # render every page again: the variants come from the cache folder, not from the encoder
    encoded = {p: p.stat().st_mtime_ns for p in (other.cache / "images").glob("*.webp")}
    assert len(encoded) == 5
    (other.cache / "render-manifest.json").unlink()
    shutil.rmtree(other.out / "_img")
    other.build()
    assert {p: p.stat().st_mtime_ns for p in (other.cache / "images").glob("*.webp")} == encoded
    assert {n: d for n, d in snapshot(other.out).items() if n.startswith("_img/")} == mine


def test_a_changed_picture_renders_its_post_again_with_new_variants(tmp_path):
    site = pictures.write_site(Site(tmp_path))
    site.build()
    old = {img["src"]: img.get("srcset") for img in images(site)}
    pictures.draw(site.content / "trip" / "cover.jpg", (800, 600))
    site.build()
    cover = next(img for img in images(site) if img["src"] == "cover.jpg")
    assert (cover["width"], cover["height"]) == ("800", "600")
    assert candidates(cover)[-1] == ("cover.jpg", 800) and cover["srcset"] != old["cover.jpg"]
    for url, _width in candidates(cover)[:-1]:
        assert published(site, url).is_file()
    names = {p.name for p in (site.out / "_img").iterdir()}
    assert not any(name.startswith("cover-960w.") for name in names)  # gone with the old picture


def bad_picture_message(site: Site, data: bytes) -> str:
    site.write("trip/index.md", pictures.BUNDLE_POST)
    pictures.draw(site.content / "trip" / "cover.jpg", (1600, 1000))
    pictures.draw(site.content / "trip" / "small.png", (300, 200))
    pictures.draw(site.content / "images" / "wide.png", (1000, 250))
    site.build()
    before = out_state(site)
    (site.content / "trip" / "small.png").write_bytes(data)
    return fails_cleanly(site, before)


def test_a_truncated_picture_fails_naming_it_and_the_line_that_shows_it(site):
    whole = pictures.draw(site.root / "whole.png", (300, 200)).read_bytes()
    message = bad_picture_message(site, whole[: len(whole) // 2])
    line = pictures.BUNDLE_POST.splitlines().index("![A small one](small.png)") + 1
    assert f"content/trip/index.md:{line}: the image content/trip/small.png (small.png) cannot be read" in message


def test_a_file_that_is_no_picture_fails_naming_it(site):
    message = bad_picture_message(site, b"this is text, not a PNG\n")
    assert "the image content/trip/small.png (small.png) cannot be read as a picture" in message


def test_a_post_without_pictures_is_unchanged(built):
    body = built.html("plog/plain/index.html").select_one("article .post-body")
    assert body.select("img") == []
    manifest = json.loads((built.cache / "render-manifest.json").read_text())["pages"]
    assert sorted(uri for uri, page in manifest.items() if page["kind"] == "image-variant") == sorted(
        "/" + name for name in snapshot(built.out) if name.startswith("_img/")
    )
