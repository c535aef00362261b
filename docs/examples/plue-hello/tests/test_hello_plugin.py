"""The plugin's own tests, written with the fixtures Plue ships in ``plue_core.testing``.

Run them from this folder with ``pytest`` (pyproject.toml loads the fixtures), or from a Plue
checkout with ``pytest docs/examples/plue-hello/tests``. Set ``PLUE_TEST_DATABASE_URL`` to a
PostgreSQL server to run them on PostgreSQL.
"""

from plue_core.db import connection
from plue_core.testing import assert_migrations_match_models, basic_auth, make_user


def test_a_signed_in_user_can_add_a_greeting_and_everyone_can_read_it(client, ctx):
    make_user(ctx, "alice")
    created = client.simulate_post("/api/v1/hello/greetings", json={"message": "Hi!"},
                                   headers=basic_auth("alice"))
    assert created.status_code == 201
    assert created.json["author"] == "alice"
    listed = client.simulate_get("/api/v1/hello/greetings")
    assert [g["message"] for g in listed.json] == ["Hi!"]


def test_an_empty_greeting_is_refused_with_a_message_naming_the_field(client, ctx):
    make_user(ctx, "alice")
    response = client.simulate_post("/api/v1/hello/greetings", json={"message": ""},
                                    headers=basic_auth("alice"))
    assert response.status_code == 422
    assert "message" in response.json["message"]


def test_the_service_works_without_http_and_the_listener_counts(ctx):
    with connection(ctx.db):
        ctx.services["hello"].add_greeting("from the service", source="cli")
        assert ctx.services["hello"].tally() == {"cli": 1}


def test_the_heartbeat_job_runs_under_the_scheduler_lease(ctx):
    from plue_core.scheduler import run_scheduled_job

    assert run_scheduled_job(ctx, ctx.jobs["hello.heartbeat"]) is True
    with connection(ctx.db):
        assert ctx.services["hello"].tally() == {"job": 1}


def test_the_migrations_build_exactly_the_tables_the_models_declare(plue_app):
    assert_migrations_match_models(plue_app)
