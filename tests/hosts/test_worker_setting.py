"""gunicorn runs Plue's own worker (gthread plus ``/api/ws``) with no setting to choose one."""

from __future__ import annotations

import os
import pathlib
import runpy

import pytest

import plue_hosts
from plue_hosts.worker import is_websocket_upgrade
from plue_core.config import load_config
from plue_core.errors import StartupError

CONF = pathlib.Path(plue_hosts.__file__).parent / "gunicorn.conf.py"


def gunicorn_settings(monkeypatch, **environ) -> dict:
    for key in [k for k in os.environ if k.startswith("PLUE_")]:
        monkeypatch.delenv(key)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    return runpy.run_path(str(CONF))


def test_the_default_worker_is_plues_gthread_worker_with_its_threads(monkeypatch):
    settings = gunicorn_settings(monkeypatch, PLUE_SERVER__THREADS="24")
    assert settings["worker_class"] == "plue_hosts.worker.PlueWorker" and settings["threads"] == 24


def test_the_removed_worker_setting_is_a_startup_error_naming_the_key():
    # `[server] worker = "asgi"` chose a slower worker for /api/ws; the default serves it now
    with pytest.raises(StartupError, match=r"server.*worker"):
        load_config(overrides={"server": {"worker": "asgi"}}, environ={})


class _Request:
    def __init__(self, method, headers):
        self.method, self.headers = method, headers


@pytest.mark.parametrize(("method", "headers", "upgrade"), [
    ("GET", [("UPGRADE", "WebSocket"), ("CONNECTION", "keep-alive, Upgrade")], True),
    ("GET", [("UPGRADE", "websocket"), ("CONNECTION", "upgrade")], True),
    ("POST", [("UPGRADE", "websocket"), ("CONNECTION", "upgrade")], False),
    ("GET", [("UPGRADE", "h2c"), ("CONNECTION", "upgrade")], False),
    ("GET", [("UPGRADE", "websocket"), ("CONNECTION", "keep-alive")], False),
    ("GET", [], False),
])
def test_only_a_get_with_upgrade_websocket_and_connection_upgrade_is_a_handshake(method, headers,
                                                                                  upgrade):
    assert is_websocket_upgrade(_Request(method, headers)) is upgrade


def test_a_plain_get_of_the_websocket_path_is_an_ordinary_request_of_the_wsgi_app(client):
    assert client.simulate_get("/api/ws").status_code == 404
