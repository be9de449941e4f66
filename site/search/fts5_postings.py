"""FTS5's postings as the static index writes them, kept between builds so that an edit re-encodes little.

A posting's stored weight is ``q = int(w * scale + 0.5)`` with (``search.fts5``)::

    w = idf * F * (k1 + 1) / (F + k1 * (1 - b) + k1 * b * D / avgdl)

An edited post changes ``avgdl`` a little, and the statistics of its own
terms; nothing else. ``w`` grows with ``avgdl``, so each posting's ``q``
holds over a range of ``avgdl`` that the formula gives in closed form; that
range is stored per posting (narrowed by a millionth of a unit of ``q``, far
more than floating-point rounding can move it), and a term's range is the
intersection of its postings'. A build re-encodes:

- everything, when the number of posts, their numbering or the scale changed
  (every ``idf``, or every post number, moved);
- a term of an edited post (``dirty``): its postings of the edited posts,
  or all of them when the set of posts holding it changed (its ``idf`` moved);
- a term whose range no longer holds ``avgdl``: only the postings whose own
  range does not.

Every other term's text is the one stored. Each ``q`` is therefore what the
formula gives at today's ``avgdl``: the bytes a clean build writes.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import sqlite3
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate

from core.workers import parallel_map

from .engine import encode

K1 = 1.2
B = 0.75
IDF_FLOOR = 1e-6
MARGIN = 1e-6  # in units of q: how far inside its exact range a posting's stored range ends
SCHEMA = """
    -- each term's postings as the static index writes them, the range of avgdl over which none of
    -- their weights moves, and each posting's own range (two arrays of doubles)
    CREATE TABLE encoded(term TEXT PRIMARY KEY, df INTEGER NOT NULL, lo REAL NOT NULL, hi REAL NOT NULL,
                         text TEXT NOT NULL, ranges BLOB NOT NULL);
    -- the terms of posts indexed or removed since the postings were encoded
    CREATE TABLE dirty(term TEXT PRIMARY KEY) WITHOUT ROWID;
"""


def idf(rows: int, hits: int) -> float:
    value = math.log((rows - hits + 0.5) / (hits + 0.5))
    return value if value > 0.0 else IDF_FLOOR


class Weigher:
    """The quantized weight of a posting, and the range of avgdl over which it holds."""

    def __init__(self, avgdl: float, scale: int) -> None:
        self.avgdl = avgdl
        self.scale = scale
        self.k = K1 + 1.0

    def weigh(self, term_idf: float, weighted: float, length: int) -> tuple[int, float, float]:
        """One posting's ``q``, and the bounds ``lo <= avgdl < hi`` of the range over which it holds."""
        qs, los, his = self.weigh_all(term_idf, [(0, weighted, length)])
        return qs[0], los[0], his[0]

    def weigh_all(self, term_idf: float, postings: list[tuple[int, float, int]]) -> tuple[list[int], array, array]:
        """``weigh`` for many ``(number, F, D)`` of one term: the weights, then the ranges' bounds as arrays."""
        avgdl, k, scale = self.avgdl, self.k, self.scale
        if term_idf * k * scale < 0.25:  # w < idf * k whatever F, D and avgdl: q is 0 at any avgdl (idf floored)
            return [0] * len(postings), array("d", bytes(8 * len(postings))), array("d", [math.inf]) * len(postings)
        qs = [
            int(term_idf * ((f * k) / (f + K1 * (1 - B + B * length / avgdl))) * scale + 0.5)
            for _n, f, length in postings
        ]
        # w(a) = idf * F * k / (F + rest + slope * D / a) reaches t = (q +- 0.5 -+ margin) / scale, a bound of
        # the range (narrowed by the margin), at a = slope * D / (idf * F * k / t - F - rest); never when that is <= 0
        top = term_idf * k * scale
        rest = K1 * (1 - B)
        slope = K1 * B
        his = array(
            "d",
            [
                slope * length / gap if (gap := top * f / (q + 0.5 - MARGIN) - f - rest) > 0 else math.inf
                for q, (_n, f, length) in zip(qs, postings, strict=True)
            ],
        )
        los = array(
            "d",
            [
                0.0
                if q == 0
                else slope * length / gap
                if (gap := top * f / (q - 0.5 + MARGIN) - f - rest) > 0
                else math.inf
                for q, (_n, f, length) in zip(qs, postings, strict=True)
            ],
        )
        return qs, los, his


def numbering_stamp(rows: int, scale: int, numbers: Mapping[str, int]) -> str:
    return hashlib.sha256(json.dumps([rows, scale, sorted(numbers.items())]).encode()).hexdigest()


