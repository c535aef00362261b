"""The ``[ssh]`` config section."""

from marshmallow import Schema, ValidationError, fields, validate

# Four packets of OpenSSH's 32 KiB: it acknowledges once three are outstanding (send_window.py).
_SMALLEST_SEND_WINDOW = 4 * 32 * 1024


def _send_window(value: int) -> None:
    if value != 0 and not _SMALLEST_SEND_WINDOW <= value <= 2**32 - 1:
        raise ValidationError(f"ssh.send_window must be 0 (the client's whole window) or "
                              f"from {_SMALLEST_SEND_WINDOW} to {2**32 - 1} bytes, not {value}")


class SshSettings(Schema):
    # Where the SSH server listens ("host:port"), in the one `plue daemons` process.
    bind = fields.String(load_default="127.0.0.1:2222", validate=validate.Length(min=1))
    # What clients are told (ssh_url): the public host name, default the base URL's host, and
    # the public port, default the bind's port (differs behind a load balancer or a NAT).
    domain = fields.String(load_default="")
    port = fields.Integer(load_default=0, validate=validate.Range(min=0, max=65535))
    # The user name in ssh_url (git@host); the server accepts any name: the key decides.
    user = fields.String(load_default="git", validate=validate.Regexp(r"^[A-Za-z0-9._-]{1,64}$"))
    # Where the host keys live; empty means <data_dir>/ssh.
    host_keys_dir = fields.String(load_default="")
    # Seconds an unauthenticated connection may take to log in.
    login_timeout = fields.Integer(load_default=30, validate=validate.Range(min=1))
    # Bytes sent ahead of what an OpenSSH client has acknowledged (send_window.py); 0: all its
    # window allows.
    send_window = fields.Integer(load_default=512 * 1024, validate=_send_window)


def split_bind(bind: str) -> tuple[str, int]:
    """``("127.0.0.1", 2222)`` of ``"127.0.0.1:2222"`` (``"[::1]:2222"`` for IPv6)."""
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"ssh.bind must be 'host:port', not {bind!r}")
    return host.strip("[]"), int(port)
