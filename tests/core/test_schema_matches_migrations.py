"""The migrations build exactly the tables the models declare (plue_core/schema_check.py), on
SQLite and on PostgreSQL (PLUE_TEST_DATABASE_URL)."""

from __future__ import annotations

import peewee
import pytest

from plue_core import hookimpl
from plue_core.accounts.models import Account
from plue_core.db import BaseModel, connection
from plue_core.schema_check import app_schema_differences, normalize_type, schema_differences
from plue_core.testing import assert_migrations_match_models
from plue_issues.models import Issue


def test_every_registered_model_matches_the_tables_its_migrations_built(build_app):
    app = build_app()  # every built-in plugin, and the installed example plugin
    with connection(app.plue.db):
        checked = {model._meta.table_name for _, model in app.plue.plugins.models().values()}
    assert {"account", "repository", "issue", "action_run", "runnerhub_external_job"} <= checked
    assert_migrations_match_models(app)


def test_a_field_added_to_a_model_without_a_migration_is_reported(build_app):
    app = build_app()

    class GrownIssue(Issue):  # the issue model as it would be after someone added a field
        priority = peewee.IntegerField(default=0, index=True)

        class Meta:
            table_name = "issue"

    with connection(app.plue.db):
        found = [str(d) for d in schema_differences(app.plue.db, [GrownIssue])]
    assert found == [
        "issue: column priority: the model says INTEGER NOT NULL; the migrations built no such column",
        "issue: index on (priority): the model says declared; the migrations built no such index",
    ]


class Note(BaseModel):
    """The throwaway plugin's model, after edits its migration never got."""

    title = peewee.CharField(max_length=200)       # the migration made it VARCHAR(100)
    score = peewee.IntegerField()                   # the migration made it NULL
    body = peewee.TextField(default="")             # no migration adds it
    author = peewee.ForeignKeyField(Account, null=True, on_delete="CASCADE")  # nor this

    class Meta:
        table_name = "probe_note"
        indexes = ((("title",), True),)


MIGRATION = '''
import peewee

def up(migrator, db):
    class Note(peewee.Model):
        title = peewee.CharField(max_length=100)
        score = peewee.IntegerField(null=True)
        legacy = peewee.TextField(null=True)

        class Meta:
            database = db
            table_name = "probe_note"

    db.create_tables([Note])
'''


@pytest.fixture
def note_plugin(tmp_path):
    scripts = tmp_path / "probe_migrations"
    scripts.mkdir()
    (scripts / "0001_initial.py").write_text(MIGRATION)

    class Plugin:
        PLUE_NAME = "probe"

        @staticmethod
        @hookimpl
        def register_models():
            return [Note]

        @staticmethod
        @hookimpl
        def register_migrations():
            return [("probe", str(scripts))]

    return Plugin()


def test_a_plugin_whose_migration_misses_its_model_fails_the_check_with_each_difference(
        build_app, note_plugin):
    app = build_app(note_plugin)
    with connection(app.plue.db):
        found = [str(d) for d in app_schema_differences(app.plue) if d.table == "probe_note"]
    assert found == [
        "probe_note: column title type: the model says VARCHAR(200); the migrations built VARCHAR(100)",
        "probe_note: column score nullability: the model says NOT NULL; the migrations built NULL",
        "probe_note: column body: the model says TEXT NOT NULL; the migrations built no such column",
        "probe_note: column author_id: the model says INTEGER NULL; the migrations built no such column",
        "probe_note: column legacy: the model says no such field; the migrations built TEXT NULL",
        "probe_note: index on (author_id): the model says declared; the migrations built no such index",
        "probe_note: unique index on (title): the model says declared; the migrations built no such index",
        "probe_note: foreign key author_id: the model says references account(id) on delete CASCADE; "
        "the migrations built no foreign key",
    ]
    with pytest.raises(AssertionError, match="probe_note: column body: the model says TEXT NOT NULL"):
        assert_migrations_match_models(app)


def test_a_table_no_model_registers_is_reported(build_app):
    app = build_app()
    with connection(app.plue.db):
        app.plue.db.execute_sql("CREATE TABLE orphan_table (id INTEGER PRIMARY KEY)")
        found = [str(d) for d in app_schema_differences(app.plue)]
    assert found == ["orphan_table: table: the model says no model registers it; "
                     "the migrations built this table"]


@pytest.mark.parametrize("spelling, normal", [
    ("VARCHAR(255)", "VARCHAR(255)"),
    ("character varying(255)", "VARCHAR(255)"),
    ("timestamp without time zone", "TIMESTAMP"),
    ("SERIAL", "INTEGER"),
    ("INT", "INTEGER"),
    ("numeric(10, 5)", "NUMERIC(10,5)"),
    ("boolean", "BOOLEAN"),
])
def test_types_are_compared_in_one_spelling_per_database(spelling, normal):
    assert normalize_type(spelling) == normal
