"""The feature itself: plain functions over the models, used by the HTTP resources, the CLI
and the job alike. Exposed to other plugins as ``ctx.services["hello"]``."""

from __future__ import annotations

import peewee

from plue_core.db import write_transaction
from plue_core.errors import Invalid
from plue_hello.events import GreetingAdded
from plue_hello.models import Greeting, Tally

SOURCES = ("api", "cli", "job")


class HelloService:
    def __init__(self, ctx):
        self.ctx = ctx
        self.settings = ctx.section("hello")

    def add_greeting(self, message: str, *, source: str, author: str | None = None) -> Greeting:
        """Store a greeting and publish ``GreetingAdded`` in the same transaction, so the
        listeners' writes (the tally) commit or roll back together with the greeting."""
        message = (message or "").strip()
        if not message:
            raise Invalid("message must not be empty")
        limit = self.settings["max_message_length"]
        if len(message) > limit:
            raise Invalid(f"message is {len(message)} characters long; the limit is {limit}")
        if source not in SOURCES:
            raise Invalid(f"source must be one of {', '.join(SOURCES)}")
        with write_transaction(self.ctx.db):
            greeting = Greeting.create(message=message, source=source, author=author)
            self.ctx.events.publish(GreetingAdded(greeting_id=greeting.id, message=message,
                                                  source=source))
        return greeting

    def greetings(self, source: str | None = None) -> peewee.SelectQuery:
        """Newest first; the caller paginates."""
        query = Greeting.select().order_by(Greeting.id.desc())
        if source:
            query = query.where(Greeting.source == source)
        return query

    def tally(self) -> dict[str, int]:
        return {row.source: row.count for row in Tally.select().order_by(Tally.source)}


def count_greeting(source: str) -> None:
    """One more greeting from ``source``: an upsert, so concurrent writers never lose a count."""
    (Tally.insert(source=source, count=1)
     .on_conflict(conflict_target=[Tally.source], update={Tally.count: Tally.count + 1})
     .execute())
