"""The search page, registered with django-distill so the build exports it as ``search/index.html``."""

from __future__ import annotations

from django_distill import distill_path

from . import views

urlpatterns = [
    distill_path("search/", views.search_page, name="search"),
]
