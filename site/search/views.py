"""The static index files as views: exported by the build, served live by ``serve``."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse

from . import stage, static
from .cache import cache_json


def _version() -> str:
    # in serve the entry changes with every edit; a build serves one state throughout
    return stage.state() if settings.SERVE else ""


def _respond(name: str) -> HttpResponse:
    data = stage.read(name)
    if data is None:
        raise Http404(name)
    return HttpResponse(data, content_type="application/json")


@cache_json(version=_version)
def entry(request: HttpRequest) -> HttpResponse:
    return _respond(static.ENTRY)


@cache_json()  # named by its content hash: the same URL is always the same bytes
def index_file(request: HttpRequest, name: str) -> HttpResponse:
    return _respond(name)
