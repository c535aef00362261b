"""Thin Falcon resources: parse with a schema, call the service, dump with a schema."""

from __future__ import annotations

import falcon

from plue_core.identity import require_identity
from plue_core.openapi import operation
from plue_core.pagination import paginate
from plue_core.validation import load_body
from plue_hello.schemas import GREETING_SHAPE, CreateGreetingOption


class GreetingsResource:
    def __init__(self, ctx):
        self.ctx = ctx
        self.hello = ctx.services["hello"]

    @operation("List greetings, newest first", response=GREETING_SHAPE, many=True,
               tags=("hello",), query=("source", "page", "limit"), operation_id="helloList")
    def on_get(self, req, resp):
        query = self.hello.greetings(source=req.get_param("source"))
        resp.media = GREETING_SHAPE.many(
            paginate(req, resp, query, self.ctx.config.pagination))

    @operation("Add a greeting", request=CreateGreetingOption, response=GREETING_SHAPE,
               status=201, tags=("hello",), operation_id="helloCreate")
    def on_post(self, req, resp):
        identity = require_identity(req, scope=("write", "misc"))
        body = load_body(req, CreateGreetingOption)
        greeting = self.hello.add_greeting(body["message"], source="api", author=identity.username)
        resp.status = falcon.HTTP_201
        resp.media = GREETING_SHAPE(greeting)


class TallyResource:
    def __init__(self, ctx):
        self.hello = ctx.services["hello"]

    @operation("Greetings counted per source", tags=("hello",), operation_id="helloTally")
    def on_get(self, req, resp):
        resp.media = self.hello.tally()
