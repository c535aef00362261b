"""git smart HTTP: ``/{owner}/{repo}(.git)/info/refs``, ``/git-upload-pack``,
``/git-receive-pack``, served by a Falcon sink so nothing buffers the stream.

Sinks skip ``process_resource`` middleware (the JSON body limit never applies here) and the
per-request DB connection is closed before the body streams, so the post-push bookkeeping opens
its own. Errors are plain text: git prints them as ``remote: <message>``.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import time
import zlib
from typing import Callable, Iterator

import falcon

from plue_core.errors import Forbidden, Locked, NotFound

from plue_core import crash_points

from plue_git_hosting import permissions, pushes, ref_journal, wikis
from plue_git_hosting.transport import CHUNK, SERVICES

log = logging.getLogger("plue.git_hosting.smart_http")

PATH_PATTERN = (r"^/(?P<owner>[^/]+)/(?P<repo>[^/]+?)(?:\.git)?/"
                r"(?P<action>info/refs|git-upload-pack|git-receive-pack)$")
_SAFE_PROTOCOL = re.compile(r"^[A-Za-z0-9=:._-]{0,200}$")
_CHALLENGE = 'Basic realm="plue"'
_NO_CACHE = {"Cache-Control": "no-cache, max-age=0, must-revalidate", "Pragma": "no-cache",
             "Expires": "Fri, 01 Jan 1980 00:00:00 GMT"}


class BodyNotGzip(ValueError):
    """A body sent with ``Content-Encoding: gzip`` that does not inflate (a ValueError: the
    transport's feeder stops on it without a traceback; git then fails on the short input)."""


class GunzipReader:
    """``read(n)`` over a gzip request body (git gzips large negotiation bodies), decoding as
    it goes: at most ``n`` bytes out per call, one network chunk in. :meth:`prime` inflates
    the start before the answer begins, so a body that is no gzip is refused with a 400
    rather than fed to git as nothing after a 200; a stream that breaks later raises
    :class:`BodyNotGzip` from ``read`` (the transport stops feeding git, which fails)."""

    def __init__(self, read: Callable[[int], bytes]):
        self._read = read
        self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._eof = False
        self._received = False
        self._primed = b""

    def prime(self) -> None:
        """Inflate the first piece now (:class:`BodyNotGzip` when it is no gzip)."""
        self._primed = self.read(CHUNK)

    def read(self, size: int = CHUNK) -> bytes:
        if self._primed:
            data, self._primed = self._primed, b""
            return data
        try:
            return self._inflated(size if size and size > 0 else CHUNK)
        except zlib.error as exc:
            raise BodyNotGzip(f"the request body is not valid gzip ({exc})") from None

    def _inflated(self, size: int) -> bytes:
        while True:
            if self._inflate.unconsumed_tail:
                data = self._inflate.decompress(self._inflate.unconsumed_tail, size)
            elif self._inflate.eof or (self._eof and not self._received):
                return b""
            elif self._eof:
                raise BodyNotGzip("the request body ends inside its gzip stream")
            else:
                raw = self._read(CHUNK)
                if not raw:
                    self._eof = True
                    continue
                self._received = True
                data = self._inflate.decompress(raw, size)
            if data:
                return data


def request_body(req: falcon.Request) -> Callable[[int], bytes]:
    """The body as ``read(n)``: bounded by Content-Length when there is one, else the raw
    chunked stream (gunicorn decodes chunks; Falcon's bounded_stream would read nothing).
    :class:`BodyNotGzip` when a gzip body does not start as gzip."""
    stream = req.bounded_stream if req.content_length is not None else req.stream
    if (req.get_header("Content-Encoding") or "").lower() in ("gzip", "x-gzip"):
        reader = GunzipReader(stream.read)
        reader.prime()
        return reader.read
    return stream.read


class SmartHttp:
    """The sink handler: authorize, then stream the transport's output."""

    def __init__(self, hosting):
        self.hosting = hosting

    def __call__(self, req: falcon.Request, resp: falcon.Response, owner: str, repo: str,
                 action: str) -> None:
        if action == "info/refs":
            service = req.get_param("service") or ""
            if req.method not in ("GET", "HEAD"):
                return _fail(resp, 405, "use GET for info/refs")
            if service not in SERVICES:
                return _fail(resp, 403, "only the smart HTTP protocol is served; "
                                        "pass ?service=git-upload-pack or git-receive-pack")
        else:
            service = action
            if req.method != "POST":
                return _fail(resp, 405, f"use POST for {service}")
            if req.content_type != f"application/x-{service}-request":
                return _fail(resp, 400, f"Content-Type must be application/x-{service}-request")
        wiki = repo.lower().endswith(".wiki")  # no repository's name ends so: its wiki's
        repository = self._authorize(req, resp, owner, repo[:-len(".wiki")] if wiki else repo,
                                     service)
        if repository is None:
            return
        path = self.hosting.path_of(repository)
        if wiki:
            path = self._wiki_path(repository, path, service)
            if path is None:
                return _fail(resp, 404, "repository not found")
        git_protocol = req.get_header("Git-Protocol") or ""
        if not _SAFE_PROTOCOL.match(git_protocol):
            return _fail(resp, 400, "malformed Git-Protocol header")
        for name, value in _NO_CACHE.items():
            resp.set_header(name, value)
        policy = pushes.base_policy(self.hosting)
        transport = self.hosting.transport
        pusher = None
        if service == "git-receive-pack" and action != "info/refs" and not wiki:
            pusher = self.hosting.accounts.account_for(req.context.identity)
            policy = pushes.push_policy(self.hosting, repository, pusher)
        if action == "info/refs":
            if service == "git-receive-pack" and not wiki:
                # A retried push after a crash: what the dead worker left is recorded first.
                ref_journal.replay_if_pending(self.hosting, repository)
            resp.content_type = f"application/x-{service}-advertisement"
            resp.stream = transport.advertise(path, service, git_protocol, policy)
            return
        try:
            read = request_body(req)
        except BodyNotGzip as exc:
            return _fail(resp, 400, str(exc))
        if service == "git-upload-pack":
            resp.content_type = "application/x-git-upload-pack-result"
            resp.stream = transport.rpc(path, service, read, git_protocol, policy)
        elif wiki:
            resp.content_type = "application/x-git-receive-pack-result"
            resp.stream = self._push_to_wiki(repository, path, read, git_protocol, policy)
        else:
            resp.content_type = "application/x-git-receive-pack-result"
            resp.stream = self._push(repository, path, read, git_protocol, policy, pusher)

    def _authorize(self, req, resp, owner: str, repo: str, service: str):
        """The repository access service's answer in git's terms: anonymous callers below
        what they need are asked for credentials (401 whether or not the repository exists,
        so git prompts and nothing is revealed, as Gitea does); an archived repository refuses
        pushes with 403, which git shows, rather than the API's 423."""
        identity = req.context.identity
        pushing = service == "git-receive-pack"
        try:
            repository = self.hosting.require_repository(
                identity, owner, repo, "write" if pushing else "read", writes=pushing,
                memo=permissions.for_request(req, self.hosting.accounts)).repository
        except (NotFound, Forbidden) as refused:
            if identity is None:
                return _fail(resp, 401, "authentication required", {"WWW-Authenticate": _CHALLENGE})
            if isinstance(refused, NotFound):
                return _fail(resp, 404, "repository not found")
            return _fail(resp, 403, f"you may not push to {owner}/{repo}")
        except Locked:
            return _fail(resp, 403, f"{owner}/{repo} is archived: it is read-only")
        if pushing and not identity.allows("write", "repository"):
            return _fail(resp, 403, "this token may not push: it lacks the write:repository scope")
        return repository

    def _wiki_path(self, repository, path, service: str):
        """The wiki's directory when the wiki plugin is on and the repository's wiki unit too
        (else None: 404, as Gitea's). A push creates an absent wiki, as Gitea's; a fetch of
        one is a 404."""
        if "wiki" not in self.hosting.ctx.services or not repository.has_wiki:
            return None
        path = self.hosting.storage.wiki_path_of(path)
        if service == "git-receive-pack":
            with wikis.locked(self.hosting, repository) as path:
                wikis.ensure_exists(path)
        return path if path.exists() else None

    def _push_to_wiki(self, repository, path, read, git_protocol, policy) -> Iterator[bytes]:
        """receive-pack into the wiki under its lock (so an API edit waits for it, and the
        push's ref update is never lost between an edit's read and its compare-and-swap). A
        wiki has no branch rows, protection or push events: git's own ref update is all."""
        with self.hosting.storage.wiki_write_lock(repository.id) as lock_fd:
            yield from self.hosting.transport.rpc(path, "git-receive-pack", read, git_protocol,
                                                  dataclasses.replace(policy, lock_fd=lock_fd))

    def _push(self, repository, path, read, git_protocol, policy, pusher) -> Iterator[bytes]:
        """receive-pack inside ``pushes.ReceivingPush`` (write lock, journal, recording). The
        last chunk (git's final report) is held back until the database is updated, so when
        ``git push`` returns the API already shows the push."""
        started = time.perf_counter()
        log.debug("push to %s: request in", repository.full_name)
        held = None
        with pushes.ReceivingPush(self.hosting, repository, pusher, via="git") as push:
            crash_points.reached("push-before-objects")
            for chunk in self.hosting.transport.rpc(path, "git-receive-pack", read, git_protocol,
                                                    dataclasses.replace(policy, lock_fd=push.lock_fd)):
                if held is not None:
                    yield held
                held = chunk
            received = time.perf_counter()
            crash_points.reached("push-after-ref-update")
            push.record()
            crash_points.reached("push-after-database")
            log.debug("push to %s: receive-pack %.0f ms, bookkeeping %.0f ms", repository.full_name,
                      (received - started) * 1000, (time.perf_counter() - received) * 1000)
        if held is not None:
            yield held
        log.debug("push to %s: answered", repository.full_name)


def _fail(resp: falcon.Response, status: int, message: str, headers: dict | None = None) -> None:
    resp.status = status
    resp.content_type = "text/plain; charset=utf-8"
    resp.text = message + "\n"
    for name, value in (headers or {}).items():
        resp.set_header(name, value)
    return None
