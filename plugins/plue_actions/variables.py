"""Variables (``vars`` context): repository or owner scope, names upper-cased, plain text."""

from __future__ import annotations

from plue_core.constraints import unique_write
from plue_core.db import CompiledSelect, utcnow
from plue_core.errors import Conflict, Invalid, NotFound

from plue_actions.models import Variable
from plue_actions.secrets import check_name

MAX_VALUE_SIZE = 64 * 1024


def _scope(owner_id: int, repository_id: int):
    return (Variable.owner_id == owner_id) & (Variable.repository_id == repository_id)


def _check_value(value) -> str:
    if not isinstance(value, str) or value == "":
        raise Invalid("value is required and must be a non-empty string")
    if len(value.encode()) > MAX_VALUE_SIZE:
        raise Invalid(f"a variable holds at most {MAX_VALUE_SIZE} bytes")
    return value


def get_variable(owner_id: int, repository_id: int, name: str) -> Variable:
    row = Variable.get_or_none(_scope(owner_id, repository_id) & (Variable.name == (name or "").upper()))
    if row is None:
        raise NotFound(f"variable {name!r} does not exist")
    return row


def list_variables(owner_id: int, repository_id: int):
    return Variable.select().where(_scope(owner_id, repository_id)).order_by(Variable.name)


def create_variable(owner_id: int, repository_id: int, name: str, value, description: str = "") -> Variable:
    name = check_name(name, "variable")
    value = _check_value(value)
    with unique_write(f"variable {name} already exists", Conflict):
        if Variable.get_or_none(_scope(owner_id, repository_id) & (Variable.name == name)):
            raise Conflict(f"variable {name} already exists")
        return Variable.create(owner_id=owner_id, repository_id=repository_id, name=name,
                               data=value, description=description or "")


def update_variable(owner_id: int, repository_id: int, name: str, *, value, new_name: str | None = None,
                    description: str | None = None) -> Variable:
    with unique_write(f"variable {(new_name or '').upper()} already exists", Conflict):
        row = get_variable(owner_id, repository_id, name)
        if new_name:
            renamed = check_name(new_name, "variable")
            if renamed != row.name and Variable.get_or_none(
                    _scope(owner_id, repository_id) & (Variable.name == renamed)):
                raise Conflict(f"variable {renamed} already exists")
            row.name = renamed
        row.data = _check_value(value)
        if description is not None:
            row.description = description
        row.updated = utcnow()
        row.save()
        return row


def delete_variable(owner_id: int, repository_id: int, name: str) -> None:
    get_variable(owner_id, repository_id, name).delete_instance()


_FOR_REPOSITORY = CompiledSelect(  # every run's and every claim's: compiled once
    lambda owner_id, repository_id: Variable.select().where(
        ((Variable.owner_id == owner_id) & (Variable.repository_id == 0))
        | ((Variable.owner_id == 0) & (Variable.repository_id == repository_id))),
    int, int)


def variables_for_repository(owner_id: int, repository_id: int) -> dict[str, str]:
    """The ``vars`` context: owner variables overridden by repository ones."""
    rows = _FOR_REPOSITORY.rows(owner_id, repository_id)
    values: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: r.repository_id != 0):
        values[row.name] = row.data
    return values
