"""A Jekyll site's ``.html`` pages with front matter are pages: their body goes through Liquid, not Markdown."""

from __future__ import annotations

import json

SHOWCASE = """\
---
layout: page
title: Showcase
permalink: /showcase/
---

<p>Sites built with it:</p>

<ul class="showcase">
  {% for entry in site.data.showcase reversed -%}
  <li><a href="{{ entry.url }}">{{ entry.name }}</a></li>
  {% endfor -%}
</ul>
<p class="tool">{{ site.data.tools.main.name }} from {{ page.title }}; {{ site.data.people[1].name }}</p>

* not a Markdown list
"""


def jekyll_site(site) -> None:
    site.write("_config.yml", "title: Docs\n")
    site.write("_posts/2024-01-02-hello.md", "---\ntitle: Hello\n---\nSee [the showcase](/showcase/).\n")
    site.write(
        "_data/showcase.yml",
        "- name: First\n  url: https://first.example\n- name: Second\n  url: https://second.example\n",
    )
    site.write("_data/tools/main.json", json.dumps({"name": "The tool"}))
    site.write("_data/people.csv", "name,role\nAda,lead\nBob,writer\n")


def test_an_html_page_is_rendered_with_liquid_and_site_data(site):
    jekyll_site(site)
    site.write("pages/showcase.html", SHOWCASE)
    site.write("pages/plain.html", "<p>No front matter: a file published as it is.</p>\n")
    site.build()  # the post's link to /showcase/ is checked
    page = site.html("showcase/index.html")
    assert page.select_one("article.page h1").get_text() == "Showcase"
    assert [a.get_text() for a in page.select("ul.showcase a")] == ["Second", "First"]
    assert page.select_one("ul.showcase a")["href"] == "https://second.example"
    assert page.select_one("p.tool").get_text() == "The tool from Showcase; Bob"
    assert page.select_one("article ul li").get_text() != "not a Markdown list"  # HTML, not Markdown
    assert "* not a Markdown list" in page.select_one(".post-body").get_text()
    assert not (site.out / "pages/showcase.html").exists()  # the source is not published
    assert (site.out / "pages/plain.html").is_file()


def test_an_html_page_at_the_home_page_is_left_out_with_a_warning(site):
    jekyll_site(site)
    site.write("pages/showcase.html", SHOWCASE)
    site.write("pages/index.html", "---\nlayout: default\npermalink: /\n---\n<section>Their home page.</section>\n")
    result = site.build()
    assert "pages/index.html" in result.stderr and "home page" in result.stderr
    assert "Their home page." not in (site.out / "index.html").read_text()
    assert not (site.out / "pages/index.html").exists()


def test_a_data_file_change_renders_the_page_again(site, tmp_path):
    jekyll_site(site)
    site.write("pages/showcase.html", SHOWCASE)
    site.build()
    site.write("_data/showcase.yml", "- name: Third\n  url: https://third.example\n")
    site.build()
    page = site.html("showcase/index.html")
    assert [a.get_text() for a in page.select("ul.showcase a")] == ["Third"]
    clean_out = tmp_path / "clean-out"
    result = site.run("build", "--clean", "--out", str(clean_out), "--cache", str(tmp_path / "clean-cache"))
    assert result.returncode == 0, result.stderr
    assert (clean_out / "showcase/index.html").read_bytes() == (site.out / "showcase/index.html").read_bytes()


def test_html_outside_a_jekyll_site_is_a_file(site):
    site.write("post.md", "---\ntitle: Post\ndate: 2024-01-01\n---\nBody.\n")
    site.write("extra.html", "---\ntitle: X\n---\n<p>kept as it is</p>\n")
    site.build()
    assert (site.out / "extra.html").read_text().startswith("---")
