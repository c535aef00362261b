"""A pull request's review side, at Gitea's paths: the conversation with its reviews and the
merge box (``/pulls/{n}``), the commits tab (``/pulls/{n}/commits``), the files changed with
line comments in the unified or split view (``/pulls/{n}/files?style=split``), and the forms:
a review (``POST /pulls/{n}/files/reviews/submit``: approve, request changes, comment), a
comment on a line (``POST /pulls/{n}/files/reviews/comments``), the merge
(``POST /pulls/{n}/merge``), a review's dismissal (``POST /pulls/{n}/dismiss_review``:
Gitea's ``review_id`` field) and the sidebar's review requests (``POST
/pulls/{n}/request_review``: ``reviewer`` -- a login, or ``team:<name>`` for a team of the
organization -- and ``action=attach|detach``, as Gitea's ``requested_reviewers`` API adds
and removes them).

Every rule is the pulls service's (``ctx.services["pulls"]``: who may review, approve or merge,
which merge styles the repository allows, branch protection); the pages only refuse early
what the service would refuse anyway, with the status the authorization matrix expects."""

from __future__ import annotations

import falcon

from plue_core.errors import Forbidden, Invalid, NotFound
from plue_core.integers import is_digits

from plue_web import diff_view
from plue_web.pages.compare import MAX_COMMITS
from plue_web.pages.history import commit_row
from plue_web.pages.issues import IssuePage, IssuesPage

# Gitea's web review form names its three choices so.
REVIEW_TYPES = {"approve": "APPROVED", "reject": "REQUEST_CHANGES", "comment": "COMMENT"}
# And a line comment's side: the old file ("previous") or the new one ("proposed").
SIDES = ("previous", "proposed")


class PullReviewPage(IssuesPage):
    is_pull = True

    @property
    def pulls(self):
        return self.face.pulls

    def find_pull(self, req, owner, repo, number):
        """(access, issue, pull) for a page; a pull request still being checked is checked
        now, so the page shows its merge state and files."""
        access, issue = self.find_issue(req, owner, repo, number)
        return access, issue, checked_pull(self.pulls, access, issue.number)

    def writable_pull(self, req, owner, repo, number):
        """(access, doer, pull) for a form: signed in, may see the pull requests, repository
        not archived."""
        access, doer = self.write_access(req, owner, repo, unit=True)
        return access, doer, self.pulls.get_pull(access, number)

    def reviews(self, req, pull) -> tuple[list, list]:
        """The reviews the viewer may see and their line comments: two queries."""
        reviews = self.pulls.reviews_of(pull, self.viewer(req))
        return reviews, self.pulls.line_comments_of(reviews)

    def back_to(self, owner, repo, number, tab: str = "", anchor: str = "") -> str:
        return f"/{owner}/{repo}/pulls/{number}{'/' + tab if tab else ''}{anchor}"


def checked_pull(pulls, access, number: int):
    """The pull request, its mergeability checked now if a push left it ``checking``."""
    pull = pulls.get_pull(access, number)
    return pulls.refresh(pull) if pull.status == "checking" else pull


def rendered(face, repository, comments) -> dict[int, str]:
    """Each line comment's body as HTML, by id."""
    repo_url = f"/{repository.owner.name}/{repository.name}"
    return {comment.id: face.markdown.render(comment.body, repository_url=repo_url)
            for comment in comments}


class PullConversationPage(IssuePage):
    """The conversation (the issue page's comments) with the branches, the reviews and the
    merge box."""

    is_pull = True

    def more_values(self, access, issue) -> dict:
        pulls, repository = self.face.pulls, access.repository
        pull = checked_pull(pulls, access, issue.number)
        viewer = self.accounts.account_for(access.identity) if access.identity else None
        reviews = pulls.reviews_of(pull, viewer)
        comments = pulls.line_comments_of(reviews)
        by_review: dict[int, list] = {}
        for comment in comments:
            by_review.setdefault(comment.review_id, []).append(comment)
        repo_url = f"/{repository.owner.name}/{repository.name}"
        writable = viewer is not None and not repository.is_archived
        may_choose = writable and (access.can_write(True) or issue.poster_id == viewer.id)
        requested = [review.reviewer for review in reviews
                     if review.state == "REQUEST_REVIEW" and review.reviewer is not None]
        # The teams asked (with their organization), read only when there are some.
        requested_teams = pulls.requested_of([pull.id])[pull.id].teams if any(
            review.reviewer_team_id is not None for review in reviews) else []
        taken = {account.id for account in requested} | {issue.poster_id}
        asked_teams = {team.id for team in requested_teams}
        shown = [{"review": review, "comments": by_review.get(review.id, []),
                  "html": self.face.markdown.render(review.body, repository_url=repo_url)}
                 for review in reviews if review.reviewer_team_id is None]
        return {
            "pull": pull, "merge_styles": pulls.merge_styles(repository),
            # The sidebar: who is asked to review, and whom the viewer may still ask (the
            # writers: a writer's page has them already, as the assignees' choices).
            "requested_reviewers": requested, "can_request_reviews": may_choose,
            "requested_teams": requested_teams,
            "team_choices": [team for team in pulls.requestable_teams(repository)
                             if team.id not in asked_teams] if may_choose else [],
            "reviewer_choices": None if access.can_write(True) else (
                self.hosting.assignable_users(repository) if may_choose else []),
            "reviewers_taken": taken,
            "can_dismiss": writable and access.is_admin,
            "can_merge": bool(viewer and access.can_write(True) and not pull.is_merged
                              and not issue.is_closed and not repository.is_archived),
            # A submitted review is shown at its timeline row; the others (pending, asked
            # for) after the timeline; a team's request is in the sidebar only.
            "review_rows": {item["review"].comment_id: item for item in shown
                            if item["review"].comment_id},
            "reviews": [item for item in shown if not item["review"].comment_id],
            "comment_html": rendered(self.face, repository, comments)}


