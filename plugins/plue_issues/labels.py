"""Labels of a repository or an organization, and the labels on an issue.

Colours follow Gitea's ``label.NormalizeColor``: surrounding blanks and case are ignored, the
``#`` is optional, ``abc`` means ``aabbcc``; anything else is refused (422). Gitea allows two
labels with the same name, and so does Plue. An organization's labels may be put on the issues
of every repository it owns.
"""

from __future__ import annotations

import re

from plue_core.constraints import create_or_update
from plue_core.db import CompiledIdsSelect, CompiledSelect, json_rows, write_transaction
from plue_core.errors import BadRequest, Invalid, NotFound
from plue_core.integers import is_digits, parse_id

from plue_issues import timeline
from plue_issues.events import announce_change
from plue_issues.models import Issue, IssueLabel, Label, now

_COLOR = re.compile(r"^#?(?:[0-9a-f]{6}|[0-9a-f]{3})$")
SORTS = {
    "": (Label.name, Label.id), "alphabetically": (Label.name, Label.id),
    "reversealphabetically": (Label.name.desc(), Label.id.desc()),
}


def normalize_color(color: str) -> str:
    """``#RRGGBB`` / ``RRGGBB`` / ``RGB`` -> ``#rrggbb``; Invalid otherwise."""
    value = (color or "").strip().lower()
    if len(value) in (3, 6):
        value = "#" + value
    if not _COLOR.match(value):
        raise Invalid(f"color: bad color code: {value!r} (use #rrggbb, rrggbb or #rgb)")
    if len(value) == 4:
        value = "#" + "".join(ch * 2 for ch in value[1:])
    return value


def _check_name(name: str) -> str:
    if not name or not name.strip():
        raise Invalid("name: the label name must not be empty")
    return name


# --- definitions ---------------------------------------------------------------------------


def labels_of_repository(repository, sort: str = ""):
    order = SORTS.get(sort, SORTS[""])
    return Label.select().where(Label.repository == repository.id).order_by(*order)


def labels_of_org(org, sort: str = ""):
    order = SORTS.get(sort, SORTS[""])
    return Label.select().where(Label.org == org.id).order_by(*order)


def find_repository_label(repository, id_or_name, *, by_name: bool = True) -> Label:
    """By id, or by name when ``id_or_name`` is not a number (Gitea's GET accepts both; its
    PATCH and DELETE only ids)."""
    query = Label.select().where(Label.repository == repository.id)
    label = None
    if (label_id := parse_id(id_or_name)) is not None:
        label = query.where(Label.id == label_id).first()
    elif by_name and not is_digits(str(id_or_name)):
        label = query.where(Label.name == id_or_name).order_by(Label.id).first()
    if label is None:
        raise NotFound(f"label {id_or_name} does not exist in {repository.full_name}")
    return label


def label_to_remove(label_id: int) -> Label:
    """The label an issue's label removal names; Gitea answers an unknown id as a validation
    error (422), not a missing resource."""
    label = Label.get_or_none(Label.id == label_id)
    if label is None:
        raise Invalid(f"label {label_id} does not exist")
    return label


def find_org_label(org, label_id) -> Label:
    label = None
    if (number := parse_id(label_id)) is not None:
        label = Label.get_or_none((Label.org == org.id) & (Label.id == number))
    if label is None:
        raise NotFound(f"label {label_id} does not exist in organization {org.name}")
    return label


def create_label(*, repository=None, org=None, options: dict) -> Label:
    """``CreateLabelOption`` for a repository or an organization."""
    return Label.create(
        repository=repository.id if repository else None, org=org.id if org else None,
        name=_check_name(options["name"]), color=normalize_color(options["color"]),
        description=options.get("description") or "", exclusive=bool(options.get("exclusive")),
        archived_at=now() if options.get("is_archived") else None)


