"""The plugin manager: enabling and disabling plugins, refusing clashes, extending the hooks."""

from __future__ import annotations

import importlib
import importlib.metadata
import re

import click
import falcon.testing
import peewee
import pytest

from plue_core import hookimpl
from plue_core.db import BaseModel
from plue_core.errors import StartupError
from plue_core.events import Event
from plue_core.hookspecs import hookspec
from plue_core.plugins import DEFAULT_PLUGINS, ENTRYPOINT_GROUP, PluginHost, build_plugin_manager
from plue_core.routing import Route
from plue_core.scheduler import ScheduledJob

BUILTIN_NAMES = [name for name, _ in DEFAULT_PLUGINS]


def installed_plugins() -> dict[str, object]:
    """Every plugin this installation knows (built-ins and entry points), imported."""
    modules = {name: importlib.import_module(path) for name, path in DEFAULT_PLUGINS}
    for entry_point in importlib.metadata.entry_points(group=ENTRYPOINT_GROUP):
        modules.setdefault(entry_point.name, entry_point.load())
    return modules


def with_dependents(name: str) -> set[str]:
    """``name`` and every plugin that needs it, directly or not."""
    modules = installed_plugins()
    closed = {name}
    while True:
        more = {other for other, module in modules.items()
                if other not in closed and closed & set(getattr(module, "PLUE_REQUIRES", ()))}
        if not more:
            return closed
        closed |= more


def concrete_path(template: str) -> str:
    return re.sub(r"\{[^}]*\}", "1", template)


class Resource:
    def on_get(self, req, resp):
        resp.media = {"ok": True}


def make_plugin(name: str, **hooks):
    """A plugin object named ``name`` whose hooks are the given functions."""
    namespace = {"PLUE_NAME": name}
    for hook_name, function in hooks.items():
        namespace[hook_name] = staticmethod(hookimpl(function))
    return type(f"{name.title()}Plugin", (), namespace)()


# --- turning plugins off ---------------------------------------------------------------------


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_each_builtin_plugin_can_be_disabled_and_its_routes_then_answer_404(build_app, name):
    everything = build_app()
    routes = [route.path for plugin, route in everything.plue.routes
              if plugin == name and isinstance(route, Route)]

    disabled = sorted(with_dependents(name))
    app = build_app(plugins={"disabled": disabled})
    client = falcon.testing.TestClient(app)
    assert app.plue.plugins.pm.get_plugin(name) is None
    assert all(plugin not in disabled for plugin, _ in app.plue.routes)
    for path in routes:
        response = client.simulate_get(concrete_path(path))
        assert response.status_code == 404, (path, response.status_code)
    if name != "meta":
        assert client.simulate_get("/health").status_code == 200


def test_an_enabled_list_loads_only_the_plugins_it_names(build_client):
    client = build_client(plugins={"enabled": ["meta"]})
    assert client.app.plue.plugins.names == ["meta"]
    assert client.simulate_get("/api/v1/version").status_code == 200
    assert client.simulate_get("/api/v1/user").status_code == 404
    assert client.simulate_get("/api/v1/hello/greetings").status_code == 404


def test_entry_points_can_be_switched_off(build_app):
    app = build_app(plugins={"load_entrypoints": False})
    assert app.plue.plugins.names == BUILTIN_NAMES


def test_a_plugin_passed_by_the_host_is_registered_under_its_name(build_client):
    probe = make_plugin("probe", register_routes=lambda ctx: [Route("/api/v1/probe", Resource())])
    client = build_client(probe)
    assert "probe" in client.app.plue.plugins.names
    assert client.simulate_get("/api/v1/probe").json == {"ok": True}


def test_a_host_plugin_can_be_disabled_by_config_too(build_client):
    probe = make_plugin("probe", register_routes=lambda ctx: [Route("/api/v1/probe", Resource())])
    client = build_client(probe, plugins={"disabled": ["probe"]})
    assert client.simulate_get("/api/v1/probe").status_code == 404


