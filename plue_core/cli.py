"""The ``plue`` command. Plugins add commands through ``register_cli``."""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import pathlib
import sys

import click
import peewee

from plue_core.errors import PlueError, StartupError


class _Lazy:
    """Builds config and context only when a command needs them (``--help`` stays instant)."""

    def __init__(self, config_path: str | None):
        self.config_path = config_path
        self._config = None
        self._ctx = None

    @property
    def config(self):
        if self._config is None:
            from plue_core.config import load_config
            self._config = load_config(self.config_path)
            # Printed here, so build_context (which logs them otherwise) stays quiet.
            self._config.report_deprecations(
                lambda notice: click.secho(f"warning: {notice}", fg="yellow", err=True))
        return self._config

    @property
    def ctx(self):
        """The context, for commands that do not read the database (or create it)."""
        if self._ctx is None:
            from plue_core.app import build_context
            self._ctx = build_context(self.config)
        return self._ctx

    @property
    def inspection_ctx(self):
        """The context for commands that only describe the setup: nothing is created on disk."""
        if self._ctx is None:
            from plue_core.app import build_context
            self._ctx = build_context(self.config, inspect_only=True)
        return self._ctx

    @property
    def migrated_ctx(self):
        """The context, once its database is known to exist and to be migrated (otherwise a
        one-line StartupError naming the data dir and database URL; nothing is created)."""
        from plue_core import database_readiness
        if self._ctx is None:
            database_readiness.require_existing_database(self.config)
        ctx = self.ctx
        database_readiness.require_migrated(ctx)
        return ctx


def pass_context(command):
    """Give a command the app's :class:`~plue_core.context.PlueContext` as first argument,
    with a database connection open for the command's duration. The database must exist and
    be migrated: otherwise the command stops with one line saying which one it looked at."""
    @click.pass_obj
    @functools.wraps(command)
    def wrapper(lazy: _Lazy, *args, **kwargs):
        from plue_core.db import connection
        ctx = lazy.migrated_ctx
        with connection(ctx.db):
            return command(ctx, *args, **kwargs)
    return wrapper


def _fail(message: str) -> None:
    click.secho(f"error: {message}", fg="red", err=True)
    sys.exit(1)


class PlueGroup(click.Group):
    """Adds plugin commands on first lookup, and turns startup errors into one clear line."""

    _plugins_loaded = False

    def _load_plugin_commands(self, click_ctx: click.Context) -> None:
        if self._plugins_loaded:
            return
        self._plugins_loaded = True
        try:
            from plue_core.config import load_config
            from plue_core.plugins import PluginHost, build_plugin_manager
            config_path = click_ctx.params.get("config_path")
            host = PluginHost(build_plugin_manager(load_config(config_path).plugins))
            for name, (plugin, command) in host.cli_commands().items():
                if name in self.commands:
                    raise StartupError(f"CLI command {name!r} of plugin {plugin!r} clashes with "
                                       "a built-in command")
                self.add_command(command)
        except StartupError as exc:
            _fail(str(exc))

    def list_commands(self, click_ctx):
        self._load_plugin_commands(click_ctx)
        return super().list_commands(click_ctx)

    def get_command(self, click_ctx, name):
        if name not in self.commands:
            self._load_plugin_commands(click_ctx)
        return super().get_command(click_ctx, name)

    def invoke(self, click_ctx):
        try:
            return super().invoke(click_ctx)
        except StartupError as exc:
            _fail(str(exc))
        except PlueError as exc:
            _fail(exc.message)
        except peewee.DatabaseError as exc:  # a database that changed under the command
            from plue_core import database_readiness
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            _fail(f"database error: {detail} ({database_readiness.where(click_ctx.obj.config)})")


@click.group(cls=PlueGroup)
@click.option("--config", "config_path", envvar="PLUE_CONFIG", type=click.Path(dir_okay=False),
              help="Path of plue.toml (default: $PLUE_CONFIG, else built-in defaults).")
@click.pass_context
def main(click_ctx: click.Context, config_path: str | None) -> None:
    """Plue: Git hosting, code review, CI/CD and a runner fleet."""
    if config_path:
        os.environ["PLUE_CONFIG"] = str(pathlib.Path(config_path).resolve())
    click_ctx.obj = _Lazy(config_path)


@main.command()
def version() -> None:
    """Print Plue's version."""
    from plue_core.plugins import own_version
    click.echo(own_version())


