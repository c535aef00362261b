"""The git wire protocol behind one small interface, two implementations.

* :class:`GitBinaryTransport` runs ``git upload-pack|receive-pack --stateless-rpc`` (what Gitea
  and ``git http-backend`` do) and streams its stdin and stdout: pack generation stays in C,
  memory stays flat whatever the repository size.
* :class:`DulwichTransport` runs dulwich's pure-Python handlers, for hosts without git. It is
  correct but ~9x slower on big clones (measured in bench/git_transport.py). It serves smart
  HTTP only: git over SSH (``duplex_command``) needs the git binary.

Both take the request body as a ``read(n)`` callable and return an iterator of response chunks.

Every git process run for a client (clone, fetch, push, archive, over HTTP or SSH, and a push's
maintenance) starts under ``nice -n <git_niceness>``: on a small machine git's pack work then
yields the CPU to the API's requests, and takes what they leave. ``nice`` is exec'd by the child
itself, so the worker still spawns with vfork: a ``preexec_fn`` calling ``os.nice`` would make
Python fork the whole worker with its GIL held (5 ms of the worker's CPU per git process in a
250 MB process, against 0.15 ms; docs/serving.md, round nine).
"""

from __future__ import annotations

import collections
import dataclasses
import json
import logging
import os
import pathlib
import queue
import select
import shutil
import subprocess
import threading
import time
from typing import Callable, Iterator, Protocol

from plue_git_hosting import ref_rules

log = logging.getLogger("plue.git_hosting.transport")

CHUNK = 64 * 1024
SERVICES = ("git-upload-pack", "git-receive-pack")
# What a full-duplex transport (SSH) may run: the smart services and ``git archive --remote``.
DUPLEX_SERVICES = (*SERVICES, "git-upload-archive")


@dataclasses.dataclass(frozen=True)
class PushPolicy:
    allow_force_push: bool = True
    max_input_size: int = 0  # bytes; 0 = unlimited
    # Per-ref rules (branch protection, see ref_rules.py) and the hooks directory whose
    # pre-receive hook enforces them for the git binary.
    ref_rules: tuple = ()
    hooks_path: str = ""
    # The repository's write lock (a file descriptor), inherited by git: if the worker dies
    # mid-push, the repository stays locked until git exits, so the journal replay
    # (ref_journal) never runs while git may still move a ref.
    lock_fd: int | None = None

    def hook_environment(self) -> dict[str, str]:
        return {ref_rules.ENV: json.dumps(list(self.ref_rules))} if self.ref_rules else {}


@dataclasses.dataclass(frozen=True)
class DuplexCommand:
    """A git process to run with its stdin and stdout joined to a client's stream."""

    argv: list[str]
    env: dict[str, str]
    pass_fds: tuple[int, ...] = ()


class GitTransport(Protocol):
    name: str

    def advertise(self, path: pathlib.Path, service: str, git_protocol: str,
                  policy: PushPolicy) -> Iterator[bytes]:
        """The body of ``GET info/refs?service=...`` (service header included for v0/v1)."""

    def rpc(self, path: pathlib.Path, service: str, read: Callable[[int], bytes],
            git_protocol: str, policy: PushPolicy) -> Iterator[bytes]:
        """The body of ``POST /git-upload-pack`` or ``/git-receive-pack``."""


def pkt_line(text: bytes) -> bytes:
    return b"%04x%s" % (len(text) + 4, text)


def service_header(service: str) -> bytes:
    return pkt_line(f"# service={service}\n".encode()) + b"0000"


def wants_v2(git_protocol: str) -> bool:
    return "version=2" in (git_protocol or "").split(":")