def edit_label(label: Label, changes: dict) -> Label:
    """``EditLabelOption``: fields present change. As in Gitea, ``is_archived`` missing means
    not archived."""
    if changes.get("name") is not None:
        label.name = _check_name(changes["name"])
    if changes.get("color") is not None:
        label.color = normalize_color(changes["color"])
    if changes.get("description") is not None:
        label.description = changes["description"]
    if changes.get("exclusive") is not None:
        label.exclusive = changes["exclusive"]
    archived = bool(changes.get("is_archived"))
    if archived != (label.archived_at is not None):
        label.archived_at = now() if archived else None
    label.updated_at = now()
    label.save()
    return label


def delete_label(label: Label) -> None:
    with write_transaction():
        IssueLabel.delete().where(IssueLabel.label == label.id).execute()
        label.delete_instance()


# --- labels on issues -----------------------------------------------------------------------


def usable_condition(repository):
    """Labels an issue of ``repository`` may carry: its own and its organization's."""
    condition = Label.repository == repository.id
    if repository.owner.is_organization:
        condition |= Label.org == repository.owner_id
    return condition


def usable_labels(repository) -> list[Label]:
    """The labels an issue of ``repository`` may carry, by name (a form's choices): compiled
    once for a user's repositories and once for an organization's."""
    if repository.owner.is_organization:
        return _USABLE_IN_ORGANIZATION.rows(repository.id, repository.owner_id)
    return _USABLE.rows(repository.id)


_USABLE = CompiledSelect(
    lambda repository_id: Label.select().where(Label.repository == repository_id)
    .order_by(Label.name, Label.id), int)
_USABLE_IN_ORGANIZATION = CompiledSelect(
    lambda repository_id, org_id: Label.select()
    .where((Label.repository == repository_id) | (Label.org == org_id))
    .order_by(Label.name, Label.id), int, int)


def labels_from_option(repository, values: list) -> list[Label]:
    """``IssueLabelsOption.labels``: all ids or all names (Gitea's rule). Unknown names and
    labels of other repositories are left out, as Gitea does."""
    if not isinstance(values, list):
        raise Invalid("labels: must be a list of label ids or label names")
    ids, names = [], []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise BadRequest("a label must be an integer or a string")
        if isinstance(value, str):
            names.append(value)
        elif not -2 ** 63 <= value < 2 ** 63:  # the database could not even compare it
            raise Invalid(f"labels: {value} is not a label id (ids are 64-bit integers)")
        else:
            ids.append(int(value))
    if ids and names:
        raise BadRequest("labels should be an array of strings or integers")
    if not values:
        return []
    query = Label.select().where(usable_condition(repository))
    query = query.where(Label.id.in_(ids)) if ids else query.where(Label.name.in_(names))
    return list(query.order_by(Label.id))


def labels_by_ids(repository, label_ids: list[int]) -> list[Label]:
    """For ``CreateIssueOption.labels``: every id must name a usable label (422 otherwise)."""
    wanted = list(dict.fromkeys(int(i) for i in label_ids))
    if not wanted:
        return []
    found = list(Label.select().where(usable_condition(repository) & Label.id.in_(wanted)))
    missing = sorted(set(wanted) - {label.id for label in found})
    if missing:
        raise Invalid(f"labels: no label with id {', '.join(map(str, missing))} in "
                      f"{repository.full_name} or its organization")
    return found


def labels_of_issue(issue: Issue) -> list[Label]:
    return list(Label.select().join(IssueLabel).where(IssueLabel.issue == issue.id)
                .order_by(Label.name, Label.id))


def _without_conflicting_scopes(current: list[Label], adding: list[Label]) -> list[Label]:
    """Adding an exclusive ``scope/x`` label drops the issue's other ``scope/*`` exclusive
    labels; among the added ones the last of a scope wins."""
    chosen: dict[str, Label] = {}
    plain = []
    for label in adding:
        if label.exclusive_scope:
            chosen[label.exclusive_scope] = label
        else:
            plain.append(label)
    kept = [label for label in current if label.exclusive_scope not in chosen]
    return kept + plain + list(chosen.values())


