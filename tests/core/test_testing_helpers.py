"""The helpers plue_core.testing ships for plugin authors: a per-user API client and an event
recorder (the plugins' own tests use them everywhere; these pin what they promise)."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import falcon.testing
import pytest

from plue_core import hookimpl
from plue_core.events import Event
from plue_core.testing import EventRecorder, UserApi, make_user


@dataclasses.dataclass
class World(UserApi):
    client: falcon.testing.TestClient
    default_user = "alice"


def test_user_api_calls_as_the_default_user_a_named_one_a_token_or_nobody(build_app):
    app = build_app()
    make_user(app.plue, "alice")
    make_user(app.plue, "bob")
    world = World(falcon.testing.TestClient(app))

    assert world.get("/user").json["login"] == "alice"
    assert world.get("/user", as_user="bob").json["login"] == "bob"
    assert world.get("/user", as_user=world.token("bob", "read:user")).json["login"] == "bob"
    assert world.get("/user", as_user=None).status_code == 401
    created = world.post("/user/repos", {"name": "demo"})
    assert created.status_code == 201 and created.json["full_name"] == "alice/demo"


@dataclasses.dataclass(frozen=True)
class Knocked(Event):
    name: ClassVar[str] = "probe.knocked"
    door: str


class Publisher:
    PLUE_NAME = "publisher"

    @hookimpl
    def register_events(self):
        return [Knocked]


def test_the_event_recorder_hears_events_filters_them_and_can_refuse_one(build_app):
    recorder = EventRecorder()
    app = build_app(Publisher(), recorder)
    app.plue.events.publish(Knocked(door="front"))
    app.plue.events.publish(Knocked(door="back"))
    assert [e.door for e in recorder.of("probe.knocked")] == ["front", "back"]
    assert [e.door for e in recorder.of("probe.knocked", door="back")] == ["back"]

    recorder.fail_on = "probe.knocked"
    with pytest.raises(RuntimeError, match="listener refuses probe.knocked"):
        app.plue.events.publish(Knocked(door="side"))
    assert len(recorder.events) == 2
