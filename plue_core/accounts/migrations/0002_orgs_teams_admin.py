"""Accounts: admin switches on users, org and team settings from Gitea's API, public members."""

import peewee
from playhouse.migrate import migrate


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Account(Base):
        class Meta:
            table_name = "account"

    class OrgPublicMember(Base):
        org = peewee.ForeignKeyField(Account, on_delete="CASCADE")
        user = peewee.ForeignKeyField(Account, on_delete="CASCADE")

        class Meta:
            table_name = "org_public_member"
            indexes = ((("org", "user"), True),)

    migrate(
        migrator.add_column("account", "allow_create_organization",
                            peewee.BooleanField(default=True)),
        migrator.add_column("account", "max_repo_creation", peewee.IntegerField(default=-1)),
        migrator.add_column("account", "repo_admin_change_team_access",
                            peewee.BooleanField(default=False)),
        migrator.add_column("team", "visibility", peewee.CharField(max_length=16, default="private")),
        migrator.add_column("team", "units_map", peewee.TextField(default="")),
    )
    # Members have always been able to see who owns their organization.
    db.execute_sql("UPDATE team SET visibility = 'limited' WHERE permission = 'owner'")
    db.create_tables([OrgPublicMember])
