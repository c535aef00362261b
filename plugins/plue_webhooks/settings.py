"""The ``[webhooks]`` config section (documented in docs/webhooks.md)."""

from marshmallow import Schema, fields, validate


class WebhooksSettings(Schema):
    # Gitea's webhook.ALLOWED_HOST_LIST: comma-separated "external", "private", "loopback",
    # "*", CIDR ranges and host-name globs; checked when connecting, after DNS resolution.
    allowed_host_list = fields.String(load_default="external")
    # Seconds to connect and get an answer (Gitea's webhook.DELIVER_TIMEOUT).
    deliver_timeout = fields.Float(load_default=5.0, validate=validate.Range(min=0.1, max=300))
    # Attempts before a delivery is marked failed (the first included).
    max_attempts = fields.Integer(load_default=5, validate=validate.Range(min=1, max=50))
    # The wait before retry n is retry_backoff * 2**(n-1) seconds, at most retry_backoff_max.
    retry_backoff = fields.Float(load_default=10.0, validate=validate.Range(min=0, max=3600))
    retry_backoff_max = fields.Float(load_default=3600.0, validate=validate.Range(min=0))
    # Pending deliveries a hook may hold; further events for it are recorded as dropped.
    queue_limit = fields.Integer(load_default=1000, validate=validate.Range(min=1))
    # Events one sender pass fans out, and deliveries it sends (the scheduled job runs every
    # sender_interval seconds).
    batch_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=1000))
    sender_interval = fields.Float(load_default=1.0, validate=validate.Range(min=0.1, max=3600))
    # A thread in each serving process that sends right after the change commits (the
    # scheduled job still catches anything it missed, and other hosts' work).
    send_in_process = fields.Boolean(load_default=True)
    # Delivery records older than this are pruned (daily job).
    retention_days = fields.Integer(load_default=7, validate=validate.Range(min=1))
    # Bytes of the receiver's answer kept in the record.
    response_body_limit = fields.Integer(load_default=4096, validate=validate.Range(min=0))
