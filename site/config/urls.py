"""Site URLs: every kind of page declared in the page registry (``blog.registry``),
then the dev server's own. Add your own views here like in any Django project;
register them with ``django_distill.distill_path`` to have the build export them."""

from django.conf import settings
from django.urls import include, path, re_path

from blog import registry

urlpatterns = [
    path("", include(registry.urlpatterns())),
    path("", include("search.urls")),  # serve's live search endpoint, when Elasticsearch is set
]

if settings.SERVE:
    from kiln.devserver import content_file

    urlpatterns += [
        path("__reload__/", include("django_browser_reload.urls")),
        # last: the content folder's images and files, where a build publishes them
        re_path(r"^(?P<path>.+)$", content_file),
    ]

handler404 = "blog.views.not_found"
