"""``[server] worker`` picks gunicorn's worker class and the app it loads."""

from __future__ import annotations

import os
import pathlib
import runpy

import pytest

import hosts
from plue_core.config import load_config
from plue_core.errors import StartupError

CONF = pathlib.Path(hosts.__file__).parent / "gunicorn.conf.py"


def gunicorn_settings(monkeypatch, **environ) -> dict:
    for key in [k for k in os.environ if k.startswith("PLUE_")]:
        monkeypatch.delenv(key)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    return runpy.run_path(str(CONF))


def test_gthread_is_the_default_worker_with_its_threads(monkeypatch):
    settings = gunicorn_settings(monkeypatch)
    assert settings["worker_class"] == "gthread" and settings["threads"] == 16


def test_the_asgi_worker_is_chosen_by_the_setting_and_takes_no_gunicorn_threads(monkeypatch):
    settings = gunicorn_settings(monkeypatch, PLUE_SERVER__WORKER="asgi")
    assert settings["worker_class"] == "asgi" and "threads" not in settings


def test_an_unknown_worker_is_a_startup_error_naming_the_key():
    with pytest.raises(StartupError, match=r"server\.worker"):
        load_config(overrides={"server": {"worker": "uvicorn"}}, environ={})


def test_under_the_gthread_worker_the_websocket_path_is_not_served(client):
    assert client.simulate_get("/api/ws").status_code == 404
