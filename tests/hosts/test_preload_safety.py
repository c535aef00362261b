"""gunicorn builds the app once in its master and forks the workers from it (``preload_app``,
issue 13: the workers share the master's pages). That is safe only while building the app
opens no database connection and starts no thread, which a fork would share or lose."""

from __future__ import annotations

import os
import pathlib
import runpy
import threading

import peewee

import plue_hosts
from plue_core import create_app

CONF = pathlib.Path(plue_hosts.__file__).parent / "gunicorn.conf.py"


def test_gunicorn_preloads_the_app(monkeypatch):
    for key in [k for k in os.environ if k.startswith("PLUE_")]:
        monkeypatch.delenv(key)
    assert runpy.run_path(str(CONF))["preload_app"] is True


def test_building_the_app_opens_no_connection_and_starts_no_thread(plue_config, monkeypatch):
    connects = []
    connect = peewee.Database.connect
    monkeypatch.setattr(peewee.Database, "connect",
                        lambda self, *a, **k: connects.append(self) or connect(self, *a, **k))
    before = set(threading.enumerate())
    app = create_app(plue_config)
    try:
        assert connects == []
        assert set(threading.enumerate()) - before == set()
    finally:
        app.plue.close()
