"""issues: a pull request's submitted review is a timeline row of Gitea's ``review`` type
(comment type 22); ``review_id`` names the pulls plugin's review. A plain integer, as the
pulls plugin's table is not this plugin's to point at; the pulls plugin's migration 0004
writes the rows of the reviews submitted before this one."""

import peewee
from playhouse.migrate import migrate


def up(migrator, db):
    migrate(
        migrator.add_column("issue_comment", "review_id", peewee.IntegerField(null=True)),
        migrator.add_index("issue_comment", ("review_id",), False),
    )
