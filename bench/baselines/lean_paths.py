"""The lean baseline of more hot paths (issue 13 item 2): ``lean_repo``'s app (its repository
GET, its credential check, its connection per thread) plus the least a Falcon + peewee app
must do, on Plue's own database, for

* an authenticated pull request GET (``/api/v1/repos/{owner}/{repo}/pulls/{index}``): the
  token with its account, the repository with its owner (404 when private and not the
  caller's), the pull request joined with its issue and poster, the issue's labels and
  assignees, the requested reviewers, the review-comment count, the two branch tips read from
  the refs, and a Gitea-sized ``PullRequest`` body (the base and head with their
  ``Repository``);
* an authenticated issue list (``/api/v1/repos/{owner}/{repo}/issues?limit=30``): the token
  with its account, the repository with its owner, the open issues counted, the page of them
  joined with their posters (newest first), the page's labels, assignees and milestones (each
  in one statement), the milestones' issue counts, and a Gitea-sized ``Issue`` per row with
  the paging headers (``X-Total-Count``, ``Link``);
* RunnerHub's ``GET /api/jobs`` for a user: the token with its account, the rate-limit
  window counted in the database (one upsert, as Plue's limiter: its count is shared by every
  worker and host), the page of hosted jobs of the repositories the caller may see (owned,
  shared as a collaborator, of an organization they belong to, or public) and of the external
  jobs they created, newest first, each kind cut to the page before they are merged, the two
  kinds counted, the page's jobs with their runs and repositories, their tasks' runners, and
  RunnerHub's envelope.

Hand-written SQL (what a lean app would write), no plugins, hooks or schemas.
``bench/api_hot_path.py`` serves it instead of ``lean_repo`` with the same gunicorn settings.
"""

import json
import math
import time

import falcon
from dulwich.refs import DiskRefsContainer

from bench.baselines import lean_repo
from bench.baselines.lean_repo import BASE, Account, _caller, _repository, _time, _user, db

REPOS_DIR = lean_repo.os.environ.get("LEAN_REPOS_DIR", "repos")
HOSTED_STATUS = {0: "pending", 1: "completed", 2: "failed", 3: "failed", 4: "pending",
                 5: "pending", 6: "running", 7: "pending", 8: "pending"}


def _sql(text: str) -> str:
    return text.replace("?", db.param) if db.param != "?" else text


def _rows(text: str, params=()) -> list:
    return db.execute_sql(_sql(text), params).fetchall()


_ACCOUNT_COLUMNS = [field.column_name for field in Account._meta.sorted_fields]


def _account(values) -> Account:
    return Account(**{field.name: field.python_value(value)
                      for field, value in zip(Account._meta.sorted_fields, values)})


def _visible_repository(owner: str, repo: str, user):
    Owner = Account.alias()
    row = (lean_repo.Repository.select(lean_repo.Repository, Owner)
           .join(Owner, on=(lean_repo.Repository.owner == Owner.id))
           .where(Owner.lower_name == owner.lower(),
                  lean_repo.Repository.lower_name == repo.lower()).first())
    if row is None or (row.is_private and not user.is_admin and row.owner.id != user.id):
        raise falcon.HTTPNotFound()
    return row


