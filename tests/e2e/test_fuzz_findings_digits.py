"""Numbers written with digits ``int`` refuses: ``"²"`` (and other superscripts) pass
``str.isdigit`` but ``int("²")`` raises, so every "is it a number?" check written as
``.isdigit()`` let them through to a 500: RunnerHub job and runner ids, tracked repository
ids and paging, Gitea's token ids and milestone filters, the web's page and filter numbers.
The one check is now ``plue_core.integers.is_digits`` (ASCII 0-9 only); found by
schemathesis with a random seed (``PLUE_SCHEMATHESIS_SEED=7``, 25 examples, PostgreSQL)."""

from __future__ import annotations

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.testing import basic_auth, fresh_database_url, make_test_config, make_user, migrate

ALICE = basic_auth("alice")
SUPERSCRIPT = "%C2%B2"  # "²", percent-encoded as a client sends it


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("digits")
    with fresh_database_url(tmp_path) as url:
        app = create_app(make_test_config(tmp_path, url))
        migrate(app)
        make_user(app.plue, "alice", admin=True)
        client = falcon.testing.TestClient(app)
        assert client.simulate_post("/api/v1/user/repos", json={"name": "demo", "auto_init": True},
                                    headers=ALICE).status_code == 201
        assert client.simulate_post("/api/v1/repos/alice/demo/issues", json={"title": "one"},
                                    headers=ALICE).status_code == 201
        assert client.simulate_post("/api/repos", json={"url": "https://github.com/a/b"},
                                    headers=ALICE).status_code == 201
        try:
            yield client
        finally:
            app.plue.close()


@pytest.mark.parametrize("method, path, query, status", [
    ("GET", f"/api/jobs/{SUPERSCRIPT}", "", 404),
    ("PUT", f"/api/jobs/{SUPERSCRIPT}/status", "", 404),
    ("GET", f"/api/runners/{SUPERSCRIPT}/status", "", 404),
    ("GET", "/api/jobs", f"limit={SUPERSCRIPT}", 400),
    ("POST", f"/api/repos/{SUPERSCRIPT}/webhook", "", 401),  # as for any unknown id
    ("GET", "/api/repos/1/commits", f"page={SUPERSCRIPT}", 400),
    ("DELETE", f"/api/v1/users/alice/tokens/{SUPERSCRIPT}", "", 404),
    ("GET", "/api/v1/repos/alice/demo/pulls", f"milestone={SUPERSCRIPT}", 422),
    ("GET", "/alice/demo/issues", f"page={SUPERSCRIPT}", 422),
    ("GET", "/alice/demo/issues", f"labels={SUPERSCRIPT}", 422),
])
def test_a_superscript_digit_where_a_number_is_due_is_a_4xx(client, method, path, query, status):
    response = client.simulate_request(method, path, query_string=query, headers=ALICE,
                                       json={"status": "completed"} if method == "PUT" else None)
    assert response.status_code == status, response.text


def test_is_digits_admits_only_ascii_decimal_digits():
    from plue_core.integers import is_digits

    assert is_digits("0123456789")
    assert not any(is_digits(text) for text in ("", "²", "١٢", "1²", "-1", "1.0", " 1"))
