"""Events the wiki plugin publishes (subscribe with the ``on_event`` hook), after the commit
moved the wiki's ``master``. ``wiki`` carries Gitea's actions: ``created``, ``edited``,
``deleted``; ``page`` is the page's web path, ``comment`` the commit message (none for a
deletion), as Gitea's notifier fills them."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from plue_core.events import Event


@dataclasses.dataclass(frozen=True)
class WikiEvent(Event):
    name: ClassVar[str] = "wiki"

    action: str
    repository_id: int
    page: str
    comment: str = ""
    sender_id: int | None = None


EVENTS = [WikiEvent]
