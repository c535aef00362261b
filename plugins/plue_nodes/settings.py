"""The ``[nodes]`` config section (documented in docs/fleet.md)."""

from marshmallow import Schema, fields, validate


class NodesSettings(Schema):
    # The Docker socket a "Socket" node talks to (a node is this server's own engine).
    socket_path = fields.String(load_default="unix:///var/run/docker.sock",
                                validate=validate.Regexp(r"^(unix|npipe)://.+",
                                                         error="must be unix:///path or npipe://path"))
    # Seconds Plue waits for an engine before answering 503 (connect and each API call).
    engine_timeout = fields.Float(load_default=30.0, validate=validate.Range(min=1, max=600))
