"""What Kiln's Elasticsearch index is: its analyzers, synonyms and mapping.

Posts reach Elasticsearch already cut into the static index's words (folded,
one space between words; see ``search/FORMAT.md``), so the whitespace
tokenizer sees exactly the words the browser sees, and the engine's terms
line up with the client's keys. The English part is Elasticsearch's own:
its stop words and its Porter stemmer.

Synonyms are applied when a post is indexed, not when a query is analysed:
a post saying "postgresql" is also indexed under "postgres". A query word
then makes one term, its weight in a post is plain BM25, and the static
index, which knows nothing of synonyms, ranks exactly as a live query does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from core.errors import ConfigError, Problem, display_path
from search.engine import FIELD_WEIGHTS
from search.engines import lucene

# bump when the index definition changes in a way that needs a fresh index
DEFINITION_VERSION = 1

DEFAULT_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("postgres", "postgresql"),
    ("js", "javascript"),
    ("k8s", "kubernetes"),
    ("golang", "go"),
)

INDEX_ANALYZER = "kiln_index"
SEARCH_ANALYZER = "kiln_search"
SIMILARITY = "kiln_bm25"


def read_synonyms(path: Path, words: Callable[[str], list[str]]) -> list[tuple[str, ...]]:
    """The site owner's synonym file: one group a line, words separated by commas.

    ``#`` starts a comment. Each entry is cut into words the way post text is
    (``words``), and a line must name at least two entries.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{display_path(path)}: cannot read the synonym file: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{display_path(path)}: the synonym file is not UTF-8") from None
    groups, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        group = tuple(dict.fromkeys(" ".join(words(entry)) for entry in line.split(",")))
        if len([word for word in group if word]) < 2 or "" in group:
            problems.append(Problem(display_path(path), number, f"a synonym line names two or more words: {line!r}"))
            continue
        groups.append(group)
    if problems:
        raise ConfigError("\n".join(str(problem) for problem in problems))
    return groups


def synonym_rules(groups: Iterable[Sequence[str]]) -> list[str]:
    """Rules in Elasticsearch's (Solr) format, each group once, in a stable order."""
    merged = sorted({tuple(sorted(set(group))) for group in groups})
    return [", ".join(group) for group in merged]


def synonym_words(groups: Iterable[Sequence[str]]) -> list[str]:
    """Every word of every synonym group: the static index must know them as words."""
    return sorted({word for group in groups for part in group for word in part.split()})


def body(synonyms: Sequence[str], *, hard_deletes: bool) -> dict:
    """The settings and mappings of a new index.

    ``hard_deletes`` turns soft deletes off (Elasticsearch 7 only): a force
    merge then drops deleted posts from the statistics at once, where soft
    deletes would keep them for hours.
    """
    text_field = {
        "type": "text",
        "analyzer": INDEX_ANALYZER,
        "search_analyzer": SEARCH_ANALYZER,
        "similarity": SIMILARITY,
    }
    definition = {
        "settings": {
            "index": {
                # one shard: term statistics are per shard, and the static index needs the whole site's
                "number_of_shards": 1,
                "number_of_replicas": 0,
                # a force merge after an incremental update drops every deleted post from the statistics
                "merge.policy.expunge_deletes_allowed": 0,
                "similarity": {SIMILARITY: {"type": "BM25", "k1": lucene.K1, "b": lucene.B}},
                **({"soft_deletes.enabled": False} if hard_deletes else {}),
            },
            "analysis": {
                "tokenizer": {"kiln_words": {"type": "whitespace", "max_token_length": 1024}},
                "filter": {
                    "kiln_synonyms": {"type": "synonym", "synonyms": list(synonyms)},
                    "kiln_stop": {"type": "stop", "stopwords": "_english_"},
                    "kiln_stemmer": {"type": "stemmer", "language": "english"},
                },
                "analyzer": {
                    INDEX_ANALYZER: {
                        "type": "custom",
                        "tokenizer": "kiln_words",
                        "filter": ["lowercase", "kiln_synonyms", "kiln_stop", "kiln_stemmer"],
                    },
                    SEARCH_ANALYZER: {
                        "type": "custom",
                        "tokenizer": "kiln_words",
                        "filter": ["lowercase", "kiln_stop", "kiln_stemmer"],
                    },
                },
            },
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "key": {"type": "keyword"},
                # the post's words as they are, for completing a prefix as the static index does
                "keys": {"type": "keyword"},
                "digest": {"type": "keyword", "index": False},
                "shown_title": {"type": "keyword", "index": False, "doc_values": False},
                **{field: dict(text_field) for field in FIELD_WEIGHTS},
            },
        },
    }
    definition["mappings"]["_meta"] = {"kiln": {"definition": fingerprint(definition)}}
    return definition


def fingerprint(definition: dict) -> str:
    """Names one index definition: an index made from another one is rebuilt, not updated."""
    text = json.dumps([DEFINITION_VERSION, definition], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
