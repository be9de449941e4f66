"""Jekyll (Liquid) and Hugo (shortcode) syntax in migrated posts builds unchanged; code keeps it as written."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from blog import markdown
from conftest import GOOD_POST, fails_cleanly, out_state
from pictures import TINY_PNG


def html_of(body: str) -> BeautifulSoup:
    return BeautifulSoup(markdown.render(body).html, "html.parser")


def hrefs(body: str) -> list[str]:
    return [a["href"] for a in html_of(body).find_all("a")]


def code_blocks(body: str) -> list[tuple[str, BeautifulSoup]]:
    """(text, block) of each highlighted code block."""
    return [(block.pre.get_text(), block) for block in html_of(body).select("div.highlight")]


@pytest.mark.parametrize(
    ("tag", "url"),
    [
        # Jekyll
        ("{% post_url 2010-07-21-name %}", "/plog/name/"),
        ("{%post_url 2010-07-21-name%}", "/plog/name/"),
        ("{%- post_url 2010-07-21-name -%}", "/plog/name/"),
        ("{% post_url travel/2010-07-21-name %}", "/plog/name/"),
        ("{% post_url 2010-07-21-name %}#part", "/plog/name/#part"),
        ("{% link _posts/2016-07-26-name.md %}", "/plog/name/"),
        ("{% link _posts/travel/2016-07-26-name.markdown %}", "/plog/name/"),
        ("{% link assets/paper.pdf %}", "/assets/paper.pdf"),
        ("{{ site.baseurl }}/plog/name/", "/plog/name/"),
        ("{{site.url}}{{ site.baseurl }}/plog/name/", "/plog/name/"),
        ("{{ '/assets/paper.pdf' | relative_url }}", "/assets/paper.pdf"),
        ('{{ "assets/paper.pdf" | absolute_url }}', "/assets/paper.pdf"),
        # Hugo
        ('{{< ref "name.md" >}}', "/plog/name/"),
        ('{{< relref "posts/name" >}}', "/plog/name/"),
        ('{{<relref "/posts/name.md">}}', "/plog/name/"),
        ("{{< ref posts/name.md >}}", "/plog/name/"),
        ("{{% ref `posts/name.md` %}}", "/plog/name/"),
        ('{{% relref "posts/name.md#a-part" %}}', "/plog/name/#a-part"),
        ('{{< ref "2021-06-07-name.md" >}}', "/plog/name/"),
        ('{{< ref "posts/my-trip/index.md" >}}', "/plog/my-trip/"),
        ('{{< ref "posts/my-trip" >}}', "/plog/my-trip/"),
        ('{{< relref "../my-trip/" >}}', "/plog/my-trip/"),
        ('{{< ref "posts/release-v1.2" >}}', "/plog/release-v1.2/"),
        ('{{< ref "#a-part" >}}', "#a-part"),
    ],
)
def test_links_to_posts_and_files(tag, url):
    assert hrefs(f"Read [it]({tag}).") == [url]


def test_links_made_from_tags_are_checked_as_post_links():
    rendered = markdown.render("[a]({% post_url 2010-07-21-one %}) [b]({{< ref two.md >}})")
    assert rendered.links == ("one", "two")


def test_site_url_variables_in_html_and_images():
    page = html_of('![A map]({{ site.baseurl }}/images/map.png)\n\n<img src="{{site.url}}/images/b.png" alt="b">\n')
    assert [img["src"] for img in page.find_all("img")] == ["/images/map.png", "/images/b.png"]


JEKYLL_HIGHLIGHT = """\
Before the code.
{% highlight python linenos %}
def greet(name):
    return f"hello {name}"
{% endhighlight %}
After the code.
"""


def test_jekyll_highlight_is_fenced_code():
    [(text, block)] = code_blocks(JEKYLL_HIGHLIGHT)
    assert text == 'def greet(name):\n    return f"hello {name}"\n'
    assert block.find("span", class_="k").get_text() == "def"  # highlighted as Python
    paragraphs = [p.get_text() for p in html_of(JEKYLL_HIGHLIGHT).find_all("p")]
    assert paragraphs == ["Before the code.", "After the code."]


def test_jekyll_highlight_keeps_liquid_and_fences_inside_as_text():
    body = (
        "{% highlight html %}\n{% raw %}\n<h1>{{ page.title }}</h1>\n{% post_url 2010-07-21-name %}\n```\n"
        "{% endraw %}\n{% endhighlight %}\n"
    )
    [(text, _)] = code_blocks(body)
    assert text == "<h1>{{ page.title }}</h1>\n{% post_url 2010-07-21-name %}\n```\n"


@pytest.mark.parametrize(
    "opening",
    ["{{< highlight go >}}", '{{< highlight go "linenos=table,hl_lines=2 3" >}}', "{{% highlight go %}}"],
)
def test_hugo_highlight_is_fenced_code(opening):
    closing = "{{% /highlight %}}" if opening.startswith("{{%") else "{{< /highlight >}}"
    body = f"Go:\n\n{opening}\nfunc main() {{\n\tfmt.Println(`{{{{ . }}}}`)\n}}\n{closing}\n\nDone.\n"
    [(text, block)] = code_blocks(body)
    assert text == "func main() {\n    fmt.Println(`{{ . }}`)\n}\n"
    assert block.find("span", class_="kd").get_text() == "func"  # highlighted as Go


def test_raw_keeps_its_content_as_written():
    page = html_of("{% raw %}Write {{ page.title }} and {% post_url 2010-07-21-name %}.{% endraw %} Done.")
    assert page.get_text().strip() == "Write {{ page.title }} and {% post_url 2010-07-21-name %}. Done."


def test_a_liquid_comment_is_not_published():
    assert html_of("Shown.{% comment %} a note to self {% endcomment %}").get_text().strip() == "Shown."


CODE = """\
Inline: `{% post_url 2010-07-21-name %}`, ``{{ site.baseurl }} and ` and {{< ref "x.md" >}}``.

```liquid
{% raw %}{% post_url 2010-07-21-name %}{% endraw %}
{% highlight python %}x{% endhighlight %}
```

~~~go-html-template
{{< ref "name.md" >}} {{ site.url }}
~~~

An indented block:

    {% link _posts/2016-07-26-name.md %}
    {{< highlight go >}}x{{< /highlight >}}

After the code, [a link]({% post_url 2010-07-21-name %}).
"""


def test_code_keeps_template_syntax_as_written():
    page = html_of(CODE)
    inline = [code.get_text() for code in page.select("p code")]
    assert inline == ["{% post_url 2010-07-21-name %}", '{{ site.baseurl }} and ` and {{< ref "x.md" >}}']
    blocks = [pre.get_text() for pre in page.find_all("pre")]
    assert blocks == [
        "{% raw %}{% post_url 2010-07-21-name %}{% endraw %}\n{% highlight python %}x{% endhighlight %}\n",
        '{{< ref "name.md" >}} {{ site.url }}\n',
        "{% link _posts/2016-07-26-name.md %}\n{{< highlight go >}}x{{< /highlight >}}\n",
    ]
    assert [a["href"] for a in page.find_all("a") if not a.get("class")] == ["/plog/name/"]


