"""A repository's issues: the list (``/issues?state=open|closed&q=``), an issue with its
timeline of comments and events (``/issues/{n}``), the new-issue form (``/issues/new``) and the
comment form (``POST /issues/{n}/comments``, which can also close or reopen). Everything goes
through ``ctx.services["issues"]``: its access rules (404 for the unseen, the unit switches),
its numbering, events and counters."""

from __future__ import annotations

import urllib.parse

import falcon

from plue_core.db import write_transaction
from plue_core.errors import Invalid
from plue_core.identity import current_identity
from plue_core.integers import is_digits

from plue_web.pages.base import Paging
from plue_web.pages.repository import RepositoryPage

_STATES = ("open", "closed", "all")


class IssuesPage(RepositoryPage):
    # Pull requests are issues too: their pages set this, and share the rest.
    is_pull = False

    @property
    def issues(self):
        return self.face.issues

    @property
    def section(self) -> str:
        return "pulls" if self.is_pull else "issues"

    def read_access(self, req, owner, repo):
        access = self.issues.access(current_identity(req), owner, repo)
        access.require_unit(self.is_pull)
        return access

    def write_access(self, req, owner, repo, *, unit: bool | None = False):
        """A signed-in viewer who may read the issues (``unit``: of pull requests when true;
        None: the caller checks the unit of the issue in hand); archived repositories refuse
        (423)."""
        identity = self.require_signed_in(req)
        access = self.issues.access(identity, owner, repo)
        if unit is not None:
            access.require_unit(unit)
        access.require_not_archived()
        return access, self.accounts.account_for(identity)

    def issue_values(self, req, access, **values) -> dict:
        return self.common(req, access.repository, can_write=access.can_write(self.is_pull),
                           section=self.section, **values)

    def find_issue(self, req, owner, repo, number):
        """The issue or pull request ``number``; one of the other kind is at its own address."""
        access = self.read_access(req, owner, repo)
        issue = self.issues.get_issue(access, number)
        if issue.is_pull != self.is_pull:
            raise falcon.HTTPFound(f"/{owner}/{repo}/{'pulls' if issue.is_pull else 'issues'}/"
                                   f"{issue.number}")
        return access, issue


class IssueListPage(IssuesPage):
    """Gitea's query: ``state``, ``q``, ``labels`` (ids, comma-separated: issues carrying
    every one), ``milestone`` and ``assignee`` (ids; 0 or absent: any)."""

    def on_get(self, req, resp, owner, repo):
        access = self.read_access(req, owner, repo)
        state = req.get_param("state") or "open"
        if state not in _STATES:
            raise Invalid(f"state: must be one of {', '.join(_STATES)}; got {state!r}")
        keyword = (req.get_param("q") or "").strip()[:100]
        label_ids = ids_param(req, "labels")
        milestone_id = (ids_param(req, "milestone") or [None])[0]
        assignee_id = (ids_param(req, "assignee") or [None])[0]
        page = self.page_number(req)
        query = self.issues.search_issues(access.repository, self.issues.IssueFilters(
            state=state, is_pull=self.is_pull, keyword=keyword, label_ids=label_ids,
            milestone_id=milestone_id, assignee_id=assignee_id))
        total = self.issues.count_matching(query)
        rows = list(query.offset((page - 1) * self.page_size).limit(self.page_size))
        repository = access.repository
        filters = {"q": keyword, "labels": ",".join(map(str, label_ids)),
                   "milestone": milestone_id or "", "assignee": assignee_id or ""}
        self.render(req, resp, "issues/list.html", **self.issue_values(
            req, access, issues=rows, state=state, keyword=keyword, filters=filters,
            filter_query=urllib.parse.urlencode({k: v for k, v in filters.items() if v}),
            label_choices=self.issues.usable_labels(repository),
            milestone_choices=self.issues.open_milestones(repository),
            assignee_choices=self.hosting.assignable_users(repository),
            paging=Paging(page, self.page_size, total),
            open_count=repository.num_open_pulls if self.is_pull else repository.num_open_issues))