OF_TERM = "SELECT doc, weighted FROM frequencies WHERE term = ?"
TERMS_PER_WORKER = 200  # a first index's postings are weighed on every core from this many terms on


@dataclass(frozen=True)
class Weighing:
    """What weighing a term's postings from its rows takes (picklable: workers get it)."""

    number: Mapping[int, int]  # post id -> post number
    lengths: Mapping[int, int]  # post id -> D
    avgdl: float
    scale: int
    rows: int

    def compute(self, df: int, rows: Iterable[tuple[int, float]]) -> tuple[int, str, float, float, bytes]:
        """``(df, text, lo, hi, ranges)`` of a term in ``df`` posts, from its ``(post id, F)`` rows."""
        number, lengths = self.number, self.lengths
        ordered = sorted([(number[d], f, lengths[d]) for d, f in rows])
        qs, los, his = Weigher(self.avgdl, self.scale).weigh_all(idf(self.rows, df), ordered)
        text = encode(zip([n for n, _f, _length in ordered], qs, strict=True))
        return len(qs), text, max(los), min(his), los.tobytes() + his.tobytes()


def _weigh_terms(path: str, weighing: Weighing, terms: Sequence[tuple[str, int]]) -> list[tuple]:
    """``Weighing.compute`` for each ``(term, df)``, its rows read through a connection of this process."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [weighing.compute(df, db.execute(OF_TERM, (term,))) for term, df in terms]
    finally:
        db.close()


class _Encoder:
    """One build's postings: the stored ones brought up to date, term by term."""

    def __init__(
        self, db: sqlite3.Connection, docs: Mapping[int, tuple[str, int]], numbers: Mapping[str, int], scale: int
    ) -> None:
        self.db = db
        self.rows = len(docs)
        self.avgdl = sum(length for _key, length in docs.values()) / self.rows if self.rows else 0.0
        self.weigher = Weigher(self.avgdl, scale)
        self.number = {doc: numbers[key] for doc, (key, _length) in docs.items()}
        self.doc_of = {n: doc for doc, n in self.number.items()}
        self.lengths = {doc: length for doc, (_key, length) in docs.items()}
        self.dfs: dict[str, int] = {}
        self.below = 0
        self.edited: set[int] = set()
        self.dirty: set[str] = set()

    def since(self, below: int, *, stored: bool) -> None:
        """Posts with ids from ``below`` on are new since the stored postings; their terms are ``dirty``.

        ``stored``: the table ``encoded`` holds every term of the posts as they were, so each term's
        number of posts is its stored ``df`` unless it is dirty (then counted again); else it is read
        counted from ``frequencies`` (in one pass of its own order: FTS5's 'row' table costs more).
        """
        self.below = below
        self.edited = {n for doc, n in self.number.items() if doc >= below}
        self.dirty = {term for (term,) in self.db.execute("SELECT term FROM dirty")}
        if not stored:
            self.dfs = dict(self.db.execute("SELECT term, count(*) FROM frequencies GROUP BY term ORDER BY term"))
            return
        self.dfs = dict(self.db.execute("SELECT term, df FROM encoded"))
        for term in self.dirty:
            (count,) = self.db.execute("SELECT count(*) FROM frequencies WHERE term = ?", (term,)).fetchone()
            if count:
                self.dfs[term] = count
            else:
                self.dfs.pop(term, None)

    def weighing(self) -> Weighing:
        return Weighing(self.number, self.lengths, self.avgdl, self.weigher.scale, self.rows)

    def fresh(self, term: str, rows: Iterable[tuple[int, float]]) -> tuple[int, str]:
        """A term's postings computed from its rows of ``frequencies``, and stored."""
        return self.store(term, self.weighing().compute(self.dfs[term], rows))

    def store(self, term: str, computed: tuple[int, str, float, float, bytes]) -> tuple[int, str]:
        self.db.execute(
            "INSERT OR REPLACE INTO encoded(term, df, text, lo, hi, ranges) VALUES (?, ?, ?, ?, ?, ?)",
            (term, *computed),
        )
        return computed[0], computed[1]

    def kept(self, term: str, rowid: int, df: int, lo: float, hi: float, text: str) -> tuple[int, str]:
        """A stored term's postings at today's average length."""
        db = self.db
        holds = lo <= self.avgdl < hi  # no posting of the term crosses a bound of its range
        if term not in self.dirty and holds:
            return df, text
        parts = text[1:-1].split(",")
        posts = list(accumulate(map(int, parts[0::2])))
        redo: dict[int, float | None] = {}  # position -> F, when known
        if term in self.dirty:
            new = {self.number[d]: f for d, f in db.execute(OF_TERM + " AND doc >= ?", (term, self.below))}
            had = {n for n in self.edited if (i := bisect_left(posts, n)) < df and posts[i] == n}
            if self.dfs[term] != df or had != new.keys():
                return self.fresh(term, db.execute(OF_TERM, (term,)))  # its idf moved: all of it
            redo.update((bisect_left(posts, n), f) for n, f in new.items())
        term_idf = idf(self.rows, df)

        def weigh(i: int, f: float | None) -> tuple[float, float]:
            doc = self.doc_of[posts[i]]
            if f is None:
                f = db.execute(OF_TERM + " AND doc = ?", (term, doc)).fetchone()[1]
            q, low, high = self.weigher.weigh(term_idf, f, self.lengths[doc])
            parts[2 * i + 1] = str(q)
            return low, high

        if holds:  # only the edited posts' postings move: their ranges are written in place
            with db.blobopen("encoded", "ranges", rowid) as blob:
                for i, f in redo.items():
                    low, high = weigh(i, f)
                    blob.seek(8 * i)
                    blob.write(array("d", [low]).tobytes())
                    blob.seek(8 * (df + i))
                    blob.write(array("d", [high]).tobytes())
                    lo, hi = max(lo, low), min(hi, high)  # within the postings' intersection: safe
            text = "[" + ",".join(parts) + "]"
            db.execute("UPDATE encoded SET lo = ?, hi = ?, text = ? WHERE rowid = ?", (lo, hi, text, rowid))
            return df, text
        (blob,) = db.execute("SELECT ranges FROM encoded WHERE rowid = ?", (rowid,)).fetchone()
        los = array("d")
        los.frombytes(blob[: 8 * df])
        his = array("d")
        his.frombytes(blob[8 * df :])
        avgdl = self.avgdl
        redo.update((i, None) for i, bound in enumerate(los) if bound > avgdl and i not in redo)
        redo.update((i, None) for i, bound in enumerate(his) if bound <= avgdl and i not in redo)
        for i, f in redo.items():
            los[i], his[i] = weigh(i, f)
        text = "[" + ",".join(parts) + "]"
        db.execute(
            "UPDATE encoded SET lo = ?, hi = ?, text = ?, ranges = ? WHERE rowid = ?",
            (max(los), min(his), text, los.tobytes() + his.tobytes(), rowid),
        )
        return df, text


