"""The mail gate: ``supportdesk ingest-email --url``, a thin client for MTA pipe delivery.

An MTA runs its command once per message. Filing in-process starts Flask, SQLAlchemy and
the app for every one (about a second of CPU); the gate hands the raw message to the
running desk's inbound hook (``POST /hooks/email``) instead, as Request Tracker's
``rt-mailgate`` does. Standard library only, and ``supportdesk.console`` runs it before
click, Flask or the app is imported, so it starts in milliseconds.

Its exit status tells the MTA what to do (sysexits), as the in-process command's does:
0 stored, 65 (EX_DATAERR) bounce it: too large; 75 (EX_TEMPFAIL) keep it and try again:
anything else, a refused token too, since a wrong setting must never bounce customers' mail.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from http.client import HTTPException
from pathlib import Path
from typing import Any

from config import inbound_email_token

HOOK_PATH = "/hooks/email"
#: seconds a hung desk may keep the MTA waiting; the MTA then tries again later
TIMEOUT = 60.0
#: what the hook answers once the message is stored (202) or was stored before (200)
STORED = {200, 202}


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """urllib follows a POST's 301/302/303 as a GET without the body (an http:// address
    sent on to https://, say), which answers 200 with nothing stored."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def deliver(raw: bytes, base_url: str, timeout: float = TIMEOUT) -> int:
    """Hand ``raw`` to the desk at ``base_url``, print its receipt (JSON, one line) on
    stdout, or why it was not stored on stderr; the exit status for the MTA."""
    token = inbound_email_token()
    if not token:
        return _not_stored("SUPPORTDESK_INBOUND_EMAIL_TOKEN is not set: the desk's hook needs it.")
    request = urllib.request.Request(
        base_url.rstrip("/") + HOOK_PATH,
        data=raw,
        method="POST",
        headers={"Content-Type": "message/rfc822", "Authorization": f"Bearer {token}"},
    )
    try:
        status, answer = _post(request, timeout)
    except (OSError, HTTPException) as error:  # refused, unresolvable, timed out, cut off
        reason = getattr(error, "reason", None) or error
        return _not_stored(f"The desk at {base_url} did not answer: {reason}.")
    receipt = _json(answer)
    if status in STORED and {"ticket_id", "message_id"} <= receipt.keys():
        print(json.dumps(receipt))
        return os.EX_OK
    detail = receipt.get("detail") or receipt.get("title") or "no receipt"
    if status == 413:
        print(f"The desk refused the message as too large: {detail}", file=sys.stderr)
        return os.EX_DATAERR
    if status in (401, 403):
        detail += " Check SUPPORTDESK_INBOUND_EMAIL_TOKEN."
    return _not_stored(f"The desk at {base_url} answered {status}: {detail}")


def main(argv: list[str]) -> int:
    """``ingest-email --url URL [--file F]`` without click (see ``supportdesk.console``)."""
    parser = argparse.ArgumentParser(
        prog="supportdesk ingest-email",
        description="Hand one RFC 822 message to the running desk (see --help without --url).",
    )
    parser.add_argument("--url", required=True, help="the desk's address, http://host:port")
    parser.add_argument("--file", type=Path, help="default: stdin")
    options = parser.parse_args(argv)
    try:
        raw = options.file.read_bytes() if options.file else sys.stdin.buffer.read()
    except OSError as error:
        parser.error(f"cannot read {options.file}: {error.strerror}")
    return deliver(raw, options.url)


def _post(request: urllib.request.Request, timeout: float) -> tuple[int, bytes]:
    """The status and body of the answer, whatever the status."""
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read()


def _json(answer: bytes) -> dict[str, Any]:
    """The hook's answer, a receipt or a problem (RFC 9457); ``{}`` when it is neither."""
    try:
        body = json.loads(answer)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _not_stored(why: str) -> int:
    print(f"{why} The message is not stored; the MTA will try again.", file=sys.stderr)
    return os.EX_TEMPFAIL