class PullResource:
    def on_get(self, req, resp, owner, repo, index):
        user = _caller(req)
        repository = _visible_repository(owner, repo, user)
        columns = ", ".join(f'a."{name}"' for name in _ACCOUNT_COLUMNS)
        found = _rows(
            'SELECT p.id, p.base_branch, p.head_branch, p.head_sha, p.base_sha, p.merge_base, '
            'p.status, p.additions, p.deletions, p.changed_files, p.allow_maintainer_edit, '
            'p.is_merged, p.merged_at, p.merge_commit_sha, i.id, i.number, i.title, i.body, '
            'i.is_closed, i.is_locked, i.num_comments, i.content_version, i.due_date, '
            f'i.created_at, i.updated_at, i.closed_at, {columns} '
            'FROM pull_request p JOIN issue i ON i.id = p.issue_id '
            'JOIN account a ON a.id = i.poster_id '
            'WHERE i.repository_id = ? AND i.number = ? AND i.is_pull', (repository.id, int(index)))
        if not found:
            raise falcon.HTTPNotFound()
        row = found[0]
        (pull_id, base_branch, head_branch, head_sha, base_sha, merge_base, status, additions,
         deletions, changed, maintainer_edit, merged, merged_at, merge_sha, issue_id, number,
         title, body, closed, locked, comments, version, due, created, updated,
         closed_at) = row[:26]
        poster = _account(row[26:])
        labels = _rows('SELECT l.id, l.name, l.color, l.description, l.exclusive, l.archived_at '
                       'FROM issue_label il JOIN label l ON l.id = il.label_id '
                       'WHERE il.issue_id = ? ORDER BY l.name', (issue_id,))
        assignees = [_account(values) for values in _rows(
            f'SELECT {columns} FROM issue_assignee ia JOIN account a ON a.id = ia.assignee_id '
            'WHERE ia.issue_id = ? ORDER BY ia.id', (issue_id,))]
        reviewers = [_account(values) for values in _rows(
            f'SELECT {columns} FROM pull_review r JOIN account a ON a.id = r.reviewer_id '
            "WHERE r.pull_id = ? AND r.state = 'REQUEST_REVIEW' ORDER BY r.id", (pull_id,))]
        review_comments = _rows('SELECT COUNT(*) FROM pull_review_comment WHERE pull_id = ?',
                                (pull_id,))[0][0]
        refs = DiskRefsContainer(f"{REPOS_DIR}/{owner.lower()}/{repo.lower()}.git")
        tips = {}
        for branch in (base_branch, head_branch):
            try:
                tips[branch] = refs[f"refs/heads/{branch}".encode()].decode()
            except KeyError:
                tips[branch] = None
        full = f"{repository.owner.name}/{repository.name}"
        html = f"{BASE}/{full}/pulls/{number}"
        repository_body = _repository(repository, user)
        label_bodies = [{"id": label_id, "name": name, "exclusive": bool(exclusive),
                         "is_archived": archived is not None, "color": color.lstrip("#"),
                         "description": description, "url": f"{BASE}/api/v1/repos/{full}/labels/{label_id}"}
                        for label_id, name, color, description, exclusive, archived in labels]
        assignee_bodies = [_user(account) for account in assignees] or None

        def branch(name, sha):
            return {"label": name, "ref": name, "sha": tips[name] or sha,
                    "repo_id": repository.id, "repo": repository_body}

        resp.text = json.dumps({
            "id": pull_id, "url": html, "number": number, "user": _user(poster),
            "title": title, "body": body, "labels": label_bodies, "milestone": None,
            "assignee": assignee_bodies[0] if assignee_bodies else None,
            "assignees": assignee_bodies, "state": "closed" if closed else "open",
            "is_locked": bool(locked), "comments": comments, "due_date": _time(_when(due)),
            "created_at": _time(_when(created)), "updated_at": _time(_when(updated)),
            "closed_at": _time(_when(closed_at)), "pin_order": 0, "content_version": version,
            "requested_reviewers": [_user(account) for account in reviewers],
            "requested_reviewers_teams": [], "draft": title.lower().startswith("wip"),
            "review_comments": review_comments, "additions": additions,
            "deletions": deletions, "changed_files": changed, "html_url": html,
            "diff_url": f"{html}.diff", "patch_url": f"{html}.patch",
            "mergeable": status == 2, "merged": bool(merged), "merged_at": _time(_when(merged_at)),
            "merge_commit_sha": merge_sha, "merged_by": None,
            "allow_maintainer_edit": bool(maintainer_edit),
            "base": branch(base_branch, base_sha), "head": branch(head_branch, head_sha),
            "merge_base": merge_base})
        resp.content_type = falcon.MEDIA_JSON


