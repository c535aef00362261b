"""gunicorn's access log, with each line built from only the atoms its format names.

gunicorn's ``Logger.atoms`` builds, for every request, a dictionary of every atom it knows:
twenty fixed ones (the Basic credentials decoded for ``u``, the time for ``t``, ...) plus one
per request header, per response header and per WSGI environ variable — about fifty keys, all
copied again by ``SafeAtoms`` to escape quotes — for a format (Plue's is gunicorn's default)
that names nine. Under wrk the access log was a quarter of a worker's Python time for
``/api/v1/user`` and for a bare Falcon app alike (docs/serving.md, "Round ten: the worker's
own cost"). ``AccessLogger`` asks Python which keys the format names (the format applied to a
mapping that records them) and builds those alone, each as gunicorn builds it, so a line is
the same line; a format this cannot read gets gunicorn's full dictionary."""

from __future__ import annotations

import os

from gunicorn import glogging

__all__ = ["AccessLogger"]


def _status(resp) -> object:
    status = resp.status
    return status.split(None, 1)[0] if isinstance(status, str) else status


def _sent(resp) -> str:
    return getattr(resp, "sent", None) is not None and str(resp.sent) or "-"


# gunicorn's fixed atoms (glogging.Logger.atoms), one function each:
# (logger, resp, environ, request_time) -> value.
_FIXED = {
    "h": lambda log, resp, environ, took: environ.get("REMOTE_ADDR", "-"),
    "l": lambda log, resp, environ, took: "-",
    "u": lambda log, resp, environ, took: log._get_user(environ) or "-",
    "t": lambda log, resp, environ, took: log.now(),
    "r": lambda log, resp, environ, took: "%s %s %s" % (
        environ["REQUEST_METHOD"], environ["RAW_URI"], environ["SERVER_PROTOCOL"]),
    "s": lambda log, resp, environ, took: _status(resp),
    "m": lambda log, resp, environ, took: environ.get("REQUEST_METHOD"),
    "U": lambda log, resp, environ, took: environ.get("PATH_INFO"),
    "q": lambda log, resp, environ, took: environ.get("QUERY_STRING"),
    "H": lambda log, resp, environ, took: environ.get("SERVER_PROTOCOL"),
    "b": lambda log, resp, environ, took: _sent(resp),
    "B": lambda log, resp, environ, took: getattr(resp, "sent", None),
    "f": lambda log, resp, environ, took: environ.get("HTTP_REFERER", "-"),
    "a": lambda log, resp, environ, took: environ.get("HTTP_USER_AGENT", "-"),
    "T": lambda log, resp, environ, took: took.seconds,
    "D": lambda log, resp, environ, took: took.seconds * 1000000 + took.microseconds,
    "M": lambda log, resp, environ, took: took.seconds * 1000 + int(took.microseconds / 1000),
    "L": lambda log, resp, environ, took: "%d.%06d" % (took.seconds, took.microseconds),
    "p": lambda log, resp, environ, took: "<%s>" % os.getpid(),
}


class _NamedKeys(dict):
    """A mapping that records the keys a ``%`` format looks up (and answers 0 to each)."""

    def __getitem__(self, key):
        self.setdefault(key, 0)
        return 0


def named_atoms(log_format: str) -> tuple[list[str], dict[str, set[str]]] | None:
    """The fixed atoms ``log_format`` names, and its header and environ atoms by kind
    (``i``, ``o``, ``e``: lower-cased names, as ``SafeAtoms`` looks them up); None when Python
    cannot apply the format to numbers (the caller then builds every atom)."""
    keys = _NamedKeys()
    try:
        log_format % keys
    except (TypeError, ValueError):
        return None
    fixed, variable = [], {"i": set(), "o": set(), "e": set()}
    for key in keys:
        if key in _FIXED:
            fixed.append(key)
        elif key.startswith("{") and key[-2:].lower() in ("}i", "}o", "}e"):
            # SafeAtoms lower-cases a whole "{...}x" key before it looks it up
            variable[key[-1].lower()].add(key[1:-2].lower())
        # any other key is no atom of gunicorn's: SafeAtoms answers "-" for it either way
    return fixed, variable


class AccessLogger(glogging.Logger):
    """gunicorn's ``Logger`` whose access lines cost only the atoms the format names."""

    def setup(self, cfg):
        super().setup(cfg)
        self._named = named_atoms(cfg.access_log_format)

    def atoms(self, resp, req, environ, request_time):
        named = getattr(self, "_named", None)
        if named is None:
            return super().atoms(resp, req, environ, request_time)
        fixed, variable = named
        atoms = {key: _FIXED[key](self, resp, environ, request_time) for key in fixed}
        # Later headers of one name win, as in gunicorn's dictionary.
        if variable["i"]:
            headers = req.headers if hasattr(req, "headers") else req
            _add(atoms, "i", variable["i"], headers.items() if hasattr(headers, "items")
                 else headers)
        if variable["o"]:
            headers = resp.headers
            _add(atoms, "o", variable["o"], headers.items() if hasattr(headers, "items")
                 else headers)
        if variable["e"]:
            _add(atoms, "e", variable["e"], environ.items())
        return atoms


def _add(atoms: dict, kind: str, wanted: set[str], pairs) -> None:
    for name, value in pairs:
        lowered = name.lower()
        if lowered in wanted:
            atoms["{%s}%s" % (lowered, kind)] = value
