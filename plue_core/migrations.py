"""Per-plugin numbered migrations, recorded in the core ``plue_migration`` table.

A plugin's ``migrations/`` folder holds ``0001_initial.py``, ``0002_...py``: each defines
``up(migrator, db)`` and declares frozen copies of the tables it creates, so old migrations
keep working when the plugin's models change. Every script runs in its own transaction.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import pathlib
import re
from dataclasses import dataclass
from typing import Callable

import peewee
from playhouse.migrate import SchemaMigrator

from plue_core.db import BaseModel, is_sqlite, utcnow
from plue_core.errors import StartupError
from plue_core.plugin_renames import adopt_renamed_migrations, applied_under_current_names

log = logging.getLogger("plue.migrations")
_SCRIPT = re.compile(r"^(\d{4})_[a-z0-9_]+\.py$")


class AppliedMigration(BaseModel):
    plugin = peewee.CharField(max_length=100)
    name = peewee.CharField(max_length=200)
    applied_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "plue_migration"
        indexes = ((("plugin", "name"), True),)


@dataclass(frozen=True)
class MigrationScript:
    plugin: str
    name: str
    path: pathlib.Path

    def load(self) -> Callable:
        spec = importlib.util.spec_from_file_location(f"plue_migration_{self.plugin}_{self.name}", self.path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if not callable(getattr(module, "up", None)):
            raise StartupError(f"migration {self.plugin}/{self.name} does not define up(migrator, db)")
        return module.up


def discover(sources: list[tuple[str, str]]) -> list[MigrationScript]:
    scripts = []
    for plugin, directory in sources:
        numbered: dict[str, pathlib.Path] = {}
        for path in sorted(pathlib.Path(directory).glob("[0-9]*.py")):
            if not _SCRIPT.match(path.name):
                raise StartupError(f"migration file {path} must be named NNNN_lowercase_words.py")
            # Two branches that each added "the next" migration must not both land unnoticed:
            # their order would then depend on their names, not on what each expects to exist.
            number = path.name.split("_", 1)[0]
            if number in numbered:
                raise StartupError(f"migrations {numbered[number].name} and {path.name} of plugin "
                                   f"{plugin} share the number {number}: renumber the newer one")
            numbered[number] = path
            scripts.append(MigrationScript(plugin, path.stem, path))
    return scripts


def ensure_history_table(db: peewee.Database) -> None:
    # The one table the core creates itself: it records everything else.
    db.create_tables([AppliedMigration], safe=True)


def pending(db: peewee.Database, sources: list[tuple[str, str]]) -> list[MigrationScript]:
    """The scripts not applied yet; only reads (a database never migrated has them all)."""
    if not db.table_exists(AppliedMigration._meta.table_name):
        return discover(sources)
    done = applied_under_current_names(AppliedMigration.select(AppliedMigration.plugin,
                                                               AppliedMigration.name).tuples())
    return [s for s in discover(sources) if (s.plugin, s.name) not in done]


def migrate(db: peewee.Database, sources: list[tuple[str, str]],
            report: Callable[[str], None] = log.info) -> list[MigrationScript]:
    """Apply every pending script in order; idempotent. Returns what was applied."""
    applied = []
    ensure_history_table(db)
    adopt_renamed_migrations(db, AppliedMigration, report)
    migrator = SchemaMigrator.from_database(db)
    for script in pending(db, sources):
        up = script.load()
        with _rebuilds_keep_rows(db):
            with db.atomic():
                up(migrator, db)
                _require_foreign_keys_hold(db, script)
                AppliedMigration.create(plugin=script.plugin, name=script.name)
        report(f"applied {script.plugin}/{script.name}")
        applied.append(script)
    return applied


@contextlib.contextmanager
def _rebuilds_keep_rows(db: peewee.Database):
    """On SQLite, foreign keys off while a script runs (SQLite's own procedure for changing a
    table): peewee makes a column NOT NULL, or drops one, by copying the table and dropping
    the original, and with foreign keys on that DROP deletes every row pointing at it with
    ``ON DELETE CASCADE`` (a new NOT NULL column on ``issue`` took every comment and pull
    request with it). The pragma cannot change inside a transaction: it is set around it."""
    if not is_sqlite(db):
        yield
        return
    db.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        db.execute_sql("PRAGMA foreign_keys = ON")


def _require_foreign_keys_hold(db: peewee.Database, script) -> None:
    """What the script left must still satisfy every foreign key (checked while they were
    off); otherwise it is rolled back."""
    if is_sqlite(db):
        broken = db.execute_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise StartupError(f"migration {script.plugin}/{script.name} left rows whose "
                               f"foreign keys point nowhere: {broken[:5]}")
