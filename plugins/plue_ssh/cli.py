"""``plue ssh fingerprints``: the host keys' fingerprints, for users to pin (generated on the
first call when the server has not started yet)."""

from __future__ import annotations

import click

from plue_core.cli import pass_context


@click.group()
def ssh() -> None:
    """The SSH server: host keys."""


@ssh.command("fingerprints")
@pass_context
def fingerprints(ctx) -> None:
    """Print each host key's algorithm and SHA256 fingerprint (as ssh shows them)."""
    from plue_ssh.host_keys import ensure_host_keys, fingerprints as of, host_keys_directory

    directory = host_keys_directory(ctx)
    for algorithm, fingerprint in of(ensure_host_keys(directory)):
        click.echo(f"{algorithm} {fingerprint}")
