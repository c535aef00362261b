"""A date-time whose offset moves it outside the years 1 to 9999 once in UTC
(``0001-01-01T00:00:00+06:10``, ``9999-12-31T23:59:59-01:00``) made the conversion to UTC
raise OverflowError: a 500 for a pull request's or issue's ``due_date`` and for a ``since``
filter. It is the 4xx of any other bad date-time now, naming the field. Found by schemathesis
(``PLUE_SCHEMATHESIS_SEED=21``, 100 examples, PostgreSQL)."""

from __future__ import annotations

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.testing import basic_auth, fresh_database_url, make_test_config, make_user, migrate

ALICE = basic_auth("alice")
OUT_OF_RANGE = ["0001-01-01T00:00:00+06:10", "9999-12-31T23:59:59-01:00"]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("dates")
    with fresh_database_url(tmp_path) as url:
        app = create_app(make_test_config(tmp_path, url))
        migrate(app)
        make_user(app.plue, "alice")
        client = falcon.testing.TestClient(app)
        assert client.simulate_post("/api/v1/user/repos", json={"name": "demo", "auto_init": True},
                                    headers=ALICE).status_code == 201
        assert client.simulate_post("/api/v1/repos/alice/demo/branches", headers=ALICE,
                                    json={"new_branch_name": "topic"}).status_code == 201
        try:
            yield client
        finally:
            app.plue.close()


@pytest.mark.parametrize("when", OUT_OF_RANGE)
@pytest.mark.parametrize("path, body", [
    ("/api/v1/repos/alice/demo/issues", {"title": "t"}),
    ("/api/v1/repos/alice/demo/pulls", {"title": "t", "head": "topic", "base": "main"}),
])
def test_a_due_date_outside_the_utc_years_is_a_422_naming_it(client, path, body, when):
    response = client.simulate_post(path, headers=ALICE, json={**body, "due_date": when})
    assert response.status_code == 422, response.text
    assert "due_date" in response.json["message"] and "9999" in response.json["message"]


@pytest.mark.parametrize("when", OUT_OF_RANGE)
def test_a_since_filter_outside_the_utc_years_is_a_4xx(client, when):
    response = client.simulate_get("/api/v1/repos/alice/demo/issues", headers=ALICE,
                                   params={"since": when})
    assert 400 <= response.status_code < 500, response.text
