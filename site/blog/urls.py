"""Every page of the blog, registered with django-distill so the build can export it.

The patterns come from the page registry (``blog.registry``): each
installed app's ``pages`` module declares its kinds of page, and they are
imported here, the blog's first.
"""

from __future__ import annotations

from django.utils.module_loading import autodiscover_modules

from . import pages, registry  # noqa: F401 (pages declares the blog's kinds of page)

autodiscover_modules("pages")

urlpatterns = registry.urlpatterns()
