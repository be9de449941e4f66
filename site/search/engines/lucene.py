"""Lucene's BM25, as Elasticsearch 7 scores a term in a field.

Lucene keeps a document's field length in one byte (``SmallFloat.intToByte4``):
lengths up to 23 are exact, longer ones are rounded down to four significant
bits. BM25 then reads the length back from that byte, so a weight computed
from the true length would not be the engine's. ``stored_length`` gives the
length the engine really uses.

The score of a term in a field (Lucene 8, the ``BM25Similarity`` with
``discountOverlaps``: tokens stacked on one position, like synonyms, do not
lengthen the field)::

    idf = ln(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5))
    tf  = freq / (freq + k1 * (1 - b + b * length / avgLength))
    score = boost * (k1 + 1) * idf * tf,  avgLength = sumTotalTermFreq / docCount

Elasticsearch 7 keeps the ``(k1 + 1)`` factor that Lucene 8 dropped (its
``LegacyBM25Similarity``): it changes no ranking, but it is in every score.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

K1 = 1.2
B = 0.75


def _int4(value: int) -> int:
    """A non-negative integer in Lucene's 4-bit float: 3 mantissa bits after an implicit one."""
    bits = value.bit_length()
    if bits < 4:
        return value
    shift = bits - 4
    return ((value >> shift) & 0x07) | ((shift + 1) << 3)


def _from_int4(code: int) -> int:
    shift = (code >> 3) - 1
    mantissa = code & 0x07
    return mantissa if shift < 0 else (mantissa | 0x08) << shift


# the byte codes below this stand for themselves; above, a 4-bit float of the rest
_EXACT = 255 - _int4(2**31 - 1)


def length_byte(length: int) -> int:
    """The one byte Lucene stores for a field of ``length`` tokens."""
    if length < 0:
        raise ValueError(f"a field length cannot be negative: {length}")
    return length if length < _EXACT else _EXACT + _int4(length - _EXACT)


def stored_length(length: int) -> int:
    """The field length BM25 reads back from the stored byte (at most ``length``)."""
    code = length_byte(length)
    return code if code < _EXACT else _EXACT + _from_int4(code - _EXACT)


@dataclass(frozen=True)
class FieldStats:
    """A field's statistics over the index: documents holding it, and all its tokens."""

    doc_count: int
    sum_total_term_freq: int

    @property
    def average_length(self) -> float:
        return self.sum_total_term_freq / self.doc_count


def idf(doc_freq: int, doc_count: int) -> float:
    return math.log(1 + (doc_count - doc_freq + 0.5) / (doc_freq + 0.5))


def bm25(freq: int, doc_freq: int, length: int, field: FieldStats, boost: float = 1.0) -> float:
    """The score of a term found ``freq`` times in a field of ``length`` tokens (its true length)."""
    norm = K1 * (1 - B + B * stored_length(length) / field.average_length)
    return boost * (K1 + 1) * idf(doc_freq, field.doc_count) * freq / (freq + norm)
