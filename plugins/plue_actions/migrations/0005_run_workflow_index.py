"""actions: ``action_run (repository_id, workflow_id, id)``: the runs of one workflow file
(``GET .../actions/workflows/{workflow_id}/runs``) read newest first through it and stop after
the page, instead of walking every run of the repository for the few of that workflow."""

from playhouse.migrate import migrate


def up(migrator, db):
    migrate(migrator.add_index("action_run", ("repository_id", "workflow_id", "id"), False))