class GitBinaryTransport:
    name = "git"

    def __init__(self, executable: str, priority: tuple[str, ...] = ()):
        self.executable = executable
        self._priority = priority  # lowered_priority(git_niceness)

    def command(self, *arguments: str) -> list[str]:
        """The argv of git with ``arguments``, run at the clients' git priority."""
        return [*self._priority, self.executable, *arguments]

    def _command(self, service: str, policy: PushPolicy, *extra: str,
                 stateless: bool = True) -> list[str]:
        command = self.command()
        if service == "git-receive-pack":
            command += ["-c", f"receive.denyNonFastForwards={'false' if policy.allow_force_push else 'true'}",
                        "-c", f"receive.maxInputSize={policy.max_input_size}",
                        # Its maintenance runs after the push is answered (push_maintenance).
                        "-c", "receive.autogc=false"]
            if policy.ref_rules and policy.hooks_path:
                command += ["-c", f"core.hooksPath={policy.hooks_path}"]
        return command + [service.removeprefix("git-"), *(["--stateless-rpc"] if stateless else []),
                          *extra]

    def duplex_command(self, path: pathlib.Path, service: str, git_protocol: str,
                       policy: PushPolicy) -> DuplexCommand:
        """The process that speaks ``service`` (upload-pack, receive-pack, upload-archive)
        over one full-duplex stream, as git does over SSH: the caller runs it and connects
        its stdin and stdout to the client."""
        return DuplexCommand(
            argv=self._command(service, policy, str(path), stateless=False),
            env=self._environment(git_protocol, policy.hook_environment()),
            pass_fds=(policy.lock_fd,) if policy.lock_fd is not None else ())

    def _environment(self, git_protocol: str, extra: dict[str, str] | None = None) -> dict[str, str]:
        # The child gets its context in its own environment, never through os.environ.
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        if git_protocol:
            env["GIT_PROTOCOL"] = git_protocol
        env.update(extra or {})
        return env

    def advertise(self, path, service, git_protocol, policy):
        if not (service == "git-upload-pack" and wants_v2(git_protocol)):
            yield service_header(service)
        yield from self._run(self._command(service, policy, "--advertise-refs", str(path)),
                             None, git_protocol)

    def rpc(self, path, service, read, git_protocol, policy):
        yield from self._run(self._command(service, policy, str(path)), read, git_protocol,
                             policy.hook_environment(),
                             (policy.lock_fd,) if policy.lock_fd is not None else ())

    def stream(self, arguments: list[str]) -> Iterator[bytes]:
        """git run with ``arguments`` (e.g. ``git archive``), its stdout in pieces as the
        reader takes them; closing the iterator early kills git. git starts at the first
        piece asked for."""
        yield from self._run(self.command(*arguments), None, "")

    def _run(self, command: list[str], read: Callable[[int], bytes] | None,
             git_protocol: str, extra_env: dict[str, str] | None = None,
             inherited_fds: tuple[int, ...] = ()) -> Iterator[bytes]:
        # The timeline of one push (bench/push_to_pickup.py --timeline) reads these.
        what = " ".join(part for part in command[1:-1] if part.startswith("--")
                        or f"git-{part}" in DUPLEX_SERVICES)
        log.debug("git %s: spawning", what)
        process = subprocess.Popen(command, stdin=subprocess.PIPE if read else subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0,
                                   env=self._environment(git_protocol, extra_env),
                                   pass_fds=inherited_fds)
        log.debug("git %s: spawned", what)
        errors: collections.deque[bytes] = collections.deque(maxlen=16)
        threads = [threading.Thread(target=_drain, args=(process.stderr, errors), daemon=True)]
        if read is not None:
            threads.append(threading.Thread(target=_feed, args=(read, process.stdin), daemon=True))
        for thread in threads:
            thread.start()
        finished = False
        try:
            yield from _coalesced(process.stdout.fileno())
            finished = True
        finally:
            if not finished and process.poll() is None:
                process.kill()  # the client went away mid-stream: do not leave git behind
            process.wait()
            log.debug("git %s: exited", what)
            for thread in threads:
                thread.join(timeout=5)
            process.stdout.close()
            if process.returncode and finished:
                log.warning("%s exited with %s: %s", " ".join(command[-3:]), process.returncode,
                            b"".join(errors).decode("utf-8", "replace").strip()[-2000:])


