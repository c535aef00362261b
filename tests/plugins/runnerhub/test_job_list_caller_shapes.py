"""``GET /api/jobs`` compiles its two statements once per caller shape (issue 13: peewee built
its UNION and visibility subqueries on every request). The compiled statements answer what
the rule says for every shape: site administrator, RunnerHub admin, operator, owner, member
of a private organization, collaborator, tokens with and without repository scope, a hub
runner; with each filter, sort and order, paged. The expected answer is worked out here in
Python from the rows, with git_hosting's list rule (``visible_repository_ids``, itself checked
against the single-repository check in tests/plugins/git_hosting/test_visibility_shapes.py)."""

from __future__ import annotations

import itertools

import pytest

from plue_actions.models import Job, Task
from plue_core.db import connection
from plue_core.identity import Identity
from plue_core.pagination import OffsetPage
from plue_core.testing import compiled_queries, make_user
from plue_runnerhub import job_listing, jobs
from plue_runnerhub.models import ExternalJob
from plue_runnerhub.testing import CI, data, delegate, hub, register


@pytest.fixture
def world(forge):
    """alice/demo (public) and alice/hidden (private, bob a collaborator) and vault/app (a
    private organization's repository, carol in its team) each with CI's two jobs, one of
    demo's claimed by a runner; external jobs delegated by olga (the first held by a hub
    runner) and by hannah (RunnerHub admin), for repositories Plue does not host."""
    make_user(forge.ctx, "carol")
    make_user(forge.ctx, "hannah", role="admin")
    runner = forge.runner(labels=("ubuntu-latest",))
    forge.push_file(".gitea/workflows/ci.yml", CI, "add ci")
    assert runner.fetch() is not None
    assert forge.api("POST", "/user/repos", {"name": "hidden", "private": True,
                                             "auto_init": True}).status_code == 201
    assert forge.api("PUT", "/repos/alice/hidden/collaborators/bob",
                     {"permission": "read"}).status_code == 204
    assert forge.api("POST", "/orgs", {"username": "vault",
                                       "visibility": "private"}).status_code == 201
    team = forge.api("POST", "/orgs/vault/teams", {"name": "readers", "permission": "read",
                                                   "units": ["repo.code", "repo.actions"],
                                                   "includes_all_repositories": True})
    assert team.status_code == 201, team.text
    assert forge.api("PUT", f"/teams/{team.json['id']}/members/carol").status_code == 204
    assert forge.api("POST", "/orgs/vault/repos", {"name": "app", "private": True,
                                                   "auto_init": True}).status_code == 201
    for repo in ("alice/hidden", "vault/app"):
        forge.repo = repo
        forge.push_file(".gitea/workflows/ci.yml", CI, "add ci")
    forge.repo = "alice/demo"
    hub_runner, headers = register(forge, slots=1)
    data(hub(forge, "GET", "/api/jobs", as_user=None, headers=headers))  # online now
    delegate(forge, job_id="1")  # taken by the hub runner (its one slot)
    delegate(forge, job_id="2")
    delegate(forge, as_user="hannah", job_id="3", repository="octo/other")
    delegate(forge, as_user="hannah", job_id="4", repository="octo/gizmo")
    with connection(forge.ctx.db):
        assert Job.select().count() == 6 and ExternalJob.select().count() == 4
        assert ExternalJob.select().where(ExternalJob.runner_id.is_null(False)).count() == 1
    return forge, hub_runner, headers


def _callers(ctx) -> dict:
    accounts = ctx.services["accounts"]
    found = {}
    for name in ("root", "alice", "bob", "carol", "olga", "hannah"):
        user = accounts.find_user(name)
        found[name] = Identity(user_id=user.id, username=name, is_admin=user.is_admin,
                               role=user.role)
        for scope in ("read:user", "read:repository"):
            found[f"{name} {scope}"] = Identity(
                user_id=user.id, username=name, is_admin=user.is_admin, role=user.role,
                scopes=frozenset({scope}), method="token")
    return found


def _rows(ctx, identity, runner) -> list[dict]:
    """Every job the caller may see, as the keys the list sorts by."""
    hosting = ctx.services["git_hosting"]
    found = []
    if runner is None:
        visible = {row.id for row in hosting.visible_repository_ids(identity)}
        for job in Job.select().where(Job.repository_id.in_(list(visible) or [0])):
            task = Task.get_or_none(Task.id == job.task_id) if job.task_id else None
            found.append({"kind": "hosted", "id": job.id, "created": job.created,
                          "updated": job.updated, "status": jobs.hub_status(job.status),
                          "repository": hosting.get_repository_by_id(job.repository_id)
                          .full_name.lower(), "runner": task.runner_id if task else None})
    for job in ExternalJob.select():
        if runner is not None:
            if job.runner_id != runner.id:
                continue
        elif not (identity.administers_runnerhub or job.creator_id == identity.user_id):
            continue
        found.append({"kind": "external", "id": job.id, "created": job.created,
                      "updated": job.updated, "status": job.status,
                      "repository": job.repository_key, "runner": job.runner_id})
    return found


