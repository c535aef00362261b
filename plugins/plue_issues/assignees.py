"""Assignees. Gitea's ``CanBeAssigned``: only users (not organizations) with write access to
the repository may be assigned; anyone else is refused with 422 naming them."""

from __future__ import annotations

from plue_core.accounts.models import Account, ShownAccount
from plue_core.db import CompiledIdsSelect, json_rows
from plue_core.errors import Invalid
from plue_core.identity import Identity

from plue_issues.models import IssueAssignee


def logins_from_option(one: str | None, many: list[str] | None) -> list[str]:
    """The deprecated single ``assignee`` plus ``assignees``, without repeats."""
    logins = ([one] if one else []) + list(many or [])
    return list(dict.fromkeys(login for login in logins if login))


def resolve_assignees(hosting, accounts, repository, logins: list[str]) -> list[Account]:
    found = []
    for login in logins:
        user = accounts.find_user(login)
        if user is None:
            raise Invalid(f"assignees: Assignee does not exist: [name: {login}]")
        if not can_be_assigned(hosting, repository, user):
            raise Invalid(f"assignees: user {user.name} cannot be assigned: write access to "
                          f"{repository.full_name} is required")
        found.append(user)
    return found


def set_assignees(issue_id: int, users: list[Account]) -> None:
    """Make ``users`` the issue's only assignees (GitHub's and Gitea's PATCH semantics)."""
    wanted = [user.id for user in users]
    IssueAssignee.delete().where((IssueAssignee.issue == issue_id)
                                 & IssueAssignee.assignee.not_in(wanted or [0])).execute()
    present = {row.assignee_id for row in IssueAssignee.select(IssueAssignee.assignee)
               .where(IssueAssignee.issue == issue_id)}
    rows = [{"issue": issue_id, "assignee": user_id}
            for user_id in wanted if user_id not in present]
    if rows:
        IssueAssignee.insert_many(rows).execute()


def add_assignees(issue_id: int, users: list[Account]) -> None:
    present = {row.assignee_id for row in IssueAssignee.select(IssueAssignee.assignee)
               .where(IssueAssignee.issue == issue_id)}
    rows = [{"issue": issue_id, "assignee": user.id}
            for user in {user.id: user for user in users}.values() if user.id not in present]
    if rows:
        IssueAssignee.insert_many(rows).execute()


def remove_assignees(issue_id: int, users: list[Account]) -> None:
    IssueAssignee.delete().where((IssueAssignee.issue == issue_id)
                                 & IssueAssignee.assignee.in_([u.id for u in users] or [0])
                                 ).execute()


def can_be_assigned(hosting, repository, user: Account) -> bool:
    as_identity = Identity(user_id=user.id, username=user.name, is_admin=user.is_admin)
    return (not user.is_organization
            and hosting.allows(as_identity, repository, "write"))


# Every issue rendered: compiled once per page size (peewee compiled it on each request).
_ASSIGNEES_OF_ISSUES = CompiledIdsSelect(
    lambda issue_ids: ShownAccount.select(ShownAccount, IssueAssignee.issue.alias("on_issue"))
    .join(IssueAssignee, on=IssueAssignee.assignee == ShownAccount.id).where(IssueAssignee.issue.in_(issue_ids)).order_by(IssueAssignee.id)
    .objects())


def assignees_column(issue_id):
    """The assignees of the issue ``issue_id`` (the outer read's column), in the order
    :func:`assignees_for_issues` gives them: one column of that read (``json_rows``)."""
    assignee = ShownAccount.alias()  # the outer read joins the poster's account
    return json_rows(assignee.select().join(IssueAssignee, on=(IssueAssignee.assignee == assignee.id))
                     .where(IssueAssignee.issue == issue_id).order_by(IssueAssignee.id), assignee)


def assignees_for_issues(issue_ids: list[int]) -> dict[int, list[Account]]:
    """Assignees of a page of issues in one query, in the order they were assigned."""
    result: dict[int, list[Account]] = {i: [] for i in issue_ids}
    if not issue_ids:
        return result
    for account in _ASSIGNEES_OF_ISSUES.rows(ids=issue_ids):
        result[account.on_issue].append(account)
    return result
