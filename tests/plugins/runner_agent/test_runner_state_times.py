"""A step's and a task's state carry ``startedAt``/``stoppedAt`` only once set: proto3 JSON
leaves an unset timestamp out (one helper, ``protocol._with_times``, for both)."""

from __future__ import annotations

import datetime as dt

import pytest

from plue_runner_agent.protocol import StepState, TaskState, encode_timestamp
from plue_workflows.statuses import Status

STARTED = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
STOPPED = STARTED + dt.timedelta(seconds=7)


@pytest.mark.parametrize("state", [StepState(id=1), TaskState(id=1)], ids=["step", "task"])
def test_unset_times_are_left_out(state):
    body = state.to_json()
    assert "startedAt" not in body and "stoppedAt" not in body


@pytest.mark.parametrize("kind", [StepState, TaskState], ids=["step", "task"])
def test_set_times_come_after_the_state(kind):
    body = kind(id=3, result=Status.SUCCESS, started_at=STARTED, stopped_at=STOPPED).to_json()
    assert list(body)[-2:] == ["startedAt", "stoppedAt"]
    assert body["startedAt"] == encode_timestamp(STARTED)
    assert body["stoppedAt"] == encode_timestamp(STOPPED)
    running = kind(id=3, started_at=STARTED).to_json()
    assert running["startedAt"] == encode_timestamp(STARTED) and "stoppedAt" not in running
