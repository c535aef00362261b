"""The example third-party plugin (docs/examples/plue-hello), installed with its own
pyproject.toml and found only through its ``plue.plugins`` entry point."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from plue_core import hookimpl
from plue_core.db import connection
from plue_core.errors import Invalid
from plue_core.scheduler import ScheduledJobRun, run_scheduled_job
from plue_core.testing import basic_auth, make_user, migrate

# Installed by `make test` (pip install -e docs/examples/plue-hello).
from plue_hello.models import Greeting, Tally

GREETINGS = "/api/v1/hello/greetings"


def test_the_plugin_is_loaded_from_its_entry_point_without_being_passed(ctx):
    pm = ctx.plugins.pm
    plugin = pm.get_plugin("hello")
    assert plugin is not None and plugin.__name__ == "plue_hello.plugin"
    distributions = {dist.project_name for obj, dist in pm.list_plugin_distinfo() if obj is plugin}
    assert distributions == {"plue-hello"}


def test_plue_plugins_list_shows_it(plue):
    plue("migrate")
    rows = {row["name"]: row for row in json.loads(plue("plugins", "list", "--json").stdout)}
    hello = rows["hello"]
    assert hello["enabled"] is True and hello["version"] == "0.1.0"
    assert hello["routes"] == ["/api/v1/hello/greetings", "/api/v1/hello/tally"]
    assert hello["jobs"] == ["hello.heartbeat"]
    assert "hello" in plue("plugins", "list").stdout


def test_its_route_adds_and_lists_greetings_with_the_author_and_pagination(client, ctx):
    make_user(ctx, "alice")
    for text in ("one", "two", "three"):
        response = client.simulate_post(GREETINGS, json={"message": text}, headers=basic_auth("alice"))
        assert response.status_code == 201
    assert response.json["author"] == "alice" and response.json["source"] == "api"
    assert response.json["created_at"].endswith("Z")

    page = client.simulate_get(GREETINGS, params={"limit": 2})
    assert [g["message"] for g in page.json] == ["three", "two"]
    assert page.headers["X-Total-Count"] == "3" and 'rel="next"' in page.headers["Link"]


def test_adding_a_greeting_needs_credentials_and_a_sensible_message(client, ctx):
    make_user(ctx, "alice")
    assert client.simulate_post(GREETINGS, json={"message": "hi"}).status_code == 401
    empty = client.simulate_post(GREETINGS, json={"message": "  "}, headers=basic_auth("alice"))
    assert empty.status_code == 422 and "message must not be empty" in empty.json["message"]
    missing = client.simulate_post(GREETINGS, json={}, headers=basic_auth("alice"))
    assert missing.status_code == 422 and "message" in missing.json["message"]


def test_its_own_settings_section_is_applied(build_client):
    client = build_client(hello={"max_message_length": 5})
    make_user(client.app.plue, "alice")
    response = client.simulate_post(GREETINGS, json={"message": "far too long"},
                                    headers=basic_auth("alice"))
    assert response.status_code == 422 and "the limit is 5" in response.json["message"]


def test_its_event_reaches_its_listener_which_keeps_the_tally(client, ctx):
    make_user(ctx, "alice")
    for _ in range(2):
        client.simulate_post(GREETINGS, json={"message": "hi"}, headers=basic_auth("alice"))
    with connection(ctx.db):
        ctx.services["hello"].add_greeting("from a test", source="cli")
    assert client.simulate_get("/api/v1/hello/tally").json == {"api": 2, "cli": 1}


class FailingListener:
    PLUE_NAME = "failing_listener"

    @hookimpl
    def on_event(self, ctx, event):
        if event.name == "hello.greeting_added":
            raise RuntimeError("listener failed")


def test_a_failing_listener_rolls_back_the_greeting_and_the_tally_with_it(build_app):
    app = build_app(FailingListener())
    ctx = app.plue
    with connection(ctx.db):
        with pytest.raises(RuntimeError, match="listener failed"):
            ctx.services["hello"].add_greeting("doomed", source="cli")
        assert Greeting.select().count() == 0
        assert Tally.select().count() == 0


def test_its_scheduled_job_writes_a_greeting_with_the_configured_words(build_app):
    app = build_app(hello={"greeting": "Howdy", "job_interval_seconds": 5})
    ctx = app.plue
    job = ctx.jobs["hello.heartbeat"]
    assert job.trigger == "interval" and job.trigger_args == {"seconds": 5}
    assert run_scheduled_job(ctx, job) is True
    with connection(ctx.db):
        greeting = Greeting.get()
        assert (greeting.message, greeting.source) == ("Howdy from the scheduler", "job")
        run = ScheduledJobRun.get(ScheduledJobRun.job_id == "hello.heartbeat")
        assert run.succeeded is True and run.finished_at >= run.started_at
        assert ctx.services["hello"].tally() == {"job": 1}


def test_its_cli_commands_use_the_same_service(plue):
    plue("migrate")
    assert plue("hello", "say", "hi from the shell").stdout.strip() == "greeting 1 added"
    assert "1\tcli\thi from the shell" in plue("hello", "list").stdout
    refused = plue("hello", "say", "", check=False)
    assert refused.returncode == 1 and "message must not be empty" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_disabling_it_in_config_makes_its_route_404(build_client):
    client = build_client(plugins={"disabled": ["hello"]})
    assert client.simulate_get(GREETINGS).status_code == 404
    assert "hello" not in client.app.plue.plugins.names
    assert "hello.heartbeat" not in client.app.plue.jobs


_IMPORTED_PROBE = """
import json, sys
from plue_core import create_app
from plue_core.config import load_config
app = create_app(load_config(sys.argv[1], environ={}))
print(json.dumps(sorted(m for m in sys.modules if m.startswith("plue_hello"))))
app.plue.close()
"""


@pytest.mark.parametrize("disabled, imported", [([], True), (["hello"], False)])
def test_a_disabled_plugin_is_never_imported(plue, disabled, imported):
    plue.configure(plugins={"disabled": disabled})
    result = subprocess.run([sys.executable, "-c", _IMPORTED_PROBE, str(plue.config_path)],
                            capture_output=True, text=True, check=True, env=plue.env())
    modules = json.loads(result.stdout.strip().splitlines()[-1])
    assert ("plue_hello.plugin" in modules) is imported
    if not imported:
        assert modules == []


def test_disabling_it_removes_its_cli_commands(plue):
    plue.configure(plugins={"disabled": ["hello"]})
    result = plue("hello", "list", check=False)
    assert result.returncode == 2 and "No such command 'hello'" in result.stderr
    assert "disabled" in plue("plugins", "list").stdout.split("hello", 1)[1].splitlines()[0]


def test_the_service_refuses_an_unknown_source(ctx):
    with connection(ctx.db), pytest.raises(Invalid, match="source must be one of"):
        ctx.services["hello"].add_greeting("hi", source="carrier-pigeon")


def test_the_hello_tables_come_from_its_numbered_migrations(build_app):
    app = build_app(migrate_db=False)
    migrate(app)
    with connection(app.plue.db):
        columns = {c.name for c in app.plue.db.get_columns("hello_greeting")}
    assert {"id", "message", "source", "author", "created_at"} == columns
