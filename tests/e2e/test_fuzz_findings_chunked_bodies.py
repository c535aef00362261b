"""A body sent with ``Transfer-Encoding: chunked`` (no Content-Length: what an HTTP client
streaming its body sends) was read as empty: a chunked issue was a 422 "title missing", and a
chunked PATCH answered 201 changing nothing. It is now read like any body, and held to
``max_body_size`` (413 past it) as a body with a Content-Length is. On the real server
(gunicorn takes the chunking off)."""

from __future__ import annotations

import pytest
import requests

from plue_core.testing import DEFAULT_PASSWORD, fresh_database_url, run_live_server

pytestmark = pytest.mark.e2e
LIMIT = 64 * 1024


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("chunked")
    with fresh_database_url(tmp_path) as url, \
            run_live_server(tmp_path, url, max_body_size=LIMIT) as server:
        server.plue("admin", "user", "create", "--username", "alice", "--password",
                    DEFAULT_PASSWORD, "--email", "alice@example.org")
        session = requests.Session()
        session.auth = ("alice", DEFAULT_PASSWORD)
        assert session.post(f"{server.url}/api/v1/user/repos", json={"name": "demo"},
                            timeout=60).status_code == 201
        yield server.url, session


def chunks(*parts: bytes):
    """A generator body: requests sends it chunked, without a Content-Length."""
    yield from parts


def test_a_chunked_json_body_is_read(site):
    url, session = site
    created = session.post(f"{url}/api/v1/repos/alice/demo/issues", timeout=60,
                           data=chunks(b'{"title": "sent', b' in chunks"}'),
                           headers={"Content-Type": "application/json"})
    assert created.status_code == 201, created.text
    assert created.json()["title"] == "sent in chunks"
    number = created.json()["number"]
    edited = session.patch(f"{url}/api/v1/repos/alice/demo/issues/{number}", timeout=60,
                           data=chunks(b'{"state": ', b'"closed"}'),
                           headers={"Content-Type": "application/json"})
    assert edited.status_code == 201, edited.text
    assert session.get(f"{url}/api/v1/repos/alice/demo/issues/{number}",
                       timeout=60).json()["state"] == "closed"


def test_a_chunked_body_past_the_limit_is_a_413(site):
    url, session = site
    response = session.post(f"{url}/api/v1/repos/alice/demo/issues", timeout=60,
                            data=chunks(b'{"title": "', b"x" * LIMIT, b'"}'),
                            headers={"Content-Type": "application/json"})
    assert response.status_code == 413, response.text
    assert f"limit of {LIMIT} bytes" in response.json()["message"]
