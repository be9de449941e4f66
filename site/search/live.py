"""``serve``'s live search endpoint, when Elasticsearch is configured.

``/search/live.json?q=...`` asks the node a forgiving query (a typo per word
forgiven, the title phrase boosted) and answers ``{"query", "results"}``,
each result ``{"url", "title", "score"}``. Answers are cached by the
healthy-JSON cache, per URL and per state of the posts; an error (the node is
down) answers 503 with ``{"error"}`` and is never cached.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse

from core.errors import SiteError

from . import stage
from .cache import cache_json

LIMIT = 10
MAX_LIMIT = 50


def _limit(text: str | None) -> int:
    try:
        return max(1, min(MAX_LIMIT, int(text or LIMIT)))
    except ValueError:
        return LIMIT


@cache_json(version=stage.state)
def live(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    try:
        stage.current()  # serve refreshes the index after an edit
        engine = stage.open_engine()
        try:
            results = engine.live(query, _limit(request.GET.get("limit")))
        finally:
            engine.close()
    except SiteError as exc:
        return JsonResponse({"error": str(exc)}, status=503)
    return JsonResponse({"query": query, "results": results})
