"""Typed events: ``ctx.events.publish`` reaches every ``on_event`` listener, in-process."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import pytest

from plue_core import hookimpl
from plue_core.events import Event


@dataclasses.dataclass(frozen=True)
class DoorOpened(Event):
    name: ClassVar[str] = "probe.door_opened"
    door: str


@dataclasses.dataclass(frozen=True)
class Unregistered(Event):
    name: ClassVar[str] = "probe.unregistered"


@dataclasses.dataclass(frozen=True)
class Impostor(Event):
    name: ClassVar[str] = "probe.door_opened"  # the registered name, a different class


class Publisher:
    PLUE_NAME = "publisher"

    @hookimpl
    def register_events(self):
        return [DoorOpened]


class Listener:
    PLUE_NAME = "listener"

    def __init__(self):
        self.heard = []

    @hookimpl
    def on_event(self, ctx, event):
        self.heard.append((ctx, event))


def test_a_published_event_reaches_every_listener_with_the_context(build_app):
    first, second = Listener(), Listener()
    second.PLUE_NAME = "second_listener"
    app = build_app(Publisher(), first, second, migrate_db=False)
    event = DoorOpened(door="front")
    app.plue.events.publish(event)
    assert first.heard == [(app.plue, event)] and second.heard == [(app.plue, event)]
    assert event.as_dict() == {"event": "probe.door_opened", "door": "front"}


def test_publishing_an_event_no_enabled_plugin_registered_is_an_error(build_app):
    listener = Listener()
    app = build_app(Publisher(), listener, migrate_db=False)
    with pytest.raises(LookupError, match="'probe.unregistered' is not registered"):
        app.plue.events.publish(Unregistered())
    with pytest.raises(LookupError, match="'probe.door_opened' is not registered"):
        app.plue.events.publish(Impostor())
    assert listener.heard == []


def test_the_events_of_a_disabled_plugin_are_unregistered(build_app):
    app = build_app(Publisher(), Listener(), plugins={"disabled": ["publisher"]}, migrate_db=False)
    assert "probe.door_opened" not in app.plue.events.registered
    with pytest.raises(LookupError):
        app.plue.events.publish(DoorOpened(door="back"))
