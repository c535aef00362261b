"""Events the releases plugin publishes (subscribe with the ``on_event`` hook), inside the
transaction that made the change. ``release`` carries Gitea's actions: ``published`` (created
or a draft made public), ``updated`` (a published release edited), ``deleted``. Drafts publish
nothing, as Gitea notifies nobody of them."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from plue_core.events import Event


@dataclasses.dataclass(frozen=True)
class ReleaseEvent(Event):
    name: ClassVar[str] = "release"

    action: str
    repository_id: int
    release_id: int
    sender_id: int | None = None
    # The deleted release's body, rendered before its row went (the others read the row).
    body: dict | None = None


EVENTS = [ReleaseEvent]
