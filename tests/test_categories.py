"""Categories: one URL form per name, distinct names never merged, and a displayed
name that depends on the current content only, never on the build history."""

from __future__ import annotations

import os

import pytest

from blog.models import category_url_form
from conftest import fails_cleanly, out_state, snapshot


def post(title: str, day: int, categories: str) -> str:
    return f"---\ntitle: {title}\ndate: 2024-01-{day:02d}\ncategories: {categories}\n---\n{title}.\n"


def category_list(site) -> dict[str, tuple[str, str]]:
    """The home page's list of categories: name -> (link, count)."""
    items = site.html("index.html").select(".category-list li")
    return {
        li.select_one("a").get_text(): (li.select_one("a")["href"], li.select_one(".count").get_text()) for li in items
    }


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("C++", "C++"),
        ("C#", "C"),
        ("Web development", "Web-development"),
        ("Café culture", "Café-culture"),
        ("Cafe\u0301", "Café"),  # one form for both ways of writing é
        ("🐍 Python", "🐍-Python"),
        ("🐍", "🐍"),
        ("a/b", "a-b"),
        ("a - b", "a-b"),
        ("Node.js", "Node.js"),
        ('50% <off> "now" {x}|[y]^`z`\\w', "50-off-now-x-y-z-w"),
        ("tab\there", "tab-here"),
        ("../etc", "etc"),
        ("..", ""),
        ("/ ? #", ""),
    ],
)
def test_url_form_keeps_case_and_every_safe_character(name, form):
    assert category_url_form(name) == form


def test_distinct_names_get_distinct_pages(site):
    site.write("cpp.md", post("Templates", 1, "[C++]"))
    site.write("c.md", post("Pointers", 2, "[C]"))
    site.write("snake.md", post("Snakes", 3, "['🐍 Python']"))
    site.write("bang.md", post("Bangs", 4, "['!!!', '???!']"))
    site.build()
    assert category_list(site) == {
        "!!!": ("/oc-!!!/", "1"),
        "???!": ("/oc-!/", "1"),
        "C": ("/oc-C/", "1"),
        "C++": ("/oc-C++/", "1"),
        "🐍 Python": ("/oc-%F0%9F%90%8D-Python/", "1"),
    }
    for folder, title in [("oc-C++", "Templates"), ("oc-C", "Pointers"), ("oc-🐍-Python", "Snakes")]:
        page = site.html(f"{folder}/index.html")
        assert [a.get_text() for a in page.select(".post-list h2 a")] == [title]
        assert (site.out / folder / "rss.xml").is_file()


def test_a_name_with_nothing_usable_in_a_url_fails(built):
    site, before = built
    site.write("bad.md", "---\ntitle: Bad\ndate: 2024-01-01\ncategories:\n  - Python\n  - '//'\n---\nBody.\n")
    message = fails_cleanly(site, before)
    assert "content/bad.md:6: category name '//' has no characters usable in a URL" in message


@pytest.mark.parametrize(("first", "second", "url"), [("C", "C#", "/oc-C/"), ("a-b", "a/b", "/oc-a-b/")])
def test_names_sharing_a_url_fail_naming_both_files(built, first, second, url):
    site, before = built
    site.write("a.md", post("A", 1, f"['{first}']"))
    site.write("b.md", post("B", 2, f"[Python, '{second}']"))
    message = fails_cleanly(site, before)
    expected = f"content/b.md:4: categories '{second}' (content/b.md) and '{first}' (content/a.md) would share {url}"
    assert f"{expected}; rename one" in message


def test_a_collision_with_an_unchanged_post_is_found(site):
    site.write("a.md", post("A", 1, "[C]"))
    site.build()
    before = out_state(site)
    site.write("b.md", post("B", 2, "[c#]"))
    message = fails_cleanly(site, before)
    assert "categories 'c#' (content/b.md) and 'C' (content/a.md) would share /oc-C/" in message


def test_names_differing_only_by_case_are_one_category(site):
    site.write("a.md", post("A", 1, "[django]"))
    site.write("b.md", post("B", 2, "[Django]"))
    site.write("c.md", post("C", 3, "[Django, Python]"))
    site.build()
    assert category_list(site) == {"Django": ("/oc-Django/", "3"), "Python": ("/oc-Python/", "1")}
    titles = [a.get_text() for a in site.html("oc-Django/index.html").select(".post-list h2 a")]
    assert titles == ["C", "B", "A"]
    assert not (site.out / "oc-django").exists()


# the most used spelling wins, and on a tie the one that sorts first ("Django" < "django")
STEPS = {
    "add a post that changes the name": {"a.md": post("A", 1, "[Django]")},
    "edit the case of a category": {
        "x.md": post("X", 4, "[photography, Travel]"),
        "y.md": post("Y", 5, "[photography]"),
    },
    "delete posts": {"a.md": None, "w.md": None},
}
EXPECTED = {
    "add a post that changes the name": {"Django", "Photography", "travel"},
    "edit the case of a category": {"Django", "photography", "travel"},
    "delete posts": {"django", "photography", "Travel"},
}


def test_incremental_names_equal_a_clean_build(site, tmp_path):
    site.write("z.md", post("Z", 2, "[django]"))
    site.write("v.md", post("V", 3, "[travel]"))
    site.write("w.md", post("W", 3, "[travel]"))
    site.write("x.md", post("X", 4, "[Photography, Travel]"))
    site.write("y.md", post("Y", 5, "[Photography]"))
    site.build()
    assert set(category_list(site)) == {"django", "Photography", "travel"}
    for number, (step, files) in enumerate(STEPS.items()):
        for name, text in files.items():
            if text is None:
                os.remove(site.content / name)
            else:
                site.write(name, text)
        site.build()
        assert set(category_list(site)) == EXPECTED[step], step
        for name, (url, _count) in category_list(site).items():
            assert url == f"/oc-{category_url_form(name)}/", step
        clean = type(site)(tmp_path / f"clean{number}")
        clean.root.mkdir()
        os.symlink(site.content, clean.content)
        clean.build()
        assert snapshot(site.out) == snapshot(clean.out), step
