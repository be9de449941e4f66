"""ruff keeps the code clean and formatted; CI fails when it is not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import PROJECT

RUFF = Path(sys.executable).with_name("ruff")


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        # no cache: the two tests may run at once, on two workers
        [str(RUFF), *args, "--no-cache", "site", "tests", "bench", "build.py"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )


def test_ruff_check():
    result = ruff("check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format():
    result = ruff("format", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
