"""Is the configured database there, and migrated? Every ``plue`` command that needs the
database asks before it touches anything, so a command run without the server's data dir or
database URL says so in one line instead of creating an empty database next to the real one
(``plue migrate`` alone creates it)."""

from __future__ import annotations

import pathlib

import peewee

from plue_core.config import Config, redacted_database_url
from plue_core.errors import StartupError

_POINT_AT_THE_SERVER = ("or give this command the server's PLUE_DATA_DIR, PLUE_DATABASE_URL "
                        "or --config/PLUE_CONFIG")


def where(config: Config) -> str:
    """Which data dir, database URL and config file a command looked at (password redacted)."""
    source = config.source or "none, built-in defaults and PLUE_* variables"
    return (f"data dir {config.data_path.resolve()}, database_url "
            f"{redacted_database_url(config.database_url)}, config file {source}")


def require_existing_database(config: Config) -> None:
    """Refuse a database that does not exist, without creating it (or its directory)."""
    url = config.database_url
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
        if path != ":memory:" and not pathlib.Path(path).is_file():
            raise StartupError(f"there is no database ({where(config)}): run `plue migrate` to "
                               f"create it, {_POINT_AT_THE_SERVER}")
        return
    from plue_core.db import open_database
    db = open_database(url, pool_size=1)
    try:
        db.connect()
    except peewee.OperationalError as exc:  # no such database, wrong password, no server
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StartupError(f"cannot open the database ({where(config)}): {reason}; "
                           f"{_POINT_AT_THE_SERVER}") from None
    db.close()
    if hasattr(db, "close_all"):
        db.close_all()


def require_migrated(ctx) -> None:
    """Refuse a database with pending migrations of the core or an enabled plugin."""
    from plue_core import migrations
    from plue_core.db import connection

    with connection(ctx.db):
        waiting = migrations.pending(ctx.db, ctx.plugins.migration_sources())
    if waiting:
        first = waiting[0]
        raise StartupError(f"the database has {len(waiting)} pending migration(s) (first: "
                           f"{first.plugin}/{first.name}; {where(ctx.config)}): run `plue migrate` "
                           f"first, {_POINT_AT_THE_SERVER}")
