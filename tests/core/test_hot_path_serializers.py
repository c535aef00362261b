"""Hot paths build no marshmallow schema and compile no peewee query per request (issue 13):
building a schema deep-copies its fields (a third of ``GET /api/v1/user``), compiling a query
costs more than running it (80 % of an idle FetchTask). Counted, never timed."""

from __future__ import annotations

from plue_core.accounts.schemas.users import UserSchema
from plue_core.testing import basic_auth, make_user
from tests.core.test_hot_path_query_counts import bench  # noqa: F401 (a fixture)


def test_user_routes_build_no_user_schema_per_request(client, ctx, monkeypatch):
    make_user(ctx, "alice")
    make_user(ctx, "root", admin=True)
    built = []
    init = UserSchema.__init__
    monkeypatch.setattr(UserSchema, "__init__",
                        lambda self, *a, **k: built.append(1) or init(self, *a, **k))
    own = client.simulate_get("/api/v1/user", headers=basic_auth("alice"))
    other = client.simulate_get("/api/v1/users/alice", headers=basic_auth("root"))
    listed = client.simulate_get("/api/v1/admin/users", headers=basic_auth("root"))
    assert (own.status_code, other.status_code, listed.status_code) == (200, 200, 200)
    assert built == []
    # The e-mail still follows Gitea's rule: the user themself and site administrators.
    assert own.json["email"] and other.json["email"]
    assert client.simulate_get("/api/v1/users/root",
                               headers=basic_auth("alice")).json["email"] == ""
    assert {user["login"] for user in listed.json} >= {"alice", "root"}


def test_a_run_list_reads_its_users_through_the_compiled_account_lookup(
        client, ctx, bench, monkeypatch):  # noqa: F811
    """The runs' actor and trigger_actor: the account by id is compiled once per database,
    not built and compiled by peewee for every page (a third of the run list's time)."""
    from plue_core.accounts.models import Account

    path = "/api/v1/repos/bench/bench/actions/runs"
    assert client.simulate_get(path, headers=bench["headers"]).status_code == 200  # warm
    compiled = []  # what peewee compiles (a CompiledSelect sends its SQL to execute_sql)
    execute = ctx.db.execute
    monkeypatch.setattr(ctx.db, "execute", lambda query, *args, **kwargs: compiled.append(
        getattr(query, "model", None)) or execute(query, *args, **kwargs))
    result = client.simulate_get(path, headers=bench["headers"])
    assert result.status_code == 200 and result.json["workflow_runs"][0]["actor"]["login"] == "bench"
    assert Account not in compiled


def test_an_idle_fetch_task_compiles_no_query(client, ctx, bench, monkeypatch):  # noqa: F811
    """An idle runner's FetchTask (every runner, every few seconds): its runner lookup and
    the two version reads are compiled once, not by peewee on every call."""
    from plue_actions.testing import ProtocolRunner, transport_for_client

    registration = client.simulate_get(
        "/api/v1/repos/bench/bench/actions/runners/registration-token",
        headers=bench["headers"]).json["token"]
    runner = ProtocolRunner(transport_for_client(client))
    runner.register(registration, name="idle", labels=("elsewhere",))
    runner.fetch(timeout_ms=0)
    runner.fetch(timeout_ms=0)  # warm: the compiled statements and the runner's touch
    compiled = []
    execute = ctx.db.execute
    monkeypatch.setattr(ctx.db, "execute", lambda query, *args, **kwargs: compiled.append(
        getattr(query, "model", None)) or execute(query, *args, **kwargs))
    assert runner.fetch(timeout_ms=0) is None
    assert compiled == []
