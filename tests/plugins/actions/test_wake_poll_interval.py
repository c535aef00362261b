"""SQLite's wake-up watcher checks the database files every 5 ms while a FetchTask is held
(it was 25 ms, up to that much of push-to-pickup when the runner is held in another worker;
docs/serving.md). The interval stays configurable down to 1 ms."""

from __future__ import annotations

import marshmallow
import pytest

from plue_actions.settings import ActionsSettings


def test_the_watcher_checks_every_5_ms_by_default(actions_forge):
    assert actions_forge.ctx.services["actions"].watcher.poll_interval == 0.005


def test_the_interval_is_configurable_down_to_a_millisecond():
    assert ActionsSettings().load({"wake_poll_interval": 0.001})["wake_poll_interval"] == 0.001
    with pytest.raises(marshmallow.ValidationError, match="wake_poll_interval"):
        ActionsSettings().load({"wake_poll_interval": 0.0005})
