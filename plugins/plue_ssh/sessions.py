"""One SSH session: the greeting when no command is given, a refusal in plain words, or the
git process of an authorized request joined to the channel. Pushes go through git_hosting's
``receiving_push`` (the same write lock, journal, protected-branch rules and push events as
smart HTTP) and are recorded before the channel closes, so when ``git push`` returns the API
already shows the push."""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import threading

from plue_core.db import connection

from plue_ssh import git_access
from plue_ssh.commands import RefusedCommand, parse_command
from plue_ssh.send_window import limit_send_window

log = logging.getLogger("plue.ssh")

CHUNK = 64 * 1024
_SAFE_PROTOCOL = re.compile(r"^[A-Za-z0-9=:._-]{0,200}$")


class Sessions:
    def __init__(self, ctx):
        self.ctx = ctx
        self.hosting = ctx.services["git_hosting"]
        self.send_window = ctx.section("ssh")["send_window"]

    async def _in_thread(self, function, *args):
        """Database work off the event loop, with its own connection."""
        def run():
            with connection(self.ctx.db):
                return function(*args)
        return await asyncio.to_thread(run)

    async def handle(self, process) -> None:
        holder = process.get_extra_info("connection").get_owner().holder
        try:
            if process.subsystem:
                process.stderr.write(f"plue: the {process.subsystem} subsystem is not served\n".encode())
                return process.exit(1)
            if not process.command:
                end = "\r\n" if process.get_terminal_type() else "\n"
                process.stdout.write((holder.greeting() + end).encode())
                return process.exit(0)
            try:
                request = parse_command(process.command)
                access = await self._in_thread(git_access.authorize, self.hosting, holder, request)
            except (RefusedCommand, git_access.AccessRefused) as refused:
                process.stderr.write(f"plue: {refused}\n".encode())
                return process.exit(1)
            limit_send_window(process, self.send_window)
            git_protocol = (process.env or {}).get("GIT_PROTOCOL", "")
            if not isinstance(git_protocol, str) or not _SAFE_PROTOCOL.match(git_protocol):
                git_protocol = ""
            status = await (self._push(process, access, git_protocol) if request.pushes
                            else self._run(process, access, git_protocol))
            process.exit(status)
        except Exception:
            log.exception("SSH session of %s failed", holder.fingerprint)
            process.stderr.write(b"plue: internal error\n")
            process.exit(1)

    async def _push(self, process, access, git_protocol: str) -> int:
        pusher = await self._in_thread(access.holder.pusher)
        # A deploy key is nobody on the protected branches' allow lists.
        rules_pusher = None if access.holder.is_deploy_key else pusher
        push = self.hosting.receiving_push(access.repository, pusher, via="ssh")
        await _in_a_thread_of_its_own(push.open, undo=lambda opened: opened.close())
        try:
            command = await self._in_thread(functools.partial(
                self.hosting.duplex_command, access.repository, "git-receive-pack", git_protocol,
                pusher=rules_pusher, lock_fd=push.lock_fd))
            status = await _join(process, command)
            await asyncio.to_thread(push.record)
        finally:
            await asyncio.to_thread(push.close)
        return status

    async def _run(self, process, access, git_protocol: str) -> int:
        command = await self._in_thread(self.hosting.duplex_command, access.repository,
                                        access.request.service, git_protocol)
        return await _join(process, command)


async def _in_a_thread_of_its_own(function, undo):
    """``function()`` in a thread of its own, not the loop's pool: a push waits there for the
    repository's write lock as long as the pushes before it take, and pool threads blocked on
    the lock left the push holding it no thread to finish with (six concurrent pushes to one
    repository hung on a two-core machine, whose pool has six threads). Should the session
    end while it waits, ``undo`` runs on the result (the lock is released)."""
    loop = asyncio.get_running_loop()
    future = loop.create_future()

    def deliver(result, error):
        if future.cancelled():
            if error is None:
                undo(result)
        elif error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    def run():
        try:
            result, error = function(), None
        except BaseException as raised:  # noqa: BLE001 — handed to the awaiting session
            result, error = None, raised
        try:
            loop.call_soon_threadsafe(deliver, result, error)
        except RuntimeError:  # the loop is gone (the server stopped)
            if error is None:
                undo(result)

    threading.Thread(target=run, name="plue-ssh-push-lock", daemon=True).start()
    return await future


async def _join(process, command) -> int:
    """Run ``command`` with the channel as its stdin, stdout and stderr; its exit status."""
    child = await asyncio.create_subprocess_exec(
        *command.argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, env=command.env, pass_fds=command.pass_fds)

    async def feed():
        try:
            while data := await process.stdin.read(CHUNK):
                child.stdin.write(data)
                await child.stdin.drain()
        except (BrokenPipeError, ConnectionResetError):
            pass  # git stopped reading: it has answered or failed, and says so on its own
        finally:
            if not child.stdin.is_closing():
                child.stdin.close()

    async def copy(source, target):
        while data := await source.read(CHUNK):
            target.write(data)
            await target.drain()

    feeding = asyncio.create_task(feed())
    try:
        await asyncio.gather(copy(child.stdout, process.stdout), copy(child.stderr, process.stderr))
        return await child.wait()
    finally:
        feeding.cancel()
        if child.returncode is None:  # the client went away: do not leave git behind
            child.kill()
            await child.wait()
