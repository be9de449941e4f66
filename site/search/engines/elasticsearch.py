"""The Elasticsearch engine: posts indexed into a real cluster, weights from its statistics.

A clean build writes a fresh index and swaps it in behind the alias
``KILN_ELASTICSEARCH_INDEX`` (the old index is deleted); an incremental
build sends only the posts whose digest changed and deletes the posts that
are gone. Either way the index ends with one shard and no deleted documents
(a force merge expunges them), so the term statistics Elasticsearch scores
with are those of the live posts alone: a clean and an incremental build
report the same weights, and the live query ranks as the static index does.
"""

from __future__ import annotations

import bisect
import hashlib
import time
import uuid
import warnings
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from elasticsearch import ElasticsearchWarning, helpers
from elasticsearch import exceptions as es_errors

from core.errors import ToolError
from search.engine import Document, Engine, Hit, Update
from search.engines import es_index, es_search, es_weights
from search.engines.es_client import LONG_TIMEOUT, Connection, document_id, reason, talking
from search.text import words

BATCH = 250  # posts per bulk request
ANALYZE_BATCH = 2000  # words per _analyze request (the node refuses more than 10,000 tokens)


class ElasticsearchEngine(Engine):
    name = "elasticsearch"
    stemmer = "porter"  # the English stemmer of Elasticsearch is Lucene's Porter stemmer

    def __init__(
        self,
        connection: Connection,
        *,
        index: str = "kiln",
        synonyms: Sequence[Sequence[str]] = es_index.DEFAULT_SYNONYMS,
        hard_deletes: bool | None = None,
    ) -> None:
        """``hard_deletes``: create indexes without soft deletes, so that a force merge drops
        deleted posts at once; None decides by the server (7.x allows it, 8.x refuses)."""
        self.connection = connection
        self.alias = index
        self.synonyms = [tuple(group) for group in synonyms]
        self.rules = es_index.synonym_rules(self.synonyms)
        self.client = connection.client()
        self.hard_deletes = hard_deletes
        self._checked = False

    # -- talking to the cluster -------------------------------------------

    @contextmanager
    def _talking(self, doing: str) -> Iterator[None]:
        """Talk to the cluster, checking it first; its errors become one clear ToolError."""
        with talking(self.connection.url, doing):
            if not self._checked:
                self._check()
            yield

    def _check(self) -> None:
        try:
            info = self.client.info()
        except es_errors.TransportError as exc:
            if isinstance(exc, es_errors.ConnectionError | es_errors.AuthenticationException):
                raise
            raise ToolError(
                f"Elasticsearch at {self.connection.url} does not answer as a cluster's root URL does "
                f"({reason(exc)}): is KILN_ELASTICSEARCH_URL right?"
            ) from None
        self._checked = True
        number = str(info.get("version", {}).get("number", ""))
        major = number.split(".")[0]
        if major not in ("7", "8"):
            raise ToolError(
                f"Elasticsearch at {self.connection.url} is version {number or 'unknown'}; "
                "Kiln's client talks to 7.x and 8.x (see the README)"
            )
        if self.hard_deletes is None:
            self.hard_deletes = major == "7"

    def _current_index(self) -> str | None:
        """The index behind the alias, or None before the first build."""
        if not self.client.indices.exists_alias(name=self.alias):
            if self.client.indices.exists(index=self.alias):
                raise ToolError(
                    f"Elasticsearch at {self.connection.url} has an index named {self.alias!r} that is not "
                    "Kiln's alias: set KILN_ELASTICSEARCH_INDEX to another name (Kiln never deletes it)"
                )
            return None
        names = sorted(self.client.indices.get_alias(name=self.alias))
        if len(names) != 1:
            raise ToolError(f"the alias {self.alias!r} points at {len(names)} indexes ({', '.join(names)}), not one")
        return names[0]

    def _definition_of(self, index: str) -> str:
        mapping = self.client.indices.get_mapping(index=index)[index]["mappings"]
        return mapping.get("_meta", {}).get("kiln", {}).get("definition", "")

    # -- the Engine interface ------------------------------------------------

    def update(self, documents: Sequence[Document], *, clean: bool = False, kept: Collection[str] = ()) -> Update:
        if kept:
            raise ValueError("Elasticsearch is sent every document (its engine has no cheap indexed())")
        with self._talking("update the search index"):
            definition = es_index.body(self.rules, hard_deletes=bool(self.hard_deletes))
            current = self._current_index()
            wanted = definition["mappings"]["_meta"]["kiln"]["definition"]
            if clean or current is None or self._definition_of(current) != wanted:
                self._rebuild(documents, definition, current)
                return Update(added=len(documents))
            update = self._send_changes(current, documents)
            if self._deleted(current):
                # the server keeps deleted posts for a while (soft deletes), and they would
                # count in the statistics: write the index afresh instead
                self._rebuild(documents, definition, current)
            return update

    def _rebuild(self, documents: Sequence[Document], definition: dict, current: str | None) -> None:
        """Write a fresh index, then swap the alias to it in one step and delete the old one."""
        fresh = f"{self.alias}-{time.strftime('%Y%m%d%H%M%S', time.gmtime())}-{uuid.uuid4().hex[:8]}"
        with warnings.catch_warnings():
            # 7.x warns that turning soft deletes off is deprecated: it is what makes deletes exact
            warnings.simplefilter("ignore", ElasticsearchWarning)
            self.client.indices.create(index=fresh, **definition, request_timeout=LONG_TIMEOUT)
        try:
            self._bulk(self._index_action(fresh, document) for document in documents)
            self.client.indices.refresh(index=fresh)
            actions: list[dict] = [{"add": {"index": fresh, "alias": self.alias}}]
            if current is not None:
                actions.insert(0, {"remove": {"index": current, "alias": self.alias}})
            self.client.indices.update_aliases(body={"actions": actions})
        except BaseException:
            self.client.indices.delete(index=fresh, ignore_unavailable=True)
            raise
        if current is not None:
            self.client.indices.delete(index=current)

    def _send_changes(self, index: str, documents: Sequence[Document]) -> Update:
        """Send the posts whose digest changed, delete the posts that are gone."""
        indexed = self._digests(index)
        wanted = {document_id(document.key): document for document in documents}
        actions: list[dict] = []
        added = changed = 0
        for doc_id, document in wanted.items():
            if doc_id not in indexed:
                added += 1
            elif indexed[doc_id] != document.digest:
                changed += 1
            else:
                continue
            actions.append(self._index_action(index, document))
        gone = sorted(set(indexed) - set(wanted))
        actions += [{"_op_type": "delete", "_index": index, "_id": doc_id} for doc_id in gone]
        if actions:
            self._bulk(actions)
            self.client.indices.refresh(index=index)
            if changed or gone:
                self._expunge_deletes(index)
        return Update(added=added, changed=changed, removed=len(gone), unchanged=len(wanted) - added - changed)

    def _digests(self, index: str) -> dict[str, str]:
        hits = helpers.scan(self.client, index=index, query={"query": {"match_all": {}}}, _source=["digest"], size=1000)
        return {hit["_id"]: hit["_source"]["digest"] for hit in hits}

    def _index_action(self, index: str, document: Document) -> dict:
        cut = {field: words(text) for field, text in document.fields().items()}
        source: dict[str, Any] = {field: " ".join(found) for field, found in cut.items()}
        keys = sorted({key for found in cut.values() for key in found})
        source.update(key=document.key, keys=keys, digest=document.digest, shown_title=document.title)
        return {"_op_type": "index", "_index": index, "_id": document_id(document.key), "_source": source}

    def _bulk(self, actions: Any) -> None:
        for _ok, _item in helpers.streaming_bulk(
            self.client, actions, chunk_size=BATCH, max_retries=0, request_timeout=LONG_TIMEOUT
        ):
            pass

    def _expunge_deletes(self, index: str) -> None:
        """Merge away deleted posts, which Lucene's statistics count until their segment merges."""
        self.client.indices.forcemerge(index=index, only_expunge_deletes=True, request_timeout=LONG_TIMEOUT)
        self.client.indices.refresh(index=index)

    def _deleted(self, index: str) -> int:
        stats = self.client.indices.stats(index=index, metric="docs")
        return stats["indices"][index]["primaries"]["docs"]["deleted"]

    def weights(self) -> Iterator[tuple[str, str, float]]:
        with self._talking("read the term statistics"):
            index = self._current_index()
            if index is None:
                return iter(())
            if self._deleted(index):
                self._expunge_deletes(index)
                if self._deleted(index):
                    raise ToolError(
                        f"the search index {index} holds deleted posts that its statistics still count: "
                        "build again with --clean"
                    )
            scores = es_weights.scores(self.client, index)
            order = sorted(scores)
            es_weights.check(self.client, index, {pair: scores[pair] for pair in order[:: max(1, len(order) // 4)]})
        return ((term, key, scores[term, key]) for term, key in order)

    def analyze(self, words_: Sequence[str]) -> dict[str, list[str]]:
        result: dict[str, list[str]] = {}
        unique = list(dict.fromkeys(words_))
        with self._talking("analyse words"):
            index = self._current_index() or self._scratch_index()
            for start in range(0, len(unique), ANALYZE_BATCH):
                result.update(self._analyze(index, unique[start : start + ANALYZE_BATCH]))
        return result

    def _analyze(self, index: str, batch: list[str]) -> dict[str, list[str]]:
        """Analyse many words in one request; each token goes back to its word by its offset."""
        text = " ".join(batch)
        starts, offset = [], 0
        for word in batch:
            starts.append(offset)
            offset += len(word.encode("utf-16-le")) // 2 + 1  # the node counts UTF-16 units
        answer = self.client.indices.analyze(index=index, body={"analyzer": es_index.SEARCH_ANALYZER, "text": text})
        terms: dict[str, list[str]] = {word: [] for word in batch}
        for token in answer["tokens"]:
            word = batch[bisect.bisect_right(starts, token["start_offset"]) - 1]
            terms[word].append(token["token"])
        return {word: sorted(set(found)) for word, found in terms.items()}

    def _scratch_index(self) -> str:
        raise ToolError(f"there is no search index {self.alias!r} yet: update it before analysing words")

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        with self._talking("search"):
            return es_search.search(self.client, self.alias, self.analyze, query, limit)

    def live(self, query: str, limit: int = 10) -> list[dict]:
        """What ``serve``'s live endpoint answers: a forgiving query (typos, title phrases)."""
        with self._talking("search"):
            return es_search.live(self.client, self.alias, query, limit)

    def vocabulary(self) -> list[str]:
        return es_index.synonym_words(self.synonyms)

    def close(self) -> None:
        self.client.transport.close()


def from_settings(values: Any) -> ElasticsearchEngine:
    """The engine the ``KILN_ELASTICSEARCH_*`` settings describe (``KILN_ELASTICSEARCH_URL`` is set)."""
    connection = Connection(
        url=values["ELASTICSEARCH_URL"],
        api_key=values["ELASTICSEARCH_API_KEY"],
        username=values["ELASTICSEARCH_USERNAME"],
        password=values["ELASTICSEARCH_PASSWORD"],
        ca_certs=values["ELASTICSEARCH_CA_CERTS"],
        timeout=values["ELASTICSEARCH_TIMEOUT"],
    )
    synonyms = list(es_index.DEFAULT_SYNONYMS)
    if values["ELASTICSEARCH_SYNONYMS"]:
        synonyms += es_index.read_synonyms(Path(values["ELASTICSEARCH_SYNONYMS"]), words)
    return ElasticsearchEngine(connection, index=values["ELASTICSEARCH_INDEX"], synonyms=synonyms)


def settings_digest(values: Any) -> str:
    """What of the settings shapes the static index: the alias and the synonyms file's words."""
    digest = hashlib.sha256(values["ELASTICSEARCH_INDEX"].encode() + b"\0")
    if values["ELASTICSEARCH_SYNONYMS"]:
        try:
            digest.update(Path(values["ELASTICSEARCH_SYNONYMS"]).read_bytes())
        except OSError:
            digest.update(b"unreadable")  # from_settings reports it
    return digest.hexdigest()