def test_two_plugins_with_one_name_are_refused(build_app):
    with pytest.raises(StartupError, match="two plugins are named 'accounts'"):
        build_app(make_plugin("accounts"), migrate_db=False)


# --- clashes are startup errors naming both plugins -------------------------------------------


def test_the_same_route_from_two_plugins_is_a_startup_error_naming_both(build_app):
    first = make_plugin("first", register_routes=lambda ctx: [Route("/api/v1/same/{a}", Resource())])
    second = make_plugin("second", register_routes=lambda ctx: [Route("/api/v1/same/{b}", Resource())])
    with pytest.raises(StartupError) as excinfo:
        build_app(first, second, migrate_db=False)
    message = str(excinfo.value)
    assert "route '/api/v1/same/{}'" in message and "'first'" in message and "'second'" in message


def test_a_plugin_taking_a_builtin_route_is_refused(build_app):
    thief = make_plugin("thief", register_routes=lambda ctx: [Route("/api/v1/version", Resource())])
    with pytest.raises(StartupError, match="'meta' and plugin 'thief'"):
        build_app(thief, migrate_db=False)


def _model(table: str) -> type[peewee.Model]:
    return type(f"Model_{table}", (BaseModel,), {
        "value": peewee.TextField(), "Meta": type("Meta", (), {"table_name": table})})


def test_the_same_table_from_two_plugins_is_a_startup_error_naming_both(build_app):
    first = make_plugin("first", register_models=lambda: [_model("shared_table")])
    second = make_plugin("second", register_models=lambda: [_model("shared_table")])
    with pytest.raises(StartupError, match="table 'shared_table'.*'first'.*'second'"):
        build_app(first, second, migrate_db=False)


def test_the_same_job_id_from_two_plugins_is_a_startup_error_naming_both(build_app):
    def jobs(ctx):
        return [ScheduledJob("nightly.cleanup", lambda ctx: None, "interval", {"seconds": 60})]

    with pytest.raises(StartupError, match="job id 'nightly.cleanup'.*'first'.*'second'"):
        build_app(make_plugin("first", register_jobs=jobs), make_plugin("second", register_jobs=jobs),
                  migrate_db=False)


def test_the_same_cli_command_from_two_plugins_is_a_startup_error_naming_both():
    def commands():
        return [click.Command("doctor", callback=lambda: None)]

    pm = build_plugin_manager({"load_entrypoints": False}, [
        make_plugin("first", register_cli=commands), make_plugin("second", register_cli=commands)])
    with pytest.raises(StartupError, match="CLI command 'doctor'.*'first'.*'second'"):
        PluginHost(pm).cli_commands()


def test_the_same_service_or_event_name_from_two_plugins_is_a_startup_error(build_app):
    with pytest.raises(StartupError, match="service 'accounts'.*'accounts'.*'impostor'"):
        build_app(make_plugin("impostor", register_services=lambda ctx: [("accounts", object())]),
                  migrate_db=False)

    class Ping(Event):
        name = "probe.ping"

    with pytest.raises(StartupError, match="event 'probe.ping'.*'first'.*'second'"):
        build_app(make_plugin("first", register_events=lambda: [Ping]),
                  make_plugin("second", register_events=lambda: [Ping]), migrate_db=False)


# --- requirements ------------------------------------------------------------------------------


def test_a_missing_requirement_is_a_startup_error_naming_both_plugins(build_app):
    needy = make_plugin("needy")
    type(needy).PLUE_REQUIRES = ("telepathy",)
    with pytest.raises(StartupError, match="plugin 'needy' requires plugin 'telepathy'"):
        build_app(needy, migrate_db=False)


def test_disabling_a_plugin_another_one_requires_is_refused(build_app):
    needy = make_plugin("needy")
    type(needy).PLUE_REQUIRES = ("accounts",)
    with pytest.raises(StartupError) as excinfo:
        build_app(needy, plugins={"disabled": sorted(with_dependents("accounts"))}, migrate_db=False)
    assert "'needy' requires plugin 'accounts'" in str(excinfo.value)
    assert "disable 'needy'" in str(excinfo.value)