def ids_param(req, name: str) -> list[int]:
    """``name=1,2``: the ids (0 means "any" and is left out); 422 for anything else."""
    raw = (req.get_param(name) or "").strip()
    ids = []
    for part in filter(None, (piece.strip() for piece in raw.split(","))):
        if not is_digits(part) or len(part) > 18:
            raise Invalid(f"{name}: must be ids separated by commas, got {raw!r}")
        if int(part):
            ids.append(int(part))
    return ids


class IssuePage(IssuesPage):
    def on_get(self, req, resp, owner, repo, number):
        access, issue = self.find_issue(req, owner, repo, number)
        repo_url = f"/{access.repository.owner.name}/{access.repository.name}"
        render = self.face.markdown.render
        # The timeline: plain comments (rendered) and the events between them, in one query.
        rows = self.issues.timeline_of_issue(issue, access.identity)
        comments = [{"comment": comment, "html": render(comment.body, repository_url=repo_url)
                     if comment.kind == "comment" else ""} for comment in rows]
        # Labels, milestone and assignees as the API shows them (one home for the shape); the
        # page shows no files, so none are read.
        shape = self.issues.issue_json(issue, current_identity(req), assets=False)
        self.render(req, resp, "issues/issue.html", **self.issue_values(
            req, access, issue=issue, body_html=render(issue.body, repository_url=repo_url),
            comments=comments, labels=shape["labels"], milestone=shape["milestone"],
            assignees=[person["login"] for person in shape["assignees"] or []],
            time_spent=self.issues.hours_and_minutes(
                self.issues.total_tracked_seconds(issue, rows)),
            error="",
            draft="", **self.editing_values(access, issue), **self.more_values(access, issue)))

    def more_values(self, access, issue) -> dict:
        return {"pull": None, "review_rows": {}}

    def editing_values(self, access, issue) -> dict:
        """What the edit forms (``issue_editing``) offer; queried only for writers."""
        if not access.can_write(issue.is_pull):
            return {"label_choices": [], "milestone_choices": [], "assignee_choices": []}
        repository = access.repository
        return {"label_choices": self.issues.usable_labels(repository),
                "milestone_choices": self.issues.open_milestones(repository),
                "assignee_choices": self.hosting.assignable_users(repository)}


class NewIssuePage(IssuesPage):
    def on_get(self, req, resp, owner, repo):
        access, _ = self.write_access(req, owner, repo)
        self.render(req, resp, "issues/new.html", **self.issue_values(
            req, access, title="", body="", error=""))

    def on_post(self, req, resp, owner, repo):
        access, doer = self.write_access(req, owner, repo)
        form = self.form(req)
        try:
            issue = self.issues.create_issue(access.repository, doer, title=form.get("title", ""),
                                             body=form.get("body", ""))
        except Invalid as invalid:
            return self.render(req, resp, "issues/new.html", status=falcon.HTTP_422,
                               **self.issue_values(req, access, title=form.get("title", ""),
                                                   body=form.get("body", ""),
                                                   error=invalid.message))
        raise falcon.HTTPSeeOther(f"/{owner}/{repo}/issues/{issue.number}")


class PullListPage(IssueListPage):
    is_pull = True


class CommentPage(IssuesPage):
    """``POST``: a comment, and with ``action=close|reopen`` the state change."""

    def on_post(self, req, resp, owner, repo, number):
        access, doer = self.write_access(req, owner, repo, unit=None)
        issue = self.issues.get_issue(access, number)
        access.require_unit(issue.is_pull)
        form = self.form(req)
        body, action = form.get("body", "").strip(), form.get("action", "")
        if action not in ("", "comment", "close", "reopen"):
            raise Invalid(f"action: must be comment, close or reopen; got {action!r}")
        if not body and action in ("", "comment"):
            raise Invalid("body: a comment must not be empty")
        # The comment first, then the state (Gitea's order on the timeline), in one
        # transaction: a refused close (the API's edit rule: the poster or a writer, else 403)
        # takes the comment back with it.
        with write_transaction():
            if body:
                self.issues.create_comment(access, issue, doer, body)
            if action in ("close", "reopen"):
                issue = self.issues.edit_issue(
                    access, issue, {"state": "closed" if action == "close" else "open"}, doer)
        section = "pulls" if issue.is_pull else "issues"
        raise falcon.HTTPSeeOther(f"/{owner}/{repo}/{section}/{issue.number}")