@main.command()
@click.pass_obj
def migrate(lazy: _Lazy) -> None:
    """Create the database if needed and apply pending migrations of the core and every
    enabled plugin (idempotent)."""
    from plue_core import migrations
    from plue_core.config import redacted_database_url
    from plue_core.db import connection

    ctx = lazy.ctx
    with connection(ctx.db):
        applied = migrations.migrate(ctx.db, ctx.plugins.migration_sources(), report=click.echo)
    click.echo(f"{len(applied)} migration(s) applied; database is up to date "
               f"({redacted_database_url(ctx.config.database_url)})")


# The gunicorn host, named rather than imported: the core knows where its hosts are, never
# what is in them (import-linter contract core-no-hosts).
HOSTS_PACKAGE = "plue_hosts"
WSGI_APP = f"{HOSTS_PACKAGE}.wsgi:app"


def gunicorn_config_path() -> pathlib.Path:
    """hosts/gunicorn.conf.py of the installed hosts package, found without importing it."""
    spec = importlib.util.find_spec(HOSTS_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise StartupError(f"the {HOSTS_PACKAGE!r} package (Plue's gunicorn host) is not "
                           "installed: reinstall plue (pip install plue)")
    return pathlib.Path(list(spec.submodule_search_locations)[0]) / "gunicorn.conf.py"


@main.command()
@click.option("--bind", envvar="PLUE_BIND", help="host:port to listen on (default 127.0.0.1:8000).")
@click.option("--workers", type=int, help="Number of gunicorn worker processes.")
@click.pass_obj
def serve(lazy: _Lazy, bind: str | None, workers: int | None) -> None:
    """Run the server under gunicorn (hosts/gunicorn.conf.py)."""
    # Through the environment, so gunicorn, its workers and the scheduler child load the same
    # bind and derive the same base_url from it.
    if bind:
        os.environ["PLUE_BIND"] = bind
    if workers:
        os.environ["PLUE_WORKERS"] = str(workers)
    ctx = lazy.migrated_ctx
    conf = gunicorn_config_path()
    config = ctx.config
    server = config.server
    argv = [sys.executable, "-m", "gunicorn", "-c", str(conf),
            "--bind", server["bind"], "--workers", str(server["workers"]), WSGI_APP]
    click.echo(f"Plue at {config.base_url}: gunicorn listening on {server['bind']} "
               f"({server['workers']} workers, scheduler: {config.scheduler['mode']}, "
               f"daemons: {config.daemons['mode']})")
    sys.stdout.flush()
    os.execv(sys.executable, argv)


@main.command()
@pass_context
def scheduler(ctx) -> None:
    """Run scheduled jobs in this process (one per deployment; see docs/admin.md)."""
    from plue_core.scheduler import build_scheduler
    click.echo(f"scheduler running {len(ctx.jobs)} job(s): {', '.join(sorted(ctx.jobs)) or 'none'}")
    build_scheduler(ctx, blocking=True).start()


@main.command()
@click.option("--with-scheduler", is_flag=True,
              help="Also run the scheduled jobs here (what `plue scheduler` does).")
@click.pass_obj
def daemons(lazy: _Lazy, with_scheduler: bool) -> None:
    """Run the plugins' long-running services (``register_daemons``, e.g. the SSH server) in
    this process: one per deployment, started by ``plue serve`` (with the scheduler when it
    runs beside the server too: one process, not two)."""
    from plue_core.daemons import run_daemons, serve_daemons
    ctx = lazy.migrated_ctx
    found = serve_daemons(ctx, plugins=True, scheduler=with_scheduler)
    if not found:
        click.echo("no daemons to run")
        return
    click.echo(f"running {len(found)} daemon(s): {', '.join(sorted(d.name for d in found))}")
    sys.stdout.flush()
    sys.exit(run_daemons(ctx, found))


@main.group()
def plugins() -> None:
    """Inspect plugins."""


@plugins.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def plugins_list(lazy: _Lazy, as_json: bool) -> None:
    """Every known plugin: name, version, enabled, routes, jobs, hooks."""
    import importlib.metadata

    from plue_core.plugins import DEFAULT_PLUGINS, ENTRYPOINT_GROUP

    ctx = lazy.inspection_ctx
    rows = [dict(entry, enabled=True) for entry in ctx.describe_plugins()]
    enabled = {row["name"] for row in rows}
    known = [name for name, _ in DEFAULT_PLUGINS]
    known += [ep.name for ep in importlib.metadata.entry_points(group=ENTRYPOINT_GROUP)]
    for name in dict.fromkeys(known):
        if name not in enabled:
            rows.append({"name": name, "version": None, "enabled": False, "routes": [],
                         "jobs": [], "hooks": []})
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        state = "enabled " if row["enabled"] else "disabled"
        click.echo(f"{row['name']:<16} {row['version'] or '-':<10} {state} "
                   f"routes={len(row['routes'])} jobs={len(row['jobs'])} "
                   f"hooks={','.join(row['hooks']) or '-'}")


@main.group("config")
def config_group() -> None:
    """Inspect configuration."""


@config_group.command("show")
@click.pass_obj
def config_show(lazy: _Lazy) -> None:
    """Print the effective configuration as JSON, secrets redacted."""
    ctx = lazy.inspection_ctx
    click.echo(json.dumps(ctx.config.as_dict(redact=True), indent=2, default=str))


@main.group()
def admin() -> None:
    """Administrative tasks (Gitea's `gitea admin` shapes)."""


@admin.group("user")
def admin_user() -> None:
    """Manage users."""


@admin_user.command("create")
@click.option("--username", required=True)
@click.option("--email", required=True)
@click.option("--password", help="The password; read from stdin when omitted.")
@click.option("--admin", "is_admin", is_flag=True, help="Make the user a site administrator.")
@click.option("--must-change-password/--no-must-change-password", default=False)
@pass_context
def admin_user_create(ctx, username, email, password, is_admin, must_change_password) -> None:
    """Create a user."""
    from plue_core.accounts import users
    if password is None:
        password = sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else \
            click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = users.create_user(ctx.section("accounts"), username=username, email=email,
                             password=password, is_admin=is_admin,
                             must_change_password=must_change_password)
    click.echo(f"New user '{user.name}' has been successfully created!"
               + (" (site administrator)" if user.is_admin else ""))


@admin.group("token")
def admin_token() -> None:
    """Manage access tokens."""


@admin_token.command("create")
@click.option("--username", required=True)
@click.option("--name", "token_name", default="cli", show_default=True)
@click.option("--scopes", default="all", show_default=True,
              help="Comma-separated scopes, e.g. write:repository,read:user")
@pass_context
def admin_token_create(ctx, username, token_name, scopes) -> None:
    """Create an access token and print it (it is shown only once)."""
    from plue_core.accounts import users
    user = users.get_user(username)
    _, token = users.create_access_token(user, token_name, scopes.split(","))
    click.echo(token)


@admin.group("locks")
def admin_locks() -> None:
    """See and clear login throttling locks (docs/admin.md, "Login locks")."""


@admin_locks.command("list")
@click.option("--user", help="Only the counters of this login name.")
@click.option("--address", help="Only the counters of this client address.")
@click.option("--locked", "locked_only", is_flag=True, help="Only what is locked now.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_context
def admin_locks_list(ctx, user, address, locked_only, as_json) -> None:
    """List failed-login counters that still count, locks first."""
    from plue_core.accounts import login_throttle
    from plue_core.db import utcnow
    now = utcnow()
    rows = [login_throttle.describe(row, now) for row in login_throttle.list_counts(
        ctx.section("accounts"), account=user, address=address, locked_only=locked_only)]
    if as_json:
        click.echo(json.dumps(rows, indent=2, default=str))
        return
    if not rows:
        click.echo("no failed logins are counted")
    for row in rows:
        state = f"locked for {row['retry_after']}s" if row["locked"] else "not locked"
        click.echo(f"{row['scope']:<8} {row['user'] or '-':<24} {row['address'] or '-':<24} "
                   f"{row['failures']:>4} failure(s)  {state}")


@admin_locks.command("clear")
@click.option("--user", help="Clear the counters of this login name.")
@click.option("--address", help="Clear the counters of this client address.")
@click.option("--all", "everything", is_flag=True, help="Clear every counter.")
@pass_context
def admin_locks_clear(ctx, user, address, everything) -> None:
    """Forget failed logins (and so lift locks) of a user, an address, or everyone."""
    from plue_core.accounts import login_throttle
    if not (user or address or everything):
        raise click.UsageError("name what to clear: --user, --address or --all")
    removed = login_throttle.clear(account=user, address=address)
    click.echo(f"{removed} counter(s) cleared")


if __name__ == "__main__":
    main()
