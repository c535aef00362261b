"""The ``[security]`` config section (environment: ``PLUE_SECURITY__<KEY>``)."""

from marshmallow import Schema, fields, validate


def _doc(text: str) -> dict:
    return {"description": text}


class SecuritySettings(Schema):
    """Where advisories come from and how the Docker engine is reached."""

    advisories_path = fields.String(
        load_default=None, allow_none=True,
        metadata=_doc("Directory of OSV JSON advisories (*.json, searched recursively) that "
                      "image scans match against; default <data_dir>/advisories."))
    docker_url = fields.String(
        load_default=None, allow_none=True,
        metadata=_doc("Docker engine URL (e.g. unix:///var/run/docker.sock); default: the "
                      "DOCKER_HOST environment, as docker.from_env() reads it."))
    docker_timeout = fields.Integer(
        load_default=60, validate=validate.Range(min=1),
        metadata=_doc("Seconds to wait for the Docker engine on each call of a scan."))
    max_secret_scan_bytes = fields.Integer(
        load_default=10 * 1024 * 1024, validate=validate.Range(min=1024),
        metadata=_doc("Largest content (or job log) a secret scan reads; bigger is a 400."))
