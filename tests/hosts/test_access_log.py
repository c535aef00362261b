"""Plue's access log lines are gunicorn's lines, built from only the atoms the format names."""

from __future__ import annotations

import datetime
import runpy

import pytest
from gunicorn import glogging
from gunicorn.config import Config

import plue_hosts
from plue_hosts.access_log import AccessLogger, named_atoms

CONF = f"{plue_hosts.__path__[0]}/gunicorn.conf.py"
EVERY_ATOM = ('%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(B)s "%(f)s" "%(a)s" %(m)s %(U)s '
              '%(q)s %(H)s %(T)s %(D)s %(M)s %(L)s %(p)s %(nothing)s '
              '%({X-Forwarded-For}i)s %({x-request-id}I)s %({Absent}i)s %({content-type}o)s '
              '%({REMOTE_PORT}e)s %({wsgi.url_scheme}e)s %({absent}e)s')


class _Response:
    def __init__(self, sent):
        self.status, self.sent = "200 OK", sent
        self.headers = [("Content-Type", 'application/json; q="1"'), ("X-Request-Id", "r1")]


class _Request:
    headers = [("X-FORWARDED-FOR", "10.0.0.1"), ("USER-AGENT", "wrk"),
               ("X-REQUEST-ID", "first"), ("X-REQUEST-ID", "second")]


class _Environ(dict):
    """A WSGI environ that counts how often the logger walked all of it."""

    walked = 0

    def items(self):
        self.walked += 1
        return super().items()


def environ(**extra) -> _Environ:
    return _Environ({
        "REMOTE_ADDR": "127.0.0.1", "REMOTE_PORT": "50000", "REQUEST_METHOD": "GET",
        "RAW_URI": "/api/v1/user?x=1", "PATH_INFO": "/api/v1/user", "QUERY_STRING": "x=1",
        "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_USER_AGENT": 'wrk "quoted"',
        "HTTP_AUTHORIZATION": "Basic YmVuY2g6cGFzc3dvcmQ=", "wsgi.url_scheme": "http",
        **extra})


def line(logger_class, log_format, tmp_path, environ, resp) -> str:
    """The line ``logger_class`` writes for one request (its clock stopped at one time)."""
    cfg = Config()
    path = tmp_path / f"{logger_class.__name__}.log"
    cfg.set("accesslog", str(path))
    cfg.set("access_log_format", log_format)
    log = logger_class(cfg)
    log.now = lambda: "[07/Dec/2026:12:00:00 +0000]"
    log.access(resp, _Request(), environ, datetime.timedelta(seconds=1, microseconds=2345))
    for handler in log.access_log.handlers:
        handler.close()
    log.access_log.handlers.clear()
    return path.read_text()


@pytest.mark.parametrize("log_format", [
    Config().access_log_format, EVERY_ATOM, "%(h)s %(B)d", "%(h)s 100% done"])
@pytest.mark.parametrize("sent", [123, None])
def test_a_line_is_gunicorns_line_for_the_same_request(tmp_path, log_format, sent):
    theirs = line(glogging.Logger, log_format, tmp_path, environ(), _Response(sent))
    ours = line(AccessLogger, log_format, tmp_path, environ(), _Response(sent))
    assert ours == theirs


def test_every_atom_of_the_full_format_has_its_value(tmp_path):
    written = line(AccessLogger, EVERY_ATOM, tmp_path, environ(), _Response(123))
    assert written.startswith('127.0.0.1 - bench [07/Dec/2026:12:00:00 +0000] '
                              '"GET /api/v1/user?x=1 HTTP/1.1" 200 123 123 "-" "wrk \\"quoted\\"" ')
    assert written.endswith(' - 10.0.0.1 second - application/json; q=\\"1\\" 50000 http -\n')


def test_the_default_format_builds_its_nine_atoms_without_walking_the_environ(tmp_path):
    log = AccessLogger(Config())
    request_environ = environ()
    atoms = log.atoms(_Response(1), _Request(), request_environ, datetime.timedelta(0))
    assert sorted(atoms) == sorted("hlutrsbfa") and request_environ.walked == 0


def test_the_keys_a_format_names_are_read_by_python_itself():
    assert named_atoms('%(h)s %({X-Real-IP}i)s %({Server}O)s %({A}e)s %(zz)s') == (
        ["h"], {"i": {"x-real-ip"}, "o": {"server"}, "e": {"a"}})
    assert named_atoms("100% %(h)s") is None  # gunicorn's own dictionary then


def test_plue_serve_logs_with_this_logger(monkeypatch):
    monkeypatch.delenv("GUNICORN_CMD_ARGS", raising=False)
    assert runpy.run_path(CONF)["logger_class"] == "plue_hosts.access_log.AccessLogger"
