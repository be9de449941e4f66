"""Admonitions of every syntax are one element with one style (issue 11, point 4)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from blog import markdown
from conftest import PROJECT


def admonitions(body: str) -> list[tuple[str, str, str]]:
    """(type, title, text of the content) of each admonition, outermost first."""
    page = BeautifulSoup(markdown.render(body).html, "html.parser")
    found = []
    for box in page.select("div.admonition"):
        kinds = [c for c in box["class"] if c != "admonition"]
        title = box.find(class_="admonition-title", recursive=False)
        content = " ".join(
            child.get_text(" ", strip=True) for child in box.find_all(recursive=False) if child is not title
        )
        found.append((kinds[0] if kinds else "", title.get_text(), content))
    return found


@pytest.mark.parametrize(
    "body",
    [
        "::: warning\nBe *careful*.\n:::\n",
        ":::warning\nBe *careful*.\n:::\n",
        "> [!WARNING]\n> Be *careful*.\n",
        "> [!warning]\n>Be *careful*.\n",
        "{{< alert >}}\nBe *careful*.\n{{< /alert >}}\n",
        "{{% notice warning %}}\nBe *careful*.\n{{% /notice %}}\n",
        '{{% alert color="warning" %}}Be *careful*.{{% /alert %}}\n',
    ],
)
def test_every_syntax_is_the_same_element(body):
    assert admonitions(f"Before.\n\n{body}\nAfter.\n") == [("warning", "Warning", "Be careful .")]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("::: tip Pro tip\nUse it.\n:::\n", ("tip", "Pro tip", "Use it.")),
        ('{{< notice tip "Pro tip" >}}Use it.{{< /notice >}}\n', ("tip", "Pro tip", "Use it.")),
        ('{{% alert title="Pro tip" color="tip" %}}Use it.{{% /alert %}}\n', ("tip", "Pro tip", "Use it.")),
        ('{{< note title="Pro tip" >}}Use it.{{< /note >}}\n', ("note", "Pro tip", "Use it.")),
        ("> [!IMPORTANT]\n> Use it.\n", ("important", "Important", "Use it.")),
    ],
)
def test_titles(body, expected):
    assert admonitions(body) == [expected]


def test_content_is_markdown_and_code_inside_stays_code():
    body = "::: note\nA list:\n\n- one\n- two\n\n```\n::: not a container\n> [!NOTE] nor an alert\n```\n:::\n"
    page = BeautifulSoup(markdown.render(body).html, "html.parser")
    box = page.select_one("div.admonition.note")
    assert [li.get_text() for li in box.find_all("li")] == ["one", "two"]
    assert box.select_one("div.highlight").get_text() == "::: not a container\n> [!NOTE] nor an alert\n"
    assert len(page.select("div.admonition")) == 1


def test_containers_nest_with_more_colons():
    assert admonitions(":::: tip\nouter\n::: danger\ninner\n:::\n::::\n") == [
        ("tip", "Tip", "outer Danger inner"),
        ("danger", "Danger", "inner"),
    ]


def test_a_details_container_is_a_details_element():
    page = BeautifulSoup(markdown.render("::: details Click me\nhidden\n:::\n").html, "html.parser")
    assert page.details.summary.get_text() == "Click me" and page.details.p.get_text() == "hidden"


def test_a_plain_quote_and_colons_in_text_stay_as_they_are():
    page = BeautifulSoup(markdown.render("> A quote.\n\n:::\n\nRatio 3:::4.\n").html, "html.parser")
    assert page.blockquote.get_text(strip=True) == "A quote."
    assert page.find(class_="admonition") is None
    assert [p.get_text() for p in page.find_all("p", recursive=False)] == [":::", "Ratio 3:::4."]


def test_one_style_for_the_element():
    css = (PROJECT / "assets" / "css").glob("*.css")
    styled = [path.name for path in css if ".admonition {" in path.read_text()]
    assert styled == ["blog.css"]