class IssuesResource:
    def on_get(self, req, resp, owner, repo):
        user = _caller(req)
        repository = _visible_repository(owner, repo, user)
        limit = min(int(req.get_param("limit") or 30), 50)
        columns = ", ".join(f'a."{name}"' for name in _ACCOUNT_COLUMNS)
        total = _rows("SELECT COUNT(*) FROM issue WHERE repository_id = ? AND NOT is_closed",
                      (repository.id,))[0][0]
        found = _rows(
            "SELECT i.id, i.number, i.title, i.body, i.ref, i.is_pull, i.is_closed, i.is_locked, "
            "i.milestone_id, i.num_comments, i.content_version, i.due_date, i.created_at, "
            f"i.updated_at, i.closed_at, {columns} FROM issue i "
            "LEFT JOIN account a ON a.id = i.poster_id WHERE i.repository_id = ? "
            "AND NOT i.is_closed ORDER BY i.created_at DESC, i.id DESC LIMIT ?",
            (repository.id, limit))
        ids = [row[0] for row in found]
        labels: dict = {number: [] for number in ids}
        assignees: dict = {number: [] for number in ids}
        milestones: dict = {}
        if ids:
            marks = ", ".join("?" * len(ids))
            for issue_id, *label in _rows(
                    "SELECT il.issue_id, l.id, l.name, l.color, l.description, l.exclusive, "
                    "l.archived_at FROM issue_label il JOIN label l ON l.id = il.label_id "
                    f"WHERE il.issue_id IN ({marks}) ORDER BY l.name", ids):
                labels[issue_id].append(label)
            for issue_id, *account in _rows(
                    f"SELECT ia.issue_id, {columns} FROM issue_assignee ia JOIN account a "
                    f"ON a.id = ia.assignee_id WHERE ia.issue_id IN ({marks}) ORDER BY ia.id",
                    ids):
                assignees[issue_id].append(_account(account))
            milestone_ids = sorted({row[8] for row in found if row[8]})
            if milestone_ids:
                marks = ", ".join("?" * len(milestone_ids))
                for row in _rows("SELECT id, title, description, is_closed, created_at, "
                                 "updated_at, closed_at, due_on FROM milestone "
                                 f"WHERE id IN ({marks})", milestone_ids):
                    milestones[row[0]] = [*row, 0, 0]
                for milestone_id, closed, count in _rows(
                        "SELECT milestone_id, is_closed, COUNT(*) FROM issue "
                        f"WHERE milestone_id IN ({marks}) GROUP BY milestone_id, is_closed",
                        milestone_ids):
                    milestones[milestone_id][9 if closed else 8] = count
        full = f"{repository.owner.name}/{repository.name}"
        api = f"{BASE}/api/v1/repos/{full}"
        meta = {"id": repository.id, "name": repository.name, "owner": repository.owner.name,
                "full_name": full}
        bodies = []
        for row in found:
            (issue_id, number, title, body, ref, is_pull, closed, locked, milestone_id,
             comments, version, due, created, updated, closed_at) = row[:15]
            poster = _user(_account(row[15:]))
            people = [_user(account) for account in assignees[issue_id]] or None
            milestone = milestones.get(milestone_id)
            html = f"{BASE}/{full}/{'pulls' if is_pull else 'issues'}/{number}"
            bodies.append({
                "id": issue_id, "url": f"{api}/issues/{number}", "html_url": html,
                "number": number, "user": poster, "original_author": "",
                "original_author_id": 0, "title": title, "body": body, "ref": ref,
                "assets": [], "labels": [
                    {"id": label_id, "name": name, "exclusive": bool(exclusive),
                     "is_archived": archived is not None, "color": color.lstrip("#"),
                     "description": description, "url": f"{api}/labels/{label_id}"}
                    for label_id, name, color, description, exclusive, archived
                    in labels[issue_id]],
                "milestone": None if milestone is None else {
                    "id": milestone[0], "title": milestone[1], "description": milestone[2],
                    "state": "closed" if milestone[3] else "open", "open_issues": milestone[8],
                    "closed_issues": milestone[9], "created_at": _time(_when(milestone[4])),
                    "updated_at": _time(_when(milestone[5])),
                    "closed_at": _time(_when(milestone[6])), "due_on": _time(_when(milestone[7]))},
                "assignee": people[0] if people else None, "assignees": people,
                "state": "closed" if closed else "open", "is_locked": bool(locked),
                "comments": comments, "created_at": _time(_when(created)),
                "updated_at": _time(_when(updated)), "closed_at": _time(_when(closed_at)),
                "due_date": _time(_when(due)), "time_estimate": 0,
                "pull_request": {"merged": False, "merged_at": None, "draft": False,
                                 "html_url": html} if is_pull else None,
                "repository": meta, "pin_order": 0, "content_version": version,
                "projects": []})
        resp.set_header("X-Total-Count", str(total))
        if total > limit:
            resp.set_header("Link", f'<{api}/issues?limit={limit}&page=2>; rel="next"')
        resp.text = json.dumps(bodies)
        resp.content_type = falcon.MEDIA_JSON


_VISIBLE = (
    "SELECT r.id FROM repository r JOIN account o ON o.id = r.owner_id WHERE r.owner_id = ? "
    "OR r.id IN (SELECT repository_id FROM repository_collaborator WHERE user_id = ?) "
    "OR r.owner_id IN (SELECT t.org_id FROM team t JOIN team_member m ON m.team_id = t.id "
    "WHERE m.user_id = ?) OR (NOT r.is_private AND o.visibility IN ('public', 'limited'))")


