"""Per-plugin numbered migrations, on SQLite and PostgreSQL (PLUE_TEST_DATABASE_URL)."""

from __future__ import annotations

import pytest

from plue_core import hookimpl, migrations
from plue_core.db import connection
from plue_core.errors import StartupError
from plue_core.migrations import AppliedMigration


def apply(app):
    ctx = app.plue
    with connection(ctx.db):
        return [f"{s.plugin}/{s.name}" for s in
                migrations.migrate(ctx.db, ctx.plugins.migration_sources(), report=lambda _: None)]


def tables(app) -> set[str]:
    with connection(app.plue.db):
        return set(app.plue.db.get_tables())


def test_migrating_twice_applies_nothing_the_second_time(build_app):
    app = build_app(migrate_db=False)
    first = apply(app)
    assert first[:2] == ["core/0001_scheduler", "accounts/0001_initial"]
    assert apply(app) == []
    with connection(app.plue.db):
        assert AppliedMigration.select().count() == len(first)
    assert {"plue_migration", "plue_job_lease", "plue_job_run", "account"} <= tables(app)


def test_a_plugin_enabled_later_gets_its_tables_on_the_next_migrate(build_app):
    without = build_app(plugins={"disabled": ["hello"]}, migrate_db=False)
    applied = apply(without)
    assert not any(name.startswith("hello/") for name in applied)
    assert "hello_greeting" not in tables(without)

    with_hello = build_app(migrate_db=False)
    assert apply(with_hello) == ["hello/0001_initial", "hello/0002_add_author"]
    assert {"hello_greeting", "hello_tally"} <= tables(with_hello)
    assert apply(with_hello) == []


def _plugin_with_migrations(directory):
    class Plugin:
        PLUE_NAME = "probe"

        @staticmethod
        @hookimpl
        def register_migrations():
            return [("probe", str(directory))]

    return Plugin()


def test_a_failing_migration_leaves_nothing_half_applied(build_app, tmp_path):
    scripts = tmp_path / "probe_migrations"
    scripts.mkdir()
    (scripts / "0001_broken.py").write_text(
        "import peewee\n"
        "def up(migrator, db):\n"
        "    class Half(peewee.Model):\n"
        "        class Meta:\n"
        "            database = db\n"
        "            table_name = 'probe_half'\n"
        "    db.create_tables([Half])\n"
        "    raise RuntimeError('second step failed')\n")
    app = build_app(_plugin_with_migrations(scripts), migrate_db=False)
    with pytest.raises(RuntimeError, match="second step failed"):
        apply(app)
    assert "probe_half" not in tables(app)
    with connection(app.plue.db):
        assert not AppliedMigration.select().where(AppliedMigration.plugin == "probe").exists()
        # Everything before the broken script was applied and recorded.
        assert AppliedMigration.select().where(AppliedMigration.plugin == "accounts").exists()


def test_a_badly_named_migration_file_is_refused_by_name(build_app, tmp_path):
    scripts = tmp_path / "probe_migrations"
    scripts.mkdir()
    (scripts / "1_Initial.py").write_text("def up(migrator, db):\n    pass\n")
    app = build_app(_plugin_with_migrations(scripts), migrate_db=False)
    with pytest.raises(StartupError, match="1_Initial.py must be named NNNN_lowercase_words.py"):
        apply(app)


def test_two_migrations_with_one_number_are_refused_naming_both(build_app, tmp_path):
    scripts = tmp_path / "probe_migrations"
    scripts.mkdir()
    for name in ("0001_initial.py", "0002_add_colour.py", "0002_add_size.py"):
        (scripts / name).write_text("def up(migrator, db):\n    pass\n")
    app = build_app(_plugin_with_migrations(scripts), migrate_db=False)
    with pytest.raises(StartupError, match="0002_add_colour.py and 0002_add_size.py of plugin "
                                           "probe share the number 0002"):
        apply(app)


def test_a_migration_without_up_is_refused_by_name(build_app, tmp_path):
    scripts = tmp_path / "probe_migrations"
    scripts.mkdir()
    (scripts / "0001_empty.py").write_text("VALUE = 1\n")
    app = build_app(_plugin_with_migrations(scripts), migrate_db=False)
    with pytest.raises(StartupError, match="probe/0001_empty does not define up"):
        apply(app)


_PARENT_AND_CHILD = '''import peewee
def up(migrator, db):
    class Parent(peewee.Model):
        class Meta:
            database = db
            table_name = "probe_parent"
    class Child(peewee.Model):
        parent = peewee.ForeignKeyField(Parent, on_delete="CASCADE")
        class Meta:
            database = db
            table_name = "probe_child"
    db.create_tables([Parent, Child])
'''


def test_a_not_null_column_on_a_parent_table_keeps_the_rows_pointing_at_it(build_app, tmp_path):
    """SQLite: peewee adds a NOT NULL column by copying the table and dropping the original;
    with foreign keys on, that DROP deleted every child row (``ON DELETE CASCADE``): issues
    migration 0010's ``pin_order`` took every comment and pull request with it."""
    scripts = tmp_path / "probe_migrations"
    scripts.mkdir()
    (scripts / "0001_tables.py").write_text(_PARENT_AND_CHILD)
    app = build_app(_plugin_with_migrations(scripts), migrate_db=False)
    apply(app)
    (scripts / "0002_rank.py").write_text(
        "import peewee\n"
        "from playhouse.migrate import migrate\n"
        "def up(migrator, db):\n"
        "    migrate(migrator.add_column('probe_parent', 'rank', peewee.IntegerField(default=0)))\n")
    db = app.plue.db
    with connection(db):
        db.execute_sql("INSERT INTO probe_parent (id) VALUES (1)")
        db.execute_sql("INSERT INTO probe_child (id, parent_id) VALUES (7, 1)")
    assert apply(app) == ["probe/0002_rank"]
    with connection(db):
        assert db.execute_sql("SELECT id, parent_id FROM probe_child").fetchall() == [(7, 1)]
        assert db.execute_sql("SELECT id, rank FROM probe_parent").fetchall() == [(1, 0)]
        if db.param == "?":  # SQLite: the foreign keys are on again
            assert db.execute_sql("PRAGMA foreign_keys").fetchone() == (1,)


def test_a_migration_leaving_a_dangling_reference_is_rolled_back(build_app, tmp_path):
    scripts = tmp_path / "probe_migrations"
    scripts.mkdir()
    (scripts / "0001_tables.py").write_text(_PARENT_AND_CHILD)
    app = build_app(_plugin_with_migrations(scripts), migrate_db=False)
    apply(app)
    (scripts / "0002_orphan.py").write_text(
        "def up(migrator, db):\n"
        "    db.execute_sql('INSERT INTO probe_child (id, parent_id) VALUES (1, 99)')\n")
    with pytest.raises((StartupError, Exception), match="point nowhere|foreign key|violates"):
        apply(app)
    with connection(app.plue.db):
        assert app.plue.db.execute_sql("SELECT COUNT(*) FROM probe_child").fetchone() == (0,)
        assert not AppliedMigration.select().where(AppliedMigration.name == "0002_orphan").exists()
