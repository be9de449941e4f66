"""The same site built on PostgreSQL (DATABASE_URL) and on SQLite gives the same files.

Runs when KILN_TEST_POSTGRES_URL points at a PostgreSQL server where the
user may create databases (`.ci/postgres.sh` starts one); each test gets a
database of its own.
"""

from __future__ import annotations

import os
import uuid

import pytest

from conftest import snapshot

SERVER = os.environ.get("KILN_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(
    not SERVER, reason="KILN_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against (.ci/postgres.sh)"
)


@pytest.fixture
def database_url():
    import psycopg

    name = f"kiln_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(SERVER, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield SERVER.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(SERVER, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_postgres_build_matches_sqlite(fixture_site, tmp_path, database_url):
    site = fixture_site("mixed")
    site.build(env={"DATABASE_URL": database_url})
    on_postgres = snapshot(site.out)

    import psycopg

    with psycopg.connect(database_url) as connection:
        count = connection.execute("SELECT count(*) FROM blog_post").fetchone()[0]
    assert count == len(list(site.content.rglob("*.md")) + list(site.content.rglob("*.markdown")))

    from conftest import Site

    sqlite = Site(tmp_path / "sqlite")
    sqlite.root.mkdir()
    os.symlink(site.content, sqlite.content)
    sqlite.build()
    assert snapshot(sqlite.out) == on_postgres


def test_postgres_incremental_sync(fixture_site, database_url):
    site = fixture_site("mixed")
    env = {"DATABASE_URL": database_url}
    site.build(env=env)
    (site.content / "pelican-native.md").unlink()
    site.write("pelican-comma.md", "---\ntitle: Renamed on Postgres\ndate: 2019-07-01\n---\nBody.\n")
    site.build(env=env)
    assert not (site.out / "plog/native-pelican").exists()
    assert site.html("plog/pelican-comma/index.html").select_one("article h1").get_text() == "Renamed on Postgres"


@pytest.mark.parametrize(
    "front, line, words",
    [
        ("title: " + "t" * 501 + "\ndate: 2020-01-01", 2, "more than the 500 kept"),
        ("title: Edge\ndate: 9999-12-31T23:59:59-12:00", 3, "years 1 to 9999"),
        ('title: "Nul\\0"\ndate: 2020-01-01', 2, "control character"),
    ],
    ids=["title-longer-than-the-column", "end-of-the-calendar", "nul"],
)
def test_refused_the_same_on_postgres_as_on_sqlite(site, database_url, front, line, words):
    """Issue 14: what PostgreSQL would refuse (and SQLite keep) is a file:line error on both."""
    site.write("good.md", "---\ntitle: Good\ndate: 2020-01-01\n---\nGood.\n")
    site.write("bad.md", f"---\n{front}\n---\nBody.\n")
    for env in ({"DATABASE_URL": database_url}, {}):
        result = site.run("build", "--future", env=env)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert f"content/bad.md:{line}: " in result.stderr and words in result.stderr
