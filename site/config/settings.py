"""Django settings for a Kiln site.

The values authors change live in ``config/kiln.py`` (read from ``KILN_*``
environment variables); this file wires them into Django.
"""

from __future__ import annotations

import os

from config import database, folders, kiln

KILN = kiln.read()
folders.refuse(KILN)  # before the cache folder is made
PROJECT_DIR = kiln.PROJECT_DIR
SITE_DIR = PROJECT_DIR / "site"
CACHE_DIR = KILN.CACHE_DIR
CACHE_DIR.mkdir(parents=True, exist_ok=True)

# `build.py serve` sets KILN_SERVE: the dev server with reload and debug pages
SERVE = os.environ.get("KILN_SERVE") == "1"
DEBUG = SERVE
# the site is exported, never served with these settings in production
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "kiln-static-export-has-no-secrets")
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    # whitenoise serves static files whenever Django runs as a server, so
    # `runserver` must leave them to it (this app makes --nostatic the default)
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "pipeline",
    "django_distill",
    "blog",
    "kiln",
    "search",
]
if SERVE:
    INSTALLED_APPS = [*INSTALLED_APPS, "django_browser_reload"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.common.CommonMiddleware",
]
if SERVE:
    # the error page comes after the reload middleware, which adds its script to it
    MIDDLEWARE += ["django_browser_reload.middleware.BrowserReloadMiddleware", "kiln.devserver.ContentErrorMiddleware"]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {  # the pages (blog.jinja); a name it does not find falls through to Django's templates below
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "blog.jinja.environment",
            "context_processors": ["blog.context.site"],
        },
    },
    {  # the Markdown shortcodes' (blog.shortcodes), django-pipeline's and Django's own (the sitemap's)
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": ["blog.context.site"],
            "debug": DEBUG,
        },
    },
]

DATABASES = {"default": database.config(CACHE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # django-cache-memoize's results that must outlive a build (related posts)
    "memoize": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": CACHE_DIR / "memoize",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 200},
    },
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = KILN.TIME_ZONE
USE_I18N = False
USE_TZ = True

# Assets: django-pipeline bundles assets/ (PIPELINE below), the manifest
# storage gives every collected file a content hash and rewrites url() in CSS,
# and the build ships only the hashed files (kiln/assets.py).
STATIC_URL = "/static/"
# `serve` keeps its own folder, so it never touches what the build collected
STATIC_ROOT = CACHE_DIR / ("static-serve" if SERVE else "static")
STATICFILES_DIRS = [KILN.ASSETS_DIR]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "kiln.vendor.NodeModulesFinder",  # mermaid.min.js, for the posts with a diagram
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "pipeline.storage.PipelineManifestStorage"},
}
# whitenoise: in `serve` it finds each file in assets/ on every request, so
# edits show at once; a production server serves the hashed STATIC_ROOT.
WHITENOISE_USE_FINDERS = SERVE
WHITENOISE_AUTOREFRESH = SERVE

NODE_BIN = PROJECT_DIR / "node_modules" / ".bin"
PIPELINE = {
    # builds link the minified, fingerprinted bundles; `serve` links every
    # source file as it is, served from assets/ by whitenoise
    "PIPELINE_ENABLED": not SERVE,
    # the collector would copy all of assets/ into STATIC_ROOT on each page view
    "PIPELINE_COLLECTOR_ENABLED": False,
    "CSS_COMPRESSOR": "kiln.compressors.CssoCompressor",
    "JS_COMPRESSOR": "kiln.compressors.TerserCompressor",
    # lists, not strings: pipeline would split a string on spaces in the path
    "CSSO_BINARY": [KILN.CSSO_BINARY or str(NODE_BIN / "csso")],
    "CSSO_ARGUMENTS": [] if KILN.CSSO_RESTRUCTURE else ["--no-restructure"],
    "TERSER_BINARY": [KILN.TERSER_BINARY or str(NODE_BIN / "terser")],
    "TERSER_ARGUMENTS": ["--compress", "--mangle"],
    # every script wraps itself, so it behaves the same unbundled in `serve`
    "DISABLE_WRAPPER": True,
    # order matters: later files build on the custom properties of base.css
    "STYLESHEETS": {
        "site": {
            "source_filenames": (
                "css/base.css",
                "css/layout.css",
                "css/blog.css",
                "css/highlight.css",
                "css/search.css",
            ),
            "output_filename": "css/site.css",
        },
    },
    "JAVASCRIPT": {
        "site": {
            "source_filenames": ("js/copy-code.js", "js/current-page.js"),
            "output_filename": "js/site.js",
            "extra_context": {"defer": True},
        },
        # the search page and 404.html only: the static index's client
        "search": {
            "source_filenames": ("js/static-search.js",),
            "output_filename": "js/search.js",
            "extra_context": {"defer": True},
        },
    },
}

APPEND_SLASH = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "kiln": {"handlers": ["console"], "level": os.environ.get("KILN_LOG_LEVEL", "INFO"), "propagate": False},
        "django_distill": {"level": "WARNING"},
    },
}
