"""Accounts tables. As in Gitea, users and organizations share one table (``type``), so a
repository's owner is one foreign key whatever kind of account owns it."""

from __future__ import annotations

import uuid

import peewee

from plue_core.db import BaseModel, utcnow

USER, ORGANIZATION = "user", "organization"
VISIBILITIES = ("public", "limited", "private")


class Account(BaseModel):
    uid = peewee.UUIDField(default=uuid.uuid4, unique=True)
    name = peewee.CharField(max_length=40)
    lower_name = peewee.CharField(max_length=40, unique=True)
    type = peewee.CharField(max_length=16, default=USER)
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
    # RunnerHub role of a user; "personal" or "organization" for a Runner Pilot org.
    role = peewee.CharField(max_length=16, default="viewer")
    org_kind = peewee.CharField(max_length=16, default="organization")
    short_name = peewee.CharField(max_length=40, default="")
    # Runner Pilot addresses an org by its short name too: unique regardless of case, NULL
    # when it has none (short_names.py).
    lower_short_name = peewee.CharField(max_length=40, null=True, unique=True)
    # Gitea's per-user switches an administrator edits (EditUserOption).
    allow_create_organization = peewee.BooleanField(default=True)
    max_repo_creation = peewee.BigIntegerField(default=-1)  # -1: the instance default applies
    # Organizations only: may repository admins change which teams reach a repository?
    repo_admin_change_team_access = peewee.BooleanField(default=False)
    # Gitea's counters of the User body, each changed in the transaction that adds or removes
    # a row it counts, so each equals a fresh COUNT: follows (follows.py) and stars (kept by
    # the plugin that owns stars, git_hosting's repository_marks.py, as Gitea's star.go does).
    num_followers = peewee.IntegerField(default=0)
    num_following = peewee.IntegerField(default=0)
    num_stars = peewee.IntegerField(default=0)
    # Gitea's user settings (``/user/settings``). ``keep_email_private`` (``hide_email``): the
    # e-mail is shown to other signed-in users only when it is False; Plue's default keeps it
    # private, as Gitea's DEFAULT_KEEP_EMAIL_PRIVATE = true.
    language = peewee.CharField(max_length=5, default="")
    theme = peewee.CharField(max_length=30, default="gitea-auto")
    diff_view_style = peewee.CharField(max_length=10, default="")
    keep_email_private = peewee.BooleanField(default=True)
    keep_activity_private = peewee.BooleanField(default=False)
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)
    last_login = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "account"

    @property
    def is_organization(self) -> bool:
        return self.type == ORGANIZATION


class _NotRead:
    """A field a narrow read left out: reading or setting it is an AttributeError, where a
    peewee model missing a column would answer None (``password_hash`` None, ``is_admin``
    None: a bug that passes every check)."""

    def __init__(self, name: str):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        raise AttributeError(f"{type(instance).__name__} was read without {self.name!r}: "
                             "read the account itself (accounts.find_account_by_id)")

    def __set__(self, instance, value):
        self.__get__(instance)


class ShownAccount(Account):
    """An account read to be shown: a repository's owner, an issue's poster and assignees.
    What a ``User`` or ``Organization`` body renders and the access checks read (id, names,
    type, visibility, the login switches), and nothing else: each column is work on both
    sides of every such read (docs/serving.md, "what PostgreSQL adds per request"). A type
    of its own, so a field it left out fails loudly instead of reading as None (a caller that
    needs one reads the account by id)."""

    class Meta:
        table_name = "account"


class SignedInAccount(Account):
    """The account an access token signs in as, read with the token on every token request:
    what the identity, a ``User`` body (``/api/v1/user``) and the callers of
    ``accounts.account_for`` use — never the password hash, which a token request has no use
    for. Left-out fields fail loudly, as :class:`ShownAccount`'s."""

    class Meta:
        table_name = "account"


def _leave_out(model: type[Account], names: tuple[str, ...]) -> None:
    for name in names:
        model._meta.remove_field(name)
        setattr(model, name, _NotRead(name))


# Secrets and what only the account's own settings, Runner Pilot's org pages and the
# administrators' edits read (each reads the account whole).
_NEVER_SHOWN = ("password_hash", "lower_email", "must_change_password", "org_kind",
                "short_name", "lower_short_name", "max_repo_creation", "updated_at",
                "theme", "diff_view_style", "keep_activity_private")
