"""The ``[runnerhub]`` config section (documented in docs/runnerhub.md)."""

from marshmallow import Schema, fields


class RunnerHubSettings(Schema):
    # The secret of the GitHub webhooks sent to POST /api/github/webhook: each delivery's
    # X-Hub-Signature-256 must be its HMAC-SHA256. Empty: every delivery is refused (401).
    # A secret: `plue config show` prints *** and it is never logged or answered.
    github_webhook_secret = fields.String(load_default="")
