"""What a build loads before its stages: the heavy libraries only some sites need load where they are used.

Pillow and fontTools (pictures, social cards) and docutils (``.rst`` posts)
cost a build that has none of those tens of milliseconds of start-up each;
their modules import them in the functions that need them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import PROJECT

LAZY = ("PIL", "fontTools", "docutils")
SETUP = """
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # every page module, as the plan stage imports them
import kiln.commands  # the build's every stage
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules} & set(sys.argv[1:]))))
"""


def test_django_setup_and_the_build_modules_load_no_picture_or_rst_library(tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT / "site"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "KILN_CACHE_DIR": str(tmp_path / "cache"),
        "KILN_CONTENT_DIR": str(tmp_path / "content"),
        "KILN_OUT_DIR": str(tmp_path / "out"),
    }
    result = subprocess.run(
        [sys.executable, "-c", SETUP, *LAZY], env=env, cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == []


def test_the_lazy_libraries_are_there_to_load():
    """The test above proves nothing if the names are wrong: each one is importable."""
    result = subprocess.run(
        [sys.executable, "-c", "import PIL.features, fontTools.ttLib, docutils.core"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
