"""The search page. Its results come from the static index beside it (``FORMAT.md``), read by
``assets/js/search.js`` in the browser: the page itself is the same for every query."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse


def search_page(request: HttpRequest) -> HttpResponse:
    return render(request, "search/search.html", {"canonical_path": reverse("search")})
