"""issues: references on the timeline (Gitea's ``issue_ref``, ``pull_ref``, ``comment_ref``
and ``commit_ref`` comment types): where each one comes from -- the repository, the issue or
pull request and the comment that mention the issue, or the commit -- and its action."""

import peewee
from playhouse.migrate import migrate


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Repository(Base):  # owned by git_hosting: only referenced here
        class Meta:
            table_name = "repository"

    class Issue(Base):
        class Meta:
            table_name = "issue"

    class Comment(Base):
        class Meta:
            table_name = "issue_comment"

    def reference(model, on_delete):
        return peewee.ForeignKeyField(model, null=True, field=model.id, on_delete=on_delete)

    migrate(
        migrator.add_column("issue_comment", "ref_repo_id", reference(Repository, "CASCADE")),
        migrator.add_column("issue_comment", "ref_issue_id", reference(Issue, "CASCADE")),
        migrator.add_column("issue_comment", "ref_comment_id", reference(Comment, "SET NULL")),
        migrator.add_column("issue_comment", "ref_action",
                            peewee.CharField(max_length=16, default="")),
        migrator.add_column("issue_comment", "ref_is_pull", peewee.BooleanField(default=False)),
        migrator.add_column("issue_comment", "commit_sha",
                            peewee.CharField(max_length=64, default="")),
        migrator.add_index("issue_comment", ("ref_issue_id", "ref_comment_id"), False),
    )
