"""pulls: a submitted review has its row on the pull request's timeline (Gitea's ``review``
comment, type 22, which the issues plugin's migration 0006 made room for), and its
``html_url`` is that row's ``#issuecomment-`` anchor. ``comment_id`` points at the row; the
reviews submitted before this migration get theirs here, dated as the review."""

import peewee
from playhouse.migrate import migrate


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Comment(Base):  # owned by issues: only referenced and written here
        issue_id = peewee.IntegerField()
        poster_id = peewee.IntegerField(null=True)
        kind = peewee.CharField(max_length=32)
        body = peewee.TextField()
        created_at = peewee.DateTimeField()
        updated_at = peewee.DateTimeField()
        review_id = peewee.IntegerField(null=True)
        # NOT NULL columns of issues' migrations 0003 and 0004 (their defaults are Python's).
        removed_assignee = peewee.BooleanField(default=False)
        old_title = peewee.CharField(default="")
        new_title = peewee.CharField(default="")
        ref_action = peewee.CharField(default="")
        ref_is_pull = peewee.BooleanField(default=False)
        commit_sha = peewee.CharField(default="")

        class Meta:
            table_name = "issue_comment"

    class PullRequest(Base):  # 0001's table: only read here
        issue_id = peewee.IntegerField()

        class Meta:
            table_name = "pull_request"

    class Review(Base):  # 0001's table, as this migration leaves it
        pull_id = peewee.IntegerField()
        reviewer_id = peewee.IntegerField(null=True)
        state = peewee.CharField(max_length=32)
        body = peewee.TextField()
        created_at = peewee.DateTimeField()
        comment_id = peewee.IntegerField(null=True)

        class Meta:
            table_name = "pull_review"

    migrate(migrator.add_column(
        "pull_review", "comment_id",
        peewee.ForeignKeyField(Comment, null=True, field=Comment.id, on_delete="SET NULL")))
    submitted = (Review.select(Review, PullRequest.issue_id.alias("issue_id"))
                 .join(PullRequest, on=(Review.pull_id == PullRequest.id))
                 .where(Review.state.in_(["APPROVED", "REQUEST_CHANGES", "COMMENT"]))
                 .order_by(Review.id).objects())
    for review in list(submitted):
        moment = review.created_at.replace(microsecond=0)  # the issues plugin's clock
        row = Comment.create(issue_id=review.issue_id, poster_id=review.reviewer_id,
                             kind="review", body=review.body or "", created_at=moment,
                             updated_at=moment, review_id=review.id)
        Review.update(comment_id=row.id).where(Review.id == review.id).execute()
