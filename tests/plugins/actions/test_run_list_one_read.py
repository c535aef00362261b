"""A repository's run list reads its page with each run's trigger user in one statement (issue
13), and counts the whole list apart only when the page cannot tell it: the count is still
right on a page past the end and with filters, each run shows its own actor (null when the
account is gone), and the statements do not grow with the number of people who triggered the
page's runs."""

from __future__ import annotations

from plue_core.db import connection
from plue_core.testing import make_user, recorded_statements

from plue_actions.models import Run
from plue_actions.testing import ONE_JOB


RUNS = "/repos/alice/demo/actions/runs"


def _three_runs(forge) -> list[int]:
    forge.push_file(".gitea/workflows/ci.yml", ONE_JOB, "first")
    forge.push_file("README.md", "two", "second")
    forge.push_file("README.md", "three", "third")
    return [run["id"] for run in forge.runs()]


def _trigger(forge, run_ids_to_users: dict[int, int]) -> None:
    with connection(forge.ctx.db):
        for run_id, user_id in run_ids_to_users.items():
            Run.update(trigger_user_id=user_id).where(Run.id == run_id).execute()


def test_a_page_past_the_end_still_counts_the_whole_list(actions_forge):
    _three_runs(actions_forge)
    past = actions_forge.api("GET", RUNS, params={"limit": 2, "page": 3})
    assert past.status_code == 200
    assert past.json == {"total_count": 3, "workflow_runs": []}
    assert past.headers["x-total-count"] == "3"
    filtered = actions_forge.api("GET", RUNS, params={"limit": 2, "page": 3, "event": "push"})
    assert filtered.json == {"total_count": 3, "workflow_runs": []}
    none = actions_forge.api("GET", RUNS, params={"event": "schedule"})
    assert none.json == {"total_count": 0, "workflow_runs": []}
    second = actions_forge.api("GET", RUNS, params={"limit": 2, "page": 2, "event": "push"})
    assert second.json["total_count"] == 3 and len(second.json["workflow_runs"]) == 1


def test_each_run_shows_its_own_trigger_user_and_null_for_one_gone(actions_forge):
    newest, middle, oldest = _three_runs(actions_forge)
    bob = make_user(actions_forge.ctx, "bobby")
    _trigger(actions_forge, {middle: bob.id, oldest: 999_999})  # no account has that id
    for params in ({}, {"event": "push"}):
        listed = actions_forge.api("GET", RUNS, params=params).json["workflow_runs"]
        actors = [run["actor"] and run["actor"]["login"] for run in listed]
        assert actors == ["alice", "bobby", None]
        assert [run["trigger_actor"] for run in listed] == [run["actor"] for run in listed]


def test_the_statements_do_not_grow_with_the_people_on_the_page(actions_forge):
    newest, middle, oldest = _three_runs(actions_forge)
    actions_forge.api("GET", RUNS)  # warm
    with recorded_statements(actions_forge.ctx.db, without_token_touches=True) as one_person:
        assert actions_forge.api("GET", RUNS).status_code == 200
    carol, dave = make_user(actions_forge.ctx, "carol"), make_user(actions_forge.ctx, "dave")
    _trigger(actions_forge, {middle: carol.id, oldest: dave.id})
    with recorded_statements(actions_forge.ctx.db, without_token_touches=True) as three_people:
        listed = actions_forge.api("GET", RUNS)
    assert [run["actor"]["login"] for run in listed.json["workflow_runs"]] == [
        "alice", "carol", "dave"]
    assert len(one_person) == len(three_people), three_people
    # The repository with its owner and branch count, then the page with its trigger users
    # (three runs: the whole list, nothing to count): nothing else reads runs, accounts by id
    # or branches.
    runs = [sql for sql in three_people if 'FROM "action_run"' in sql]
    assert len(runs) == 1 and '"account"' in runs[0], three_people
    assert not [sql for sql in three_people
                if sql.startswith('SELECT COUNT("t1"."id") FROM "repository_branch"')
                or 'FROM "account" AS "t1" WHERE ("t1"."id" = ?)' in sql], three_people


def test_a_page_makes_its_repository_urls_once_and_each_run_keeps_its_own(actions_forge,
                                                                          monkeypatch):
    newest, middle, oldest = _three_runs(actions_forge)
    hosting = actions_forge.ctx.services["git_hosting"]
    made: list[str] = []
    for name in ("api_url", "html_url"):
        method = getattr(hosting, name)
        monkeypatch.setattr(hosting, name,
                            lambda repository, method=method, name=name: made.append(name)
                            or method(repository))
    listed = actions_forge.api("GET", RUNS).json["workflow_runs"]
    assert sorted(made) == ["api_url", "html_url"]  # not once per run
    assert [run["url"].rsplit("/", 1)[1] for run in listed] == [str(newest), str(middle),
                                                                str(oldest)]
    for run in listed:
        single = actions_forge.api("GET", f"{RUNS}/{run['id']}").json
        assert single == run
        assert run["html_url"].endswith(f"/alice/demo/actions/runs/{run['run_number']}")
        assert (run["status"], run["conclusion"]) == (single["status"], single["conclusion"])
