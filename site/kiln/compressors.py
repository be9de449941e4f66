"""csso and terser as django-pipeline compressors that never fail quietly.

django-pipeline's ``SubProcessCompressor.execute_command`` raises only when a
tool exits non-zero *and* writes to stderr; a missing binary escapes as a bare
``FileNotFoundError``, and a tool that prints nothing leaves an empty bundle
that ships without a word. Here each of those fails the build with a message
that names the tool and says what to do. Anything a tool writes on stderr
while succeeding is logged as a warning, so ``--strict`` stops on it.

The binaries and their arguments are pipeline settings (``CSSO_BINARY``,
``CSSO_ARGUMENTS``, ``TERSER_BINARY``, ``TERSER_ARGUMENTS`` in ``PIPELINE``),
filled from the ``KILN_*`` settings in ``config/settings.py``.
"""

from __future__ import annotations

import logging
import re
import subprocess
from collections.abc import Iterable

from pipeline.compressors import SubProcessCompressor
from pipeline.conf import settings
from pipeline.exceptions import CompressorError

from core.errors import ToolError

log = logging.getLogger("kiln")

CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
JS_LINE_COMMENT = re.compile(r"^\s*//.*$", re.M)
STACK_FRAME = re.compile(r"^\s+at .*\n?", re.M)


class CompressorFailed(CompressorError, ToolError):
    """A minifier failed: a CompressorError to pipeline, a SiteError to ``build.py``."""


def command_line(parts: Iterable[str | Iterable[str]]) -> list[str]:
    """Flatten pipeline's command form: strings and sequences of strings."""
    argv: list[str] = []
    for part in parts:
        if isinstance(part, str):
            argv.append(part)
        else:
            argv.extend(part)
    return argv


class StrictCompressor(SubProcessCompressor):
    """Runs a minifier on stdin and checks everything pipeline does not."""

    tool = ""  # the tool's name, for messages
    language = ""  # what it minifies, for messages
    setting = ""  # the KILN_* variable that points at its binary

    def has_code(self, source: str) -> bool:
        """Whether ``source`` holds more than comments and white space."""
        return bool(CSS_COMMENT.sub("", source).strip())

    def execute_command(self, command: Iterable[str | Iterable[str]], content: str) -> str:
        argv = command_line(command)
        try:
            done = subprocess.run(argv, input=content.encode(), capture_output=True, check=False)
        except OSError as exc:  # missing, not executable, not a program
            raise CompressorFailed(
                f"{self.tool} could not be started: {argv[0]}: {exc.strerror}. "
                f"Install the pinned node tools with `npm ci`, or point {self.setting} at a {self.tool} executable."
            ) from exc
        # node's stack trace says where in the tool it failed, which is no use to an author
        stderr = STACK_FRAME.sub("", done.stderr.decode(errors="replace")).strip()
        if done.returncode != 0:
            status = (
                f"was killed by signal {-done.returncode}"
                if done.returncode < 0
                else f"exited with status {done.returncode}"
            )
            raise CompressorFailed(
                f"{self.tool} {status} while minifying {self.language} ({argv[0]}):\n{stderr or '(it printed nothing)'}"
            )
        output = done.stdout.decode()
        if not output.strip() and self.has_code(content):
            raise CompressorFailed(
                f"{self.tool} returned no output for {len(content)} characters of {self.language} ({argv[0]}); "
                f"it drops what it cannot parse, so look for a syntax error in the {self.language} sources"
                + (f":\n{stderr}" if stderr else ".")
            )
        if stderr:
            log.warning("warning: %s said while minifying %s: %s", self.tool, self.language, stderr)
        return output


class CssoCompressor(StrictCompressor):
    """CSS through csso-cli 4 (``--no-restructure`` unless KILN_CSSO_RESTRUCTURE is on)."""

    tool = "csso"
    language = "CSS"
    setting = "KILN_CSSO_BINARY"

    def compress_css(self, css: str) -> str:
        return self.execute_command((settings.CSSO_BINARY, settings.CSSO_ARGUMENTS), css)


class TerserCompressor(StrictCompressor):
    """JavaScript through terser 5."""

    tool = "terser"
    language = "JavaScript"
    setting = "KILN_TERSER_BINARY"

    def has_code(self, source: str) -> bool:
        return bool(JS_LINE_COMMENT.sub("", CSS_COMMENT.sub("", source)).strip())

    def compress_js(self, js: str) -> str:
        return self.execute_command((settings.TERSER_BINARY, settings.TERSER_ARGUMENTS), js)
