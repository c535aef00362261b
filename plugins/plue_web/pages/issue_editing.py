"""Editing an issue (or a pull request: it is an issue too) with forms, at Gitea's paths:
``POST /issues/{n}/title`` (``title``), ``/content`` (``content``), and for writers
``/labels`` (a ``label_{id}`` checkbox per label: the issue's labels become the checked ones),
``/assignees`` (``assignee_{login}`` checkboxes) and ``/milestone`` (``milestone``: an id, 0
for none). Every change goes through ``ctx.services["issues"]``: the API's rules (the poster
or a writer edits the text, only writers the rest), its events and its counters."""

from __future__ import annotations

import falcon

from plue_core.errors import Invalid
from plue_core.integers import is_digits

from plue_web.pages.issues import IssuesPage


class IssueEditPage(IssuesPage):
    """``POST`` only; ``edit`` says what the form changes."""

    # Whether only writers may send the form (Gitea: labels, assignees, milestone).
    writers_only = True
    what = ""

    def on_post(self, req, resp, owner, repo, number):
        access, doer = self.write_access(req, owner, repo, unit=None)
        issue = self.issues.get_issue(access, number)
        if self.writers_only:
            access.require_write(issue.is_pull, f"change the {self.what} of #{issue.number}")
        self.edit(access, issue, doer, self.form(req))
        section = "pulls" if issue.is_pull else "issues"
        raise falcon.HTTPSeeOther(f"/{owner}/{repo}/{section}/{issue.number}")

    def edit(self, access, issue, doer, form: dict) -> None:
        raise NotImplementedError


class IssueTitlePage(IssueEditPage):
    writers_only = False

    def edit(self, access, issue, doer, form):
        title = form.get("title", "").strip()
        if not title:  # the API's edit keeps the title when it is empty; a form says so
            raise Invalid("title: the title must not be empty")
        self.issues.edit_issue(access, issue, {"title": title}, doer)


class IssueContentPage(IssueEditPage):
    writers_only = False

    def edit(self, access, issue, doer, form):
        self.issues.edit_issue(access, issue, {"body": form.get("content", "")}, doer)


class IssueLabelsPage(IssueEditPage):
    what = "labels"

    def edit(self, access, issue, doer, form):
        ids = [int(name[len("label_"):]) for name in form
               if name.startswith("label_") and is_digits(name[len("label_"):])
               and len(name) < 30]
        chosen = self.issues.labels_by_ids(access.repository, ids)  # 422 for unknown ids
        self.issues.set_issue_labels(issue, chosen, replace=True, doer=doer)


class IssueAssigneesPage(IssueEditPage):
    what = "assignees"

    def edit(self, access, issue, doer, form):
        logins = [name[len("assignee_"):] for name in form if name.startswith("assignee_")]
        self.issues.edit_issue(access, issue, {"assignees": logins}, doer)


class IssueMilestonePage(IssueEditPage):
    what = "milestone"

    def edit(self, access, issue, doer, form):
        raw = form.get("milestone", "").strip() or "0"
        if not is_digits(raw) or len(raw) > 18:
            raise Invalid(f"milestone: must be a milestone's id (0 for none), got {raw!r}")
        self.issues.edit_issue(access, issue, {"milestone": int(raw)}, doer)
