"""Typed events: a plugin publishes, every plugin's ``on_event`` hears it in-transaction."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from plue_core.context import PlueContext


@dataclasses.dataclass(frozen=True)
class Event:
    """Base of every event. Subclasses set ``name`` and declare their fields."""

    name: ClassVar[str] = ""

    def as_dict(self) -> dict:
        return {"event": self.name, **dataclasses.asdict(self)}


class EventBus:
    """``publish`` calls every ``on_event`` hook synchronously, inside the caller's transaction,
    so durable work triggered by an event commits or rolls back with its cause."""

    def __init__(self, ctx: PlueContext, registered: dict[str, type[Event]]):
        self._ctx = ctx
        self.registered = registered

    def publish(self, event: Event) -> None:
        if self.registered.get(event.name) is not type(event):
            raise LookupError(f"event {event.name!r} is not registered by any enabled plugin "
                              "(return its class from register_events)")
        self._ctx.plugins.hook.on_event(ctx=self._ctx, event=event)
