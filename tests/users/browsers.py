"""Signed-in browsers: test clients holding a cookie session and its CSRF token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient


@dataclass
class Browser:
    """One browser signed in as an agent: cookie session plus the X-CSRF-Token it got."""

    client: FlaskClient
    csrf_token: str

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {"X-CSRF-Token": self.csrf_token, **kwargs.pop("headers", {})}
        return self.client.open("/api/v1" + path, method=method, headers=headers, **kwargs)

    def me(self) -> int:
        return self.client.get("/api/v1/me").status_code

    @property
    def cookie(self) -> str:
        found = self.client.get_cookie("session")
        assert found is not None
        return found.value


def copy_of(app: Flask, cookie: str) -> FlaskClient:
    """Another client carrying a copied session cookie (what a thief would hold)."""
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client
