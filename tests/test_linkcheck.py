"""The check stage: every internal link of the staged site resolves; external ones are not fetched."""

from __future__ import annotations

import pytest

from conftest import GOOD_POST as GOOD
from conftest import fails_cleanly as fails
from conftest import out_state
from pictures import TINY_PNG


@pytest.mark.parametrize(
    ("markdown", "path", "line"),
    [
        ("See [this](/nothing/here/).", "/nothing/here/", 8),
        ("![A picture](/images/missing.png)", "/images/missing.png", 8),
        # a relative link to a folder or page resolves against the page (one to a file, from the post's file:
        # see test_migrate_urls)
        ("[A page](pictures/missing)", "/plog/bad/pictures/missing", 8),
        ('<a href="/raw/html/">raw</a>', "/raw/html/", 8),
        # the line that writes the URL
        ("[a reference][ref]\n\n[ref]: /by/reference/", "/by/reference/", 10),
    ],
)
def test_broken_link_in_markdown_names_the_file_and_line(built, markdown, path, line):
    site, before = built
    site.write("bad.md", f"---\ntitle: Bad\ndate: 2021-01-01\n---\n\nFirst paragraph.\n\n{markdown}\n")
    message = fails(site, before)
    assert f"bad.md:{line}: broken link to {path} (on page /plog/bad/)" in message


def test_every_broken_link_is_reported(built):
    site, before = built
    site.write("one.md", "---\ntitle: One\ndate: 2021-01-01\n---\n[x](/missing-one/)\n")
    site.write("two.md", "---\ntitle: Two\ndate: 2021-01-02\n---\n[y](/missing-two/)\n")
    message = fails(site, before)
    assert "2 problems" in message
    assert "one.md:5: broken link to /missing-one/" in message
    assert "two.md:5: broken link to /missing-two/" in message


def test_links_that_resolve_pass(site):
    site.write("good.md", GOOD)
    site.write(
        "links.md",
        "---\ntitle: Links\ndate: 2021-01-01\ncategories: [Python]\n---\n"
        "[home](/) [post](/plog/good/) [category](/oc-Python/) [feed](/rss.xml) [anchor](#top)"
        " [page two of nothing](/sitemap.xml?x=1#y)\n",
    )
    site.build()


def test_external_links_are_not_fetched(site):
    site.write(
        "external.md",
        "---\ntitle: External\ndate: 2021-01-01\n---\n"
        "[gone](https://no-such-host.invalid/page) ![x](http://no-such-host.invalid/x.png)"
        " [mail](mailto:someone@example.invalid) [protocol-relative](//no-such-host.invalid/y)\n",
    )
    result = site.build()
    assert "no-such-host" not in result.stderr


@pytest.mark.parametrize(
    ("markdown", "path"),
    [
        ("[Old post]({% include_relative old.md %})", "/plog/bad/{% include_relative old.md %}"),
        ("[a](/x/y z/)", "/x/y z/"),
        ('[a](/x/y "a title")', "/x/y"),
        ("[a](</x/y z/> 'a title')", "/x/y z/"),
        ("![a picture](/images/my photo.png)", "/images/my photo.png"),
        ("[a](/wiki/Thing_(disambiguation))", "/wiki/Thing_(disambiguation)"),
    ],
)
def test_broken_link_with_spaces_or_a_title_names_the_file_and_line(built, markdown, path):
    site, before = built
    site.write("bad.md", f"---\ntitle: Bad\ndate: 2021-01-01\n---\n\nFirst paragraph.\n\n{markdown}\n")
    message = fails(site, before)
    assert f"bad.md:8: broken link to {path} (on page /plog/bad/)" in message


def test_ampersands_quotes_and_spaces_in_urls_resolve(site):
    """Feeds and the sitemap escape `&`; a `'` may sit inside a double-quoted href."""
    site.write(
        "post.md",
        "---\ntitle: Tips\ndate: 2020-01-01\ncategories: [Tips & Tricks, Writer's block]\n---\n"
        "[pdf](/files/it's.pdf) and ![img](/images/a b.png)\n",
    )
    (site.content / "files").mkdir()
    (site.content / "files" / "it's.pdf").write_bytes(b"%PDF-1.4")
    (site.content / "images").mkdir()
    (site.content / "images" / "a b.png").write_bytes(TINY_PNG)
    result = site.run("build")
    assert result.returncode == 0, result.stderr
    assert (site.out / "oc-Tips-&-Tricks/rss.xml").is_file()
    assert (site.out / "oc-Writer's-block/index.html").is_file()
    # and a broken one of the same shapes is still caught
    (site.content / "images" / "a b.png").unlink()
    broken = site.run("build")
    assert broken.returncode == 1 and "/images/a b.png" in broken.stderr


