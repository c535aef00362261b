"""Every integer of every request body schema the code loads carries its bound: int64
(``plue_core.validation.int64``) or a narrower domain of its own (docs/plugins.md, section 5).

The served document's walk (tests/e2e/test_int64_body_columns.py) reaches only the bodies an
operation documents; this reads the code instead: every schema handed to ``load_body``,
``load_data`` or RunnerHub's ``load``, documented or not, and the schemas nested in it. An
unbounded ``fields.Integer`` lets a number past 64 bits reach the database (SQLite cannot bind
it: a 500) and says nothing about the column it lands in."""

from __future__ import annotations

import ast
import importlib
import pathlib

from marshmallow import Schema, fields, validate

from plue_core.integers import INT64_MAX, INT64_MIN

ROOT = pathlib.Path(__file__).resolve().parents[2]
LOADERS = {"load_body", "load_data", "load"}


def _module_name(path: pathlib.Path) -> str:
    relative = path.relative_to(ROOT / "plugins" if "plugins" in path.parts else ROOT)
    return ".".join(relative.with_suffix("").parts)


def _loaded_schema_names(tree: ast.AST):
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or len(node.args) < 2:
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in LOADERS:
            continue
        schema = node.args[1]
        if isinstance(schema, ast.Call):  # EditUserOption(only=...)
            schema = schema.func
        if isinstance(schema, ast.Name):
            yield schema.id


def loaded_schemas() -> dict[str, type[Schema]]:
    found = {}
    for path in sorted([*ROOT.glob("plue_core/**/*.py"), *ROOT.glob("plugins/*/**/*.py")]):
        if "migrations" in path.parts:
            continue
        names = set(_loaded_schema_names(ast.parse(path.read_text())))
        if not names:
            continue
        module = importlib.import_module(_module_name(path))
        for name in names:
            schema = getattr(module, name, None)
            if isinstance(schema, type) and issubclass(schema, Schema):
                found[f"{schema.__module__}.{name}"] = schema
    return found


def _integers(schema: Schema, path: str):
    for name, field in schema.fields.items():
        yield from _field_integers(field, f"{path}.{name}")


def _field_integers(field: fields.Field, path: str):
    if isinstance(field, fields.Integer):
        yield path, field
    elif isinstance(field, fields.Nested):
        yield from _integers(field.schema, path)
    elif isinstance(field, fields.List):
        yield from _field_integers(field.inner, f"{path}[]")


def _bounded(field: fields.Integer) -> bool:
    return any(isinstance(rule, validate.Range) and rule.min is not None and rule.max is not None
               and INT64_MIN <= rule.min and rule.max <= INT64_MAX for rule in field.validators)


def test_every_integer_of_every_loaded_body_is_bounded_within_64_bits():
    schemas = loaded_schemas()
    assert len(schemas) > 50
    # Bodies the served document does not describe are read too.
    assert {"plue_runnerhub.schemas.DelegateJob", "plue_runnerhub.schemas.JobStatusUpdate"} \
        <= set(schemas)
    integers = [(f"{key}{path}", field) for key, schema in schemas.items()
                for path, field in _integers(schema(), "")]
    assert len(integers) > 20
    assert [path for path, field in integers if not _bounded(field)] == []