def _coalesced(fd: int, flush_after: float = 0.05) -> Iterator[bytes]:
    """git's output in pieces of about ``CHUNK``: a pipe read returns ~8 KiB of a pack, and
    each piece costs a trip through the server's response writer. A piece is never held longer
    than ``flush_after`` seconds, so negotiation, progress and keepalives still flow."""
    buffer = bytearray()
    deadline = 0.0
    while True:
        if buffer:
            wait = deadline - time.monotonic()
            if len(buffer) >= CHUNK or wait <= 0:
                yield bytes(buffer)
                buffer.clear()
                continue
            ready, _, _ = select.select([fd], [], [], wait)
            if not ready:
                continue
        data = os.read(fd, CHUNK)
        if not data:
            break
        if not buffer:
            deadline = time.monotonic() + flush_after
        buffer += data
    if buffer:
        yield bytes(buffer)


def _feed(read: Callable[[int], bytes], stdin) -> None:
    """Copy the request body into git's stdin, chunk by chunk (never the whole pack at once)."""
    try:
        while True:
            data = read(CHUNK)
            if not data:
                break
            stdin.write(data)
    except (BrokenPipeError, ValueError, OSError) as exc:
        # git stopped reading (it rejected the request, or was killed): nothing left to do.
        log.debug("stopped feeding git: %s", exc)
    except Exception:  # a broken request body must not kill the worker thread silently
        log.exception("reading the request body for git failed")
    finally:
        try:
            stdin.close()
        except OSError:
            pass


def _drain(stream, keep: collections.deque) -> None:
    for line in iter(lambda: stream.read(4096), b""):
        keep.append(line)
    stream.close()


class DulwichTransport:
    """dulwich's upload-pack / receive-pack handlers, run in a thread that writes into a
    bounded queue so the response still streams (and backpressure holds memory flat-ish)."""

    name = "dulwich"

    def advertise(self, path, service, git_protocol, policy):
        yield service_header(service)
        yield from self._run(path, service, lambda n: b"", policy, advertise=True)

    def rpc(self, path, service, read, git_protocol, policy):
        yield from self._run(path, service, read, policy, advertise=False)

    def _run(self, path, service, read, policy, *, advertise: bool) -> Iterator[bytes]:
        from plue_git_hosting.dulwich_server import run_handler

        chunks: queue.Queue = queue.Queue(maxsize=64)
        done = object()

        def produce():
            try:
                run_handler(path, service, read, chunks.put, policy, advertise=advertise)
            except Exception:
                log.exception("dulwich %s failed for %s", service, path)
            finally:
                chunks.put(done)

        thread = threading.Thread(target=produce, daemon=True)
        thread.start()
        while True:
            item = chunks.get()
            if item is done:
                break
            yield item
        thread.join()


def lowered_priority(niceness: int) -> tuple[str, ...]:
    """The argv prefix that runs a command ``niceness`` steps below this process's priority
    (nothing for 0)."""
    if not niceness:
        return ()
    program = shutil.which("nice")
    if program is None:
        from plue_core.errors import StartupError
        raise StartupError(f"git_hosting.git_niceness is {niceness} but 'nice' is not on PATH; "
                           "install coreutils or set it to 0")
    return (program, "-n", str(niceness))


def choose_transport(settings: dict) -> GitTransport:
    """The git binary when wanted and installed; dulwich otherwise (logged, so an operator
    sees why clones are slow)."""
    preference = settings["transport"]
    priority = lowered_priority(settings["git_niceness"])  # checked even for dulwich: archives
    executable = shutil.which(settings["git_binary"]) if settings["git_binary"] else None
    if preference == "git" and executable is None:
        from plue_core.errors import StartupError
        raise StartupError(f"git_hosting.transport is 'git' but {settings['git_binary']!r} "
                           "is not an executable on PATH; install git or use 'auto'")
    if preference != "dulwich" and executable is not None:
        return GitBinaryTransport(executable, priority)
    if preference == "auto":
        log.warning("git executable %r not found: serving clone and push with dulwich "
                    "(pure Python, much slower on large repositories)", settings["git_binary"])
    return DulwichTransport()
