"""issues: an index that counts a milestone's open and closed issues without reading them.
Every page of issues shows each of its milestones' counts (Gitea's ``open_issues`` and
``closed_issues``); by ``milestone_id`` alone the count read every issue row of the milestone
for its state (issue 13 item 3)."""

from playhouse.migrate import migrate


def up(migrator, db):
    migrate(migrator.add_index("issue", ("milestone_id", "is_closed"), False))
