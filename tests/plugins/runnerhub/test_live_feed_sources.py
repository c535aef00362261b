"""The change feed takes events from its sources and hands each to the subscribers of its kind
whom the source's ``audience`` allows; a source nobody listens to starts afresh (a new
baseline) when someone does. This is how a new source (e.g. another kind of job) plugs in."""

from __future__ import annotations

import dataclasses

from plue_runnerhub.live_feed import feed
from plue_core.identity import Identity


class Countdown:
    """A source whose every look reports one change per audience key it was made with."""

    kind = "job_status"
    made = 0

    def __init__(self, ctx):
        type(self).made += 1
        self.looks = 0

    def look(self):
        self.looks += 1
        return [("red", {"n": self.looks}), ("blue", {"n": self.looks})]

    def audience(self, identity, keys):
        return keys if identity.is_admin else {"blue"} & keys


@dataclasses.dataclass(eq=False)
class Subscriber:
    identity: Identity
    events: set


def test_each_change_reaches_the_subscribers_of_its_kind_that_its_source_allows(monkeypatch):
    monkeypatch.setattr(feed, "SOURCES", (Countdown,))
    Countdown.made = 0
    admin = Subscriber(Identity(1, "root", is_admin=True), {"job_status"})
    user = Subscriber(Identity(2, "alice"), {"job_status"})
    other = Subscriber(Identity(3, "bob"), {"runner_status"})
    changes = feed.ChangeFeed(ctx=None)
    delivered = changes._look({"job_status", "runner_status"}, [admin, user, other])
    assert [(who, message["data"]["n"]) for who, message in delivered] == [
        (admin, 1), (admin, 1), (user, 1)]
    assert all(message["type"] == "job_status" for _, message in delivered)
    assert changes._look({"job_status"}, [user])[0][1] == {"type": "job_status", "data": {"n": 2}}


def test_a_source_whose_kind_nobody_wants_is_not_asked_and_starts_afresh(monkeypatch):
    monkeypatch.setattr(feed, "SOURCES", (Countdown,))
    Countdown.made = 0
    changes = feed.ChangeFeed(ctx=None)
    listener = Subscriber(Identity(1, "root", is_admin=True), {"runner_status"})
    assert changes._look({"runner_status"}, [listener]) == []
    assert changes._look({"runner_status"}, [listener]) == []
    assert Countdown.made == 3 and changes.sources[0].looks == 0
