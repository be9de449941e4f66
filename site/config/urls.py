"""Site URLs. Add your own views here like in any Django project; register them
with ``django_distill.distill_path`` to have the build export them."""

from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path("", include("blog.urls")),
]

if settings.SERVE:
    urlpatterns.append(path("__reload__/", include("django_browser_reload.urls")))

handler404 = "blog.views.not_found"