def test_text_that_looks_like_html_is_not_a_link(site):
    """Issue 11, point 7: only real elements' attributes are links, in pages and in feeds' HTML."""
    site.write(
        "code.md",
        "---\ntitle: Code\ndate: 2021-01-01\n---\n\n"
        'Write `<img src="x.jpg">` for a picture.\n\n'
        '```html\n<a href="/not/a/page/">link</a>\n```\n\n'
        '<!-- <a href="/commented/out/">old</a> -->\n\n'
        "    <img src='indented.png'>\n",
    )
    site.build()
    page = site.html("plog/code/index.html")
    assert 'src="x.jpg"' in page.find("code").get_text()
    assert not page.select('img[src="x.jpg"], a[href="/not/a/page/"]')


def test_a_broken_link_in_a_feeds_html_is_still_found(built):
    site, before = built
    site.write("bad.md", '---\ntitle: Bad\ndate: 2021-01-01\n---\n\n<p><a href="/gone/">gone</a></p>\n')
    message = fails(site, before)
    assert "bad.md:6: broken link to /gone/ (on page /plog/bad/)" in message


def test_a_page_unchanged_since_the_last_build_is_checked_again_for_a_file_that_went_away(built):
    """The edit build checks only changed pages' links, and the links of the others that lead to a removed file.

    The page linking to the file is taken from out/ unrendered: its link is found broken all the same.
    """
    site, _ = built
    site.write("links.md", "---\ntitle: Links\ndate: 2021-01-01\n---\n\nSee [the notes](/files/notes.pdf).\n")
    (site.content / "files").mkdir()
    (site.content / "files" / "notes.pdf").write_bytes(b"%PDF-1.4 notes\n")
    site.build()
    assert (site.out / "files" / "notes.pdf").is_file()
    before = out_state(site)
    (site.content / "files" / "notes.pdf").unlink()
    message = fails(site, before)
    assert "links.md:6: broken link to /files/notes.pdf (on page /plog/links/)" in message


WARN = {"KILN_BROKEN_LINKS": "warn"}


def test_broken_links_as_warnings_publish_the_site_and_name_every_link(site):
    # Zola's `internal_level = "warn"`: a migrated blog's own broken links (a placeholder, a file its repository
    # lacks) are reported with file and line, and the site is published all the same
    site.write("good.md", GOOD)
    site.write(
        "bad.md",
        "---\ntitle: Bad\ndate: 2021-01-01\n---\n\n[a post](/plog/no-such-post/)\n\n"
        "[a file](./missing.md)\n\n[a page](REDDIT_LINK_HERE)\n",
    )
    result = site.build(env=WARN)
    for line, words in ((6, "/plog/no-such-post/: no post has that slug"), (8, "relative link ./missing.md"),
                        (10, "/plog/bad/REDDIT_LINK_HERE (on page /plog/bad/)")):  # fmt: skip
        assert f"bad.md:{line}: broken" in result.stderr and words in result.stderr
    assert result.stderr.count("warning: ") == 3, result.stderr  # each once: not again by the pages' check
    assert site.html("plog/bad/index.html").find("a", string="a page") is not None
    assert site.run("--strict", env=WARN).returncode == 1
    assert site.run(env={"KILN_BROKEN_LINKS": "error"}).returncode == 1


def test_a_broken_link_warned_of_is_warned_of_again_when_its_page_is_not_rendered_again(site):
    site.write("good.md", GOOD)
    site.write("bad.md", "---\ntitle: Bad\ndate: 2021-01-01\n---\n\n[a page](/gone/)\n")
    site.build(env=WARN)
    site.write("other.md", "---\ntitle: Other\ndate: 2021-01-02\n---\n\nText.\n")
    again = site.build(env=WARN)
    assert "bad.md:6: broken link to /gone/ (on page /plog/bad/)" in again.stderr
    before = out_state(site)
    failed = site.run(env={"KILN_BROKEN_LINKS": "error"})
    assert failed.returncode == 1 and "bad.md:6: broken link to /gone/" in failed.stderr
    assert out_state(site) == before


def test_the_broken_links_level_is_error_or_warn(site):
    site.write("good.md", GOOD)
    result = site.run(env={"KILN_BROKEN_LINKS": "ignore"})
    assert result.returncode != 0 and "KILN_BROKEN_LINKS" in result.stderr and "error or warn" in result.stderr
