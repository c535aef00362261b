"""The honest baseline: the least a Falcon + peewee app must do for an authenticated
``GET /api/v1/repos/{owner}/{repo}``, reading Plue's own database (``LEAN_DATABASE_URL``):

* the access token found by its SHA-256 hash, joined with its account (one query), or Basic
  credentials: the account by name and a bcrypt check remembered by a hash of (stored hash,
  password), as Plue does;
* the repository joined with its owner (one query), 404 when private and not the caller's;
* a Gitea-sized ``Repository`` body (every field Gitea sends, the owner as a ``User``).

One connection per thread, opened once, PRAGMAs set once. No plugins, no hooks, no schemas.
``bench/api_hot_path.py`` serves it with the same gunicorn settings as Plue.
"""

import base64
import datetime
import hashlib
import json
import os
import threading
import urllib.parse

import bcrypt
import falcon
import peewee
from playhouse.pool import PooledPostgresqlDatabase

URL = os.environ.get("LEAN_DATABASE_URL", "sqlite:///plue.db")
BASE = os.environ.get("LEAN_BASE_URL", "http://127.0.0.1:8000")


def _open(url):
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme == "sqlite":
        return peewee.SqliteDatabase(url[len("sqlite:///"):], check_same_thread=False, pragmas={
            "journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 10000})
    given = dict(urllib.parse.parse_qsl(parsed.query))  # ?host=/socket/dir, as Plue reads it
    return PooledPostgresqlDatabase(parsed.path.lstrip("/"), user=parsed.username,
                                    password=parsed.password,
                                    host=given.get("host") or parsed.hostname,
                                    port=int(given.get("port") or parsed.port or 5432),
                                    max_connections=20)


db = _open(URL)


class Model(peewee.Model):
    class Meta:
        database = db


class Account(Model):
    name = peewee.CharField()
    lower_name = peewee.CharField()
    full_name = peewee.CharField()
    email = peewee.CharField()
    password_hash = peewee.CharField(null=True)
    is_admin = peewee.BooleanField()
    active = peewee.BooleanField()
    prohibit_login = peewee.BooleanField()
    visibility = peewee.CharField()
    description = peewee.TextField()
    website = peewee.CharField()
    location = peewee.CharField()
    created_at = peewee.DateTimeField()
    last_login = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "account"


class AccessToken(Model):
    user = peewee.ForeignKeyField(Account)
    token_hash = peewee.CharField()
    scopes = peewee.TextField()

    class Meta:
        table_name = "access_token"


class Repository(Model):
    owner = peewee.ForeignKeyField(Account)
    name = peewee.CharField()
    lower_name = peewee.CharField()
    description = peewee.TextField()
    website = peewee.CharField()
    default_branch = peewee.CharField()
    is_private = peewee.BooleanField()
    is_empty = peewee.BooleanField()
    is_archived = peewee.BooleanField()
    is_template = peewee.BooleanField()
    is_fork = peewee.BooleanField()
    size = peewee.BigIntegerField()
    num_forks = peewee.IntegerField()
    num_stars = peewee.IntegerField()
    num_watches = peewee.IntegerField()
    num_open_issues = peewee.IntegerField()
    num_open_pulls = peewee.IntegerField()
    num_releases = peewee.IntegerField()
    created_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField()

    class Meta:
        table_name = "repository"


_verified: dict[bytes, bool] = {}
_lock = threading.Lock()


def _caller(req):
    scheme, _, value = (req.get_header("Authorization") or "").partition(" ")
    if scheme.lower() == "token":
        digest = hashlib.sha256(value.strip().encode()).hexdigest()
        row = (AccessToken.select(AccessToken.id, Account.id, Account.name, Account.is_admin,
                                  Account.active, Account.prohibit_login)
               .join(Account).where(AccessToken.token_hash == digest).first())
        user = row.user if row else None
    elif scheme.lower() == "basic":
        login, _, password = base64.b64decode(value).decode().partition(":")
        user = Account.get_or_none(Account.lower_name == login.lower())
        if user is not None:
            key = hashlib.sha256(f"{user.password_hash}\0{password}".encode()).digest()
            if key not in _verified:
                if not bcrypt.checkpw(password.encode(), user.password_hash.encode()):
                    user = None
                else:
                    with _lock:
                        _verified[key] = True
    else:
        user = None
    if user is None or not user.active or user.prohibit_login:
        raise falcon.HTTPUnauthorized(title="invalid credentials")
    return user


def _time(value):
    return value.replace(tzinfo=datetime.timezone.utc).isoformat().replace("+00:00", "Z") \
        if value else None


def _user(account):
    return {"id": account.id, "login": account.name, "login_name": "", "source_id": 0,
            "full_name": account.full_name, "email": account.email,
            "avatar_url": f"{BASE}/avatars/{account.id}", "html_url": f"{BASE}/{account.name}",
            "language": "", "is_admin": account.is_admin, "last_login": _time(account.last_login),
            "created": _time(account.created_at), "restricted": False, "active": account.active,
            "prohibit_login": account.prohibit_login, "location": account.location,
            "website": account.website, "description": account.description,
            "visibility": account.visibility, "followers_count": 0, "following_count": 0,
            "starred_repos_count": 0, "username": account.name}


def _repository(repo, user):
    owner = repo.owner
    full = f"{owner.name}/{repo.name}"
    mine = user.is_admin or owner.id == user.id
    return {
        "id": repo.id, "owner": _user(owner), "name": repo.name, "full_name": full,
        "description": repo.description, "empty": repo.is_empty, "private": repo.is_private,
        "fork": repo.is_fork, "template": repo.is_template, "parent": None, "mirror": False,
        "size": repo.size // 1024, "language": "", "languages_url": f"{BASE}/api/v1/repos/{full}/languages",
        "html_url": f"{BASE}/{full}", "url": f"{BASE}/api/v1/repos/{full}", "link": "",
        "ssh_url": "", "clone_url": f"{BASE}/{full}.git", "original_url": "",
        "website": repo.website, "stars_count": repo.num_stars, "forks_count": repo.num_forks,
        "watchers_count": repo.num_watches, "open_issues_count": repo.num_open_issues,
        "open_pr_counter": repo.num_open_pulls, "release_counter": repo.num_releases,
        "default_branch": repo.default_branch, "archived": repo.is_archived,
        "created_at": _time(repo.created_at), "updated_at": _time(repo.updated_at),
        "archived_at": None,
        "permissions": {"admin": mine, "push": mine, "pull": True},
        "has_issues": True, "internal_tracker": {"enable_time_tracker": False,
                                                 "allow_only_contributors_to_track_time": True,
                                                 "enable_issue_dependencies": True},
        "has_wiki": True, "has_pull_requests": True, "has_projects": True, "has_releases": True,
        "has_packages": True, "has_actions": True, "ignore_whitespace_conflicts": False,
        "allow_merge_commits": True, "allow_rebase": True, "allow_rebase_explicit": True,
        "allow_squash_merge": True, "allow_fast_forward_only_merge": True,
        "allow_rebase_update": True, "default_delete_branch_after_merge": False,
        "default_merge_style": "merge", "default_allow_maintainer_edit": False,
        "avatar_url": "", "internal": False, "mirror_interval": "", "mirror_updated": None,
        "repo_transfer": None, "topics": [], "object_format_name": "sha1", "projects_mode": "all",
    }


class RepositoryResource:
    def on_get(self, req, resp, owner, repo):
        user = _caller(req)
        Owner = Account.alias()
        row = (Repository.select(Repository, Owner).join(Owner, on=(Repository.owner == Owner.id))
               .where(Owner.lower_name == owner.lower(), Repository.lower_name == repo.lower())
               .first())
        if row is None or (row.is_private and not user.is_admin and row.owner.id != user.id):
            raise falcon.HTTPNotFound()
        resp.text = json.dumps(_repository(row, user))
        resp.content_type = falcon.MEDIA_JSON


class Connection:
    """One connection per thread, kept open: peewee's connection state is thread-local."""

    def process_request(self, req, resp):
        db.connect(reuse_if_open=True)


app = falcon.App(middleware=[Connection()])
app.add_route("/api/v1/repos/{owner}/{repo}", RepositoryResource())
