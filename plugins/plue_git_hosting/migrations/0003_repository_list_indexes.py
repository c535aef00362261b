"""git_hosting: an index on ``repository (is_private, lower_name, id)``, the order of
``GET /repos/search`` (by name) over the public repositories: the search cuts its page from
each way the caller sees repositories (their own, their organizations', shared, public; see
``repository_lists.cut_page``), and the public ones had no index in that order — each search
read and sorted every public repository (issue 13)."""

from playhouse.migrate import migrate


def up(migrator, db):
    migrate(migrator.add_index("repository", ("is_private", "lower_name", "id"), False))