_leave_out(ShownAccount, _NEVER_SHOWN + ("uid", "role", "allow_create_organization"))
_leave_out(SignedInAccount, _NEVER_SHOWN + ("repo_admin_change_team_access",))

class Team(BaseModel):
    org = peewee.ForeignKeyField(Account, backref="teams", on_delete="CASCADE")
    name = peewee.CharField(max_length=255)
    lower_name = peewee.CharField(max_length=255)
    description = peewee.TextField(default="")
    permission = peewee.CharField(max_length=16, default="read")  # read | write | admin | owner
    includes_all_repositories = peewee.BooleanField(default=False)
    can_create_org_repo = peewee.BooleanField(default=False)
    # Who may list the team: private (its members and org owners), limited (org members),
    # public (any signed-in user).
    visibility = peewee.CharField(max_length=16, default="private")
    units_map = peewee.TextField(default="")  # JSON {"repo.code": "read", ...}; "" = all units

    class Meta:
        table_name = "team"
        indexes = ((("org", "lower_name"), True),)


class TeamMember(BaseModel):
    team = peewee.ForeignKeyField(Team, backref="memberships", on_delete="CASCADE")
    user = peewee.ForeignKeyField(Account, backref="team_memberships", on_delete="CASCADE")

    class Meta:
        table_name = "team_member"
        indexes = ((("team", "user"), True),)


class OrgPublicMember(BaseModel):
    """A member who chose to show their membership to outsiders (Gitea's ``is_public``)."""

    org = peewee.ForeignKeyField(Account, backref="public_members", on_delete="CASCADE")
    user = peewee.ForeignKeyField(Account, backref="public_memberships", on_delete="CASCADE")

    class Meta:
        table_name = "org_public_member"
        indexes = ((("org", "user"), True),)


class Follow(BaseModel):
    """Gitea's ``follow``: ``user`` follows ``followed`` (a user or an organization), counted
    in their ``num_following`` and ``num_followers`` (follows.py)."""

    user = peewee.ForeignKeyField(Account, backref="+", on_delete="CASCADE")
    followed = peewee.ForeignKeyField(Account, backref="+", on_delete="CASCADE")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "follow"
        # (user, followed): "is following" and whom a user follows; (followed, id): an
        # account's followers in the order they came.
        indexes = ((("user", "followed"), True),
                   (("followed", "id"), False))


class EmailAddress(BaseModel):
    """A user's further e-mail address (Gitea's ``email_address``, ``POST /user/emails``); the
    primary one is ``Account.email``. No address is two accounts', primary or not (emails.py)."""

    account = peewee.ForeignKeyField(Account, backref="+", on_delete="CASCADE")
    email = peewee.CharField(max_length=255)
    lower_email = peewee.CharField(max_length=255, unique=True)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "email_address"


class AccessToken(BaseModel):
    user = peewee.ForeignKeyField(Account, backref="tokens", on_delete="CASCADE")
    name = peewee.CharField(max_length=255)
    token_hash = peewee.CharField(max_length=64, unique=True)
    token_last_eight = peewee.CharField(max_length=8)
    scopes = peewee.TextField(default="")  # comma-separated
    created_at = peewee.DateTimeField(default=utcnow)
    last_used_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "access_token"
        indexes = ((("user", "name"), True),)


class PublicKey(BaseModel):
    user = peewee.ForeignKeyField(Account, backref="keys", on_delete="CASCADE")
    title = peewee.CharField(max_length=255)
    content = peewee.TextField()
    key_type = peewee.CharField(max_length=32)
    fingerprint = peewee.CharField(max_length=100, unique=True)
    read_only = peewee.BooleanField(default=False)
    created_at = peewee.DateTimeField(default=utcnow)
    last_used_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "public_key"


class LoginThrottle(BaseModel):
    """Failed password logins counted under one key: a client address ("address:192.0.2.7"),
    an account ("account:alice") or the pair ("pair:alice|192.0.2.7"); see login_throttle.py."""

    key = peewee.CharField(max_length=255, primary_key=True)
    scope = peewee.CharField(max_length=16)  # address | account | pair
    account = peewee.CharField(max_length=255, null=True, index=True)
    address = peewee.CharField(max_length=64, null=True, index=True)
    failures = peewee.IntegerField(default=0)
    last_failure = peewee.DateTimeField(null=True)
    locked_until = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "login_throttle"


MODELS = [Account, Team, TeamMember, OrgPublicMember, Follow, EmailAddress, AccessToken, PublicKey, LoginThrottle]
