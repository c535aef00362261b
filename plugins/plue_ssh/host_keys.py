"""The server's host keys: ed25519, and RSA for old clients, generated once into the data
dir (0600 files in a 0700 directory) and reused on every start, so clients can pin them."""

from __future__ import annotations

import os
import pathlib

from plue_ssh.library import asyncssh

from plue_core.private_files import private_directory, private_file

# (algorithm, file name, generation options)
HOST_KEYS = (
    ("ssh-ed25519", "ssh_host_ed25519_key", {}),
    ("ssh-rsa", "ssh_host_rsa_key", {"key_size": 3072}),
)


def host_keys_directory(ctx) -> pathlib.Path:
    configured = ctx.section("ssh")["host_keys_dir"]
    return pathlib.Path(configured) if configured else ctx.config.data_path / "ssh"


def ensure_host_keys(directory: pathlib.Path) -> list[asyncssh.SSHKey]:
    """The host keys in ``directory``, each generated the first time it is missing."""
    private_directory(directory)
    keys = []
    for algorithm, file_name, options in HOST_KEYS:
        path = directory / file_name
        if not path.exists():
            _write_new(path, asyncssh.generate_private_key(algorithm, **options))
        private_file(path)
        keys.append(asyncssh.read_private_key(str(path)))
    return keys


def _write_new(path: pathlib.Path, key: asyncssh.SSHKey) -> None:
    """Create the file 0600 from the start (never readable by others, even for a moment);
    a concurrent first start that lost the race keeps the winner's key."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key.export_private_key("openssh"))
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    public = path.with_name(path.name + ".pub")
    if not public.exists():
        public.write_bytes(asyncssh.read_private_key(str(path)).export_public_key("openssh"))


def fingerprints(keys: list[asyncssh.SSHKey]) -> list[tuple[str, str]]:
    """(algorithm, "SHA256:..." as ``ssh-keygen -lf`` and ssh's first-connection prompt say)."""
    return [(key.get_algorithm(), key.get_fingerprint("sha256")) for key in keys]