class PullCommitsPage(PullReviewPage):
    def on_get(self, req, resp, owner, repo, number):
        access, issue, pull = self.find_pull(req, owner, repo, number)
        # Its commits follow from the commits it names (two git processes to list them):
        # remembered for those, unless a push left it to be checked again.
        key = (access.repository.id, pull.head_sha, pull.base_sha, pull.merge_base,
               pull.is_merged)
        shas = self.face.pull_commits.get(key) if pull.status != "checking" else None
        if shas is None:
            shas = self.pulls.commit_shas(pull)
            if pull.status != "checking":
                self.face.pull_commits.put(key, shas)
        with self.hosting.reader(access.repository) as reader:
            commits = [commit_row(reader, reader.commit(sha)) for sha in shas[:MAX_COMMITS]]
        self.render(req, resp, "pulls/commits.html", **self.issue_values(
            req, access, issue=issue, pull=pull, commits=commits, total=len(shas)))


class PullDiffPage(PullReviewPage):
    """``/pulls/{n}.diff`` and ``.patch``: the text a pull request's ``diff_url`` and
    ``patch_url`` name (Gitea's DownloadPullDiff / DownloadPullPatch), to whoever may read it."""

    def on_get(self, req, resp, owner, repo, number, diff_type):
        if diff_type not in ("diff", "patch") or not is_digits(number):
            raise NotFound(f"no page {number}.{diff_type}: a pull request is .diff or .patch")
        access, _, pull = self.find_pull(req, owner, repo, int(number))
        resp.content_type = "text/plain; charset=utf-8"
        resp.set_header("X-Content-Type-Options", "nosniff")
        resp.data = self.pulls.raw_diff(pull, patch=diff_type == "patch")


class PullFilesPage(PullReviewPage):
    """What the pull request changes, from its merge base to its head, with the line
    comments in place; ``?path=&line=&side=`` opens the comment form under that line."""

    def on_get(self, req, resp, owner, repo, number):
        access, issue, pull = self.find_pull(req, owner, repo, number)
        style = diff_view.style_of(req)
        changes = []
        if pull.merge_base and pull.head_sha:
            with self.hosting.reader(access.repository) as reader:
                changes = reader.compare(pull.merge_base, pull.head_sha)
        reviews, comments = self.reviews(req, pull)
        # Only the viewer's own pending review is among them: its comments wait for the form.
        pending = {review.id for review in reviews if review.state == "PENDING"}
        for comment in comments:
            comment.pending = comment.review_id in pending
        target = None
        if req.get_param("path") and self.viewer(req) is not None:
            target = {"path": req.get_param("path"),
                      "line": _signed_line(req.get_param("line"), req.get_param("side"))}
        self.render(req, resp, "pulls/files.html", **self.issue_values(
            req, access, issue=issue, pull=pull, files=diff_view.layout(changes, style, comments),
            style=style, target=target,
            pending_comments=sum(1 for comment in comments if comment.pending),
            comment_html=rendered(self.face, access.repository, comments),
            additions=sum(change.additions for change in changes),
            deletions=sum(change.deletions for change in changes)))


def _signed_line(raw: str | None, side: str | None) -> int:
    """A line of the new file (``proposed``) or, negative, of the old one (``previous``)."""
    if side not in SIDES:
        raise Invalid(f"side: must be previous or proposed; got {side!r}")
    if not raw or not is_digits(raw) or not 0 < int(raw) <= 10_000_000:
        raise Invalid(f"line: must be a line number; got {raw!r}")
    return -int(raw) if side == "previous" else int(raw)