class JobsResource:
    def on_get(self, req, resp):
        user = _caller(req)
        window = 60
        start = int(time.time() // window) * window
        _rows('INSERT INTO monitoring_rate_limit (bucket, window_start, hits) VALUES (?, ?, 1) '
              'ON CONFLICT (bucket, window_start) DO UPDATE SET hits = '
              'monitoring_rate_limit.hits + 1 RETURNING hits', (f"lean:{user.id}", start))
        limit, offset = 50, 0
        me = (user.id, user.id, user.id)
        keys = _rows(
            "SELECT * FROM (SELECT 'external' AS kind, id, created FROM runnerhub_external_job "
            "WHERE creator_id = ? ORDER BY created DESC, id DESC LIMIT ?) AS k0 UNION ALL "
            "SELECT * FROM (SELECT 'hosted' AS kind, j.id, j.created FROM action_run_job j "
            f"WHERE j.repository_id IN ({_VISIBLE}) ORDER BY j.created DESC, j.id DESC "
            "LIMIT ?) AS k1 ORDER BY created DESC, id DESC, kind DESC LIMIT ? OFFSET ?",
            (user.id, offset + limit, *me, offset + limit, limit, offset))
        total = _rows(
            "SELECT (SELECT COUNT(*) FROM runnerhub_external_job WHERE creator_id = ?) + "
            f"(SELECT COUNT(*) FROM action_run_job WHERE repository_id IN ({_VISIBLE}))",
            (user.id, *me))[0][0]
        hosted_ids = [number for kind, number, _ in keys if kind == "hosted"]
        jobs = {}
        runners = {}
        if hosted_ids:
            marks = ", ".join("?" * len(hosted_ids))
            for row in _rows(
                    "SELECT j.id, j.name, j.runs_on, j.status, j.task_id, j.commit_sha, "
                    "j.created, j.started, j.stopped, j.updated, r.workflow_name, r.ref, "
                    "r.commit_sha, r.event, o.name, p.name FROM action_run_job j "
                    "JOIN action_run r ON r.id = j.run_id JOIN repository p "
                    "ON p.id = j.repository_id JOIN account o ON o.id = p.owner_id "
                    f"WHERE j.id IN ({marks})", hosted_ids):
                jobs[row[0]] = row
            task_ids = [row[4] for row in jobs.values() if row[4]]
            if task_ids:
                marks = ", ".join("?" * len(task_ids))
                runners = dict(_rows(f"SELECT id, runner_id FROM action_task WHERE id IN "
                                     f"({marks})", task_ids))
        listed = []
        for kind, number, _ in keys:
            if kind != "hosted":
                continue  # (the bench's caller created none)
            (job_id, name, runs_on, status, task_id, sha, created, started, stopped, updated,
             workflow, ref, run_sha, event, owner_name, repo_name) = jobs[number]
            done = status in (1, 2, 3, 4)
            runner = runners.get(task_id)
            listed.append({
                "id": f"job_{job_id}", "github_job_id": job_id, "job_name": name,
                "repository": f"{owner_name}/{repo_name}", "workflow_name": workflow,
                "status": HOSTED_STATUS.get(status, "pending"),
                "result": None if not done else "success", "runner_id":
                    f"runner_{runner}" if runner else None, "container_id": None,
                "labels": json.loads(runs_on) if isinstance(runs_on, str) else list(runs_on or ()),
                "created_at": _time(_when(created)), "started_at": _time(_when(started)),
                "completed_at": _time(_when(stopped)), "updated_at": _time(_when(updated)),
                "estimated_completion": None,
                "metadata": {"branch": ref[len("refs/heads/"):] if ref.startswith("refs/heads/")
                             else None, "commit_sha": sha or run_sha, "pr_number": None}})
        resp.text = json.dumps({"success": True, "data": {"jobs": listed, "pagination": {
            "total": total, "limit": limit, "offset": offset,
            "pages": math.ceil(total / limit) if total else 0}}})
        resp.content_type = falcon.MEDIA_JSON


def _when(value):
    """SQLite hands back text; PostgreSQL a datetime."""
    if value is None or not isinstance(value, str):
        return value
    return lean_repo.datetime.datetime.fromisoformat(value)


app = lean_repo.app
app.add_route("/api/v1/repos/{owner}/{repo}/pulls/{index}", PullResource())
app.add_route("/api/jobs", JobsResource())
app.add_route("/api/v1/repos/{owner}/{repo}/issues", IssuesResource())
