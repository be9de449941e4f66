"""Liquid in Jekyll posts is rendered by python-liquid as Jekyll renders it (issue 11, point 3)."""

from __future__ import annotations

from bs4 import BeautifulSoup

from blog import markdown


def html_of(body: str, params: dict | None = None) -> BeautifulSoup:
    return BeautifulSoup(markdown.render(body, params).html, "html.parser")


def test_assign_for_and_if_build_link_references():
    body = (
        'Fixed [#1037][] and [#1040][].\n\n{% assign issues = "1037|1040" | split: "|" %}\n'
        "{% for issue in issues %}\n[#{{ issue }}]: https://github.com/jekyll/jekyll/issues/{{ issue }}\n{% endfor %}\n"
        "{% if page.title %}By {{ page.author | upcase }}.{% endif %}\n"
    )
    page = html_of(body, {"title": "T", "author": "ann"})
    assert [a["href"] for a in page.find_all("a")] == [
        "https://github.com/jekyll/jekyll/issues/1037",
        "https://github.com/jekyll/jekyll/issues/1040",
    ]
    assert page.find_all("p")[-1].get_text() == "By ANN."
    assert "{%" not in page.get_text() and "endfor" not in str(page)


def test_jekyll_filters():
    body = (
        '{{ "/a/b.png" | relative_url }} {{ "https://cdn.example.com/x.png" | absolute_url }} '
        '{{ "Hello World, again" | slugify }} {{ "a < b & c" | xml_escape }} '
        '{{ "one two three" | number_of_words }}\n\n'
        '{{ "**bold**" | markdownify }}\n'
    )
    page = html_of(body)
    first = page.find("p").get_text().split(" ")
    assert first[:3] == ["/a/b.png", "https://cdn.example.com/x.png", "hello-world-again"]
    assert page.find("p").get_text().endswith("a < b & c 3")
    assert page.find("strong").get_text() == "bold"


def test_post_url_link_and_highlight_are_liquid_tags():
    body = (
        "[a]({% post_url 2010-07-21-name %}) [b]({% link _posts/2016-07-26-other.md %})\n\n"
        "{% highlight python %}\n{% raw %}x = '{{ y }}'{% endraw %}\n{% endhighlight %}\n"
    )
    page = html_of(body)
    assert [a["href"] for a in page.find_all("a")] == ["/plog/name/", "/plog/other/"]
    assert page.select_one("div.highlight").get_text() == "x = '{{ y }}'\n"
    assert page.select_one("div.highlight span.n") is not None  # highlighted as Python


def test_liquid_in_code_stays_as_written():
    body = "{% assign x = 1 %}Inline `{{ x }} {% if %}`.\n\n```liquid\n{% for a in b %}{{ a }}{% endfor %}\n```\n"
    page = html_of(body)
    assert page.p.code.get_text() == "{{ x }} {% if %}"
    assert page.select_one("div.highlight").get_text() == "{% for a in b %}{{ a }}{% endfor %}\n"


def test_liquid_it_cannot_read_stays_as_written_and_is_reported():
    body = "Watch {% youtube abc %} and [a]({% post_url 2010-07-21-name %}).\n"
    page = html_of(body)
    assert "{% youtube abc %}" in page.get_text() and page.a["href"] == "/plog/name/"
    assert markdown.liquid_problem(body) == (1, "unexpected tag 'youtube'")


def test_include_and_site_config_from_the_content_folder(site):
    site.write("_config.yml", "title: My Jekyll Blog\nauthor: Ann\nurl: https://old.example.com\n")
    site.write("_includes/note.html", '<aside class="note">{{ include.text }} ({{ site.author }})</aside>\n')
    site.write(
        "_posts/2020-01-02-hello.md",
        "---\ntitle: Hello\n---\n\nOn {{ site.title }} at [home]({{ site.url }}/).\n\n"
        '{% include note.html text="Careful" %}\n',
    )
    site.build()
    page = site.html("plog/hello/index.html")
    article = page.select_one("article")
    assert "On My Jekyll Blog at home." in article.get_text()
    assert article.find("a", string="home")["href"] == "/"
    assert article.select_one("aside.note").get_text() == "Careful (Ann)"
    assert not (site.out / "_includes").exists()


def test_a_missing_include_warns_with_file_and_line(site):
    site.write("_posts/2020-01-02-hello.md", "---\ntitle: Hello\n---\n\nText.\n\n{% include nosuch.html %}\n")
    result = site.build()
    assert "content/_posts/2020-01-02-hello.md:7: Liquid: {% include nosuch.html %}: no file" in result.stderr
