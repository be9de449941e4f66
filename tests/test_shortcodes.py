"""Hugo shortcodes render as Hugo renders them (issue 11, point 2); unknown ones warn, never show as text."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from blog import markdown, shortcodes


def html_of(body: str, params: dict | None = None) -> BeautifulSoup:
    return BeautifulSoup(markdown.render(body, params).html, "html.parser")


def leftovers(page: BeautifulSoup) -> list[str]:
    text = page.get_text()
    return [mark for mark in ("{{<", "{{%", ">}}", "%}}", "KILNPIECE") if mark in text]


@pytest.mark.parametrize(
    "tag",
    [
        '{{< figure src="/cat.jpg" alt="A cat" >}}',
        '{{<figure src="/cat.jpg" alt="A cat">}}',
        "{{< figure src='/cat.jpg' alt='A cat' />}}",
        '{{% figure src="/cat.jpg" alt="A cat" %}}',
        '{{<  figure   alt="A cat"   src="/cat.jpg"  >}}',
        "{{< figure src=/cat.jpg alt=`A cat` >}}",
    ],
)
def test_figure_in_every_form(tag):
    page = html_of(f"Before.\n\n{tag}\n\nAfter.\n")
    figure = page.find("figure")
    assert figure.img["src"] == "/cat.jpg" and figure.img["alt"] == "A cat"
    assert [p.get_text() for p in page.find_all("p", recursive=False)] == ["Before.", "After."]
    assert leftovers(page) == []


def test_figure_with_link_title_caption_and_attribution():
    page = html_of(
        '{{< figure src="/a.png" link="https://example.com/" title="The title" caption="A *fine* one" '
        'attr="Photo: Ann" attrlink="https://ann.example.com/" class="wide" >}}\n'
    )
    figure = page.find("figure", class_="wide")
    assert figure.a["href"] == "https://example.com/" and figure.a.img["src"] == "/a.png"
    assert figure.img["alt"] == "A fine one"  # the caption as plain text, as Hugo does
    assert figure.figcaption.h4.get_text() == "The title"
    assert figure.figcaption.p.em.get_text() == "fine"
    assert figure.figcaption.p.find("a", href="https://ann.example.com/").get_text() == "Photo: Ann"


def test_an_inline_shortcode_stays_in_its_paragraph():
    page = html_of('See {{< figure src="/x.png" >}} here.\n')
    assert page.p.figure.img["src"] == "/x.png"
    assert page.p.get_text() == "See  here."


@pytest.mark.parametrize(
    ("tag", "src"),
    [
        ("{{< youtube dQw4w9WgXcQ >}}", "https://www.youtube.com/embed/dQw4w9WgXcQ"),
        ('{{< youtube id="dQw4w9WgXcQ" autoplay="true" >}}', "https://www.youtube.com/embed/dQw4w9WgXcQ?autoplay=1"),
        ("{{< vimeo 146022717 >}}", "https://player.vimeo.com/video/146022717"),
        ('{{% vimeo id="146022717" %}}', "https://player.vimeo.com/video/146022717"),
    ],
)
def test_videos_are_embedded_frames(tag, src):
    frame = html_of(f"{tag}\n").find("iframe")
    assert frame["src"] == src and frame.has_attr("allowfullscreen")


@pytest.mark.parametrize(
    ("tag", "src"),
    [
        ("{{< gist spf13 7896402 >}}", "https://gist.github.com/spf13/7896402.js"),
        ('{{< gist spf13 7896402 "img.html" >}}', "https://gist.github.com/spf13/7896402.js?file=img.html"),
    ],
)
def test_gist_is_its_script(tag, src):
    assert html_of(f"{tag}\n").find("script")["src"] == src


@pytest.mark.parametrize(
    ("tag", "href"),
    [
        (
            '{{< x user="SanDiegoZoo" id="1453110110599868418" >}}',
            "https://x.com/SanDiegoZoo/status/1453110110599868418",
        ),
        (
            '{{< tweet user="SanDiegoZoo" id="1453110110599868418" >}}',
            "https://x.com/SanDiegoZoo/status/1453110110599868418",
        ),
        ("{{< tweet 877500564405444608 >}}", "https://x.com/i/status/877500564405444608"),
        ("{{< instagram BWNjjyYFxVx >}}", "https://www.instagram.com/p/BWNjjyYFxVx/"),
    ],
)
def test_posts_of_other_sites_are_links_to_them(tag, href):
    """Hugo fetches these at build time; a static build that fetches nothing links to the post."""
    quote = html_of(f"{tag}\n").find("blockquote")
    assert quote.a["href"] == href


def test_details_holds_its_markdown():
    page = html_of('{{< details summary="The *answer*" open=true >}}\nIt is **42**.\n\n- a\n- b\n{{< /details >}}\n')
    details = page.find("details")
    assert details.has_attr("open")
    assert details.summary.em.get_text() == "answer"
    assert details.strong.get_text() == "42" and [li.get_text() for li in details.find_all("li")] == ["a", "b"]


def test_nested_shortcodes_render_inside_their_parent():
    page = html_of(
        "{{< details >}}\n{{< details summary=inner >}}\n{{< youtube abc >}}\n{{< /details >}}\n{{< /details >}}\n"
    )
    outer = page.find("details")
    assert outer.summary.get_text() == "Details"
    assert outer.details.summary.get_text() == "inner" and outer.details.iframe is not None
    assert leftovers(page) == []


def test_param_reads_the_posts_fields():
    page = html_of(
        'By {{< param "author" >}}, in {{< param "series.name" >}}.\n', {"author": "Ann", "series": {"name": "S"}}
    )
    assert page.p.get_text() == "By Ann, in S."


def test_highlight_and_ref_are_still_read():
    page = html_of('{{< highlight go >}}\nfunc f() {}\n{{< /highlight >}}\n\n[x]({{< ref "posts/name.md" >}})\n')
    assert page.select_one("div.highlight span.kd").get_text() == "func"
    assert page.a["href"] == "/plog/name/"


def test_code_keeps_shortcodes_as_written():
    page = html_of('`{{< figure src="/a.png" >}}`\n\n```\n{{< youtube abc >}}\n```\n')
    assert page.p.code.get_text() == '{{< figure src="/a.png" >}}'
    assert page.select_one("div.highlight").get_text() == "{{< youtube abc >}}\n"
    assert page.find("figure") is None and page.find("iframe") is None


def test_an_unknown_shortcode_is_left_out_and_a_paired_one_keeps_its_content():
    page = html_of("Before {{< nosuch a=1 >}} after.\n\n{{% wrapper %}}kept *inner*{{% /wrapper %}}\n")
    assert [p.get_text() for p in page.find_all("p")] == ["Before  after.", "kept inner"]
    assert page.em.get_text() == "inner"


def test_unknown_shortcodes_are_found_with_their_lines():
    body = 'Text.\n\n{{< nosuch >}}\n`{{< incode >}}`\n{{< figure src="/a.png" >}}\n{{% other %}}x{{% /other %}}\n'
    assert markdown.unknown_shortcodes(body) == [(3, "nosuch"), (6, "other")]


@pytest.mark.parametrize(
    ("text", "args", "params"),
    [
        ('a "b c" `d "e"` \'f\'', ["a", "b c", 'd "e"', "f"], {}),
        ('src="/a.png" title="say \\"hi\\"" width=300', [], {"src": "/a.png", "title": 'say "hi"', "width": "300"}),
        ("", [], {}),
    ],
)
def test_arguments(text, args, params):
    assert shortcodes.parse_arguments(text) == (args, params)


def test_an_unknown_shortcode_warns_naming_file_and_line_and_fails_strict(site):
    site.write("post.md", "---\ntitle: P\ndate: 2024-01-02\n---\n\nText.\n\n{{< nosuch >}}\n")
    result = site.build()
    assert "content/post.md:8: unknown shortcode `nosuch`" in result.stderr
    strict = site.run("build", "--strict")
    assert strict.returncode == 1 and "unknown shortcode `nosuch`" in strict.stderr
    assert "{{<" not in site.html("plog/post/index.html").get_text()


def test_escaped_shortcodes_show_as_shortcodes_in_code_and_text():
    page = html_of(
        'Write `{{</* figure src="a.png" */>}}`.\n\n```\n{{%/* tab name="x" */%}}\n```\n\n{{</* youtube x */>}}\n'
    )
    assert page.p.code.get_text() == '{{< figure src="a.png" >}}'
    assert page.select_one("div.highlight").get_text() == '{{% tab name="x" %}}\n'
    assert page.find_all("p")[1].get_text() == "{{< youtube x >}}"
    assert page.find("figure") is None and page.find("iframe") is None


def test_an_unknown_paired_shortcode_keeps_its_content_with_the_shortcodes_in_it():
    page = html_of(
        "{{< tabs >}}\n{{< tab name=a >}}\nHello *World*!\n{{< youtube abc >}}\n{{< /tab >}}\n{{< /tabs >}}\n"
    )
    assert page.em.get_text() == "World" and page.iframe["src"].endswith("/abc")
    assert leftovers(page) == []


def test_an_inline_shortcode_is_its_html():
    page = html_of("{{< css.inline >}}\n\n<style>\n.x { color: red; }\n</style>\n\n{{< /css.inline >}}\n\nText.\n")
    assert page.style.get_text().strip() == ".x { color: red; }"
    assert leftovers(page) == [] and page.p.get_text() == "Text."


@pytest.fixture
def site_template(tmp_path):
    """Write ``templates/shortcodes/NAME.html`` in a templates folder of the test's own, as a site owner would."""
    from django.conf import settings
    from django.test import override_settings

    folder = tmp_path / "templates"
    (folder / shortcodes.TEMPLATE_FOLDER).mkdir(parents=True)
    engines = [{**engine, "DIRS": [folder, *engine["DIRS"]]} for engine in settings.TEMPLATES]

    def write(name: str, text: str) -> None:
        (folder / shortcodes.TEMPLATE_FOLDER / f"{name}.html").write_text(text)

    shortcodes.template.cache_clear()
    with override_settings(TEMPLATES=engines):
        yield write
    shortcodes.template.cache_clear()


def test_a_site_template_renders_with_its_arguments(site_template):
    site_template("hello", "<b>{{ args.0 }} {{ params.who }}</b>")
    assert html_of('Say {{< hello "hi" who="you" >}} now.\n').b.get_text() == "hi you"


@pytest.mark.parametrize(
    ("template", "error"),
    [('{% url "no-such-view" %}', "NoReverseMatch"), ("{% if %}", "TemplateSyntaxError")],
)
def test_a_failing_site_template_is_a_problem_at_the_line_of_the_call(site_template, template, error):
    from blog import sync
    from blog.content import PostSource

    site_template("boom", template)
    body = "First line.\n\nSecond {{< boom >}} paragraph.\n"
    [result] = sync._render_bodies([(body, {}, "post.md")])
    assert "boom.html" in result["message"] and error in result["message"]
    post = PostSource("post.md", "", "P", None, "p", body, body_line=6)
    [problem] = sync._failures([post], {"post.md": "k"}, {"k": result}, lambda path: f"content/{path}")
    assert problem.where == "content/post.md:8" and error in problem.message
    assert shortcodes.is_known("boom")  # the load stage does not call it unknown
