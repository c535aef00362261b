"""Test helpers for tracked_repos, shipped with the plugin like ``plue_core.testing``: local
servers that speak the subsets of the GitHub REST API and the GitLab REST v4 API the sync calls,
on free loopback ports (the real providers are out of reach in tests), and the settings that
point the plugin at them (:func:`tracked_settings`).

``LocalGitHubAPI``: GET /repos/{owner}/{repo} and /repos/{owner}/{repo}/commits (per_page,
since), 404 for unknown repositories, 409 for an empty one, 401 for a wrong token, and the
X-RateLimit-* headers counting down. ``LocalGitLabAPI``: GET /api/v4/projects/{encoded path} and
/api/v4/projects/{id}/repository/commits. Both record each request's path and headers.
"""

from __future__ import annotations

import dataclasses
import datetime
import http.server
import json
import threading
import time
import urllib.parse


@dataclasses.dataclass
class LocalCommit:
    sha: str
    message: str
    author: str
    date: datetime.datetime  # aware UTC


@dataclasses.dataclass
class LocalRepository:
    id: int
    owner: str
    name: str
    private: bool = False
    commits: list[LocalCommit] = dataclasses.field(default_factory=list)  # newest first


def make_commits(count: int, *, start: datetime.datetime | None = None, prefix: str = "c") -> list:
    """``count`` commits one hour apart, newest first, with 40-hex shas."""
    start = start or datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC)
    commits = []
    for i in range(count):
        sha = (f"{prefix}{i:x}".encode().hex() + "0" * 40)[:40]
        commits.append(LocalCommit(sha, f"commit {i} of {prefix}", f"Author {i}",
                                   start + datetime.timedelta(hours=i)))
    return list(reversed(commits))


def _iso(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _LocalAPI:
    """A threading http.server on 127.0.0.1:<free port>; ``url`` is its root."""

    def __init__(self, token: str = ""):
        self.token = token
        self.repositories: dict[str, LocalRepository] = {}
        self.requests: list[tuple[str, dict]] = []
        self.fail_with: int | None = None  # answer every request with this status (outages)
        self._next_id = 1000
        api = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                api.requests.append((self.path, dict(self.headers)))
                status, body, headers = api.answer(self)
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def add(self, owner: str, name: str, *, commits=(), private: bool = False) -> LocalRepository:
        self._next_id += 1
        repository = LocalRepository(self._next_id, owner, name, private, list(commits))
        self.repositories[f"{owner}/{name}".lower()] = repository
        return repository

    def commits_of(self, full_name: str) -> list[LocalCommit]:
        return self.repositories[full_name.lower()].commits

    def answer(self, handler) -> tuple[int, object, dict]:
        raise NotImplementedError

    @staticmethod
    def _page(repository: LocalRepository, query: dict) -> list[LocalCommit]:
        commits = repository.commits
        if "since" in query:
            since = datetime.datetime.fromisoformat(query["since"][0])
            commits = [c for c in commits if c.date >= since]
        return commits[: int(query.get("per_page", ["30"])[0])]


class LocalGitHubAPI(_LocalAPI):
    RATE_LIMIT = 60

    def __init__(self, token: str = ""):
        super().__init__(token)
        self.used = 0
        self.reset_at = int(time.time()) + 3600

    def answer(self, handler):
        self.used += 1
        headers = {"X-RateLimit-Limit": str(self.RATE_LIMIT),
                   "X-RateLimit-Remaining": str(max(self.RATE_LIMIT - self.used, 0)),
                   "X-RateLimit-Used": str(self.used), "X-RateLimit-Reset": str(self.reset_at)}
        if self.fail_with:
            return self.fail_with, {"message": "Service Unavailable"}, headers
        if self.used > self.RATE_LIMIT:
            return 403, {"message": "API rate limit exceeded"}, headers
        sent = handler.headers.get("Authorization", "")
        if sent and sent != f"Bearer {self.token}":
            return 401, {"message": "Bad credentials"}, headers
        parts = urllib.parse.urlsplit(handler.path)
        segments = parts.path.strip("/").split("/")
        if len(segments) not in (3, 4) or segments[0] != "repos" or \
                (len(segments) == 4 and segments[3] != "commits"):
            return 404, {"message": "Not Found"}, headers
        repository = self.repositories.get(f"{segments[1]}/{segments[2]}".lower())
        if repository is None or (repository.private and not sent):
            return 404, {"message": "Not Found"}, headers
        if len(segments) == 3:
            return 200, {"id": repository.id, "name": repository.name, "private": repository.private,
                         "full_name": f"{repository.owner}/{repository.name}"}, headers
        if not repository.commits:
            return 409, {"message": "Git Repository is empty."}, headers
        page = self._page(repository, urllib.parse.parse_qs(parts.query))
        return 200, [{"sha": c.sha, "commit": {"message": c.message, "author": {
            "name": c.author, "email": "a@example.com", "date": _iso(c.date)}},
            "author": {"login": c.author.replace(" ", "").lower()}} for c in page], headers


class LocalGitLabAPI(_LocalAPI):
    def answer(self, handler):
        if self.fail_with:
            return self.fail_with, {"message": "Service Unavailable"}, {}
        if self.token and handler.headers.get("PRIVATE-TOKEN", self.token) != self.token:
            return 401, {"message": "401 Unauthorized"}, {}
        parts = urllib.parse.urlsplit(handler.path)
        segments = parts.path.strip("/").split("/")  # %2F stays encoded: one segment
        if segments[:3] != ["api", "v4", "projects"] or len(segments) not in (4, 6):
            return 404, {"message": "404 Not Found"}, {}
        if len(segments) == 4:
            path = urllib.parse.unquote(segments[3]).lower()
            repository = self.repositories.get(path)
            if repository is None:
                return 404, {"message": "404 Project Not Found"}, {}
            return 200, {"id": repository.id, "path_with_namespace": path,
                         "visibility": "private" if repository.private else "public"}, {}
        if segments[4:] != ["repository", "commits"]:
            return 404, {"message": "404 Not Found"}, {}
        by_id = {r.id: r for r in self.repositories.values()}
        repository = by_id.get(int(segments[3])) if segments[3].isdigit() else None
        if repository is None:
            return 404, {"message": "404 Project Not Found"}, {}
        page = self._page(repository, urllib.parse.parse_qs(parts.query))
        return 200, [{"id": c.sha, "short_id": c.sha[:8], "message": c.message,
                      "author_name": c.author, "authored_date": _iso(c.date),
                      "committed_date": _iso(c.date)} for c in page], {}


GITHUB_TOKEN = "ghp_local_test_token_0123456789"


def tracked_settings(github_api: LocalGitHubAPI, gitlab_api: LocalGitLabAPI, **extra) -> dict:
    """The ``[tracked_repos]`` settings that send the sync to these local servers."""
    return {"github_api_url": github_api.url, "github_token": GITHUB_TOKEN,
            "gitlab_api_url": gitlab_api.url, "request_timeout": 5, **extra}