def test_a_list_items_indented_paragraph_is_not_code():
    page = html_of("- an item\n\n    with [a link]({% post_url 2010-07-21-name %})\n")
    assert [a["href"] for a in page.select("li a")] == ["/plog/name/"]


@pytest.mark.parametrize(
    "text",
    [
        "{% include figure.html src='a.png' %}",
        "{% youtube abc %}",
        "{% post_url %}",
        "{% raw %} never closed",
        "{% highlight ruby %} never closed",
        '{{< ref "posts/_index.md" >}}',
        "{{< {% {{ %} }} >}}",
    ],
)
def test_unknown_or_incomplete_tags_stay_as_text(text):
    assert markdown.migrate(f"Before {text} after.") == f"Before {text} after."
    html_of(text)  # and render


def test_text_without_tags_is_returned_untouched():
    plain = "No tags here: `code` and {braces}."
    assert markdown.migrate(plain) is plain  # not even scanned
    prose = "Braces in prose: {{ and {% and `{{ x }}` and {{ x }}."
    assert markdown.migrate(prose) == prose


def test_jekyll_and_hugo_posts_build_and_link_to_each_other(site):
    site.write(
        "_posts/2010-07-21-first-post.md",
        "---\ntitle: First\n---\n"
        '![Logo]({{ site.baseurl }}/images/logo.png)\n\nNext: [the trip]({{< relref "posts/my-trip" >}}).\n',
    )
    site.write(
        "_posts/travel/2010-08-01-second-post.markdown",
        "---\ntitle: Second\n---\nSee [the first]({% post_url 2010-07-21-first-post %}).\n\n"
        "{% highlight ruby %}\nputs '{{ page.title }}'\n{% endhighlight %}\n",
    )
    site.write(
        "posts/my-trip/index.md",
        '+++\ntitle = "My trip"\ndate = 2021-05-01\n+++\n'
        '![Cover](cover.jpg)\n\nSee [the second]({{< ref "2010-08-01-second-post.markdown" >}}) and '
        "[its notes]({{% ref `posts/my-trip/index.md#notes` %}}).\n\n## Notes\n",
    )
    (site.content / "posts/my-trip/cover.jpg").write_bytes(TINY_PNG + b" cover")
    (site.content / "images").mkdir()
    (site.content / "images/logo.png").write_bytes(TINY_PNG + b" logo")
    site.build()  # every link resolves, or the link check fails the build
    first = site.html("plog/first-post/index.html")
    assert first.select_one("article img")["src"] == "/images/logo.png"
    assert [a["href"] for a in site.html("plog/second-post/index.html").select("article p a")] == ["/plog/first-post/"]
    second = site.html("plog/second-post/index.html").select_one("article div.highlight pre").get_text()
    assert second == "puts 'Second'\n"  # Jekyll renders Liquid inside {% highlight %} (not Markdown code) too
    trip = [a["href"] for a in site.html("plog/my-trip/index.html").select("article p a")]
    assert trip == ["/plog/second-post/", "/plog/my-trip/#notes"]


def test_a_link_to_a_missing_post_fails_the_build(site):
    site.write("good.md", GOOD_POST)
    site.build()
    before = out_state(site)
    site.write("bad.md", "---\ntitle: Bad\ndate: 2020-01-02\n---\nSee [x]({% post_url 2009-01-01-gone %}).\n")
    stderr = fails_cleanly(site, before)
    assert "content/bad.md:5: broken link to /plog/gone/" in stderr
