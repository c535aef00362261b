"""Migrations issues/0006 (and 0007) and pulls/0004 on a database that already holds reviews: each
submitted review gets its ``review`` row on the timeline (dated as the review, with its body
and reviewer) and points at it; a pending review and a review request get none."""

from __future__ import annotations

import datetime
import pathlib
import shutil

from plue_core import migrations
from plue_core.db import connection
from plue_core.testing import make_user

import plue_issues
import plue_pulls
from plue_git_hosting.models import Repository
from plue_issues.models import Comment, Issue
from plue_pulls.models import PullRequest, Review

BEFORE = {"issues": "0005_review_request_teams.py", "pulls": "0003_team_review_requests.py"}


def _scripts_until(package, last: str, into: pathlib.Path) -> str:
    into.mkdir()
    for script in sorted((pathlib.Path(package.__file__).parent / "migrations").glob("0*.py")):
        if script.name <= last:
            shutil.copy(script, into / script.name)
    return str(into)


def _create_before(ctx, model, **values):
    """A row of ``model`` holding only the columns its table has at this point of the
    migrations (a later migration's columns, issues 0010's ``pin_order`` say, are not there
    yet), the others as the model fills them in."""
    present = {column.name for column in ctx.db.get_columns(model._meta.table_name)}
    row = model(**values)
    data = {field.column_name: field.db_value(getattr(row, field.name))
            for field in model._meta.sorted_fields
            if field.column_name in present and not field.primary_key}
    ctx.db.execute_sql(f"INSERT INTO {model._meta.table_name} ({', '.join(data)}) VALUES "
                       f"({', '.join([ctx.db.param] * len(data))})", list(data.values()))
    return model.select(model.id).order_by(model.id.desc()).get()


def test_existing_submitted_reviews_get_their_timeline_rows(build_app, tmp_path):
    app = build_app(migrate_db=False)
    ctx = app.plue
    sources = ctx.plugins.migration_sources()
    held_back = {"issues": _scripts_until(plue_issues, BEFORE["issues"], tmp_path / "issues"),
                 "pulls": _scripts_until(plue_pulls, BEFORE["pulls"], tmp_path / "pulls")}
    with connection(ctx.db):
        migrations.migrate(ctx.db, [(plugin, held_back.get(plugin, directory))
                                    for plugin, directory in sources], report=lambda _: None)
    alice, oscar = make_user(ctx, "alice"), make_user(ctx, "oscar")
    with connection(ctx.db):
        repository = Repository.create(owner=alice.id, name="code", lower_name="code")
        issue = _create_before(ctx, Issue, repository=repository.id, number=1, poster=alice.id,
                               title="PR", is_pull=True)
        # Only the columns the table had before: the model's later columns (issues 0007's
        # branch names, defaults peewee would fill in) are not there yet.
        before = {"issue_id": issue.id, "poster_id": alice.id, "kind": "comment", "body": "plain",
                  "created_at": datetime.datetime(2026, 3, 1, 12), "removed_assignee": False,
                  "updated_at": datetime.datetime(2026, 3, 1, 12), "old_title": "",
                  "new_title": "", "ref_action": "", "ref_is_pull": False, "commit_sha": ""}
        ctx.db.execute_sql(f"INSERT INTO issue_comment ({', '.join(before)}) VALUES "
                           f"({', '.join([ctx.db.param] * len(before))})", list(before.values()))
        pull_id = PullRequest.insert(issue_key=issue.id, base_repository=repository.id,
                                     base_branch="main", head_repository=repository.id,
                                     head_branch="x").execute()
        moment = datetime.datetime(2026, 3, 1, 12, 30, 5, 123456)
        ids = {state: Review.insert(pull=pull_id, reviewer=oscar.id, state=state,
                                    body=f"{state} body", created_at=moment,
                                    updated_at=moment).execute()
               for state in ("APPROVED", "COMMENT", "PENDING", "REQUEST_REVIEW")}

        applied = migrations.migrate(ctx.db, sources, report=lambda _: None)
        # issues 0007 runs between them: pulls 0004's rows take its columns' database default.
        # (Later migrations of either plugin join the list; the order of these three is the point.)
        names = [f"{s.plugin}/{s.name}" for s in applied]
        assert names.index("issues/0006_review_rows") < names.index("issues/0007_branch_events") \
            < names.index("pulls/0004_review_rows"), names
        rows = list(Comment.select().where(Comment.kind == "review").order_by(Comment.id))
        assert [(row.review_id, row.body, row.poster_id, row.issue_id) for row in rows] == [
            (ids["APPROVED"], "APPROVED body", oscar.id, issue.id),
            (ids["COMMENT"], "COMMENT body", oscar.id, issue.id)]
        assert {row.created_at for row in rows} == {moment.replace(microsecond=0)}
        points_at = {review.id: review.comment_id for review in Review.select()}
        assert points_at == {ids["APPROVED"]: rows[0].id, ids["COMMENT"]: rows[1].id,
                             ids["PENDING"]: None, ids["REQUEST_REVIEW"]: None}
        assert Comment.select().where(Comment.kind == "comment").count() == 1
        assert migrations.migrate(ctx.db, sources, report=lambda _: None) == []