class ReviewSubmitPage(PullReviewPage):
    """``POST``: a review (``type=approve|reject|comment`` and a body), as the API's
    ``POST /pulls/{n}/reviews`` makes it."""

    def on_post(self, req, resp, owner, repo, number):
        access, doer, pull = self.writable_pull(req, owner, repo, number)
        form = self.form(req)
        kind = form.get("type", "")
        if kind not in REVIEW_TYPES:
            raise Invalid(f"type: must be approve, reject or comment; got {kind!r}")
        review = self.pulls.finish_review(access, pull, doer, {
            "event": REVIEW_TYPES[kind], "body": form.get("content", ""),
            "commit_id": form.get("commit_id") or pull.head_sha})
        raise falcon.HTTPSeeOther(self.back_to(owner, repo, number,
                                               anchor=f"#issuecomment-{review.comment_id}"))


class LineCommentPage(PullReviewPage):
    """``POST``: a comment on one line of the files changed: a single-comment review
    (``mode=single``, the default) or one more comment of the viewer's pending review
    (``mode=review``), submitted later with the review form."""

    def on_post(self, req, resp, owner, repo, number):
        access, doer, pull = self.writable_pull(req, owner, repo, number)
        form = self.form(req)
        mode = form.get("mode") or "single"
        if mode not in ("single", "review"):
            raise Invalid(f"mode: must be single or review; got {mode!r}")
        line = _signed_line(form.get("line"), form.get("side"))
        position = {"new_position": line} if line > 0 else {"old_position": -line}
        comment = {"path": form.get("path", ""), "body": form.get("content", ""), **position}
        if mode == "review":
            self.pulls.add_review_comment(pull, doer, comment)
        else:
            self.pulls.submit_review(access, pull, doer, {
                "event": "COMMENT", "body": "",
                "commit_id": form.get("commit_id") or pull.head_sha, "comments": [comment]})
        style = form.get("style") if form.get("style") in diff_view.STYLES else "unified"
        raise falcon.HTTPSeeOther(self.back_to(owner, repo, number, "files",
                                               f"?style={style}"))


class DismissReviewPage(PullReviewPage):
    """``POST``: dismiss the review ``review_id`` with a ``message`` (Gitea's fields), by the
    rule of the API's dismissals (repository administrators; approvals and change requests);
    the message goes on the timeline."""

    def on_post(self, req, resp, owner, repo, number):
        access, doer, pull = self.writable_pull(req, owner, repo, number)
        form = self.form(req)
        raw = form.get("review_id", "").strip()
        if not is_digits(raw) or len(raw) > 18:
            raise Invalid(f"review_id: must be a review's id; got {raw!r}")
        review = self.pulls.dismiss_review(access, pull, int(raw), doer, form.get("message", ""))
        raise falcon.HTTPSeeOther(self.back_to(owner, repo, number,
                                               anchor=f"#issuecomment-{review.comment_id}"))


class ReviewRequestPage(PullReviewPage):
    """``POST``: ask ``reviewer`` (a login, or ``team:<name>``) for a review
    (``action=attach``) or withdraw the request (``action=detach``), with the rules of Gitea's
    ``requested_reviewers`` API (``reviewers`` or ``team_reviewers``)."""

    def on_post(self, req, resp, owner, repo, number):
        access, doer, pull = self.writable_pull(req, owner, repo, number)
        form = self.form(req)
        action, login = form.get("action", ""), form.get("reviewer", "").strip()
        if action not in ("attach", "detach"):
            raise Invalid(f"action: must be attach or detach; got {action!r}")
        if not login:
            raise Invalid("reviewer: choose whom to ask for a review")
        team = login[len("team:"):] if login.startswith("team:") else None
        logins, teams = ([], [team]) if team is not None else ([login], [])
        if action == "attach":
            self.pulls.request_reviews(access, pull, doer, logins, teams)
        else:
            self.pulls.withdraw_reviews(access, pull, doer, logins, teams)
        raise falcon.HTTPSeeOther(self.back_to(owner, repo, number))


class MergePage(PullReviewPage):
    """``POST``: merge in one of the repository's allowed styles (``do``), with Gitea's
    form fields; the head the viewer saw (``head_commit_id``) must still be the head."""

    def on_post(self, req, resp, owner, repo, number):
        access, doer, pull = self.writable_pull(req, owner, repo, number)
        if not access.can_write(True):
            raise Forbidden(f"only writers of {access.full_name} may merge pull requests")
        form = self.form(req)
        style = form.get("do", "")
        allowed = self.pulls.merge_styles(access.repository)
        if style not in allowed:
            raise Invalid(f"do: must be one of the styles this repository allows "
                          f"({', '.join(allowed)}); got {style!r}")
        self.pulls.merge(access, pull, doer, {
            "do": style, "merge_title_field": form.get("merge_title_field", ""),
            "merge_message_field": form.get("merge_message_field", ""),
            "head_commit_id": form.get("head_commit_id", ""),
            "delete_branch_after_merge": form.get("delete_branch_after_merge") == "on"})
        raise falcon.HTTPSeeOther(self.back_to(owner, repo, number))