def test_plugins_are_ordered_after_the_plugins_they_require(build_app):
    late = make_plugin("aardvark")
    type(late).PLUE_REQUIRES = ("zebra",)
    app = build_app(late, make_plugin("zebra"), migrate_db=False)
    names = app.plue.plugins.names
    assert names.index("zebra") < names.index("aardvark")
    assert names[:2] == ["meta", "accounts"]


# --- extending the hooks -------------------------------------------------------------------------


class GreeterSpecs:
    @hookspec
    def collect_greetings(self, ctx) -> list[str]:
        """A hook that exists only because a plugin added it."""


def test_a_plugin_can_add_a_hook_that_another_plugin_implements(build_app):
    owner = make_plugin("greeter", add_hookspecs=lambda plugin_manager:
                        plugin_manager.add_hookspecs(GreeterSpecs))
    user = make_plugin("polite", collect_greetings=lambda ctx: ["good morning"])
    for order in ((owner, user), (user, owner)):  # historic: registration order does not matter
        app = build_app(*order, migrate_db=False)
        pm = app.plue.plugins.pm
        assert pm.hook.collect_greetings(ctx=app.plue) == [["good morning"]]


def test_a_misspelled_hook_is_a_startup_error_naming_the_plugin_and_the_hook(build_app):
    typo = make_plugin("typo", register_route=lambda ctx: [])
    with pytest.raises(StartupError) as excinfo:
        build_app(typo, migrate_db=False)
    assert "'typo'" in str(excinfo.value) and "'register_route'" in str(excinfo.value)


def test_a_hook_implementation_with_a_wrong_argument_is_a_startup_error(build_app):
    wrong = make_plugin("wrong", register_routes=lambda ctx, request: [])
    with pytest.raises(StartupError, match="'wrong'.*request"):
        build_app(wrong, migrate_db=False)


def test_a_wrong_argument_in_a_hook_a_plugin_added_is_a_startup_error_naming_where_specs_live(build_app):
    wrong = make_plugin("wrong", account_deletion_blockers=lambda ctx, account, force: [])
    with pytest.raises(StartupError) as excinfo:
        build_app(wrong, migrate_db=False)
    message = str(excinfo.value)
    assert "'wrong'" in message and "account_deletion_blockers" in message and "force" in message
    assert "the hookspecs.py of the plugin that adds the hook" in message


# --- lifecycle and authentication hooks --------------------------------------------------------


def test_startup_fires_once_with_the_context_and_shutdown_fires_once_on_close(build_app):
    calls = []
    lifecycle = make_plugin("lifecycle", startup=lambda ctx: calls.append(("startup", ctx)),
                            shutdown=lambda ctx: calls.append(("shutdown", ctx)))
    app = build_app(lifecycle, migrate_db=False)
    assert calls == [("startup", app.plue)]
    app.plue.close()
    app.plue.close()
    assert calls == [("startup", app.plue), ("shutdown", app.plue)]


def test_the_first_plugin_that_recognises_the_credentials_answers_authenticate(build_client):
    from plue_core.identity import Identity, require_identity

    class WhoAmI:
        def on_get(self, req, resp):
            identity = require_identity(req)
            resp.media = {"login": identity.username, "method": identity.method}

    def authenticate(ctx, req):
        name = req.get_header("X-Probe-User")
        return Identity(user_id=0, username=name, method="probe") if name else None

    probe = make_plugin("probe", authenticate=authenticate,
                        register_routes=lambda ctx: [Route("/api/v1/probe/whoami", WhoAmI())])
    client = build_client(probe)
    assert client.simulate_get("/api/v1/probe/whoami", headers={"X-Probe-User": "bob"}).json == \
        {"login": "bob", "method": "probe"}
    # Without the header the probe answers None and the accounts plugin decides: no credentials.
    assert client.simulate_get("/api/v1/probe/whoami").status_code == 401
