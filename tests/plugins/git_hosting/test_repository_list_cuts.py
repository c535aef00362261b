"""``GET /user/repos`` and ``GET /repos/search`` cut their page from each way the caller sees
repositories (their own, each organization's, shared with them, public), each read from an
index in order (issue 13). On a mixed dataset — owners of every visibility, an organization,
collaborations overlapping organization membership, names shared across owners, private and
public — every page, order and total is the one the single OR over all of them gave (the
reference below is that query), and a page costs the same statements on any table size."""

from __future__ import annotations

import datetime
import random

import peewee
import pytest

from plue_core.accounts.models import Account
from plue_core.db import connection, is_sqlite
from plue_core.identity import Identity
from plue_core.testing import query_plan, recorded_statements
from plue_git_hosting import permissions, repository_lists
from plue_git_hosting.models import Collaborator, Repository

NAMES = ("alpha", "beta", "gamma", "delta", "omega", "zeta", "kappa", "mu", "nu", "xi")


def mixed(forge, copies: int = 6, seed: int = 13) -> None:
    """Repositories of alice, bob, carol, acme (alice owns it, bob is in its team), dave
    (a limited account) and erin (a private account): names repeated across owners, every
    third private, stars, forks, sizes and update times shuffled; carol and bob share some."""
    from plue_core.testing import make_user

    make_user(forge.ctx, "dave", visibility="limited")
    make_user(forge.ctx, "erin", visibility="private")
    template = forge.create_repo("template")
    rng = random.Random(seed)
    with connection(forge.ctx.db), forge.ctx.db.atomic():
        owners = {account.name: account.id for account in Account.select()}
        row = Repository.get_by_id(template["id"]).__data__
        row = {key: value for key, value in row.items() if key != "id"}
        rows = []
        for owner in ("alice", "bob", "carol", "acme", "dave", "erin"):
            for n in range(copies):
                name = f"{NAMES[(n * 7 + len(owner)) % len(NAMES)]}{n % 3}"
                rows.append({**row, "owner": owners[owner], "name": name, "lower_name": name,
                             "is_private": (n + len(owner)) % 3 == 0,
                             "num_stars": rng.randrange(4), "num_forks": rng.randrange(3),
                             "size": rng.randrange(5) * 1024, "is_fork": n % 4 == 1,
                             "updated_at": row["updated_at"] - datetime.timedelta(
                                 minutes=rng.randrange(50))})
        Repository.insert_many(rows).execute()
        ids = {(owner, name): repo_id for repo_id, owner, name in Repository.select(
            Repository.id, Account.name, Repository.lower_name).join(Account).tuples()}
    shared = [("carol", "bob"), ("carol", "acme"), ("bob", "alice"), ("bob", "erin"),
              ("carol", "dave"), ("root", "carol"), ("root", "dave")]
    for user, owner in shared:
        for (repo_owner, name), _ in sorted(ids.items()):
            if repo_owner == owner and name.endswith(("0", "2")):
                response = forge.put(f"/repos/{owner}/{name}/collaborators/{user}",
                                     {"permission": "read"}, as_user="root")
                assert response.status_code == 204, response.text


def identity_of(forge, name: str | None, scopes=None) -> Identity | None:
    if name is None:
        return None
    with connection(forge.ctx.db):
        account = Account.get(Account.name == name)
    return Identity(user_id=account.id, username=name, is_admin=account.is_admin,
                    scopes=frozenset(scopes) if scopes else None)


def reference(forge, identity, where=(), ordering=(Repository.id,)) -> list[int]:
    """The ids in order as one query with one OR over everything ``identity`` may see."""
    accounts = forge.ctx.services["accounts"]
    with connection(forge.ctx.db):
        query = Repository.select(Repository.id).join(Account)
        condition = permissions.visible_condition(accounts, identity)
        if condition is not None:
            query = query.where(condition)
        for extra in where:
            query = query.where(extra)
        return [repo_id for (repo_id,) in query.order_by(*ordering).tuples()]


def walk(forge, path: str, as_user, limit: int, **params) -> tuple[list[int], set[str]]:
    """Every page's ids in order, and the totals the pages said."""
    seen, totals, page = [], set(), 1
    while True:
        query = "&".join(f"{key}={value}" for key, value in {**params, "page": page,
                                                               "limit": limit}.items())
        response = forge.get(f"{path}?{query}", as_user=as_user)
        assert response.status_code == 200, response.text
        body = response.json["data"] if isinstance(response.json, dict) else response.json
        totals.add(response.headers["x-total-count"])
        if not body:
            return seen, totals
        seen += [repo["id"] for repo in body]
        page += 1


@pytest.mark.parametrize("user", ["alice", "bob", "carol", "dave", "erin", "root"])
def test_user_repos_pages_are_the_single_query_s_order_and_total(forge, user):
    mixed(forge)
    identity = identity_of(forge, user)
    accounts = forge.ctx.services["accounts"]
    reached = permissions.reached_branches(
        identity.user_id, permissions.member_org_ids(accounts, identity.user_id),
        per_owner=False)
    condition = reached[0]
    for branch in reached[1:]:
        condition |= branch
    expected = reference(forge, identity, [condition])
    seen, totals = walk(forge, "/user/repos", user, limit=4)
    assert seen == expected and totals == {str(len(expected))}
    assert len(expected) > 4  # several pages, whoever asks (root: what is shared with them)


