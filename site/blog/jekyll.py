"""Liquid in posts written for Jekyll (and Eleventy), rendered by python-liquid as Jekyll renders it.

Jekyll runs Liquid over a post before Markdown; so does :func:`render`, with
the tags and filters Jekyll adds: ``{% include file.html key="value" %}``
(from ``_includes/`` in the content folder, ``include.key`` inside),
``{% post_url %}``, ``{% link %}``, ``{% highlight %}`` (fenced code), and the
filters ``relative_url``, ``absolute_url``, ``xml_escape``, ``slugify``,
``markdownify``, ``jsonify``, ``date_to_xmlschema``, ``date_to_string``,
``number_of_words``. ``page`` is the post's front matter and ``site`` the
``_config.yml`` of the content folder, with ``site.url`` and ``site.baseurl``
empty (links are root-relative), and ``site.data`` the files of ``_data/``. Code is kept out of Liquid's reach by the
caller, so tags in code stay as written.
"""

from __future__ import annotations

import datetime
import functools
import html
import json
import re
from collections.abc import Callable
from io import StringIO
from typing import TextIO

from liquid import Environment
from liquid.ast import Node
from liquid.context import RenderContext
from liquid.exceptions import LiquidError
from liquid.parser import get_parser
from liquid.stream import TokenStream
from liquid.tag import Tag
from liquid.token import TOKEN_EOF, TOKEN_EXPRESSION, TOKEN_TAG

from .jekyll_site import INCLUDES, Helpers, SyntaxProblem, includes_folder, site_config

INCLUDE_ARGUMENT = re.compile(r"""([\w-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"']+)""")


def expression(stream: TokenStream) -> str:
    """The raw text after a tag's name, leaving the stream on its last token."""
    if stream.peek.kind == TOKEN_EXPRESSION:
        next(stream)
        return stream.current.value
    return ""


class TextNode(Node):
    """A tag whose output is a function of its raw argument text."""

    def __init__(self, token: object, text: str, write: Callable[[str, RenderContext], str]):
        super().__init__(token)  # type: ignore[arg-type]
        self.text = text
        self.write = write

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        buffer.write(self.write(self.text, context))
        return True


def text_tag(tag_name: str, write: Callable[[str, RenderContext], str]) -> type[Tag]:
    class TextTag(Tag):
        name = tag_name
        block = False

        def parse(self, stream: TokenStream) -> Node:
            token = stream.current
            return TextNode(token, expression(stream).strip(), write)

    return TextTag


class HighlightNode(Node):
    def __init__(self, token: object, language: str, block: Node):
        super().__init__(token)  # type: ignore[arg-type]
        self.language = language
        self.block = block

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        inner = StringIO()
        self.block.render(context, inner)
        code = context.globals["_restore"](inner.getvalue()).strip("\n")  # type: ignore[operator]
        fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", code)), default=0))
        language = self.language if re.fullmatch(r"[\w#.+-]+", self.language) else ""
        buffer.write(f"\n\n{fence}{language}\n{code}\n{fence}\n\n")
        return True


class HighlightTag(Tag):
    name = "highlight"
    end = "endhighlight"

    def parse(self, stream: TokenStream) -> Node:
        token = stream.current
        language = (expression(stream).split() or [""])[0]
        next(stream)
        block = get_parser(self.env).parse_block(stream, frozenset(("endhighlight", TOKEN_EOF)))
        stream.expect(TOKEN_TAG, value="endhighlight")
        return HighlightNode(token, language, block)


class IncludeNode(Node):
    def __init__(self, token: object, text: str):
        super().__init__(token)  # type: ignore[arg-type]
        self.text = text

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        name, _, rest = self.text.partition(" ")
        path = includes_folder() / name
        if not path.is_file():
            raise LiquidError(f"{{% include {name} %}}: no file {INCLUDES}/{name} in the content folder", token=None)
        values: dict[str, object] = {}
        for key, value in INCLUDE_ARGUMENT.findall(rest):
            if value[0] in "\"'":
                values[key] = value[1:-1]
            else:
                out = StringIO()
                context.env.from_string("{{ " + value + " }}").render_with_context(context, out, partial=True)
                values[key] = out.getvalue()
        template = context.env.from_string(path.read_text(encoding="utf-8"))
        with context.extend({"include": values}):
            template.render_with_context(context, buffer, partial=True)
        return True


class IncludeTag(Tag):
    name = "include"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token = stream.current
        return IncludeNode(token, expression(stream).strip())


def required(text: str, tag_name: str) -> str:
    if not text:
        raise LiquidError(f"{{% {tag_name} %}} needs a file", token=None)
    return text


def relative_url(value: object) -> str:
    text = str(value)
    return text if re.match(r"^[a-z][a-z0-9+.-]*:|^//", text, re.I) else "/" + text.lstrip("/")


def slugify(value: object, mode: str = "default") -> str:
    text = str(value).lower()
    if mode == "raw":
        return re.sub(r"\s+", "-", text).strip("-")
    return re.sub(r"[^\w]+" if mode != "pretty" else r"[^\w._~!$&'()+,;=@]+", "-", text).strip("-")


def date_to_xmlschema(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def date_to_string(value: object) -> str:
    return value.strftime("%d %b %Y") if isinstance(value, datetime.date) else str(value)


@functools.cache
def environment(helpers: Helpers) -> Environment:
    env = Environment()
    env.add_tag(text_tag("post_url", lambda text, context: helpers.post_url(required(text, "post_url"))))
    env.add_tag(text_tag("link", lambda text, context: helpers.link(required(text, "link"))))
    env.add_tag(HighlightTag)
    env.add_tag(IncludeTag)
    for name, function in {
        "relative_url": relative_url,
        "absolute_url": relative_url,  # links are root-relative: the site's URL is not written out
        "xml_escape": lambda value: html.escape(str(value), quote=True),
        "slugify": slugify,
        "markdownify": lambda value: helpers.markdownify(str(value)),
        "jsonify": lambda value: json.dumps(value, default=str),
        "date_to_xmlschema": date_to_xmlschema,
        "date_to_string": date_to_string,
        "number_of_words": lambda value: len(str(value).split()),
    }.items():
        env.add_filter(name, function)
    return env


def render(text: str, page: dict, restore: Callable[[str], str], helpers: Helpers) -> str:
    """``text`` with its Liquid rendered; raise SyntaxProblem (with the line) when Liquid refuses it."""
    env = environment(helpers)
    try:
        template = env.from_string(text, globals={"_restore": restore})
        return template.render(page=page, site=site_config())
    except LiquidError as exc:
        token = getattr(exc, "token", None)
        line = text.count("\n", 0, token.start_index) + 1 if token is not None else None
        raise SyntaxProblem(line, str(exc).splitlines()[0]) from exc
