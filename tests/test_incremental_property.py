"""Incremental builds equal clean builds, whatever the sequence of edits (a hypothesis state machine).

Each example starts a small site and applies random edits: posts added,
changed, renamed, moved between folders and deleted; titles, dates,
update dates, summaries, categories, keywords, drafts and aliases changed;
text added (some long enough to change a post's reading time) and first
paragraphs (a summary when there is none) rewritten; a template, a setting
and an asset changed. After each ``build`` step the output folder of the
incremental build (one cache kept across the whole example) must be
byte-identical to a clean build (``--clean``, a cache of its own) of the same
content. The incremental builds also exercise the no-op stamp
(``kiln.quick``): a build with nothing changed must not hide an edit.

Templates and assets are edited in a copy of the project (``build.py``,
``site/`` and ``assets/``, with ``node_modules`` linked), never in the
project itself. The run is bounded for CI; ``KILN_PROPERTY_EXAMPLES=50``
(and ``KILN_PROPERTY_STEPS``) runs longer.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from conftest import PROJECT, snapshot

EXAMPLES = int(os.environ.get("KILN_PROPERTY_EXAMPLES", "2"))
STEPS = int(os.environ.get("KILN_PROPERTY_STEPS", "6"))

TITLES = ("Caching querysets", "A day in Lisbon", 'Why "static"?', "Über Django", "Rust & Python")
DATES = ("2019-03-01", "2020-07-15T10:30:00", "2021-01-01", "2022-12-31T23:00:00+02:00", "2023-05-05")
CATEGORIES = ("Django", "Python", "Web development", "Café")
KEYWORDS = ("cache", "orm", "travel", "static", "rust")
WORDS = ("the", "query", "cache", "template", "river", "build", "static", "page")
FOLDERS = ("", "notes/", "2021/trips/")


@dataclass
class Post:
    number: int  # names the file, so that no two posts share a slug
    folder: str = ""
    renamed: int = 0
    title: str = TITLES[0]
    date: str = DATES[0]
    updated: str | None = None  # shown by the sitemap (its lastmod) and the feeds, not by listings
    summary: str | None = None  # else its first paragraph
    categories: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    draft: bool = False
    aliases: tuple[int, ...] = ()
    body: list[str] = field(default_factory=lambda: ["First paragraph."])

    @property
    def path(self) -> str:
        suffix = f"-r{self.renamed}" if self.renamed else ""
        return f"{self.folder}post-{self.number}{suffix}.md"

    def text(self) -> str:
        lines = ["---", f"title: {self.title!r}" if '"' in self.title else f'title: "{self.title}"']
        lines.append(f"date: {self.date}")
        if self.updated:
            lines.append(f"updated: {self.updated}")
        if self.summary:
            lines.append(f'summary: "{self.summary}"')
        if self.categories:
            lines.append(f"categories: [{', '.join(self.categories)}]")
        if self.keywords:
            lines.append(f"keywords: [{', '.join(self.keywords)}]")
        if self.draft:
            lines.append("draft: true")
        if self.aliases:
            lines.append("aliases: [" + ", ".join(f"/old/{self.number}-{n}/" for n in self.aliases) + "]")
        return "\n".join([*lines, "---", "", "\n\n".join(self.body), ""])


def project_copy(root: Path) -> Path:
    """What a build reads of the project, copied, so that its templates and assets can be edited."""
    copy = root / "project"
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(PROJECT / "site", copy / "site", ignore=ignore)
    shutil.copytree(PROJECT / "assets", copy / "assets", ignore=ignore)
    for name in ("build.py", "package.json", "package-lock.json", "requirements.txt"):
        shutil.copy2(PROJECT / name, copy / name)
    (copy / "node_modules").symlink_to(PROJECT / "node_modules")
    return copy


posts_st = st.integers(min_value=0, max_value=10_000)


class IncrementalEqualsClean(RuleBasedStateMachine):
    """Edits, and after each build the incremental output equals a clean build's."""

    @initialize()
    def start(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="kiln-property-"))
        self.project = project_copy(self.root)
        self.content = self.root / "content"
        self.content.mkdir()
        self.posts: dict[int, Post] = {}
        self.next_number = 0
        self.environment = {"KILN_BASE_URL": "https://blog.example.com", "KILN_POSTS_PER_PAGE": "2"}
        self.builds = 0
        for _ in range(3):
            self.add_post(TITLES[0], DATES[1], (CATEGORIES[0],), (KEYWORDS[0],))

    def teardown(self) -> None:
        if getattr(self, "root", None):
            try:
                self.build_and_compare()  # the edits since the last build are checked too
            finally:
                shutil.rmtree(self.root, ignore_errors=True)

    # --- the content ---

    def write(self, post: Post, old_path: str | None = None) -> None:
        if old_path is not None and old_path != post.path:
            (self.content / old_path).unlink()
        target = self.content / post.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(post.text(), encoding="utf-8")
        self.posts[post.number] = post

    def change(self, choice: int, **changes: object) -> None:
        old = self.posts[sorted(self.posts)[choice % len(self.posts)]]
        self.write(replace(old, **changes), old.path)

    @rule(
        title=st.sampled_from(TITLES),
        date=st.sampled_from(DATES),
        categories=st.lists(st.sampled_from(CATEGORIES), max_size=2, unique=True).map(tuple),
        keywords=st.lists(st.sampled_from(KEYWORDS), max_size=3, unique=True).map(tuple),
    )
    def add_post(self, title: str, date: str, categories: tuple[str, ...], keywords: tuple[str, ...]) -> None:
        self.write(Post(self.next_number, title=title, date=date, categories=categories, keywords=keywords))
        self.next_number += 1

    @precondition(lambda self: self.posts)
    @rule(
        choice=posts_st,
        words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=6),
        times=st.sampled_from((1, 1, 60)),  # 60: enough words for a longer reading time in the listings
    )
    def change_text(self, choice: int, words: list[str], times: int) -> None:
        old = self.posts[sorted(self.posts)[choice % len(self.posts)]]
        self.change(choice, body=[*old.body, (" ".join(words).capitalize() + ". ") * times])

    @precondition(lambda self: self.posts)
    @rule(choice=posts_st, words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))
    def change_first_paragraph(self, choice: int, words: list[str]) -> None:
        """The first paragraph is the summary of a post without one."""
        old = self.posts[sorted(self.posts)[choice % len(self.posts)]]
        self.change(choice, body=[" ".join(words).capitalize() + ".", *old.body[1:]])

    @precondition(lambda self: self.posts)
    @rule(choice=posts_st, summary=st.sampled_from((None, "In short.", "Said otherwise.")))
    def change_summary(self, choice: int, summary: str | None) -> None:
        self.change(choice, summary=summary)

    @precondition(lambda self: self.posts)
    @rule(choice=posts_st, updated=st.sampled_from((None, "2023-06-01", "2024-02-29T08:00:00")))
    def change_updated(self, choice: int, updated: str | None) -> None:
        """Only a date changes: the sitemap's lastmod must follow."""
        self.change(choice, updated=updated)

    @precondition(lambda self: self.posts)
    @rule(choice=posts_st, title=st.sampled_from(TITLES))
    def change_title(self, choice: int, title: str) -> None:
        self.change(choice, title=title)

    @precondition(lambda self: self.posts)
    @rule(choice=posts_st, date=st.sampled_from(DATES))
    def change_date(self, choice: int, date: str) -> None:
        self.change(choice, date=date)

    @precondition(lambda self: self.posts)
    @rule(choice=posts_st, categories=st.lists(st.sampled_from(CATEGORIES), max_size=3, unique=True).map(tuple))
    def change_categories(self, choice: int, categories: tuple[str, ...]) -> None:
        self.change(choice, categories=categories)

    @precondition(lambda self: self.posts)
    @rule(choice=posts_st, keywords=st.lists(st.sampled_from(KEYWORDS), max_size=3, unique=True).map(tuple))
    def change_keywords(self, choice: int, keywords: tuple[str, ...]) -> None:
        self.change(choice, keywords=keywords)

    @precondition(lambda self: self.posts)
    @rule(choice=posts_st)
    def toggle_draft(self, choice: int) -> None:
        old = self.posts[sorted(self.posts)[choice % len(self.posts)]]
        self.change(choice, draft=not old.draft)

    @precondition(lambda self: self.posts)
    @rule(choice=posts_st, aliases=st.lists(st.integers(0, 3), max_size=2, unique=True).map(tuple))
    def change_aliases(self, choice: int, aliases: tuple[int, ...]) -> None:
        self.change(choice, aliases=aliases)

    @precondition(lambda self: self.posts)
    @rule(choice=posts_st)
    def rename_post(self, choice: int) -> None:
        old = self.posts[sorted(self.posts)[choice % len(self.posts)]]
        self.change(choice, renamed=old.renamed + 1)

    @precondition(lambda self: self.posts)
    @rule(choice=posts_st, folder=st.sampled_from(FOLDERS))
    def move_post(self, choice: int, folder: str) -> None:
        self.change(choice, folder=folder)

    @precondition(lambda self: len(self.posts) > 1)
    @rule(choice=posts_st)
    def delete_post(self, choice: int) -> None:
        number = sorted(self.posts)[choice % len(self.posts)]
        (self.content / self.posts.pop(number).path).unlink()

    # --- what every page depends on ---

    @rule(words=st.sampled_from(WORDS))
    def change_template(self, words: str) -> None:
        template = self.project / "site" / "templates" / "blog" / "post.html"
        text = template.read_text(encoding="utf-8")
        template.write_text(text.replace("</article>", f'<p class="edited">{words}</p></article>', 1))

    @rule(per_page=st.integers(1, 4), title=st.sampled_from(("Kiln", "A blog", "Notes")))
    def change_setting(self, per_page: int, title: str) -> None:
        self.environment.update(KILN_POSTS_PER_PAGE=str(per_page), KILN_SITE_TITLE=title)

    @rule(colour=st.sampled_from(("#123456", "#abcdef", "red")))
    def change_asset(self, colour: str) -> None:
        stylesheet = sorted((self.project / "assets").rglob("*.css"))[0]
        with stylesheet.open("a", encoding="utf-8") as handle:
            handle.write(f"\n.edited {{ color: {colour}; }}\n")

    # --- the property ---

    def run_build(self, out: str, cache: str, *flags: str) -> None:
        command = [sys.executable, str(self.project / "build.py"), "build", "--content", str(self.content)]
        command += ["--out", str(self.root / out), "--cache", str(self.root / cache), *flags]
        environment = {**os.environ, **self.environment}
        result = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=600, check=False)
        assert result.returncode == 0, f"{' '.join(flags) or 'incremental'} build failed:\n{result.stderr}"

    @rule()
    def build_and_compare(self) -> None:
        self.run_build("out", "cache")
        shutil.rmtree(self.root / "clean", ignore_errors=True)
        self.run_build("clean", "clean-cache", "--clean")
        incremental, clean = snapshot(self.root / "out"), snapshot(self.root / "clean")
        assert sorted(incremental) == sorted(clean), "the incremental build wrote other files than a clean build"
        different = [name for name in clean if incremental[name] != clean[name]]
        assert not different, f"incremental output differs from a clean build in {different[:5]}"
        # an edit build updates out/ in place: a page gone must not leave its folder behind
        folders = [
            {p.relative_to(self.root / name) for p in (self.root / name).rglob("*") if p.is_dir()}
            for name in ("out", "clean")
        ]
        assert folders[0] == folders[1], "the incremental build left other folders than a clean build"
        self.builds += 1

    @rule()
    def rebuild_unchanged(self) -> None:
        """Two builds in a row: the second, with nothing changed, must leave the output as it is."""
        self.build_and_compare()
        self.build_and_compare()


IncrementalEqualsClean.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    database=None,
)
test_incremental_equals_clean = IncrementalEqualsClean.TestCase
