"""Milestones of a repository, with their open / closed issue counts (pull requests count
too, as in Gitea). Counts are computed with one grouped query per page, never stored, so they
cannot drift."""

from __future__ import annotations

import peewee

from plue_core.db import CompiledIdsSelect, CompiledSelect, write_transaction
from plue_core.errors import Invalid, NotFound
from plue_core.integers import parse_id

from plue_issues.models import Issue, Milestone, now

STATES = ("open", "closed")


def _check_title(title) -> str:
    title = (title or "").strip()
    if not title:
        raise Invalid("title: the milestone title must not be empty")
    if len(title) > 255:
        raise Invalid("title: at most 255 characters")
    return title


def _check_state(state: str) -> bool:
    if state not in STATES:
        raise Invalid(f"state: must be 'open' or 'closed', got {state!r}")
    return state == "closed"


def milestones_of(repository, *, state: str = "open", name: str = ""):
    """Gitea's list: ``state`` open (default), closed or all; ``name`` filters by substring;
    nearest due date first, milestones without one last."""
    return _milestones(repository.id, state, name)


def _milestones(repository_id, state: str, name: str = ""):
    query = Milestone.select().where(Milestone.repository == repository_id)
    if state == "closed":
        query = query.where(Milestone.is_closed == True)  # noqa: E712
    elif state != "all":
        query = query.where(Milestone.is_closed == False)  # noqa: E712
    if name:
        query = query.where(Milestone.title.contains(name))
    return query.order_by(Milestone.due_on.asc(nulls="LAST"), Milestone.id)


def open_milestones(repository) -> list:
    """The repository's open milestones, nearest due date first (an issue form's choices)."""
    return _OPEN.rows(repository.id)


_OPEN = CompiledSelect(lambda repository_id: _milestones(repository_id, "open"), int)


def find_milestone(repository, id_or_name) -> Milestone:
    """By id, or by title when the path segment is not a number (Gitea's
    ``getMilestoneByIDOrName``)."""
    query = Milestone.select().where(Milestone.repository == repository.id)
    milestone = None
    if (milestone_id := parse_id(id_or_name)) is not None:
        milestone = query.where(Milestone.id == milestone_id).first()
    if milestone is None:
        milestone = query.where(Milestone.title == str(id_or_name)).order_by(Milestone.id).first()
    if milestone is None:
        raise NotFound(f"milestone {id_or_name} does not exist in {repository.full_name}")
    return milestone


def milestone_by_id(repository, milestone_id: int) -> Milestone:
    """For the ``milestone`` of an issue option: 422 when it is not this repository's."""
    milestone = Milestone.get_or_none((Milestone.repository == repository.id)
                                      & (Milestone.id == milestone_id))
    if milestone is None:
        raise Invalid(f"milestone: no milestone with id {milestone_id} in {repository.full_name}")
    return milestone


def create_milestone(repository, options: dict) -> Milestone:
    closed = _check_state(options.get("state") or "open")
    moment = now()
    return Milestone.create(repository=repository.id, title=_check_title(options.get("title")),
                            description=options.get("description") or "",
                            due_on=options.get("due_on"), is_closed=closed,
                            closed_at=moment if closed else None, created_at=moment,
                            updated_at=moment)


def edit_milestone(milestone: Milestone, changes: dict) -> Milestone:
    """``EditMilestoneOption``: an empty title leaves the title alone, as in Gitea."""
    if changes.get("title"):
        milestone.title = _check_title(changes["title"])
    if changes.get("description") is not None:
        milestone.description = changes["description"]
    if changes.get("due_on") is not None:
        milestone.due_on = changes["due_on"]
    if changes.get("state") is not None:
        closed = _check_state(changes["state"])
        if closed != milestone.is_closed:
            milestone.is_closed = closed
            milestone.closed_at = now() if closed else None
    milestone.updated_at = now()
    milestone.save()
    return milestone


def delete_milestone(milestone: Milestone) -> None:
    with write_transaction():
        Issue.update(milestone=None).where(Issue.milestone == milestone.id).execute()
        milestone.delete_instance()


def milestones_by_ids(ids) -> list[Milestone]:
    """The milestones of ``ids`` (a page's issues'), in one statement compiled once per size."""
    return _BY_IDS.rows(ids=ids)


_BY_IDS = CompiledIdsSelect(lambda ids: Milestone.select().where(Milestone.id.in_(ids)))
# Every issue page and list with milestones: compiled once per number of milestones.
_COUNTS = CompiledIdsSelect(
    lambda ids: Issue.select(Issue.milestone, Issue.is_closed, peewee.fn.COUNT(Issue.id).alias("n"))
    .where(Issue.milestone.in_(ids)).group_by(Issue.milestone, Issue.is_closed))


def attach_counts(milestones: list[Milestone]) -> list[Milestone]:
    """Set ``open_issues`` / ``closed_issues`` on each milestone, in one query."""
    ids = [m.id for m in milestones]
    counts: dict[tuple[int, bool], int] = {}
    if ids:
        counts = {(row.milestone_id, bool(row.is_closed)): row.n
                  for row in _COUNTS.rows(ids=ids)}
    for milestone in milestones:
        milestone.open_issues = counts.get((milestone.id, False), 0)
        milestone.closed_issues = counts.get((milestone.id, True), 0)
    return milestones