def _expected(rows, *, status=None, repository=None, runner_number=None, sort="created_at",
              order="desc") -> list[tuple]:
    chosen = [row for row in rows
              if (status is None or row["status"] == status)
              and (repository is None or row["repository"] == repository.lower())
              and (runner_number is None or row["runner"] == runner_number)]
    column = {"created_at": "created", "updated_at": "updated", "status": "status"}[sort]
    chosen.sort(key=lambda row: (row[column], row["id"], row["kind"]), reverse=order == "desc")
    return [(row["kind"], row["id"]) for row in chosen]


def _listed(service, page, **query) -> tuple[list[tuple], int]:
    listing = job_listing.list_jobs(service, page, **query)
    return [("external" if renderer.external else "hosted", job.id)
            for job, renderer in listing.jobs], listing.total


def test_every_caller_shape_lists_what_the_rule_lets_it_see(world):
    forge, hub_runner, headers = world
    ctx = forge.ctx
    service = ctx.services["actions"]
    with connection(ctx.db):
        held = ExternalJob.get(ExternalJob.runner_id.is_null(False)).runner_id
        claimed = Task.select().first().runner_id
        runner_row = service.authenticate_runner(headers["x-runner-uuid"],
                                                 headers["x-runner-token"])
        callers = {**{who: (identity, None) for who, identity in _callers(ctx).items()},
                   "hub runner": (None, runner_row)}
        filters = [{}, {"status": "running"}, {"status": "pending"}, {"status": "assigned"},
                   {"repository": "alice/demo"}, {"repository": "VAULT/app"},
                   {"repository": "octo/widgets", "status": "pending"},
                   {"runner_id": f"runner_{claimed}"}, {"runner_id": f"runner_{held}"}]
        whole = {}
        for (who, (identity, runner)), chosen, sort, order in itertools.product(
                callers.items(), filters, ("created_at", "updated_at", "status"),
                ("asc", "desc")):
            rows = _rows(ctx, identity, runner)
            number = int(chosen["runner_id"].split("_")[1]) if "runner_id" in chosen else None
            expected = _expected(rows, status=chosen.get("status"),
                                 repository=chosen.get("repository"), runner_number=number,
                                 sort=sort, order=order)
            query = {"identity": identity, "runner": runner, "sort": sort, "order": order,
                     **chosen}
            listed, total = _listed(service, OffsetPage(100, 0), **query)
            assert (listed, total) == (expected, len(expected)), (who, chosen, sort, order)
            page, total = _listed(service, OffsetPage(2, 1), **query)
            assert (page, total) == (expected[1:3], len(expected)), (who, chosen, sort, order)
            if not chosen:
                whole[who] = len(expected)
    # Each caller's whole list (no filter): what tells the shapes apart.
    assert whole == {
        "root": 10, "root read:repository": 10, "root read:user": 6,  # demo + every external
        "hannah": 6, "hannah read:user": 6, "hannah read:repository": 6,  # the same
        "alice": 6, "alice read:repository": 6, "alice read:user": 2,  # hosted, none external
        "bob": 4, "bob read:repository": 4, "bob read:user": 2,  # demo, hidden (collaborator)
        "carol": 4, "carol read:repository": 4, "carol read:user": 2,  # demo, vault/app
        "olga": 4, "olga read:repository": 4, "olga read:user": 4,  # demo + her 2 external
        "hub runner": 1}


def test_the_endpoint_answers_as_the_listing_and_compiles_nothing_per_request(world):
    forge, _, _ = world
    params = {"status": "pending", "sort": "status", "order": "asc"}
    first = data(hub(forge, "GET", "/api/jobs", as_user="carol", params=params))
    assert [job["repository"] for job in first["jobs"]] == ["alice/demo", "vault/app", "vault/app"]
    data(hub(forge, "GET", "/api/jobs", as_user="bob"))  # his password checked and remembered
    # bob: another user of carol's shape (his organizations and grants differ, not the SQL).
    with compiled_queries(forge.ctx.db) as compiled:
        again = data(hub(forge, "GET", "/api/jobs", as_user="bob", params=params))
    assert [job["repository"] for job in again["jobs"]] == ["alice/demo", "alice/hidden", "alice/hidden"]
    assert compiled == [], compiled
