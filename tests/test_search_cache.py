"""The JSON view cache keeps healthy JSON responses only, keyed on the full URL."""

from __future__ import annotations

import json

from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory

from search.cache import cache_json


def counting_view(respond):
    calls = []

    @cache_json()
    def view(request):
        calls.append(request.get_full_path())
        return respond(request)

    return view, calls


def test_healthy_json_is_served_from_the_cache_by_full_url():
    view, calls = counting_view(lambda request: JsonResponse({"q": request.GET.get("q")}))
    factory = RequestFactory()
    first = view(factory.get("/api/x/?q=1"))
    again = view(factory.get("/api/x/?q=1"))
    other_query = view(factory.get("/api/x/?q=2"))
    other_host = view(factory.get("/api/x/?q=1", HTTP_HOST="other.example"))
    assert json.loads(again.content) == json.loads(first.content) == {"q": "1"}
    assert json.loads(other_query.content) == {"q": "2"}
    assert again["Content-Type"] == "application/json"
    assert calls == ["/api/x/?q=1", "/api/x/?q=2", "/api/x/?q=1"], "the second request hit the cache"
    assert json.loads(other_host.content) == {"q": "1"}


def test_errors_redirects_and_other_types_are_never_cached():
    for respond in (
        lambda request: JsonResponse({"error": "busy"}, status=503),
        lambda request: HttpResponse(status=302, headers={"Location": "/"}),
        lambda request: HttpResponse("<p>hi</p>", content_type="text/html"),
    ):
        view, calls = counting_view(respond)
        view(RequestFactory().get("/api/y/"))
        view(RequestFactory().get("/api/y/"))
        assert len(calls) == 2


def test_a_new_version_is_a_new_entry():
    state = {"version": "1", "value": "a"}

    @cache_json(version=lambda: state["version"])
    def view(request):
        return JsonResponse({"value": state["value"]})

    request = RequestFactory().get("/search/index.json")
    assert json.loads(view(request).content) == {"value": "a"}
    state["value"] = "b"
    assert json.loads(view(request).content) == {"value": "a"}, "cached while the version holds"
    state["version"] = "2"
    assert json.loads(view(request).content) == {"value": "b"}
