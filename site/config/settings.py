"""Django settings for a Kiln site.

The values authors change live in ``config/kiln.py`` (read from ``KILN_*``
environment variables); this file wires them into Django.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from config import kiln

KILN = kiln.read()
PROJECT_DIR = kiln.PROJECT_DIR
SITE_DIR = PROJECT_DIR / "site"
CACHE_DIR = Path(KILN["CACHE_DIR"])
CACHE_DIR.mkdir(parents=True, exist_ok=True)

# `build.py serve` sets KILN_SERVE: the dev server with reload and debug pages
SERVE = os.environ.get("KILN_SERVE") == "1"
DEBUG = SERVE
# the site is exported, never served with these settings in production
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "kiln-static-export-has-no-secrets")
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "django.contrib.staticfiles",
    "django_distill",
    "blog",
    "kiln",
]
if SERVE:
    INSTALLED_APPS = ["whitenoise.runserver_nostatic", *INSTALLED_APPS, "django_browser_reload"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.common.CommonMiddleware",
]
if SERVE:
    MIDDLEWARE.append("django_browser_reload.middleware.BrowserReloadMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": ["blog.context.site"],
            "debug": DEBUG,
        },
    }
]

DATABASES = {"default": dj_database_url.config(default=f"sqlite:///{CACHE_DIR / 'kiln.sqlite3'}", conn_max_age=None)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the render workers read while nothing writes
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = KILN["TIME_ZONE"]
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = CACHE_DIR / "static"
STATICFILES_DIRS = [PROJECT_DIR / "assets"]

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
