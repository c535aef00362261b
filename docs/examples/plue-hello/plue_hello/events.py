"""The event this plugin publishes; any plugin may listen with ``on_event``."""

import dataclasses
from typing import ClassVar

from plue_core.events import Event


@dataclasses.dataclass(frozen=True)
class GreetingAdded(Event):
    name: ClassVar[str] = "hello.greeting_added"

    greeting_id: int
    message: str
    source: str
