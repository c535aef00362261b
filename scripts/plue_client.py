"""The HTTP plumbing shared by the SDK scripts beside this file (seed 000's Python SDK):
configuration from ``PLUE_URL`` / ``PLUE_TOKEN``, one error type, and Gitea-style pagination.

Run any script directly (``python scripts/user_management.py``): Python puts this folder on
the import path, so ``from plue_client import PlueClient`` finds this module.
"""

from __future__ import annotations

import os
from typing import Any, Iterator

import requests

DEFAULT_URL = "http://127.0.0.1:8000"


class PlueAPIError(Exception):
    """The server answered with an unexpected status; ``message`` is its explanation."""

    def __init__(self, method: str, url: str, status: int, message: str):
        super().__init__(f"{method} {url} -> {status}: {message}")
        self.status = status
        self.message = message


class PlueClient:
    """A token-authenticated session on ``<PLUE_URL>/api/v1``."""

    default_timeout = 30.0

    def __init__(self, base_url: str | None = None, token: str | None = None, *,
                 session: requests.Session | None = None, timeout: float | None = None):
        base_url = (base_url or os.environ.get("PLUE_URL") or DEFAULT_URL).rstrip("/")
        self.base_url = base_url if base_url.endswith("/api/v1") else f"{base_url}/api/v1"
        token = token if token is not None else os.environ.get("PLUE_TOKEN")
        if not token:
            raise ValueError("no access token: set PLUE_TOKEN or pass token=")
        self.session = session or requests.Session()
        self.session.headers.update({"Authorization": f"token {token}",
                                     "Accept": "application/json"})
        self.timeout = timeout if timeout is not None else self.default_timeout

    def _request(self, method: str, path: str, *, expect: tuple[int, ...] = (200,),
                 **kwargs) -> requests.Response:
        url = f"{self.base_url}{path}"
        response = self.session.request(method, url, timeout=self.timeout,
                                        allow_redirects=False, **kwargs)
        if response.status_code not in expect:
            try:
                body = response.json()
                message = body.get("message") or body.get("error") or response.text
            except ValueError:
                message = response.text
            raise PlueAPIError(method, url, response.status_code, message)
        return response

    def _json(self, method: str, path: str, **kwargs) -> Any:
        return self._request(method, path, **kwargs).json()

    def _pages(self, path: str, params: dict | None = None, limit: int = 50) -> Iterator[dict]:
        """Every item of a paginated list, following the ``Link: rel="next"`` header."""
        response = self._request("GET", path, params={**(params or {}), "limit": limit})
        while True:
            yield from response.json()
            following = response.links.get("next")
            if not following:
                return
            response = self.session.get(following["url"], timeout=self.timeout)
            if response.status_code != 200:
                raise PlueAPIError("GET", following["url"], response.status_code, response.text)
