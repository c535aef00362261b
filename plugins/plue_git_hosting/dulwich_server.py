"""Running dulwich's server-side handlers on one repository (the transport fallback)."""

from __future__ import annotations

import pathlib
from typing import Callable

from dulwich.errors import HookError
from dulwich.protocol import ReceivableProtocol
from dulwich.repo import Repo
from dulwich.server import Backend, ReceivePackHandler, UploadPackHandler

from plue_git_hosting import ref_rules
from plue_git_hosting.history import is_ancestor

ZERO = b"0" * 40
_HANDLERS: dict[str, type] = {"git-upload-pack": UploadPackHandler,
                              "git-receive-pack": ReceivePackHandler}


class _OneRepository(Backend):
    def __init__(self, repo: Repo):
        self.repo = repo

    def open_repository(self, path):
        return self.repo


class _DenyNonFastForward:
    """An ``update`` hook in Python (dulwich's ``repo.hooks``): what
    ``receive.denyNonFastForwards`` does for git, and the per-ref rules (branch protection)
    git's pre-receive hook enforces for the git binary."""

    def __init__(self, repo: Repo, deny_non_fast_forward: bool = True, rules: tuple = ()):
        self.repo = repo
        self.deny_non_fast_forward = deny_non_fast_forward
        self.rules = list(rules)

    def _fast_forward(self, old: str, new: str) -> bool:
        return is_ancestor(self.repo, old.encode(), new.encode())

    def execute(self, ref: bytes, old: bytes, new: bytes):
        if self.deny_non_fast_forward and old != ZERO and new != ZERO and ref.startswith(b"refs/heads/"):
            if not is_ancestor(self.repo, old, new):
                raise HookError("non-fast-forward updates are not allowed on this server")
        reason = ref_rules.refusal(self.rules, ref.decode("utf-8", "surrogateescape"),
                                   old.decode(), new.decode(), self._fast_forward)
        if reason:
            raise HookError(reason)
        return None, None


class _Coalescing:
    """dulwich writes a pkt-line at a time; hand the queue 64 KiB pieces instead."""

    def __init__(self, sink: Callable[[bytes], None], size: int = 64 * 1024):
        self.sink, self.size, self.buffer = sink, size, bytearray()

    def write(self, data: bytes) -> int:
        self.buffer += data
        if len(self.buffer) >= self.size:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.buffer:
            self.sink(bytes(self.buffer))
            self.buffer = bytearray()


def run_handler(path: pathlib.Path, service: str, read: Callable[[int], bytes],
                sink: Callable[[bytes], None], policy, *, advertise: bool) -> None:
    repo = Repo(str(path))
    try:
        if service == "git-receive-pack":
            if not policy.allow_force_push or policy.ref_rules:
                repo.hooks["update"] = _DenyNonFastForward(repo, not policy.allow_force_push,
                                                           policy.ref_rules)
        out = _Coalescing(sink)
        proto = ReceivableProtocol(read, out.write)
        handler_class = _HANDLERS[service]
        if service == "git-receive-pack" and policy.max_input_size:
            limit = policy.max_input_size

            class handler_class(ReceivePackHandler):  # noqa: N801 - a local specialisation
                def _receive_max_input_size(self):
                    return limit
        handler = handler_class(_OneRepository(repo), [str(path)], proto,
                                stateless_rpc=True, advertise_refs=advertise)
        handler.handle()
        out.flush()
    finally:
        repo.close()
