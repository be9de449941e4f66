"""Issue 15: an edit build updates out/ in place, touching only what changed.

The first build swaps a whole staged site in; later builds move in only the
files whose bytes changed and remove the files (and folders) gone. What is
published must be what a clean build publishes, folders included.
"""

from __future__ import annotations

import json

from conftest import Site, snapshot

POST = "---\ntitle: {title}\ndate: 2020-01-0{day}\ncategories: [Cats]\n---\n{text}\n"


def folders(site: Site) -> set[str]:
    return {p.relative_to(site.out).as_posix() for p in site.out.rglob("*") if p.is_dir()}


def inodes(site: Site) -> dict[str, int]:
    return {p.relative_to(site.out).as_posix(): p.stat().st_ino for p in site.out.rglob("*") if p.is_file()}


def test_an_edit_replaces_only_the_files_that_changed(site: Site):
    site.write("one.md", POST.format(title="One", day=1, text="First text."))
    site.write("two.md", POST.format(title="Two", day=2, text="Second text."))
    site.build()
    before = inodes(site)
    site.write("one.md", POST.format(title="One", day=1, text="First text, edited."))
    site.build()
    after = inodes(site)
    # (the search index's files are named by their content hash: some are new)
    assert {name for name in after if not name.startswith("search/")} == {
        name for name in before if not name.startswith("search/")
    }
    assert after["plog/one/index.html"] != before["plog/one/index.html"]
    assert "edited" in site.out.joinpath("plog/one/index.html").read_text()
    # the other post's page and the stylesheets are the very same files, not copies or links made again
    untouched = [name for name in before if name.startswith(("plog/two/", "static/"))]
    assert untouched and all(after[name] == before[name] for name in untouched)
    assert not list(site.root.glob(".out.*")), "the staging folder was left behind"


def test_a_deleted_post_leaves_no_file_and_no_folder(site: Site, tmp_path):
    site.write("one.md", POST.format(title="One", day=1, text="First text."))
    site.write("two.md", POST.format(title="Two", day=2, text="Second text."))
    site.write("three.md", POST.format(title="Three", day=3, text="Third text.").replace("Cats", "Dogs"))
    site.build()
    assert {"plog/three", "oc-Dogs"} <= folders(site)
    (site.content / "three.md").unlink()
    site.build()
    clean = Site(tmp_path / "clean")
    clean.content.mkdir(parents=True)
    for name in ("one.md", "two.md"):
        clean.content.joinpath(name).write_bytes(site.content.joinpath(name).read_bytes())
    clean.build()
    assert folders(site) == folders(clean)
    assert "plog/three" not in folders(site) and "oc-Dogs" not in folders(site)
    assert snapshot(site.out) == snapshot(clean.out)
    # the marker lists exactly the files published
    marker = site.out.joinpath(".kiln-output").read_text().split("\n")
    listed = {json.loads(line) for line in marker if line.startswith('"')}
    assert listed == set(snapshot(site.out)) - {".kiln-output"}
