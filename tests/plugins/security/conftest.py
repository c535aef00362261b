"""Fixtures for the security tests: an app whose advisory database is the OSV fixture next to
this file (the real Docker engine is plue_core.testing's ``docker_engine``)."""

from __future__ import annotations

import pathlib

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.testing import make_test_config, make_user, migrate
from plugins.plue_actions.testing import actions_forge  # noqa: F401  (a pytest fixture)

HERE = pathlib.Path(__file__).resolve().parent
ADVISORIES = HERE / "advisories"


@pytest.fixture
def build_security_app(tmp_path, plue_database_url):
    """``build(**security_settings)`` -> a migrated app (closed after the test)."""
    apps = []

    def build(**security):
        app = build_app(tmp_path, plue_database_url, **security)
        apps.append(app)
        return app

    yield build
    for app in apps:
        app.plue.close()


def build_app(tmp_path, plue_database_url, **security):
    config = make_test_config(tmp_path, plue_database_url,
                              security={"advisories_path": str(ADVISORIES), **security})
    app = create_app(config)
    migrate(app)
    return app


@pytest.fixture
def security_app(tmp_path, plue_database_url):
    app = build_app(tmp_path, plue_database_url)
    make_user(app.plue, "root", admin=True)
    make_user(app.plue, "viewer")
    yield app
    app.plue.close()


@pytest.fixture
def hub(security_app):
    return falcon.testing.TestClient(security_app)
