"""The ``[actions]`` config section (documented in docs/actions.md)."""

from marshmallow import Schema, fields, validate

_positive = validate.Range(min=1)


class ActionsSettings(Schema):
    # Where finished logs and artifacts live; empty means <data_dir>/actions.
    storage_dir = fields.String(load_default="")
    # How long FetchTask holds an idle runner's request waiting for a job (seconds; 0 turns
    # long-polling off). A runner's own Connect-Timeout-Ms shortens it.
    long_poll_timeout = fields.Float(load_default=25.0, validate=validate.Range(min=0, max=300))
    # Held FetchTask requests per server process at most (each holds one gunicorn thread);
    # 0 means "server.threads minus 4".
    max_held_fetches = fields.Integer(load_default=0, validate=validate.Range(min=0))
    # SQLite only: how often one thread per process, while a request is held there, stats
    # the database files for commits (no query unless they changed; PostgreSQL uses
    # LISTEN/NOTIFY). 5 ms: a held runner waits 2.5 ms on average for a job queued by
    # another process, for about 1 % of a core (25 ms: 12.5 ms, 0.4 %; docs/serving.md).
    wake_poll_interval = fields.Float(load_default=0.005,
                                      validate=validate.Range(min=0.001, max=5))
    # A runner with no call for this long is offline.
    runner_offline_after = fields.Integer(load_default=60, validate=_positive)
    # A running task whose runner has not reported for this long fails (heartbeat timeout).
    heartbeat_timeout = fields.Integer(load_default=600, validate=_positive)
    # A task running longer than this is stopped (Gitea's ENDLESS_TASK_TIMEOUT, 3 h).
    endless_task_timeout = fields.Integer(load_default=3 * 3600, validate=_positive)
    # A job waiting or blocked for longer than this is cancelled (ABANDONED_JOB_TIMEOUT).
    abandoned_job_timeout = fields.Integer(load_default=24 * 3600, validate=_positive)
    # Reaper period (seconds) for heartbeat, endless and abandoned work.
    reaper_interval = fields.Integer(load_default=60, validate=_positive)
    # Registration tokens expire after this many seconds (GitHub: one hour).
    registration_token_ttl = fields.Integer(load_default=3600, validate=_positive)
    # Artifacts: the largest upload (bytes) and how long they are kept (days).
    max_artifact_size = fields.Integer(load_default=512 * 1024 * 1024, validate=_positive)
    artifact_retention_days = fields.Integer(load_default=90, validate=_positive)
    # Strings in a head commit message (or pull request title) that skip workflows.
    skip_workflow_strings = fields.List(fields.String(), load_default=lambda: [
        "[skip ci]", "[ci skip]", "[no ci]", "[skip actions]", "[actions skip]"])
    # The URL runners resolve `uses: owner/repo@ref` against (Gitea's DEFAULT_ACTIONS_URL).
    default_actions_url = fields.String(load_default="https://github.com")
