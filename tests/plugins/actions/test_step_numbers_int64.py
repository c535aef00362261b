"""A step's ``index``, ``log_index`` and ``log_length`` are runner.v1's int64 (Gitea's columns
too): a report past 2**31 - 1 is stored and read back as sent on both databases (it was a 400,
the columns 32-bit); a negative one stays a 400 that stores nothing."""

from __future__ import annotations

import pytest

from plue_core.db import connection

from plue_actions.models import TaskStep
from plue_actions.testing import ONE_JOB


@pytest.mark.parametrize("number", [2 ** 31, 2 ** 53, 2 ** 63 - 1])
def test_a_step_number_past_32_bits_is_stored(actions_forge, number):
    runner = actions_forge.runner()
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    task = int(runner.fetch()["id"])
    step = {"id": str(number), "logIndex": str(number - 1), "logLength": str(number)}
    runner.update_task(task, steps=[step])
    with connection(actions_forge.ctx.db):
        stored = TaskStep.get((TaskStep.task == task) & (TaskStep.index == number))
    assert (stored.index, stored.log_index, stored.log_length) == (number, number - 1, number)
    refused = runner.update_task(task, steps=[{"id": "1", "logLength": "-1"}], expect=400)
    assert "log_length must be 0 to" in refused["message"]
