"""The SSH listener (asyncssh): public-key authentication only, no shells, forwarding or
subsystems; each session goes to :class:`~plue_ssh.sessions.Sessions`. Run as the ``ssh``
daemon in the one ``plue daemons`` process, so there is one listener per deployment."""

from __future__ import annotations

import asyncio
import logging
import threading

from plue_ssh.library import asyncssh

from plue_core.db import connection
from plue_core.errors import StartupError

from plue_ssh.host_keys import ensure_host_keys, host_keys_directory
from plue_ssh.key_holders import find_key_holder
from plue_ssh.prompt_acks import acknowledge_promptly
from plue_ssh.sessions import Sessions
from plue_ssh.settings import split_bind

log = logging.getLogger("plue.ssh")

# The ciphers offered, AES only. The client picks the first of its own list that the server
# offers, and OpenSSH lists chacha20-poly1305 first: asyncssh runs it as three OpenSSL cipher
# contexts and a separate Poly1305 per packet, about seven times the CPU of AES-GCM and four
# times that of AES-CTR with umac-64-etm (what OpenSSH then picks) on a 21 MB clone. AES-CTR
# stays for clients without GCM (libssh2 before 1.11, so libgit2, PuTTY before 0.76).
ENCRYPTION_ALGS = ("aes128-gcm@openssh.com", "aes256-gcm@openssh.com",
                   "aes128-ctr", "aes192-ctr", "aes256-ctr")


class _Connection(asyncssh.SSHServer):
    """One client connection: which key holder it authenticated as."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.holder = None

    def connection_made(self, conn) -> None:
        acknowledge_promptly(conn)

    def begin_auth(self, username: str) -> bool:
        return True  # authentication is required; the user name is ignored: the key decides

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False

    def public_key_auth_supported(self) -> bool:
        return True

    async def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        fingerprint = key.get_fingerprint("sha256")

        def look_up():
            with connection(self.ctx.db):
                return find_key_holder(self.ctx.services["accounts"], fingerprint)

        holder = await asyncio.to_thread(look_up)
        if holder is None:
            return False
        self.holder = holder
        return True


async def start_server(ctx, bind: str | None = None) -> asyncssh.SSHAcceptor:
    """Listen on ``bind`` (default the ``ssh.bind`` setting) and return the acceptor."""
    settings = ctx.section("ssh")
    host, port = split_bind(bind or settings["bind"])
    keys = await asyncio.to_thread(ensure_host_keys, host_keys_directory(ctx))
    sessions = Sessions(ctx)
    return await asyncssh.create_server(
        lambda: _Connection(ctx), host, port, server_host_keys=keys,
        process_factory=sessions.handle, encoding=None, encryption_algs=ENCRYPTION_ALGS, allow_scp=False,
        agent_forwarding=False, x11_forwarding=False, allow_pty=True, line_editor=False,
        login_timeout=settings["login_timeout"], reuse_address=True)


def run(ctx, stopping: threading.Event) -> None:
    """The ``ssh`` daemon: serve until ``stopping`` is set."""
    transport = ctx.services["git_hosting"].transport.name
    if transport != "git":
        raise StartupError(f"git over SSH needs the git binary, but git_hosting serves git with "
                           f"{transport!r}: install git, or disable the ssh plugin")

    async def serve():
        acceptor = await start_server(ctx)
        sockets = acceptor.sockets
        log.info("SSH server listening on %s", ", ".join(str(s.getsockname()[:2]) for s in sockets))
        # Waiting for the stop in a thread of its own: one of the loop's pool threads would be
        # taken for the daemon's whole life, and sessions need them all.
        stopped, loop = asyncio.Event(), asyncio.get_running_loop()
        threading.Thread(target=lambda: (stopping.wait(), loop.call_soon_threadsafe(stopped.set)),
                         name="plue-ssh-stop", daemon=True).start()
        await stopped.wait()
        acceptor.close()
        await acceptor.wait_closed()

    asyncio.run(serve())
