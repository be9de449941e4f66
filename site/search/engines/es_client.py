"""Talking to an Elasticsearch cluster: where it is, how to log in, what its errors mean."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from elasticsearch import Elasticsearch, helpers
from elasticsearch import exceptions as es_errors

from core.errors import ToolError

# seconds for the requests whose work grows with the site (bulk, merge, term vectors)
LONG_TIMEOUT = 600


@dataclass(frozen=True)
class Connection:
    """Where the cluster is and how to log in to it."""

    url: str
    api_key: str = ""
    username: str = ""
    password: str = ""
    ca_certs: str = ""
    timeout: float = 10.0

    def client(self) -> Elasticsearch:
        options: dict[str, Any] = {"timeout": self.timeout, "max_retries": 0, "retry_on_timeout": False}
        if self.api_key:
            options["api_key"] = self.api_key
        elif self.username:
            options["http_auth"] = (self.username, self.password)
        if self.ca_certs:
            options["ca_certs"] = self.ca_certs
        return Elasticsearch([self.url], **options)


def document_id(key: str) -> str:
    """A post's document id: its key can be longer than the 512 bytes an id may hold."""
    return hashlib.sha1(key.encode()).hexdigest()


@contextmanager
def talking(url: str, doing: str) -> Iterator[None]:
    """Turn the client's exceptions into one clear ToolError, never a traceback."""
    where = f"Elasticsearch at {url}"
    try:
        yield
    except es_errors.ConnectionError as exc:
        raise ToolError(
            f"{where} did not answer ({reason(exc)}) while trying to {doing}: "
            "is it running, and are KILN_ELASTICSEARCH_URL and its timeout right?"
        ) from None
    except es_errors.AuthenticationException:
        raise ToolError(
            f"{where} refused the credentials: check KILN_ELASTICSEARCH_API_KEY, "
            "or KILN_ELASTICSEARCH_USERNAME and KILN_ELASTICSEARCH_PASSWORD"
        ) from None
    except es_errors.AuthorizationException as exc:
        raise ToolError(f"{where} does not let this user {doing}: {reason(exc)}") from None
    except es_errors.UnsupportedProductError:
        raise ToolError(
            f"{where} is not an Elasticsearch this client can talk to (7.x, or 8.x with "
            "ELASTIC_CLIENT_APIVERSIONING=true; see the README): is KILN_ELASTICSEARCH_URL right?"
        ) from None
    except es_errors.TransportError as exc:
        raise ToolError(f"{where} failed to {doing}: {reason(exc)}") from None
    except helpers.BulkIndexError as exc:
        first = exc.errors[0] if exc.errors else {}
        raise ToolError(f"{where} refused {len(exc.errors)} post(s) while trying to {doing}: {first}") from None


def reason(exc: Exception) -> str:
    """The short reason in a client exception: the node's error type and reason, or the socket's."""
    info = getattr(exc, "info", None)
    if isinstance(info, dict) and isinstance(info.get("error"), dict):
        error = info["error"]
        return f"{error.get('type', 'error')}: {error.get('reason', '')}".strip()
    if isinstance(info, Exception):
        return str(info).split(": ", 1)[-1][:200]
    status = getattr(exc, "status_code", None)
    return f"HTTP {status}" if isinstance(status, int) else str(exc)[:200]
