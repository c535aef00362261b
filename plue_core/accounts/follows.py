"""Following (Gitea's ``follow``): a user follows a user or an organization. The follower's
``num_following`` and the followed account's ``num_followers`` change in the transaction that
adds or removes the row, and only when a row really was added or removed, so follows made at
once count once and both counters always equal a fresh COUNT; a deleted account's follows
take their counts with them (:func:`forget_account`).

Every change locks the accounts whose counters it moves first, in id order (PostgreSQL; on
SQLite the write transaction holds the database already): a follow and the deletion of
either account come one after the other, never interleaved (a follow that lost the race to
a deletion is a 404)."""

from __future__ import annotations

import peewee

from plue_core.accounts import visibility
from plue_core.accounts.models import USER, Account, Follow
from plue_core.db import is_sqlite, write_transaction
from plue_core.errors import NotFound
from plue_core.identity import Identity


def _lock(account_ids) -> set[int]:
    """Lock these accounts' rows until the transaction ends; the ids that still exist."""
    query = (Account.select(Account.id).where(Account.id.in_(sorted(set(account_ids))))
             .order_by(Account.id))
    if not is_sqlite(Account._meta.database):
        query = query.for_update()
    return {row.id for row in query}


def _count(field: peewee.Field, account_ids: list[int], delta: int) -> None:
    if account_ids:
        Account.update({field: field + delta}).where(Account.id.in_(account_ids)).execute()


def follow(follower: Account, followed: Account) -> None:
    """``follower`` follows ``followed``; again, or themself, changes nothing (as Gitea)."""
    if follower.id == followed.id:
        return
    with write_transaction():
        if len(_lock([follower.id, followed.id])) < 2:  # deleted meanwhile
            raise NotFound(f"user {followed.name!r} does not exist")
        added = (Follow.insert(user=follower.id, followed=followed.id)
                 .on_conflict_ignore().as_rowcount().execute())
        if added:
            _count(Account.num_following, [follower.id], +1)
            _count(Account.num_followers, [followed.id], +1)


def unfollow(follower: Account, followed: Account) -> None:
    """``follower`` stops following ``followed``; not following already changes nothing."""
    with write_transaction():
        _lock([follower.id, followed.id])
        removed = Follow.delete().where((Follow.user == follower.id)
                                        & (Follow.followed == followed.id)).execute()
        if removed:
            _count(Account.num_following, [follower.id], -1)
            _count(Account.num_followers, [followed.id], -1)


def is_following(follower_id: int, followed_id: int) -> bool:
    return Follow.select(Follow.id).where((Follow.user == follower_id)
                                          & (Follow.followed == followed_id)).exists()


def _seen(query: peewee.ModelSelect, identity: Identity | None) -> peewee.ModelSelect:
    condition = visibility.seen_by(identity)
    return query if condition is None else query.where(condition)


def followers_seen_by(identity: Identity | None, account: Account) -> peewee.ModelSelect:
    """The users following ``account`` that ``identity`` may see, in the order they came
    (Gitea lists only users here: an organization follows nobody)."""
    query = (Account.select().join(Follow, on=Follow.user == Account.id)
             .where((Follow.followed == account.id) & (Account.type == USER))
             .order_by(Follow.id))
    return _seen(query, identity)


def following_seen_by(identity: Identity | None, account: Account) -> peewee.ModelSelect:
    """The users and organizations ``account`` follows that ``identity`` may see, in the order
    they were followed."""
    query = (Account.select().join(Follow, on=Follow.followed == Account.id)
             .where(Follow.user == account.id).order_by(Follow.id))
    return _seen(query, identity)


def forget_account(account_id: int) -> None:
    """``account_id`` is being deleted (inside its transaction): its follows go, and every
    account on the other side of one counts one fewer."""
    def pairs():
        return list(Follow.select(Follow.user, Follow.followed).where(
            (Follow.user == account_id) | (Follow.followed == account_id)).tuples())

    # The accounts whose counters move, locked with the deleted one in id order as follow()
    # locks them; then the rows again, as they are now that nobody can change them.
    _lock({account_id, *(id_ for pair in pairs() for id_ in pair)})
    rows = pairs()
    if rows:
        Follow.delete().where((Follow.user == account_id)
                              | (Follow.followed == account_id)).execute()
        _count(Account.num_followers, [followed for user, followed in rows if user == account_id], -1)
        _count(Account.num_following, [user for user, followed in rows if followed == account_id], -1)
