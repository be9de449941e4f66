"""Hugo shortcodes: ``{{< name args >}}`` and ``{{% name args %}}``, as Hugo renders them.

Hugo's built-in shortcodes are rendered here (``figure``, ``youtube``,
``vimeo``, ``gist``, ``details``, ``x`` and ``tweet``, ``instagram``,
``param``; ``highlight``, ``ref`` and ``relref`` are read by
:mod:`blog.markdown`). Any other shortcode is a Django template,
``templates/shortcodes/NAME.html``, the way Hugo's ``layouts/shortcodes/``
holds a site's own: it gets ``args`` (positional arguments), ``params``
(named ones, which are also variables of their own), ``inner`` (the content
between a paired shortcode's tags, rendered as Markdown) and ``inner_markdown``.

Like Hugo, the output of ``{{< >}}`` is HTML that Markdown does not touch,
and the output of ``{{% %}}`` is Markdown. A shortcode that is neither built
in nor a template is left out (a paired one keeps its content), and the load
stage warns about it, naming the file and line.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.utils.safestring import mark_safe

# {{< name args >}}, {{% name args %}}, {{< name args />}}: an argument may hold > or % inside quotes
OPENING = re.compile(
    r"\{\{(?P<delim><|%)\s*(?P<name>[A-Za-z][\w.-]*)"
    r"""(?P<args>(?:[^>%"'`]|"(?:[^"\\]|\\.)*"|'[^']*'|`[^`]*`)*?)"""
    r"\s*(?P<self>/)?\s*(?:>|%)\}\}"
)
ARGUMENT = re.compile(
    r"""\s*(?:(?P<key>[\w-]+)\s*=\s*)?"""
    r"""(?:"(?P<dq>(?:[^"\\]|\\.)*)"|`(?P<bq>[^`]*)`|'(?P<sq>[^']*)'|(?P<bare>[^\s"'`=]+))"""
)
TEMPLATE_FOLDER = "shortcodes"
INLINE = ".inline"
# built-in shortcodes read elsewhere (blog.markdown), not by this module
READ_ELSEWHERE = {"highlight", "ref", "relref"}


class TemplateFailed(Exception):
    """A site's shortcode template that does not compile or raised while rendering; the message says which."""

    def __init__(self, name: str, error: Exception):
        self.name = name
        super().__init__(
            f"shortcode `{name}`: site/templates/{TEMPLATE_FOLDER}/{name}.html failed: {type(error).__name__}: {error}"
        )


class Arguments(list):
    """Positional arguments; one that was not given is "" (``{{ args.1|default:"x" }}`` works)."""

    def __getitem__(self, index: object) -> object:
        if isinstance(index, int) and not -len(self) <= index < len(self):
            return ""
        return super().__getitem__(index)  # type: ignore[index]


class Named(dict):
    """Named arguments; one that was not given is ""."""

    def __missing__(self, key: str) -> str:
        return ""


@dataclass
class Call:
    name: str
    markdown_output: bool  # {{% %}}: the output is Markdown
    args: list[str] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)
    inner: str | None = None  # a paired shortcode's content, None when it has none

    def get(self, key: str, position: int | None = None, default: str = "") -> str:
        """A named argument, else the positional one at ``position`` (Hugo's ``.Get``)."""
        if key in self.params:
            return self.params[key]
        if position is not None and position < len(self.args):
            return self.args[position]
        return default


def parse_arguments(text: str) -> tuple[list[str], dict[str, str]]:
    """Positional and named arguments, quoted with ``""`` (escapes allowed), ``''``, `` ` ` `` or bare."""
    args, params = [], {}
    for match in ARGUMENT.finditer(text):
        if match["dq"] is not None:
            value = re.sub(r"\\(.)", r"\1", match["dq"])
        else:
            value = next(v for v in (match["bq"], match["sq"], match["bare"]) if v is not None)
        if match["key"]:
            params[match["key"]] = value
        else:
            args.append(value)
    return args, params


@functools.cache
def closing(name: str) -> re.Pattern[str]:
    return re.compile(r"\{\{(?:<|%)\s*/\s*" + re.escape(name) + r"\s*(?:>|%)\}\}")


def find_end(body: str, name: str, start: int) -> tuple[int, int] | None:
    """Where the content of the shortcode ``name`` opened before ``start`` ends, and where its closing tag ends."""
    depth, position = 1, start
    end_tag = closing(name)
    while True:
        close = end_tag.search(body, position)
        if close is None:
            return None
        for opened in OPENING.finditer(body, position, close.start()):
            if opened["name"] == name and not opened["self"]:
                depth += 1
        depth -= 1
        if depth == 0:
            return close.start(), close.end()
        position = close.end()


@functools.cache
def templates_digest() -> str:
    """A hash of every shortcode template, so that editing one renders the posts again."""
    digest = hashlib.sha256()
    for folder in engines["django"].template_dirs:  # they stay Django templates; the pages' are Jinja2 (blog.jinja)
        for path in sorted(Path(folder, TEMPLATE_FOLDER).glob("*.html")):
            digest.update(f"{path.name}\0".encode() + path.read_bytes())
    return digest.hexdigest()[:16]


@functools.cache
def template(name: str) -> object | None:
    try:
        return engines["django"].get_template(f"{TEMPLATE_FOLDER}/{name}.html")
    except TemplateDoesNotExist:
        return None
    except TemplateSyntaxError as exc:
        raise TemplateFailed(name, exc) from exc


def is_known(name: str) -> bool:
    if name in BUILT_IN or name in READ_ELSEWHERE or name.endswith(INLINE):
        return True
    try:
        return template(name) is not None
    except TemplateFailed:  # it exists; rendering it reports the error, with the post that calls it
        return True


def render_call(call: Call, render_inner: Callable[[str], str], params: dict) -> str:
    """The output of a shortcode (HTML, or Markdown for ``{{% %}}``); "" for an unknown one without content."""
    if call.name.endswith(INLINE):  # Hugo's inline shortcode: its content is its template, here HTML as written
        return call.inner or ""
    built_in = BUILT_IN.get(call.name)
    if built_in is not None:
        return built_in(call, render_inner, params)
    found = template(call.name)
    if found is None:
        return call.inner or ""
    inner = call.inner or ""
    context = {
        **{k.replace("-", "_"): v for k, v in call.params.items()},
        "args": Arguments(call.args),
        "params": Named(call.params),
        "inner": mark_safe(render_inner(inner)) if call.inner is not None else "",
        "inner_markdown": inner,
        "page": params,
    }
    try:
        return found.render(context).strip()  # type: ignore[attr-defined]
    except Exception as exc:  # the site owner's template: whatever it raises is a problem of the post that calls it
        raise TemplateFailed(call.name, exc) from exc


def attributes(**values: str | None) -> str:
    return "".join(f' {k.rstrip("_").replace("_", "-")}="{html.escape(v)}"' for k, v in values.items() if v)


def figure(call: Call, render_inner: Callable[[str], str], params: dict) -> str:
    get = call.get
    alt = get("alt") or plain(inline_markdown(get("caption"), render_inner))
    size = {"width": get("width"), "height": get("height"), "loading": get("loading")}
    image = f"<img{attributes(src=get('src', 0), alt=alt, **size)}>"
    if get("link"):
        image = f"<a{attributes(href=get('link'), target=get('target'), rel=get('rel'))}>{image}</a>"
    caption = ""
    if get("title") or get("caption") or get("attr"):
        parts = []
        if get("title"):
            parts.append(f"<h4>{html.escape(get('title'))}</h4>")
        if get("caption") or get("attr"):
            text = inline_markdown(get("caption"), render_inner)
            attr = inline_markdown(get("attr"), render_inner)
            if get("attrlink"):
                attr = f"<a{attributes(href=get('attrlink'))}>{attr}</a>"
            parts.append(f"<p>{' '.join(p for p in (text, attr) if p)}</p>")
        caption = f"<figcaption>{''.join(parts)}</figcaption>"
    return f"<figure{attributes(class_=get('class'))}>{image}{caption}</figure>"


def plain(html_text: str) -> str:
    """HTML as its text (Hugo's ``plainify``)."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


def inline_markdown(text: str, render_inner: Callable[[str], str]) -> str:
    """Markdown of one line, without the paragraph around it (Hugo's ``markdownify``)."""
    if not text:
        return ""
    rendered = render_inner(text).strip()
    match = re.fullmatch(r"<p>(.*)</p>", rendered, re.S)
    return match.group(1) if match else rendered


VIDEO_BOX = "position: relative; padding-bottom: 56.25%; height: 0; overflow: hidden;"
VIDEO_FRAME = "position: absolute; top: 0; left: 0; width: 100%; height: 100%; border: 0;"


def video(call: Call, src: str, site: str, allow: str) -> str:
    """An embedded player, full width at 16:9 (or styled by the shortcode's ``class``)."""
    title = call.get("title", default=f"{site} video")
    frame = (
        f"<iframe{attributes(src=src, title=title, allow=allow, style=VIDEO_FRAME)} allowfullscreen"
        ' loading="lazy" referrerpolicy="strict-origin-when-cross-origin"></iframe>'
    )
    if call.get("class"):
        return f'<div class="{html.escape(call.get("class"))}">{frame}</div>'
    return f'<div style="{VIDEO_BOX}">{frame}</div>'


YOUTUBE_ALLOW = "accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture; web-share"


def youtube(call: Call, render_inner: Callable[[str], str], params: dict) -> str:
    query = "?autoplay=1" if call.get("autoplay", 1) == "true" else ""
    return video(call, f"https://www.youtube.com/embed/{call.get('id', 0)}{query}", "YouTube", YOUTUBE_ALLOW)


def vimeo(call: Call, render_inner: Callable[[str], str], params: dict) -> str:
    src = f"https://player.vimeo.com/video/{call.get('id', 0)}"
    return video(call, src, "Vimeo", "autoplay; fullscreen; picture-in-picture")


def gist(call: Call, render_inner: Callable[[str], str], params: dict) -> str:
    user, gist_id, file = call.get("user", 0), call.get("id", 1), call.get("file", 2)
    query = f"?file={file}" if file else ""
    return f'<script src="https://gist.github.com/{html.escape(user)}/{html.escape(gist_id)}.js{html.escape(query)}"></script>'


def post_on_x(call: Call, render_inner: Callable[[str], str], params: dict) -> str:
    """Hugo fetches the post from X at build time; a static build links to it instead."""
    user, post_id = call.get("user"), call.get("id", 0 if not call.params else None)
    url = f"https://x.com/{user}/status/{post_id}" if user else f"https://x.com/i/status/{post_id}"
    return f'<blockquote class="twitter-tweet"><p><a{attributes(href=url)}>{html.escape(url)}</a></p></blockquote>'


def instagram(call: Call, render_inner: Callable[[str], str], params: dict) -> str:
    url = f"https://www.instagram.com/p/{call.get('id', 0)}/"
    return f'<blockquote class="instagram-media"><p><a{attributes(href=url)}>{html.escape(url)}</a></p></blockquote>'


def details(call: Call, render_inner: Callable[[str], str], params: dict) -> str:
    summary = inline_markdown(call.get("summary", default="Details"), render_inner)
    opened = " open" if call.get("open") in ("true", "open") else ""
    head = f"<details{attributes(class_=call.get('class'), name=call.get('name'), title=call.get('title'))}{opened}>"
    return f"{head}<summary>{summary}</summary>{render_inner(call.inner or '')}</details>"


def param(call: Call, render_inner: Callable[[str], str], params: dict) -> str:
    """A front matter field of the post (``{{< param "key.sub" >}}``), or "" when it has none."""
    value: object = params
    for part in call.get("name", 0).split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return html.escape("" if value is None else str(value))


BUILT_IN: dict[str, Callable[[Call, Callable[[str], str], dict], str]] = {
    "figure": figure,
    "youtube": youtube,
    "vimeo": vimeo,
    "gist": gist,
    "x": post_on_x,
    "tweet": post_on_x,
    "instagram": instagram,
    "details": details,
    "param": param,
}
