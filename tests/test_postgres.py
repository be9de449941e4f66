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
