"""Accounts: users and organizations, teams, access tokens, SSH keys, login throttling."""

import uuid

import peewee


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    def now():
        import datetime
        return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)

    class Account(Base):
        uid = peewee.UUIDField(default=uuid.uuid4, unique=True)
        name = peewee.CharField(max_length=40)
        lower_name = peewee.CharField(max_length=40, unique=True)
        type = peewee.CharField(max_length=16, default="user")
        full_name = peewee.CharField(max_length=255, default="")
        email = peewee.CharField(max_length=255, default="")
        lower_email = peewee.CharField(max_length=255, null=True, unique=True)
        password_hash = peewee.CharField(max_length=100, null=True)
        is_admin = peewee.BooleanField(default=False)
        active = peewee.BooleanField(default=True)
        prohibit_login = peewee.BooleanField(default=False)
        restricted = peewee.BooleanField(default=False)
        must_change_password = peewee.BooleanField(default=False)
        visibility = peewee.CharField(max_length=16, default="public")
        description = peewee.TextField(default="")
        website = peewee.CharField(max_length=255, default="")
        location = peewee.CharField(max_length=255, default="")
        role = peewee.CharField(max_length=16, default="viewer")
        org_kind = peewee.CharField(max_length=16, default="organization")
        short_name = peewee.CharField(max_length=40, default="")
        created_at = peewee.DateTimeField(default=now)
        updated_at = peewee.DateTimeField(default=now)
        last_login = peewee.DateTimeField(null=True)

        class Meta:
            table_name = "account"

    class Team(Base):
        org = peewee.ForeignKeyField(Account, on_delete="CASCADE")
        name = peewee.CharField(max_length=255)
        lower_name = peewee.CharField(max_length=255)
        description = peewee.TextField(default="")
        permission = peewee.CharField(max_length=16, default="read")
        includes_all_repositories = peewee.BooleanField(default=False)
        can_create_org_repo = peewee.BooleanField(default=False)

        class Meta:
            table_name = "team"
            indexes = ((("org", "lower_name"), True),)

    class TeamMember(Base):
        team = peewee.ForeignKeyField(Team, on_delete="CASCADE")
        user = peewee.ForeignKeyField(Account, on_delete="CASCADE")

        class Meta:
            table_name = "team_member"
            indexes = ((("team", "user"), True),)

    class AccessToken(Base):
        user = peewee.ForeignKeyField(Account, on_delete="CASCADE")
        name = peewee.CharField(max_length=255)
        token_hash = peewee.CharField(max_length=64, unique=True)
        token_last_eight = peewee.CharField(max_length=8)
        scopes = peewee.TextField(default="")
        created_at = peewee.DateTimeField(default=now)
        last_used_at = peewee.DateTimeField(null=True)

        class Meta:
            table_name = "access_token"
            indexes = ((("user", "name"), True),)

    class PublicKey(Base):
        user = peewee.ForeignKeyField(Account, on_delete="CASCADE")
        title = peewee.CharField(max_length=255)
        content = peewee.TextField()
        key_type = peewee.CharField(max_length=32)
        fingerprint = peewee.CharField(max_length=100, unique=True)
        read_only = peewee.BooleanField(default=False)
        created_at = peewee.DateTimeField(default=now)
        last_used_at = peewee.DateTimeField(null=True)

        class Meta:
            table_name = "public_key"

    class LoginFailure(Base):
        key = peewee.CharField(max_length=255, primary_key=True)
        count = peewee.IntegerField(default=0)
        window_start = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "login_failure"

    db.create_tables([Account, Team, TeamMember, AccessToken, PublicKey, LoginFailure])
