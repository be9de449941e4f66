"""Print the share of CommonMark's and our GFM examples that Kiln's Markdown renders as the spec does.

    .venv/bin/python bench/markdown_fidelity.py [SECTION]

With a section name, also prints each example of it that does not match
(the spec's structure, then ours).
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "site"), str(ROOT / "tests")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import fidelity  # noqa: E402
from blog import markdown  # noqa: E402


def main(show: str | None) -> None:
    total, matched = Counter(), Counter()
    for example in fidelity.spec_examples() + fidelity.gfm_examples():
        ours = markdown.render(example.markdown).html
        same = fidelity.matches(ours, example.html)
        total[example.section] += 1
        matched[example.section] += same
        if not same and example.section == show:
            print(f"--- example {example.number}: {example.markdown!r}")
            print(fidelity.structure(example.html), "\n--- ours:\n" + fidelity.structure(ours))
    for section in total:
        print(f"{section:24} {matched[section]:3}/{total[section]:<3} {matched[section] / total[section]:.0%}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