def set_issue_labels(issue: Issue, labels: list[Label], *, replace: bool, ctx=None,
                     doer=None) -> list[Label]:
    """Add ``labels`` to the issue (or make them its only labels with ``replace``); with
    ``doer``, each label added or removed goes on the timeline; with ``ctx``, the change is
    announced (``issue_changed``, ``label_updated``). Two requests adding the same label at
    once both succeed (the one that lost the insert finds the row on its second try)."""
    create_or_update(lambda: _set_issue_labels(issue, labels, replace=replace, ctx=ctx, doer=doer))
    return labels_of_issue(issue)


def _set_issue_labels(issue: Issue, labels: list[Label], *, replace: bool, ctx, doer) -> None:
    with write_transaction():
        current = [] if replace else labels_of_issue(issue)
        final = {label.id: label for label in _without_conflicting_scopes(current, labels)}
        before = _label_ids_of(issue)
        IssueLabel.delete().where((IssueLabel.issue == issue.id)
                                  & IssueLabel.label.not_in(list(final) or [0])).execute()
        rows = [{"issue": issue.id, "label": label_id}
                for label_id in final if label_id not in before]
        if rows:
            IssueLabel.insert_many(rows).execute()
        touch(issue)
        if doer is not None:
            timeline.record_labels(issue, doer, set(final) - before, before - set(final))
        if ctx is not None:
            announce_change(ctx, issue, "label_updated", doer)


def remove_issue_label(issue: Issue, label: Label, *, ctx=None, doer=None) -> None:
    with write_transaction():
        removed = IssueLabel.delete().where((IssueLabel.issue == issue.id)
                                            & (IssueLabel.label == label.id)).execute()
        if removed:
            touch(issue)
            if doer is not None:
                timeline.record_labels(issue, doer, (), (label.id,))
            if ctx is not None:
                announce_change(ctx, issue, "label_updated", doer)


def clear_issue_labels(issue: Issue, *, ctx=None, doer=None) -> None:
    with write_transaction():
        before = _label_ids_of(issue)
        IssueLabel.delete().where(IssueLabel.issue == issue.id).execute()
        touch(issue)
        if doer is not None:
            timeline.record_labels(issue, doer, (), before)
        if ctx is not None:
            announce_change(ctx, issue, "label_cleared", doer)


def _label_ids_of(issue: Issue) -> set[int]:
    return {row.label_id for row in IssueLabel.select(IssueLabel.label)
            .where(IssueLabel.issue == issue.id)}


def touch(issue: Issue) -> None:
    issue.updated_at = now()
    Issue.update(updated_at=issue.updated_at).where(Issue.id == issue.id).execute()


# Every issue rendered: compiled once per page size (peewee compiled it on each request).
_LABELS_OF_ISSUES = CompiledIdsSelect(
    lambda issue_ids: Label.select(Label, IssueLabel.issue.alias("on_issue")).join(IssueLabel)
    .where(IssueLabel.issue.in_(issue_ids)).order_by(Label.name, Label.id).objects())


def labels_column(issue_id):
    """The labels of the issue ``issue_id`` (the outer read's column), in the order
    :func:`labels_for_issues` gives them: one column of that read (``json_rows``)."""
    return json_rows(Label.select().join(IssueLabel).where(IssueLabel.issue == issue_id)
                     .order_by(Label.name, Label.id), Label)


def labels_for_issues(issue_ids: list[int]) -> dict[int, list[Label]]:
    """Labels of a page of issues in one query."""
    result: dict[int, list[Label]] = {i: [] for i in issue_ids}
    if not issue_ids:
        return result
    for label in _LABELS_OF_ISSUES.rows(ids=issue_ids):
        result[label.on_issue].append(label)
    return result


def label_ids_by_name(repository, names: list[str]) -> dict[str, list[int]]:
    """For the ``labels`` filter of the issue list: ids per known name; unknown names are
    discarded, as Gitea does."""
    found: dict[str, list[int]] = {}
    if names:
        query = (Label.select(Label.id, Label.name)
                 .where(usable_condition(repository) & Label.name.in_(names)))
        for row in query:
            found.setdefault(row.name, []).append(row.id)
    return found
