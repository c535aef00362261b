"""Falcon's router is compiled when the app is built (with its last route), not by the first
request: the preloading gunicorn master compiles it once for all its workers, instead of each
worker compiling it (≈ 5 MB held while it compiles) on its first request (docs/serving.md,
Memory)."""

from __future__ import annotations

import falcon.testing
from falcon.routing.compiled import CompiledRouter

from plue_core import create_app
from plue_core.testing import make_test_config


def test_a_built_app_answers_without_compiling_its_router(tmp_path, plue_database_url, monkeypatch):
    compiled = []
    original = CompiledRouter._compile

    def compile_(router):
        compiled.append(router)
        return original(router)

    monkeypatch.setattr(CompiledRouter, "_compile", compile_)
    app = create_app(make_test_config(tmp_path, plue_database_url))
    try:
        assert compiled == [app._router]
        client = falcon.testing.TestClient(app)
        assert client.simulate_get("/health").status_code == 200
        assert client.simulate_get("/api/v1/version").status_code == 200
        assert compiled == [app._router]
    finally:
        app.plue.close()
