"""Check that the tables the migrations built are the tables the models declare.

Migrations hold frozen copies of the models (plue_core/migrations.py), so nothing but this
check notices a model that gained a field, an index or a foreign key without a migration.
:func:`schema_differences` introspects the database (peewee's ``get_columns``,
``get_indexes``, ``get_foreign_keys``, ``get_primary_keys``) and compares each model's table
with its ``_meta``: columns, types (as this database spells them), nullability, primary key,
indexes and foreign keys. Types are normalized per database, so ``VARCHAR(255)`` on SQLite and
``character varying(255)`` on PostgreSQL are the same thing. Plugin authors run it through
:func:`plue_core.testing.assert_migrations_match_models`.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Iterable

import peewee

# One spelling per type, whatever the database or peewee called it.
_TYPE_SYNONYMS = {
    "INT": "INTEGER", "INT4": "INTEGER", "SERIAL": "INTEGER",
    "INT8": "BIGINT", "BIGSERIAL": "BIGINT", "INT2": "SMALLINT",
    "CHARACTER VARYING": "VARCHAR", "CHARACTER": "CHAR",
    "TIMESTAMP WITHOUT TIME ZONE": "TIMESTAMP", "TIME WITHOUT TIME ZONE": "TIME",
    "TIMESTAMP WITH TIME ZONE": "TIMESTAMPTZ", "BOOL": "BOOLEAN", "DECIMAL": "NUMERIC",
    "FLOAT8": "DOUBLE PRECISION", "FLOAT4": "REAL",
}
_TYPE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9 ]*?)\s*(\(\s*([0-9 ,]*)\s*\))?\s*$")


@dataclasses.dataclass(frozen=True)
class SchemaDifference:
    """One way a table differs from its model: ``what`` names the column, index or key."""

    table: str
    what: str
    model: str
    migrations: str

    def __str__(self) -> str:
        return (f"{self.table}: {self.what}: the model says {self.model}; "
                f"the migrations built {self.migrations}")


def normalize_type(spelling: str | None) -> str:
    """``varchar(255)``, ``character varying(255)`` -> ``VARCHAR(255)``; ``SERIAL`` -> ``INTEGER``."""
    if not spelling:
        return "(none)"
    match = _TYPE.match(spelling)
    if not match:
        return spelling.strip().upper()
    base = " ".join(match.group(1).upper().split())
    base = _TYPE_SYNONYMS.get(base, base)
    modifiers = match.group(3)
    return f"{base}({modifiers.replace(' ', '')})" if modifiers else base


def _declared_type(db: peewee.Database, field: peewee.Field) -> str | None:
    context = db.get_sql_context()
    node = field.ddl_datatype(context)
    if node is None:  # a BareField declares no type
        return None
    return normalize_type(db.get_sql_context().sql(node).query()[0])


def _on_delete(rule: str | None) -> str:
    return (rule or "NO ACTION").upper()


def _fk_text(fk: tuple[str, str, str]) -> str:
    return f"references {fk[0]}({fk[1]}) on delete {fk[2]}"


def _index_text(columns: tuple[str, ...], unique: bool) -> str:
    return f"{'unique ' if unique else ''}index on ({', '.join(columns)})"


def _model_indexes(model: type[peewee.Model]) -> set[tuple[tuple[str, ...], bool]]:
    # A set: an index declared twice (a foreign key's own and one in Meta.indexes) has one
    # name, so the database builds it once.
    indexes = set()
    for index in model._meta.fields_to_index():
        columns = tuple(part.column_name if isinstance(part, peewee.Field) else str(part)
                        for part in getattr(index, "_expressions", ()))
        indexes.add((columns, bool(getattr(index, "_unique", False))))
    return indexes


def _database_indexes(db: peewee.Database, table: str,
                      primary_key: list[str]) -> set[tuple[tuple[str, ...], bool]]:
    indexes = set()
    for index in db.get_indexes(table):
        columns = tuple(index.columns)
        # The primary key's own index (PostgreSQL's *_pkey, SQLite's autoindex) is the key.
        if index.unique and list(columns) == primary_key:
            continue
        indexes.add((columns, bool(index.unique)))
    return indexes


def _compare_table(db: peewee.Database, model: type[peewee.Model]) -> list[SchemaDifference]:
    table = model._meta.table_name
    found: list[SchemaDifference] = []

    def differ(what: str, declared: str, built: str) -> None:
        found.append(SchemaDifference(table, what, declared, built))

    built_columns = {column.name: column for column in db.get_columns(table)}
    fields = {field.column_name: field for field in model._meta.sorted_fields}
    for name, field in fields.items():
        column = built_columns.get(name)
        declared_type = _declared_type(db, field)
        if column is None:
            differ(f"column {name}", f"{declared_type} {'NULL' if field.null else 'NOT NULL'}",
                   "no such column")
            continue
        built_type = normalize_type(column.full_type or column.data_type)
        if declared_type is not None and built_type != declared_type:
            differ(f"column {name} type", declared_type, built_type)
        if not field.primary_key and bool(field.null) != bool(column.null):
            differ(f"column {name} nullability", "NULL" if field.null else "NOT NULL",
                   "NULL" if column.null else "NOT NULL")
    for name in sorted(built_columns.keys() - fields.keys()):
        differ(f"column {name}", "no such field",
               f"{normalize_type(built_columns[name].full_type)} "
               f"{'NULL' if built_columns[name].null else 'NOT NULL'}")

    declared_key = [field.column_name for field in model._meta.get_primary_keys()]
    built_key = db.get_primary_keys(table)
    if declared_key != built_key:
        differ("primary key", f"({', '.join(declared_key)})", f"({', '.join(built_key)})")

    declared_indexes = _model_indexes(model)
    built_indexes = _database_indexes(db, table, built_key)
    for columns, unique in sorted(declared_indexes - built_indexes):
        differ(_index_text(columns, unique), "declared", "no such index")
    for columns, unique in sorted(built_indexes - declared_indexes):
        differ(_index_text(columns, unique), "no such index", "this index")

    declared_fks = {field.column_name: (field.rel_model._meta.table_name, field.rel_field.column_name,
                                        _on_delete(field.on_delete))
                    for field in model._meta.sorted_fields
                    if isinstance(field, peewee.ForeignKeyField)}
    built_fks = {fk.column: (fk.dest_table, fk.dest_column, _on_delete(fk.on_delete))
                 for fk in db.get_foreign_keys(table)}
    for column in sorted(declared_fks.keys() | built_fks.keys()):
        declared, built = declared_fks.get(column), built_fks.get(column)
        if declared != built:
            differ(f"foreign key {column}",
                   _fk_text(declared) if declared else "no foreign key",
                   _fk_text(built) if built else "no foreign key")
    return found


def schema_differences(db: peewee.Database, models: Iterable[type[peewee.Model]]) -> list[SchemaDifference]:
    """Every difference between the ``models`` and their tables in ``db`` (migrated already);
    an empty list when the migrations built exactly what the models declare."""
    db = db.obj if isinstance(db, peewee.DatabaseProxy) else db
    tables = set(db.get_tables())
    found: list[SchemaDifference] = []
    for model in sorted(models, key=lambda m: m._meta.table_name):
        if model._meta.table_name not in tables:
            found.append(SchemaDifference(model._meta.table_name, "table",
                                          f"model {model.__module__}.{model.__name__}",
                                          "no such table"))
            continue
        found.extend(_compare_table(db, model))
    return found


def core_models() -> list[type[peewee.Model]]:
    """The tables the core itself owns (migration history, scheduler leases and runs)."""
    from plue_core.migrations import AppliedMigration
    from plue_core.scheduler import ScheduledJobLease, ScheduledJobRun

    return [AppliedMigration, ScheduledJobLease, ScheduledJobRun]


def app_schema_differences(ctx) -> list[SchemaDifference]:
    """:func:`schema_differences` for every model of the app (the core's and each enabled
    plugin's ``register_models``), plus every table the migrations built that no model owns."""
    models = core_models() + [model for _, model in ctx.plugins.models().values()]
    db = ctx.db.obj if isinstance(ctx.db, peewee.DatabaseProxy) else ctx.db
    found = schema_differences(db, models)
    owned = {model._meta.table_name for model in models}
    for table in sorted(set(db.get_tables()) - owned):
        found.append(SchemaDifference(table, "table", "no model registers it", "this table"))
    return found


def describe(differences: Iterable[SchemaDifference]) -> str:
    """One line per difference, for a test's failure message."""
    return "\n".join(str(difference) for difference in differences)


__all__ = ["SchemaDifference", "app_schema_differences", "core_models", "describe",
           "normalize_type", "schema_differences"]
