"""git_hosting: each user's ``account.num_stars`` (accounts' 0006 added it; the User body's
``starred_repos_count``) counts the stars they made before, as ``repository_marks`` keeps it
from now on."""


def up(migrator, db):
    db.execute_sql("UPDATE account SET num_stars = (SELECT COUNT(*) FROM repository_star "
                   "WHERE repository_star.user_id = account.id)")
