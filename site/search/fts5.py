"""The embedded engine: SQLite FTS5 in a file of its own in the cache folder.

Posts are indexed with the ``porter unicode61 remove_diacritics 2``
tokenizer in four columns weighted as ``FIELD_WEIGHTS`` says. For the static
index, the weight of a term in a post is what FTS5's ``bm25()`` adds to the
post's score for that term (``ext/fts5/fts5_aux.c``)::

    idf    = ln((N - n + 0.5) / (n + 0.5)), or 1e-6 when that is <= 0
    F      = sum over columns of column weight * occurrences in the column
    weight = idf * (F * (k1 + 1)) / (F + k1 * (1 - b + b * D / avgdl))

with k1 = 1.2, b = 0.75, N the number of posts, n the number holding the term
(``fts5vocab`` 'row'), D the post's length in tokens over all columns and
avgdl the mean of D (FTS5's own column sizes, from its ``docsize`` table). The
occurrences per (term, post, column) are read from ``fts5vocab`` 'instance'
and kept in a table of their own, so an incremental build reads them only for
the posts that changed; the postings the static index writes are kept too, and
an edit weighs again only those whose quantized weight can move
(``search.fts5_postings``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from core.errors import ToolError
from core.workers import parallel_map

from . import fts5_postings
from . import query as query_plan
from .engine import FIELD_WEIGHTS, Document, Engine, Hit, Update
from .fts5_postings import K1, B, idf
from .text import distinct_words

TOKENIZER = "porter unicode61 remove_diacritics 2"
SCHEMA_VERSION = "3"
COLUMNS = tuple(FIELD_WEIGHTS)
# removing up to this many posts finds their rows of `frequencies` by key; more, in one pass over the table
FEW_REMOVED = 200


def _fts_columns() -> str:
    return ", ".join(COLUMNS)


def _weighted_frequency_sql(vocab: str) -> str:
    """Store F per (term, doc) from an 'instance' vocabulary table, each occurrence weighted by its column.

    The table yields its rows in (term, doc) order, so adding each occurrence to
    the row it belongs to appends to the table's B-tree; a GROUP BY would sort
    them all first, which costs twice as much.
    """
    cases = " ".join(f"WHEN '{column}' THEN {float(weight)!r}" for column, weight in FIELD_WEIGHTS.items())
    return (
        f"INSERT INTO frequencies(term, doc, weighted) SELECT term, doc, CASE col {cases} END FROM {vocab} "
        "WHERE true ON CONFLICT(term, doc) DO UPDATE SET weighted = weighted + excluded.weighted"
    )


class FTS5Engine(Engine):
    name = "fts5"
    stemmer = "porter"

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._analysis: dict[str, list[str]] = {}
        try:
            self.db = sqlite3.connect(path)
            self._ensure_schema()
        except sqlite3.DatabaseError as exc:
            if "fts5" in str(exc):
                raise ToolError(
                    f"SQLite {sqlite3.sqlite_version} has no FTS5, which the search index needs; "
                    "use a Python whose sqlite3 module is built with FTS5, or set KILN_ELASTICSEARCH_URL"
                ) from exc
            # a cache file that is not a database (a killed write, an old format): start it again
            self.db.close()
            path.unlink()
            self.db = sqlite3.connect(path)
            self._ensure_schema()

    # --- the schema -------------------------------------------------------------------------

    def _stamp(self) -> str:
        return json.dumps([SCHEMA_VERSION, TOKENIZER, FIELD_WEIGHTS], sort_keys=True)

    def _ensure_schema(self) -> None:
        db = self.db
        db.execute("CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        row = db.execute("SELECT value FROM meta WHERE name = 'stamp'").fetchone()
        if row is not None and row[0] == self._stamp():
            return
        self._drop()
        db.executescript(
            f"""
            CREATE VIRTUAL TABLE posts USING fts5({_fts_columns()}, tokenize='{TOKENIZER}');
            CREATE VIRTUAL TABLE posts_rows USING fts5vocab(posts, 'row');
            CREATE VIRTUAL TABLE posts_instances USING fts5vocab(posts, 'instance');
            -- one row per post: its identity, the digest it was indexed with, its length in tokens
            -- and its distinct words (FORMAT.md's keys), for prefix completion
            CREATE TABLE docs(id INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL, digest TEXT NOT NULL,
                              length INTEGER NOT NULL, keys TEXT NOT NULL);
            -- the weighted frequency F of each term in each post
            CREATE TABLE frequencies(term TEXT NOT NULL, doc INTEGER NOT NULL, weighted REAL NOT NULL,
                                     PRIMARY KEY (term, doc)) WITHOUT ROWID;
            -- every key of every post, with the number of posts using it
            CREATE TABLE keys(key TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID;
            """
            + fts5_postings.SCHEMA
        )
        db.execute("INSERT OR REPLACE INTO meta(name, value) VALUES ('stamp', ?)", (self._stamp(),))
        db.commit()

    def _drop(self) -> None:
        for table in ("posts_rows", "posts_instances", "posts", "docs", "frequencies", "keys", "encoded", "dirty"):
            self.db.execute(f"DROP TABLE IF EXISTS {table}")
        self.db.execute("DELETE FROM meta")
        self.db.commit()

    # --- indexing ---------------------------------------------------------------------------

    def indexed(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT key, digest FROM docs"))

    def update(self, documents: Sequence[Document], *, clean: bool = False, kept: Collection[str] = ()) -> Update:
        if clean:  # a new file: dropping the tables of a big index costs more
            self.db.close()
            self.path.unlink(missing_ok=True)
            self.db = sqlite3.connect(self.path)
            self._ensure_schema()
        db = self.db
        known = {key: (doc_id, digest) for doc_id, key, digest in db.execute("SELECT id, key, digest FROM docs")}
        wanted = {doc.key: doc for doc in documents}
        if len(wanted) != len(documents) or not wanted.keys().isdisjoint(kept):
            raise ValueError("two documents share a key")
        if not known.keys() >= set(kept):
            raise ValueError("a kept document is not in the index")
        gone = [known[key][0] for key in known.keys() - wanted.keys() - set(kept)]
        # in the order given: the stage gives them in post-number order, so that a first index's
        # postings come out of the (term, doc) table already in number order
        fresh = [doc for doc in documents if doc.key not in known or known[doc.key][1] != doc.digest]
        changed = [known[doc.key][0] for doc in fresh if doc.key in known]
        report = Update(
            added=len(fresh) - len(changed),
            changed=len(changed),
            removed=len(gone),
            unchanged=len(wanted) + len(kept) - len(fresh),
        )
        if not gone and not fresh:
            return report
        with db:
            self._remove(gone + changed)
            was_empty = db.execute("SELECT count(*) FROM docs").fetchone()[0] == 0
            next_id = self._next_id()
            rows = [(next_id + i, doc) for i, doc in enumerate(fresh)]
            db.execute("INSERT OR REPLACE INTO meta(name, value) VALUES ('next_id', ?)", (str(next_id + len(rows)),))
            db.executemany(
                f"INSERT INTO posts(rowid, {_fts_columns()}) VALUES (?, {', '.join('?' for _ in COLUMNS)})",
                [(doc_id, *doc.fields().values()) for doc_id, doc in rows],
            )
            self._count(rows, from_main=was_empty)
        return report

    def _remove(self, ids: list[int]) -> None:
        db = self.db
        few = len(ids) <= FEW_REMOVED
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            for (keys,) in db.execute(f"SELECT keys FROM docs WHERE id IN ({marks})", chunk).fetchall():
                db.executemany("UPDATE keys SET docs = docs - 1 WHERE key = ?", [(k,) for k in json.loads(keys)])
            if few:  # each post's (term, doc) rows by their key: its stored text tokenized again, as it was
                texts = db.execute(f"SELECT rowid, {_fts_columns()} FROM posts WHERE rowid IN ({marks})", chunk)
                with self._scratch(texts.fetchall()) as vocab:
                    pairs = db.execute(f"SELECT DISTINCT term, doc FROM {vocab}").fetchall()
                db.executemany("DELETE FROM frequencies WHERE term = ? AND doc = ?", pairs)
                db.executemany("INSERT OR IGNORE INTO dirty(term) VALUES (?)", [(term,) for term, _doc in pairs])
            db.execute(f"DELETE FROM posts WHERE rowid IN ({marks})", chunk)
            db.execute(f"DELETE FROM docs WHERE id IN ({marks})", chunk)
        if ids and not few:  # one pass over the table for every removed post (an index on doc would slow every insert)
            removed = db.execute(
                "DELETE FROM frequencies WHERE doc IN (SELECT value FROM json_each(?)) RETURNING term",
                (json.dumps(ids),),
            ).fetchall()
            db.executemany("INSERT OR IGNORE INTO dirty(term) VALUES (?)", removed)
        db.execute("DELETE FROM keys WHERE docs <= 0")

    @contextmanager
    def _scratch(self, rows: Iterable[Sequence[object]]) -> Iterator[str]:
        """A scratch FTS5 table of ``(rowid, *columns)`` rows, with the same tokenizer: yields its 'instance' table."""
        db = self.db
        db.execute(f"CREATE VIRTUAL TABLE temp.scratch USING fts5({_fts_columns()}, tokenize='{TOKENIZER}')")
        db.execute("CREATE VIRTUAL TABLE temp.scratch_instances USING fts5vocab(temp, scratch, 'instance')")
        try:
            db.executemany(
                f"INSERT INTO temp.scratch(rowid, {_fts_columns()}) VALUES (?, {', '.join('?' for _ in COLUMNS)})",
                rows,
            )
            yield "temp.scratch_instances"
        finally:
            db.execute("DROP TABLE temp.scratch_instances")
            db.execute("DROP TABLE temp.scratch")

    def _count(self, rows: list[tuple[int, Document]], *, from_main: bool) -> None:
        """Store F per (term, post) and each post's length, read from FTS5's own 'instance' table.

        A first index reads the main table; later ones put only the new posts in
        a scratch table with the same tokenizer and read that, so an edit costs
        what the edited post costs.
        """
        db = self.db
        if from_main:
            db.execute("DELETE FROM encoded")  # every posting is new
            lengths = self._frequencies("posts_instances", "posts_docsize")
        else:
            with self._scratch([(doc_id, *doc.fields().values()) for doc_id, doc in rows]) as vocab:
                lengths = self._frequencies(vocab, "temp.scratch_docsize")
                # the stored postings of these terms are out of date
                db.execute(f"INSERT OR IGNORE INTO dirty(term) SELECT DISTINCT term FROM {vocab}")
        keys = parallel_map(_keys_of, [doc for _id, doc in rows], 500)  # each post's, as JSON
        docs = [
            (doc_id, doc.key, doc.digest, lengths.get(doc_id, 0), found)
            for (doc_id, doc), found in zip(rows, keys, strict=True)
        ]
        db.executemany("INSERT INTO docs(id, key, digest, length, keys) VALUES (?, ?, ?, ?, ?)", docs)
        # the posts using each key, counted by SQLite from the JSON (no Python object per key and post)
        db.execute(
            "INSERT INTO keys(key, docs) SELECT each.value, count(*) FROM docs, json_each(docs.keys) AS each "
            "WHERE docs.id >= ? GROUP BY each.value ORDER BY each.value "
            "ON CONFLICT(key) DO UPDATE SET docs = docs + excluded.docs",
            (rows[0][0] if rows else 0,),
        )

    def _frequencies(self, vocab: str, docsize: str) -> dict[int, int]:
        """Store F per (term, post) from an 'instance' table; each post's length, from its docsize table."""
        self.db.execute(_weighted_frequency_sql(vocab))
        return {doc_id: _tokens(sizes) for doc_id, sizes in self.db.execute(f"SELECT id, sz FROM {docsize}")}

    # --- statistics -------------------------------------------------------------------------

    def _collection(self) -> tuple[int, float]:
        count, total = self.db.execute("SELECT count(*), coalesce(sum(length), 0) FROM docs").fetchone()
        return count, (total / count if count else 0.0)

    def document_frequencies(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT term, doc FROM posts_rows"))

    def _norms(self) -> tuple[dict[str, float], dict[int, str], dict[int, float]]:
        """Each term's idf, each post's key and its length norm ``k1 * (1 - b + b * D / avgdl)``."""
        rows, avgdl = self._collection()
        keys = {}
        norms = {}
        for doc, key, length in self.db.execute("SELECT id, key, length FROM docs"):
            keys[doc] = key
            norms[doc] = K1 * (1 - B + B * length / avgdl)
        idfs = {}
        for term, hits in self.db.execute("SELECT term, doc FROM posts_rows"):  # in term order
            idfs[term] = idf(rows, hits)
        return idfs, keys, norms

    # the module docstring's formula, with fts5_aux.c's doubles and order of operations:
    # weight = idf * ((F * (k1 + 1.0)) / (F + norm))

    def weights(self) -> Iterator[tuple[str, str, float]]:
        idfs, keys, norms = self._norms()
        query = "SELECT term, doc, weighted FROM frequencies ORDER BY term, doc"  # the table's own order: no sort
        for term, found in groupby(self.db.execute(query), key=itemgetter(0)):
            idf = idfs[term]
            for _term, doc, weighted in found:
                yield term, keys[doc], idf * ((weighted * (K1 + 1.0)) / (weighted + norms[doc]))

    def _next_id(self) -> int:
        """The id of the next post indexed: ids are never used twice (``fts5_postings`` tells new posts by them)."""
        (largest,) = self.db.execute("SELECT max(id) FROM docs").fetchone()
        stored = self.db.execute("SELECT value FROM meta WHERE name = 'next_id'").fetchone()
        return max((largest or 0) + 1, int(stored[0]) if stored else 1)

    def encoded_postings(self, numbers: Mapping[str, int], scale: int) -> Iterator[tuple[str, int, str]]:
        """``weights`` quantized, numbered and encoded; only what changed since the last call is computed.

        See ``search.fts5_postings``: the postings are kept in this file, with the range of average
        lengths over which each weight holds.
        """
        docs = {doc: (key, length) for doc, key, length in self.db.execute("SELECT id, key, length FROM docs")}
        yield from fts5_postings.encode_postings(self.db, docs, numbers, scale, self._next_id())

    def keys(self) -> list[str]:
        """Every key (FORMAT.md) of every indexed post, sorted."""
        return [key for (key,) in self.db.execute("SELECT key FROM keys ORDER BY key")]

    # --- analysis and live queries ----------------------------------------------------------

    def analyze(self, words: Sequence[str]) -> dict[str, list[str]]:
        missing = sorted({w for w in words if w not in self._analysis})
        if missing:
            db = self.db
            db.execute(f"CREATE VIRTUAL TABLE temp.analysis USING fts5(word, tokenize='{TOKENIZER}')")
            db.execute("CREATE VIRTUAL TABLE temp.analysis_instances USING fts5vocab(temp, analysis, 'instance')")
            try:
                db.executemany("INSERT INTO temp.analysis(rowid, word) VALUES (?, ?)", enumerate(missing, start=1))
                found: dict[int, list[str]] = {}
                for term, doc in db.execute("SELECT term, doc FROM temp.analysis_instances ORDER BY doc, offset"):
                    found.setdefault(doc, []).append(term)
            finally:
                db.execute("DROP TABLE temp.analysis_instances")
                db.execute("DROP TABLE temp.analysis")
            for index, word in enumerate(missing, start=1):
                self._analysis[word] = sorted(set(found.get(index, [])))
        return {w: list(self._analysis[w]) for w in words}

    def keys_starting(self, prefix: str) -> list[str]:
        """Every key of every post that starts with ``prefix``."""
        upper = prefix + "\U0010ffff"
        rows = self.db.execute("SELECT key FROM keys WHERE key >= ? AND key < ? ORDER BY key", (prefix, upper))
        return [key for (key,) in rows]

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        frequencies = self.document_frequencies()
        plan = query_plan.plan(query, self.analyze, self.keys_starting, frequencies)
        groups = [[representative for _term, representative in word.terms] for word in plan.words if word.terms]
        if not groups:
            return []
        everything = " OR ".join(f'"{word}"' for group in groups for word in group)
        scores = {
            key: -rank
            for key, rank in self.db.execute(
                "SELECT d.key, bm25(posts, ?, ?, ?, ?) FROM posts JOIN docs d ON d.id = posts.rowid "
                "WHERE posts MATCH ?",
                (*FIELD_WEIGHTS.values(), everything),
            )
        }
        matched = dict.fromkeys(scores, 0)
        for group in groups:
            rows = self.db.execute(
                "SELECT d.key FROM posts JOIN docs d ON d.id = posts.rowid WHERE posts MATCH ?",
                (" OR ".join(f'"{word}"' for word in group),),
            )
            for (key,) in rows:
                matched[key] += 1
        ranked = sorted(scores, key=lambda key: (-matched[key], -scores[key], key))
        return [Hit(key, scores[key], matched[key]) for key in ranked[:limit]]

    def close(self) -> None:
        self.db.close()


def _keys_of(documents: Sequence[Document]) -> list[str]:
    """Each document's keys (FORMAT.md), sorted, as JSON."""
    return [
        json.dumps(sorted(distinct_words(" ".join(doc.fields().values()))), ensure_ascii=False) for doc in documents
    ]


def _tokens(sizes: bytes) -> int:
    """The length D of a row: the sum of the column sizes FTS5 keeps in its docsize table (varints)."""
    total = 0
    value = 0
    for byte in sizes:
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            total += value
            value = 0
    return total
