"""One signed call to an integration, and what its answer is worth.

The desk POSTs JSON and signs ``"<timestamp>.<body>"`` with the integration's secret
(docs/integrations.md says it precisely, for the people who write the other side).
Whatever goes wrong there (a timeout, a refused connection, an error status, a redirect,
an answer that is not a small JSON object) is an ``Answer`` with a short reason, never
an exception: one system being down must not take the panel, or the page, with it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests

from supportdesk.core.json_bodies import loads_untrusted
from supportdesk.core.time import utcnow

TIMESTAMP_HEADER = "X-Supportdesk-Timestamp"
SIGNATURE_HEADER = "X-Supportdesk-Signature"
#: seconds to connect, seconds between two reads, and seconds for the whole answer
TIMEOUT_SECONDS = 2.0
MAX_ANSWER_BYTES = 64 * 1024
#: deeper than this is no card anyone can read (and no JSON we want to walk)
MAX_DEPTH = 32
USER_AGENT = "Supportdesk context integration"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=`` and the hex HMAC-SHA256 of ``timestamp.body`` keyed by ``secret``."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


@dataclass(frozen=True)
class Answer:
    """What one integration said about one customer (``data``), or why it said nothing."""

    data: dict[str, Any] | None
    fetched_at: datetime
    error: str | None = None
    #: bytes of the answer as it came: what it costs in the cache
    size: int = 0

    @property
    def status(self) -> str:
        return "ok" if self.error is None else "unavailable"

    @classmethod
    def unavailable(cls, reason: str) -> Answer:
        return cls(None, utcnow(), reason)


class _Unavailable(Exception):
    pass


def ask(url: str, secret: str, body: bytes) -> Answer:
    """POST ``body`` to ``url``, signed; the answer's JSON object, or the reason it has none."""
    try:
        raw = _post(url, secret, body)
        return Answer(_json_object(raw), utcnow(), size=len(raw))
    except _Unavailable as reason:
        return Answer.unavailable(str(reason))


def _post(url: str, secret: str, body: bytes) -> bytes:
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "User-Agent": USER_AGENT,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }
    started = time.monotonic()
    try:
        with requests.Session() as http:
            # no proxies or ~/.netrc from the environment: the call goes where the admin said,
            # and carries no credentials but the signature
            http.trust_env = False
            with http.post(
                url,
                data=body,
                headers=headers,
                timeout=(TIMEOUT_SECONDS, TIMEOUT_SECONDS),
                allow_redirects=False,
                stream=True,
            ) as response:
                _check_status(response.status_code)
                return _read_capped(response, started)
    except requests.Timeout:
        raise _Unavailable(f"no answer within {TIMEOUT_SECONDS:g} s") from None
    except requests.ConnectionError:
        raise _Unavailable("could not connect") from None
    except (requests.RequestException, ValueError):  # a URL urllib3 cannot use, a bad chunk
        raise _Unavailable("the request failed") from None


def _check_status(status: int) -> None:
    if 300 <= status < 400:
        # never followed: a redirect could lead the desk's signed call anywhere
        raise _Unavailable(f"redirected (HTTP {status}); redirects are not followed")
    if not 200 <= status < 300:
        raise _Unavailable(f"HTTP {status}")


def _read_capped(response: requests.Response, started: float) -> bytes:
    """The body, decoded (a gzip bomb counts as what it unpacks to), up to the cap.

    A server that trickles its answer byte by byte meets no read timeout; the clock here
    bounds the whole answer.
    """
    if int(response.headers.get("Content-Length") or 0) > MAX_ANSWER_BYTES:
        raise _Unavailable(_too_big())
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=8192):
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            raise _Unavailable(_too_big())
        if time.monotonic() - started > TIMEOUT_SECONDS:
            raise _Unavailable(f"no answer within {TIMEOUT_SECONDS:g} s")
        chunks.append(chunk)
    return b"".join(chunks)


def _too_big() -> str:
    return f"the answer is over {MAX_ANSWER_BYTES // 1024} KB"


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        data = loads_untrusted(raw)
    except ValueError:  # JSONDecodeError, and bytes that are no Unicode text
        raise _Unavailable("the answer is not JSON") from None
    if not isinstance(data, dict):
        raise _Unavailable("the answer is not a JSON object")
    _check_shape(data)
    return data


def _check_shape(data: dict[str, Any]) -> None:
    """No deeper than ``MAX_DEPTH``, and no NaN or Infinity (Python reads them; the
    workspace's JSON could not carry them)."""
    level: list[Any] = [data]
    for _depth in range(MAX_DEPTH):
        below: list[Any] = []
        for value in level:
            if isinstance(value, dict):
                below.extend(value.values())
            elif isinstance(value, list):
                below.extend(value)
            elif isinstance(value, float) and not math.isfinite(value):
                raise _Unavailable("the answer has a number JSON cannot carry")
        if not below:
            return
        level = below
    raise _Unavailable(f"the answer nests deeper than {MAX_DEPTH} levels")


def request_body(customer: dict[str, Any]) -> bytes:
    """The bytes the desk sends (and signs): ``{"customer": ...}``, compact UTF-8 JSON."""
    return json.dumps({"customer": customer}, ensure_ascii=False, separators=(",", ":")).encode()
