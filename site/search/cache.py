"""A cache for views that return JSON: only healthy responses are kept, keyed on the full URL."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def healthy_json(response: HttpResponse) -> bool:
    """A complete 200 response whose body is JSON: never an error page, a redirect or a stream."""
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    return response.status_code == 200 and not response.streaming and content_type == "application/json"


def cache_json(version: Callable[[], str] = lambda: "", alias: str = "default") -> Callable[[View], View]:
    """Cache a JSON view's responses by the request's full URL (scheme, host, path and query).

    ``version`` names the state the response depends on: a different version is
    a different cache entry, so a view whose data changes stays correct.
    """

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            url = request.build_absolute_uri()
            key = "json-view:" + hashlib.sha256(f"{url}\0{version()}".encode()).hexdigest()
            cache = caches[alias]
            cached = cache.get(key)
            if cached is not None:
                body, content_type = cached
                return HttpResponse(body, content_type=content_type)
            response = view(request, *args, **kwargs)
            if healthy_json(response):
                cache.set(key, (response.content, response["Content-Type"]), None)
            return response

        return wrapper

    return decorate
