"""Fixtures for the monitoring tests: an app with small rate limits and a forge with
workflow runs (the actions plugin's shipped helpers)."""

from __future__ import annotations

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.testing import make_test_config, make_user, migrate
from plugins.plue_actions.testing import actions_forge  # noqa: F401  (a pytest fixture)


@pytest.fixture
def limited_app(tmp_path, plue_database_url):
    """Rate limits of 3 (auth, per IP) and 5 (general, per user) per hour."""
    config = make_test_config(tmp_path, plue_database_url,
                              monitoring={"rate_limit_auth": 3, "rate_limit_general": 5})
    app = create_app(config)
    migrate(app)
    make_user(app.plue, "alice")
    make_user(app.plue, "bob")
    yield app
    app.plue.close()


@pytest.fixture
def limited(limited_app):
    return falcon.testing.TestClient(limited_app)