def encode_postings(
    db: sqlite3.Connection,
    docs: Mapping[int, tuple[str, int]],
    numbers: Mapping[str, int],
    scale: int,
    next_id: int,
) -> list[tuple[str, int, str]]:
    """``(term, df, text)`` for every term, ascending; the stored postings brought up to date.

    ``docs`` maps each post's id to its key and length, ``next_id`` is the id the next indexed
    post will get (ids only grow, so posts indexed since the last call have ids at or above the
    ``next_id`` of that call).
    """
    encoder = _Encoder(db, docs, numbers, scale)
    stamp = numbering_stamp(encoder.rows, scale, numbers)
    meta = dict(db.execute("SELECT name, value FROM meta WHERE name IN ('encoded', 'encoded_below')"))
    found: list[tuple[str, int, str]] = []
    with db:
        stored = meta.get("encoded") == stamp
        if not stored:
            db.execute("DELETE FROM encoded")
        stored = stored and db.execute("SELECT 1 FROM encoded LIMIT 1").fetchone() is not None
        encoder.since(int(meta.get("encoded_below", 0)), stored=stored)
        cached = {row[0]: row[1:] for row in db.execute("SELECT term, rowid, df, lo, hi, text FROM encoded")}
        db.executemany("DELETE FROM encoded WHERE term = ?", [(t,) for t in cached.keys() - encoder.dfs.keys()])
        if not cached:  # nothing to reuse: every term weighed, on every core (the rows are committed)
            # (a ``done`` makes parallel_map's slices small: less of the results is pickled at once)
            terms = list(encoder.dfs.items())  # in term order
            db.commit()  # the other connections read the table; none may wait on this one's lock
            path = db.execute("PRAGMA database_list").fetchone()[2]
            weigh = functools.partial(_weigh_terms, path, encoder.weighing())
            for (term, _df), computed in zip(
                terms, parallel_map(weigh, terms, TERMS_PER_WORKER, lambda _n: None), strict=True
            ):
                found.append((term, *encoder.store(term, computed)))
        else:
            for term in sorted(encoder.dfs):
                known = cached.get(term)
                if known is None:
                    found.append((term, *encoder.fresh(term, db.execute(OF_TERM, (term,)))))
                else:
                    found.append((term, *encoder.kept(term, *known)))
        db.execute("DELETE FROM dirty")
        db.executemany(
            "INSERT OR REPLACE INTO meta(name, value) VALUES (?, ?)",
            [("encoded", stamp), ("encoded_below", str(next_id))],
        )
    return found
