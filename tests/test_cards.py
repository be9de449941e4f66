"""Social cards: og:image and twitter:image from a post's picture, else a card drawn at build time."""

from __future__ import annotations

import pytest
from PIL import Image

import pictures
from conftest import Site, snapshot

pytestmark = pytest.mark.xdist_group(__name__)

BASE = "https://blog.example.com"
INK = (0x1F, 0x23, 0x28)  # the card's title colour (the light theme's text)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Site:
    return pictures.build(tmp_path_factory, "cards")


def meta(site: Site, page: str) -> dict[str, list[str]]:
    head = site.html(page).head
    found: dict[str, list[str]] = {}
    for tag in head.find_all("meta"):
        name = tag.get("property") or tag.get("name")
        if name in ("og:image", "twitter:image", "twitter:card"):
            found.setdefault(name, []).append(tag["content"])
    return found


def test_a_post_with_an_image_field_previews_it(built):
    assert meta(built, "plog/hero/index.html") == {
        "og:image": [f"{BASE}/images/hero.png"],
        "twitter:image": [f"{BASE}/images/hero.png"],
        "twitter:card": ["summary_large_image"],
    }


def test_a_post_with_pictures_previews_its_first(built):
    found = meta(built, "plog/trip/index.html")
    assert found["og:image"] == found["twitter:image"] == [f"{BASE}/plog/trip/cover.jpg"]
    assert found["twitter:card"] == ["summary_large_image"]


def test_a_post_without_a_picture_gets_a_card_drawn_for_it(built):
    found = meta(built, "plog/plain/index.html")
    assert found["og:image"] == found["twitter:image"] == [f"{BASE}/_card/plain.png"]
    assert found["twitter:card"] == ["summary_large_image"]
    with Image.open(built.out / "_card" / "plain.png") as card:
        assert card.format == "PNG" and card.size == (1200, 630)
    # only the post without a picture has one
    assert sorted(p.name for p in (built.out / "_card").iterdir()) == ["plain.png"]


def title_rows(path) -> int:
    """How many pixel rows of the card hold the title's ink."""
    with Image.open(path) as card:
        rgb = card.convert("RGB")
        width, height = rgb.size
        pixels = rgb.load()
        return sum(any(pixels[x, y] == INK for x in range(0, width, 2)) for y in range(height))


def test_a_long_title_is_wrapped_onto_more_lines(tmp_path, built):
    site = Site(tmp_path)
    site.write("plain.md", pictures.PLAIN_POST.replace("Plain words", "Plain words " * 12))
    site.build()
    assert title_rows(site.out / "_card" / "plain.png") > 2 * title_rows(built.out / "_card" / "plain.png")


def test_cards_are_the_same_bytes_in_another_build(built, tmp_path):
    other = pictures.write_site(Site(tmp_path))
    other.build()
    cards = {name: data for name, data in snapshot(built.out).items() if name.startswith("_card/")}
    assert cards and {n: d for n, d in snapshot(other.out).items() if n.startswith("_card/")} == cards


def test_the_setting_turns_cards_off(tmp_path_factory):
    site = pictures.build(tmp_path_factory, "no-cards", env={"KILN_SOCIAL_CARDS": "false"})
    assert not (site.out / "_card").exists()
    assert meta(site, "plog/plain/index.html") == {"twitter:card": ["summary"]}
    assert meta(site, "plog/hero/index.html")["og:image"] == [f"{BASE}/images/hero.png"]


def test_a_chinese_or_japanese_title_is_drawn_in_letters_not_boxes(tmp_path):
    # DejaVu has no CJK letters: without a fallback each one is the same empty box, so titles of
    # as many letters that DejaVu lacks would be the same picture
    def card_of(title: str, folder: str) -> bytes:
        site = Site(tmp_path / folder)
        site.write("plain.md", pictures.PLAIN_POST.replace("Plain words", title))
        site.build()
        return (site.out / "_card" / "plain.png").read_bytes()

    boxes = card_of("\U000f0000" * 6, "private")  # code points no font here draws
    assert card_of("日本語の記事", "japanese") != boxes
    assert card_of("中文标题测试", "chinese") != boxes
