"""django-pipeline's ``{% stylesheet %}`` and ``{% javascript %}``, rendered once per render worker.

Every page links the same bundles: while pages render (``blog.fragments``)
the tags' text is kept per bundle; elsewhere (``serve``) they are
pipeline's own. ``{% load cached_pipeline %}`` in place of ``{% load pipeline %}``.
"""

from __future__ import annotations

from django import template
from django.template import Context
from django.template.base import Parser, Token
from pipeline.templatetags import pipeline

from blog import fragments

register = template.Library()


class StylesheetNode(pipeline.StylesheetNode):
    def render(self, context: Context) -> str:
        key = ("stylesheet", template.Variable(self.name).resolve(context))
        return fragments.kept(key, lambda: super(StylesheetNode, self).render(context))


class JavascriptNode(pipeline.JavascriptNode):
    def render(self, context: Context) -> str:
        key = ("javascript", template.Variable(self.name).resolve(context))
        return fragments.kept(key, lambda: super(JavascriptNode, self).render(context))


@register.tag
def stylesheet(parser: Parser, token: Token) -> StylesheetNode:
    return StylesheetNode(pipeline.stylesheet(parser, token).name)


@register.tag
def javascript(parser: Parser, token: Token) -> JavascriptNode:
    return JavascriptNode(pipeline.javascript(parser, token).name)
