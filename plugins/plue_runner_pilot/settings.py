"""The ``[runner_pilot]`` config section (documented in docs/fleet.md)."""

from marshmallow import Schema, fields, validate


class RunnersSettings(Schema):
    # The command of instance containers; empty runs the image's own CMD/ENTRYPOINT (a GitHub
    # runner image registers itself from the environment Plue passes).
    container_command = fields.List(fields.String(), load_default=list)
    # Where github_repo lives: instances get REPO_URL=<github_url>/<owner>/<name>.
    github_url = fields.String(load_default="https://github.com")
    # Pull docker_image on the node when it is missing there (needs a reachable registry).
    pull_images = fields.Boolean(load_default=True)
    # Seconds a container gets to stop (SIGTERM, then SIGKILL) when its instance is deleted.
    stop_timeout = fields.Integer(load_default=10, validate=validate.Range(min=0, max=600))
    # disk_usage in metrics is the container's writable layer as a percent of this quota (MiB).
    disk_quota_mb = fields.Integer(load_default=10240, validate=validate.Range(min=1))
    # Log lines returned when ?lines= is not given.
    default_log_lines = fields.Integer(load_default=100, validate=validate.Range(min=1, max=10000))
