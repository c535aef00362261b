"""Request middleware: request id, the API family's headers, one DB connection per request, body
limit, auth."""

from __future__ import annotations

import io
import logging
import random
import re

import peewee

from plue_core import families
from plue_core.db import is_sqlite
from plue_core.errors import BadRequest, PayloadTooLarge, ServiceUnavailable

log = logging.getLogger("plue.database")

_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,100}$")


class RequestIdMiddleware:
    """Honours a sane incoming ``X-Request-Id``; otherwise makes one. Echoed on the response."""

    def process_request(self, req, resp):
        incoming = req.get_header("X-Request-Id")
        req.context.request_id = incoming if incoming and _SANE_REQUEST_ID.match(incoming) \
            else f"req_{random.getrandbits(64):016x}"  # a log's correlation id, not a secret
        resp.set_header("X-Request-Id", req.context.request_id)


class FamilyHeadersMiddleware:
    """The headers the request's API family sends on every answer (``Family.response_headers``);
    set before the responder runs, so its errors carry them too."""

    def process_request(self, req, resp):
        # Kept on the context for the rest of the request (families.family_of_request).
        family = req.context.family = families.family_of(req.path)
        if family.response_headers:
            resp.set_headers(family.response_headers)


class DatabaseMiddleware:
    """One connection per request thread. On SQLite it stays open for the thread's next
    request (opening one and setting its PRAGMAs cost 13 % of a request, issue 13); on
    PostgreSQL it goes back to the pool at the end, so threads never hold more connections
    than they use."""

    def __init__(self, db, without_database: frozenset[str] = frozenset()):
        self.db = db
        self.keep_open = is_sqlite(db)
        # Paths that answer without a connection (the health probe reports the outage).
        self.without_database = without_database

    def process_request(self, req, resp):
        req.context.database_unreachable = False
        try:
            self.db.connect(reuse_if_open=True)
        except (peewee.OperationalError, peewee.InterfaceError) as error:
            log.error("the database cannot be reached: %s", error)
            if req.path not in self.without_database:
                raise ServiceUnavailable("the database cannot be reached; try again shortly "
                                         "(the server's log says why)") from None
            req.context.database_unreachable = True

    def process_response(self, req, resp, resource, req_succeeded):
        if not self.db.is_closed():
            leaked = self.db.in_transaction()
            if leaked:  # a responder leaked a transaction: never commit it, and forget it, so
                self.db.rollback()  # the thread's next request starts outside any transaction
                while self.db.in_transaction():
                    self.db.pop_transaction()
            if leaked or not self.keep_open:
                self.db.close()


class BodyLimitMiddleware:
    """413 for bodies over ``max_body_size``; a resource that streams (``max_body_size = None``)
    opts out. Sinks (git smart HTTP) never reach ``process_resource``.

    A chunked body (``Transfer-Encoding: chunked``, no Content-Length) is read here, up to the
    limit, and handed on with its length: Falcon reads a body without a Content-Length as
    empty, so a chunked JSON body was silently dropped (a PATCH answered 200 changing nothing).
    """

    def __init__(self, max_size: int):
        self.max_size = max_size

    def process_resource(self, req, resp, resource, params):
        limit = getattr(resource, "max_body_size", self.max_size)
        if limit is None:
            return
        chunked = "chunked" in (req.get_header("Transfer-Encoding") or "").lower()
        if chunked and req.content_length is None:
            _buffer_chunked_body(req, limit)
        if req.content_length and req.content_length > limit:
            raise PayloadTooLarge(f"request body is {req.content_length} bytes; "
                                  f"the limit is {limit} bytes")


def _buffer_chunked_body(req, limit: int) -> None:
    body = req.stream.read(limit + 1)  # the WSGI server has taken the chunking off
    if len(body) > limit:
        raise PayloadTooLarge(f"request body is over the limit of {limit} bytes")
    req.stream = req.env["wsgi.input"] = io.BytesIO(body)
    req.env["CONTENT_LENGTH"] = str(len(body))


class NulCharacterMiddleware:
    """400 for a NUL character (``%00``) in the path or query: PostgreSQL cannot compare or
    store one, and no name or filter holds one."""

    def process_request(self, req, resp):
        if "\0" in req.path or "%00" in req.query_string:
            raise BadRequest("the URL must not contain NUL (%00) characters")


class AuthenticationMiddleware:
    """Runs the ``authenticate`` hook once per request; ``req.context.identity`` is the answer."""

    def __init__(self, ctx):
        self.authenticate = ctx.plugins.authenticator(ctx)

    def process_request(self, req, resp):
        req.context.identity = None
        if req.context.database_unreachable:  # no credential can be checked: anonymous
            return
        req.context.identity = self.authenticate(req)
