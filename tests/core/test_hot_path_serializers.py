"""Hot paths compile no peewee query per request (issue 13): compiling a query costs more than
running it (80 % of an idle FetchTask). Counted, never timed. (Bodies are rendered by
``plue_core.shapes``, generated once per shape: tests/core/test_shapes.py.)"""

from __future__ import annotations

from plue_core.testing import compiled_queries

from tests.core.test_hot_path_query_counts import bench  # noqa: F401 (a fixture)


def test_a_run_list_compiles_no_query(client, ctx, bench):  # noqa: F811
    """The run list's page (its actor and trigger_actor joined), its count and the repository
    are compiled once per database, not built and compiled by peewee for every page (peewee's
    compiling was a third of the run list's time)."""
    path = "/api/v1/repos/bench/bench/actions/runs"
    assert client.simulate_get(path, headers=bench["headers"]).status_code == 200  # warm
    with compiled_queries(ctx.db) as compiled:
        result = client.simulate_get(path, headers=bench["headers"])
    assert result.status_code == 200 and result.json["workflow_runs"][0]["actor"]["login"] == "bench"
    assert compiled == []


def test_an_idle_fetch_task_compiles_no_query(client, ctx, bench):  # noqa: F811
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
    with compiled_queries(ctx.db) as compiled:
        assert runner.fetch(timeout_ms=0) is None
    assert compiled == []
