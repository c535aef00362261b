"""A push to the default branch keeps schedules whose cron lines did not change (it used to
delete and rewrite them on every push), and a run is written once unless ``run-name``
retitles it (issue 13, push-to-pickup). The statement counts are in test_push_statements."""

from __future__ import annotations

import datetime

from plue_core.db import connection
from plue_actions.models import Run, Schedule

NIGHTLY = """name: nightly
on:
  schedule:
    - cron: "0 3 * * *"
jobs:
  nightly:
    runs-on: ubuntu-latest
    steps:
      - run: echo night
"""
TITLED = """on: push
run-name: built by ${{ github.actor }}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo hi
"""


def _schedules(forge) -> list[tuple]:
    with connection(forge.ctx.db):
        return [(row.id, row.workflow_id, row.cron, row.commit_sha, row.next_run_at)
                for row in Schedule.select().order_by(Schedule.id)]


def _head(forge) -> str:
    response = forge.api("GET", f"/repos/{forge.repo}/branches/main")
    assert response.status_code == 200, response.text
    return response.json["commit"]["id"]


def test_an_unchanged_cron_line_keeps_its_row_and_follows_the_pushed_commit(actions_forge):
    actions_forge.push_file(".gitea/workflows/nightly.yml", NIGHTLY)
    [(row_id, workflow_id, cron, sha, _)] = _schedules(actions_forge)
    assert sha == _head(actions_forge)
    # Due and not started yet: a push no longer moves it to the next 3 o'clock (the rewrite
    # did, and the due run was lost).
    due = datetime.datetime(2020, 1, 1, 3, 0)
    with connection(actions_forge.ctx.db):
        Schedule.update(next_run_at=due).execute()
    actions_forge.push_file("README.md", "# demo, again\n", "unrelated")
    head = _head(actions_forge)
    assert head != sha
    assert _schedules(actions_forge) == [(row_id, workflow_id, cron, head, due)]


def test_a_changed_cron_line_replaces_the_schedule(actions_forge):
    actions_forge.push_file(".gitea/workflows/nightly.yml", NIGHTLY)
    actions_forge.push_file(".gitea/workflows/nightly.yml",
                            NIGHTLY.replace("0 3 * * *", "30 1 * * 6"), "weekly")
    [(_, workflow_id, cron, sha, next_run_at)] = _schedules(actions_forge)
    assert (workflow_id, cron, sha) == ("nightly.yml", "30 1 * * 6", _head(actions_forge))
    assert (next_run_at.weekday(), next_run_at.hour, next_run_at.minute) == (5, 1, 30)


def test_a_re_enabled_workflow_gets_its_schedule_back_on_the_next_push(actions_forge):
    actions_forge.push_file(".gitea/workflows/nightly.yml", NIGHTLY)
    path = f"/repos/{actions_forge.repo}/actions/workflows/nightly.yml"
    assert actions_forge.api("PUT", f"{path}/disable").status_code == 204
    actions_forge.push_file("a.txt", "a\n", "while disabled")
    assert _schedules(actions_forge) == []
    assert actions_forge.api("PUT", f"{path}/enable").status_code == 204
    actions_forge.push_file("b.txt", "b\n", "enabled again")
    assert [row[1:4] for row in _schedules(actions_forge)] == [
        ("nightly.yml", "0 3 * * *", _head(actions_forge))]


def test_a_push_to_another_branch_leaves_the_schedules_alone(actions_forge):
    actions_forge.push_file(".gitea/workflows/nightly.yml", NIGHTLY)
    before = _schedules(actions_forge)
    response = actions_forge.api("POST", f"/repos/{actions_forge.repo}/branches",
                                 {"new_branch_name": "dev"})
    assert response.status_code == 201, response.text
    actions_forge.push_file(".gitea/workflows/nightly.yml", NIGHTLY.replace("0 3", "0 4"),
                            "another hour, on dev", branch="dev")
    assert _schedules(actions_forge) == before


def test_run_name_retitles_the_run_it_was_inserted_with(actions_forge):
    actions_forge.push_file(".gitea/workflows/ci.yml", TITLED)
    [run] = actions_forge.runs()
    assert run["display_title"] == "built by alice"
    with connection(actions_forge.ctx.db):
        assert Run.get_by_id(run["id"]).title == "built by alice"
