"""Accounts: organization short names are unique regardless of case (Runner Pilot addresses an
org by its short name, so it must name one). Adds ``account.lower_short_name`` with a unique
index. Where existing orgs share a short name, the oldest keeps it and each later one gets the
first free ``<short name>-2``, ``-3``... (logged), so every org stays reachable by a short name
and its owners can pick another with ``PUT /org/{org_id}``."""

import logging

import peewee
from playhouse.migrate import migrate

log = logging.getLogger("plue.migrations")
MAX_LENGTH = 40


def _free_variant(short_name: str, taken: set) -> str:
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = short_name[:MAX_LENGTH - len(suffix)] + suffix
        if candidate.lower() not in taken:
            return candidate
        n += 1


def up(migrator, db):
    class Account(peewee.Model):
        type = peewee.CharField(max_length=16)
        short_name = peewee.CharField(max_length=40, default="")
        lower_short_name = peewee.CharField(max_length=40, null=True)

        class Meta:
            database = db
            table_name = "account"

    migrate(migrator.add_column("account", "lower_short_name",
                                peewee.CharField(max_length=40, null=True)))
    orgs = list(Account.select(Account.id, Account.short_name)
                .where((Account.type == "organization") & (Account.short_name != ""))
                .order_by(Account.id))
    taken = {org.short_name.lower() for org in orgs}
    kept = set()
    for org in orgs:
        short_name = org.short_name
        if short_name.lower() in kept:
            short_name = _free_variant(org.short_name, taken)
            taken.add(short_name.lower())
            log.warning("organization %d shared the short name %r with an older one; it is now %r",
                        org.id, org.short_name, short_name)
        kept.add(short_name.lower())
        Account.update(short_name=short_name, lower_short_name=short_name.lower()) \
            .where(Account.id == org.id).execute()
    migrate(migrator.add_index("account", ("lower_short_name",), True))