SEARCHES = [
    {},
    {"sort": "alpha", "order": "desc"},
    {"sort": "updated", "order": "desc"},
    {"sort": "created"},
    {"sort": "stars", "order": "desc"},
    {"sort": "forks"},
    {"sort": "size", "order": "desc"},
    {"sort": "id", "order": "desc"},
    {"mode": "fork"},
    {"private": "false"},
    {"is_private": "true", "sort": "alpha"},
]


def _reference_search(forge, identity, params: dict) -> list[int]:
    column = repository_lists.SORTS[params.get("sort", "alpha")]
    ordering = [column.desc() if params.get("order") == "desc" else column.asc(),
                Repository.id]
    where = []
    if params.get("mode") == "fork":
        where.append(Repository.is_fork == True)  # noqa: E712
    if params.get("private") == "false" or identity is None:
        where.append(Repository.is_private == False)  # noqa: E712
    if params.get("is_private") == "true":
        where.append(Repository.is_private == True)  # noqa: E712
    return reference(forge, identity, where, ordering)


@pytest.mark.parametrize("user", ["alice", "bob", "carol", "erin", "root", None])
def test_search_pages_are_the_single_query_s_order_and_total_in_every_sort(forge, user):
    mixed(forge)
    identity = identity_of(forge, user)
    for params in SEARCHES:
        expected = _reference_search(forge, identity, params)
        seen, totals = walk(forge, "/repos/search", user, limit=5, **params)
        assert seen == expected, params
        assert totals == {str(len(expected))}, params


def test_search_by_text_owner_and_priority_owner_keeps_the_single_query_s_order(forge):
    mixed(forge)
    identity = identity_of(forge, "bob")
    with connection(forge.ctx.db):
        acme = Account.get(Account.name == "acme").id
        carol = Account.get(Account.name == "carol").id
    expected = reference(forge, identity, [Repository.lower_name.contains("a")],
                         [Repository.lower_name, Repository.id])
    assert walk(forge, "/repos/search", "bob", limit=3, q="A")[0] == expected
    grants = Collaborator.select(Collaborator.repository).where(Collaborator.user == carol)
    expected = reference(forge, identity, [(Repository.owner == carol) | Repository.id.in_(grants)],
                         [Repository.lower_name, Repository.id])
    assert walk(forge, "/repos/search", "bob", limit=3, uid=carol)[0] == expected
    acme_first = peewee.Case(None, [(Repository.owner == acme, 0)], 1)
    expected = reference(forge, identity, [], [acme_first, Repository.lower_name, Repository.id])
    seen, totals = walk(forge, "/repos/search", "bob", limit=4, priority_owner_id=acme)
    assert seen == expected and totals == {str(len(expected))}


def test_a_token_without_repository_scope_searches_only_public_repositories(forge):
    mixed(forge)
    token = forge.token("bob", "read:user")
    expected = reference(forge, identity_of(forge, "bob", scopes=["read:user"]), [],
                         [Repository.lower_name, Repository.id])
    seen, totals = walk(forge, "/repos/search", token, limit=6)
    assert seen == expected and totals == {str(len(expected))}
    with connection(forge.ctx.db):
        private = {repo.id for repo in Repository.select().where(Repository.is_private == True)}  # noqa: E712
    assert expected and not private & set(seen)


def _statements(forge, path: str, as_user) -> list[tuple[str, tuple]]:
    with recorded_statements(forge.ctx.db, with_params=True,
                             without_token_touches=True) as statements:
        response = forge.get(path, as_user=as_user)
    assert response.status_code == 200, response.text
    return statements


@pytest.mark.parametrize("path", ["/user/repos?limit=30", "/repos/search?limit=30",
                                  "/repos/search?limit=10&page=2&sort=updated"])
def test_a_page_costs_the_same_statements_on_more_rows_and_reads_indexes_in_order(forge, path):
    mixed(forge, copies=6)
    token = forge.token("bob", "all")
    small = _statements(forge, path, token)
    mixed_more(forge, 400)
    large = _statements(forge, path, token)
    # Rendering asks once per distinct owner on the page whether they are restricted: bounded
    # by the page, not the table; the page's other statements are the same on both sizes.
    assert len(_listing(small)) == len(_listing(large)) <= 8
    counts = [sql for sql, _ in large if "COUNT(*)" in sql and '"repository"' in sql]
    assert len(counts) == 1  # one statement adds the branches' counts
    if not is_sqlite(forge.ctx.db) or "sort=updated" in path:
        return  # the plans are SQLite's; by update time only the owners' branches are indexed
    page = [(sql, params) for sql, params in large if "UNION ALL" in sql]
    assert len(page) == 1
    plan = query_plan(forge.ctx.db, *page[0])
    # Every branch enters through an index; none scans the repository table.
    assert not [line for line in plan if line.startswith("SCAN t")], plan
    assert any("repository_owner_id" in line for line in plan), plan


def _listing(statements: list) -> list:
    return [sql for sql, _ in statements if '"restricted"))' not in sql]


def mixed_more(forge, count: int) -> None:
    """``count`` more repositories: bob's (half private) and public ones of alice."""
    with connection(forge.ctx.db), forge.ctx.db.atomic():
        owners = {account.name: account.id for account in Account.select()}
        row = Repository.select().order_by(Repository.id).first().__data__
        row = {key: value for key, value in row.items() if key != "id"}
        rows = [{**row, "owner": owners["bob" if n % 2 else "alice"], "name": f"more{n}",
                 "lower_name": f"more{n}", "is_private": n % 4 == 1} for n in range(count)]
        for chunk in range(0, count, 100):
            Repository.insert_many(rows[chunk:chunk + 100]).execute()
