"""The ``[git_hosting]`` config section."""

from marshmallow import Schema, fields, validate


class GitHostingSettings(Schema):
    # Where bare repositories live; empty means <data_dir>/repos.
    repos_dir = fields.String(load_default="")
    # The git executable for smart HTTP ("git" is looked up on PATH). When it cannot be found,
    # clone and push fall back to dulwich's pure-Python server (much slower on big repos).
    git_binary = fields.String(load_default="git")
    # How far below the server's CPU priority the git processes it runs for clients (clone,
    # fetch, push, archive; HTTP and SSH) run: `nice -n` this. 0 keeps the server's.
    git_niceness = fields.Integer(load_default=10, validate=validate.Range(min=0, max=19))
    # "auto": the git binary when installed, dulwich otherwise; "git" or "dulwich" to force one.
    transport = fields.String(load_default="auto",
                              validate=validate.OneOf(["auto", "git", "dulwich"]))
    # Gitea accepts force pushes unless a branch is protected; false sets
    # receive.denyNonFastForwards for every push.
    allow_force_push = fields.Boolean(load_default=True)
    # Largest decoded file the contents API accepts (bytes).
    max_file_size = fields.Integer(load_default=10 * 1024 * 1024, validate=validate.Range(min=1))
    # Largest blob whose content the API returns inline (Gitea's DEFAULT_MAX_BLOB_SIZE).
    max_blob_size = fields.Integer(load_default=10 * 1024 * 1024, validate=validate.Range(min=1))
    # Largest pack a push may send (receive.maxInputSize); 0 means no limit.
    max_push_size = fields.Integer(load_default=0, validate=validate.Range(min=0))
    # How many repositories an account may own when its own `max_repo_creation` is -1
    # (Gitea's [repository] MAX_CREATION_LIMIT); -1 means no limit. Site administrators have none.
    max_creation_limit = fields.Integer(load_default=-1, validate=validate.Range(min=-1))
    # Whoever creates a repository (or a fork) watches it (Gitea's [service] AUTO_WATCH_NEW_REPOS).
    auto_watch_new_repos = fields.Boolean(load_default=True)
    # Branch of new repositories when the request names none (Gitea's DEFAULT_BRANCH).
    default_branch = fields.String(load_default="main", validate=validate.Length(min=1, max=255))
    # Items per page of GET git/trees (Gitea's DEFAULT_GIT_TREES_PER_PAGE).
    git_trees_per_page = fields.Integer(load_default=1000, validate=validate.Range(min=1))
