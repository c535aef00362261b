"""A user's mark on a repository they can see, counted on the repository: stars (Gitea's
``star``, ``num_stars``) and watches (``watch``, ``num_watches``). The counter changes in the
transaction that adds or removes the row, and only when a row really was added or removed, so
marks made at once count once and the counter always equals a fresh COUNT; a deleted user's
marks take their repositories' counts with them, a deleted repository's go by cascade.
Stars are counted on the user too (``Account.num_stars``, the User body's
``starred_repos_count``, as Gitea's star.go keeps ``user.num_stars``): the owner of the stars
keeps that count, in the same transactions, by the same rule."""

from __future__ import annotations

import peewee

from plue_core.accounts.models import Account
from plue_core.db import write_transaction

from plue_git_hosting import repository_lists, transaction_rows
from plue_git_hosting.models import Repository


class RepositoryMarks:
    def __init__(self, model: type[peewee.Model], counter: peewee.Field,
                 user_counter: peewee.Field | None = None):
        """``counter`` counts the marks on the repository, ``user_counter`` (an ``Account``
        field, optional) those a user made."""
        self.model, self.counter, self.user_counter = model, counter, user_counter

    def add(self, user_id: int, repository_id: int) -> bool:
        """Mark ``repository_id`` for ``user_id``; marking it again changes nothing."""
        with write_transaction():
            added = (self.model.insert(user=user_id, repository=repository_id)
                     .on_conflict_ignore().as_rowcount().execute())
            if added:
                self._count([repository_id], +1)
                self._count_users([user_id], +1)
        return bool(added)

    def remove(self, user_id: int, repository_id: int) -> bool:
        """Take the mark back; an unmarked repository stays so."""
        model = self.model
        with write_transaction():
            removed = model.delete().where((model.user == user_id)
                                           & (model.repository == repository_id)).execute()
            if removed:
                self._count([repository_id], -1)
                self._count_users([user_id], -1)
        return bool(removed)

    def has(self, user_id: int, repository_id: int) -> bool:
        model = self.model
        return model.select(model.id).where((model.user == user_id)
                                            & (model.repository == repository_id)).exists()

    def users_query(self, repository: Repository) -> peewee.Query:
        """Who marked ``repository``, in the order they did (the ``(repository, id)`` index)."""
        model = self.model
        return (Account.select(Account).join(model, on=model.user == Account.id)
                .where(model.repository == repository.id).order_by(model.id))

    def repositories_query(self, accounts, identity, user: Account, *,
                           public_only: bool) -> peewee.Query:
        """What ``user`` marked that ``identity`` may see (a mark does not show a repository
        that has since turned private), by repository id; ``public_only``: no private
        repository at all (Gitea's lists of another user's marks)."""
        model = self.model
        query = (repository_lists.visible(accounts, identity)
                 .switch(Repository).join(model, on=model.repository == Repository.id)
                 .where(model.user == user.id)
                 .order_by(model.repository))  # = Repository.id, in the (user, repository) index
        return query.where(~Repository.is_private) if public_only else query

    def clear(self, repository_id: int) -> None:
        """Every mark on ``repository_id`` goes (it turned private, as Gitea's
        ``ClearRepoStars`` / ``ClearRepoWatches``), its counter with them."""
        self.forget_repository(repository_id)
        Repository.update({self.counter: 0}).where(Repository.id == repository_id).execute()
        transaction_rows.forget(repository_id)

    def forget_repository(self, repository_id: int) -> None:
        """Every mark on ``repository_id`` goes (it is being deleted, or cleared), and each
        user who made one counts one fewer."""
        model = self.model
        if self.user_counter is not None:
            self._count_users([row.user_id for row in model.select(model.user)
                               .where(model.repository == repository_id)], -1)
        model.delete().where(model.repository == repository_id).execute()

    def forget_user(self, account_id: int) -> None:
        """``account_id`` is being deleted (inside its transaction): its marks go, and each
        repository it marked counts one fewer."""
        model = self.model
        marked = [row.repository_id for row in
                  model.select(model.repository).where(model.user == account_id)]
        if marked:
            model.delete().where(model.user == account_id).execute()
            self._count(marked, -1)

    def _count(self, repository_ids: list[int], delta: int) -> None:
        Repository.update({self.counter: self.counter + delta}).where(
            Repository.id.in_(repository_ids)).execute()
        transaction_rows.forget(*repository_ids)

    def _count_users(self, user_ids: list[int], delta: int) -> None:
        if self.user_counter is not None and user_ids:
            Account.update({self.user_counter: self.user_counter + delta}).where(
                Account.id.in_(user_ids)).execute()
