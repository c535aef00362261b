"""Stars (Gitea's ``star``): a user starring a repository they can see, counted in the
repository's ``num_stars`` (the body's ``stars_count``) and the user's ``num_stars`` (the
User body's ``starred_repos_count``)."""

from plue_core.accounts.models import Account

from plue_git_hosting.models import Repository, Star
from plue_git_hosting.repository_marks import RepositoryMarks

STARS = RepositoryMarks(Star, Repository.num_stars, Account.num_stars)
