"""The plugin manager, built per app in one function, and a typed facade over its hooks.

Order (pluggy's recommended shape): add specs -> block disabled names (so a disabled plugin is
never imported) -> built-ins -> ``plue.plugins`` entry points -> objects passed by an
embedding host -> requirements -> ``check_pending()``.

A plugin declares what it needs with a module attribute ``PLUE_REQUIRES = ("accounts",)``.
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import pathlib
from typing import Any, Callable, Iterable

import pluggy

from plue_core import hookspecs
from plue_core.errors import StartupError

# Built-in plugins in dependency order (their migrations run in this order too).
DEFAULT_PLUGINS: tuple[tuple[str, str], ...] = (
    ("meta", "plue_core.meta.plugin"),
    ("accounts", "plue_core.accounts.plugin"),
    ("attachments", "plue_core.attachments.plugin"),
    ("git_hosting", "plue_git_hosting.plugin"),
    ("issues", "plue_issues.plugin"),
    ("pulls", "plue_pulls.plugin"),
    ("actions", "plue_actions.plugin"),
    ("runner_agent", "plue_runner_agent.plugin"),
    ("nodes", "plue_nodes.plugin"),
    ("runner_pilot", "plue_runner_pilot.plugin"),
    ("runnerhub", "plue_runnerhub.plugin"),
    ("tracked_repos", "plue_tracked_repos.plugin"),
    ("security", "plue_security.plugin"),
    ("monitoring", "plue_monitoring.plugin"),
    ("ssh", "plue_ssh.plugin"),
    ("webhooks", "plue_webhooks.plugin"),
    ("releases", "plue_releases.plugin"),
    ("notifications", "plue_notifications.plugin"),
    ("wiki", "plue_wiki.plugin"),
    ("web", "plue_web.plugin"),
)
ENTRYPOINT_GROUP = "plue.plugins"


def plugin_name_of(plugin: Any) -> str:
    return getattr(plugin, "PLUE_NAME", None) or getattr(plugin, "__name__", None) or type(plugin).__name__


def build_plugin_manager(plugin_settings: dict, extra_plugins: Iterable[Any] = ()) -> pluggy.PluginManager:
    try:
        return _build_plugin_manager(plugin_settings, extra_plugins)
    except pluggy.PluginValidationError as exc:
        # A misspelled hook or a wrong argument name: one clear line naming the plugin.
        reason = "; ".join(line.strip() for line in str(exc).splitlines())
        raise StartupError(f"plugin {plugin_name_of(exc.plugin)!r} does not match the hook "
                           "specifications (plue_core/hookspecs.py, or the hookspecs.py of the "
                           f"plugin that adds the hook): {reason}") from None


def _build_plugin_manager(plugin_settings: dict, extra_plugins: Iterable[Any]) -> pluggy.PluginManager:
    pm = pluggy.PluginManager("plue")
    pm.add_hookspecs(hookspecs)
    # Historic: every plugin, however late it registers, gets to add its own specs.
    pm.hook.add_hookspecs.call_historic(kwargs={"plugin_manager": pm})

    extra_plugins = list(extra_plugins)
    enabled = plugin_settings.get("enabled")
    known = [name for name, _ in DEFAULT_PLUGINS]
    if plugin_settings.get("load_entrypoints", True):
        known += [ep.name for ep in importlib.metadata.entry_points(group=ENTRYPOINT_GROUP)]
    known += [plugin_name_of(p) for p in extra_plugins]
    for name in known:
        if name in plugin_settings.get("disabled", ()) or (enabled is not None and name not in enabled):
            pm.set_blocked(name)

    for name, module_path in DEFAULT_PLUGINS:
        if not pm.is_blocked(name):
            pm.register(importlib.import_module(module_path), name=name)
    if plugin_settings.get("load_entrypoints", True):
        pm.load_setuptools_entrypoints(ENTRYPOINT_GROUP)
    for plugin in extra_plugins:
        name = plugin_name_of(plugin)
        if not pm.is_blocked(name):
            if pm.get_plugin(name) is not None:
                raise StartupError(f"two plugins are named {name!r}; rename one (PLUE_NAME)")
            pm.register(plugin, name=name)

    for name, plugin in pm.list_name_plugin():
        for required in getattr(plugin, "PLUE_REQUIRES", ()):
            if pm.get_plugin(required) is None:
                raise StartupError(
                    f"plugin {name!r} requires plugin {required!r}, which is disabled or not "
                    f"installed: enable {required!r} or disable {name!r}")
    pm.check_pending()
    return pm


def ordered_plugin_names(pm: pluggy.PluginManager) -> list[str]:
    """Registered plugins, each after the plugins it requires (built-in order otherwise)."""
    names = [name for name, _ in pm.list_name_plugin() if pm.get_plugin(name) is not None]
    builtin_rank = {name: i for i, (name, _) in enumerate(DEFAULT_PLUGINS)}
    names.sort(key=lambda n: builtin_rank.get(n, len(builtin_rank)))
    ordered: list[str] = []

    def visit(name: str) -> None:
        if name in ordered:
            return
        for required in getattr(pm.get_plugin(name), "PLUE_REQUIRES", ()):
            visit(required)
        ordered.append(name)

    for name in names:
        visit(name)
    return ordered


class PluginHost:
    """Typed methods over the hooks, so core code never spells ``pm.hook.x`` by hand.

    Collect-hooks are called per implementation so every item is tagged with the plugin that
    contributed it, and duplicates can be refused naming both plugins.
    """

    def __init__(self, pm: pluggy.PluginManager):
        self.pm = pm
        self.hook = pm.hook
        self.names = ordered_plugin_names(pm)

    def _collect(self, hook_name: str, **kwargs) -> list[tuple[str, Any]]:
        results = []
        impls = getattr(self.pm.hook, hook_name).get_hookimpls()
        rank = {name: i for i, name in enumerate(self.names)}
        for impl in sorted(impls, key=lambda i: rank.get(i.plugin_name, len(rank))):
            args = {name: kwargs[name] for name in impl.argnames}
            for item in impl.function(**args) or ():
                results.append((impl.plugin_name, item))
        return results

    def collect_unique(self, hook_name: str, key, what: str, **kwargs) -> dict[Any, tuple[str, Any]]:
        """Collect, keyed by ``key(item)``; a duplicate is a startup error naming both plugins."""
        seen: dict[Any, tuple[str, Any]] = {}
        for plugin, item in self._collect(hook_name, **kwargs):
            k = key(item)
            if k in seen:
                raise StartupError(f"{what} {k!r} is registered by both plugin {seen[k][0]!r} "
                                   f"and plugin {plugin!r}; disable one of them")
            seen[k] = (plugin, item)
        return seen

    def settings_schemas(self):
        return self.collect_unique("register_settings", key=lambda item: item[0], what="config section")

    def models(self):
        return self.collect_unique("register_models", key=lambda m: m._meta.table_name, what="table")

    def migration_sources(self) -> list[tuple[str, str]]:
        """The core's own scripts first, then each plugin's, dependencies before dependents."""
        core = ("core", str(pathlib.Path(__file__).parent / "schema"))
        return [core] + [item for _, item in self._collect("register_migrations")]

    def services(self, ctx):
        return self.collect_unique("register_services", key=lambda s: s[0], what="service", ctx=ctx)

    def events(self):
        return self.collect_unique("register_events", key=lambda e: e.name, what="event")

    def routes(self, ctx):
        return self.collect_unique("register_routes", key=lambda r: r.key, what="route", ctx=ctx)

    def websocket_endpoints(self, ctx):
        return self.collect_unique("register_websocket_endpoints", key=lambda e: e.key,
                                   what="WebSocket endpoint", ctx=ctx)

    def jobs(self, ctx):
        return self.collect_unique("register_jobs", key=lambda j: j.id, what="job id", ctx=ctx)

    def daemons(self, ctx):
        return self.collect_unique("register_daemons", key=lambda d: d.name, what="daemon", ctx=ctx)

    def cli_commands(self):
        return self.collect_unique("register_cli", key=lambda c: c.name, what="CLI command")

    def middleware(self, ctx) -> list[Any]:
        """Plugins' Falcon middleware, in plugin dependency order."""
        return [component for _, component in self._collect("register_middleware", ctx=ctx)]

    def authenticator(self, ctx) -> Callable[[Any], Any]:
        """The ``authenticate`` hook as one function of the request, for the middleware that
        runs it on every request: the implementations in pluggy's order (tryfirst ones first,
        the last registered first in each group), the first answer that is not None wins, as
        pluggy's firstresult call gives it, without pluggy's dispatch around each call (10 of
        ``/api/v1/version``'s 133 calls). Plugins are all registered before the app is built;
        a wrapper among the implementations keeps pluggy's own call."""
        hook = self.pm.hook.authenticate
        impls = list(reversed(hook.get_hookimpls()))
        if any(impl.hookwrapper or impl.wrapper or impl.kwargnames for impl in impls):
            return lambda req: hook(ctx=ctx, req=req)
        calls = [functools.partial(impl.function, ctx) if impl.argnames == ("ctx", "req")
                 else _of_request(impl.function, impl.argnames, ctx) for impl in impls]

        def authenticate(req):
            for call in calls:
                answer = call(req)
                if answer is not None:
                    return answer
            return None

        return authenticate

    def describe(self) -> list[dict]:
        """Name, version, hooks of every registered plugin (for ``plue plugins list``, /-/plugins)."""
        described = []
        for name in self.names:
            plugin = self.pm.get_plugin(name)
            dist = None
            for plugin_obj, d in self.pm.list_plugin_distinfo():
                if plugin_obj is plugin:
                    dist = d
            version = getattr(plugin, "PLUE_VERSION", None) or (dist.version if dist else None)
            hooks = sorted(h.name for h in self.pm.get_hookcallers(plugin) or ())
            described.append({"name": name, "version": version or own_version(), "hooks": hooks})
        return described


def _of_request(function: Callable, argnames: tuple[str, ...], ctx) -> Callable[[Any], Any]:
    # An implementation may take the hook's arguments in any order, or only some of them.
    return lambda req: function(*[ctx if name == "ctx" else req for name in argnames])


def own_version() -> str:
    """Plue's installed version (``plue version``, ``ctx.version``; a plugin without a version
    of its own reports this one)."""
    try:
        return importlib.metadata.version("plue")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"
