"""The two provider HTTP APIs a sync reads: GitHub REST v3 and GitLab REST v4.

Each ``fetch`` answers a :class:`ProviderAnswer` and never raises for what the network or the
provider did: a sync records the outcome per repository instead of failing the whole batch.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import urllib.parse
from typing import TYPE_CHECKING

from plue_core.timestamps import parse_rfc3339

if TYPE_CHECKING:
    import requests

log = logging.getLogger("plue.tracked_repos")

USER_AGENT = "Plue-tracked-repos"


@dataclasses.dataclass
class FetchedCommit:
    sha: str
    message: str
    author: str
    date: datetime.datetime | None


@dataclasses.dataclass
class RateLimit:
    limit: int | None = None
    remaining: int | None = None
    used: int | None = None
    reset: datetime.datetime | None = None


@dataclasses.dataclass
class ProviderAnswer:
    """``found`` is True (the repository answered), False (404/401/403: it is not valid for
    us) or None (no definitive answer: network error, 5xx, rate limit)."""

    found: bool | None
    api_status: str  # operational | rate_limited | unauthorized | degraded | unreachable
    provider_id: int | None = None
    private: bool | None = None
    commits: list[FetchedCommit] = dataclasses.field(default_factory=list)
    error: str = ""
    rate_limit: RateLimit | None = None


def parse_timestamp(value: str | None) -> datetime.datetime | None:
    """An ISO 8601 provider timestamp as naive UTC (the one clock's form), or None."""
    if not value:
        return None
    try:
        return parse_rfc3339(value)
    except ValueError:
        return None


def _int_header(response: requests.Response, name: str) -> int | None:
    try:
        return int(response.headers[name])
    except (KeyError, ValueError):
        return None


def github_rate_limit(response: requests.Response) -> RateLimit | None:
    """GitHub's X-RateLimit-* headers, when the answer carries them."""
    limit = _int_header(response, "X-RateLimit-Limit")
    if limit is None:
        return None
    reset = _int_header(response, "X-RateLimit-Reset")
    return RateLimit(limit=limit, remaining=_int_header(response, "X-RateLimit-Remaining"),
                     used=_int_header(response, "X-RateLimit-Used"),
                     reset=(datetime.datetime.fromtimestamp(reset, datetime.UTC)
                            .replace(tzinfo=None) if reset is not None else None))


def _status_of(response: requests.Response, rate_limit: RateLimit | None) -> tuple[bool | None, str]:
    code = response.status_code
    # GitHub's secondary rate limit is a 403 with Retry-After and requests still "remaining".
    limited = code == 429 or "Retry-After" in response.headers or \
        (rate_limit is not None and rate_limit.remaining == 0)
    if code in (403, 429) and limited:
        return None, "rate_limited"
    if code == 401:
        return False, "unauthorized"
    if code in (403, 404):
        return False, "operational"
    if code >= 500:
        return None, "degraded"
    return None, "degraded"  # an unexpected 3xx/4xx: no verdict on the repository


def _error_text(response: requests.Response) -> str:
    try:
        message = response.json().get("message") or ""
    except (ValueError, AttributeError):
        message = ""
    return f"HTTP {response.status_code}" + (f": {str(message)[:200]}" if message else "")


def _requests():
    """requests, imported by the first call to a provider rather than by every process that
    builds the app (docs/serving.md, Memory)."""
    import requests

    return requests


class ProviderClient:
    """What GitHub and GitLab clients share: one session, timeouts, error handling."""

    provider = ""

    def __init__(self, session: requests.Session, timeout: float):
        self.session = session
        self.timeout = timeout

    def _get(self, url: str, headers: dict, params: dict | None = None, *,
             follow_redirects: bool = True) -> requests.Response:
        return self.session.get(url, headers={"User-Agent": USER_AGENT, **headers}, params=params,
                                timeout=self.timeout, allow_redirects=follow_redirects)

    def fetch(self, owner: str, name: str, *, host: str, scheme: str, per_page: int,
              since: datetime.datetime | None) -> ProviderAnswer:
        try:
            return self._fetch(owner, name, host=host, scheme=scheme, per_page=per_page,
                               since=since)
        except _requests().RequestException as exc:
            # The exception text names the URL, never a header: tokens stay out of the log.
            log.warning("%s API unreachable for %s/%s: %s", self.provider, owner, name,
                        type(exc).__name__)
            return ProviderAnswer(found=None, api_status="unreachable",
                                  error=f"{self.provider} API unreachable ({type(exc).__name__})")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return ProviderAnswer(found=None, api_status="degraded",
                                  error=f"{self.provider} API answered an unexpected body ({exc})")

    def _fetch(self, owner, name, *, host, scheme, per_page, since) -> ProviderAnswer:
        raise NotImplementedError

    @staticmethod
    def _commit_params(per_page: int, since) -> dict:
        """The query of both providers' commit lists: ``per_page``, and ``since`` in UTC."""
        params = {"per_page": per_page}
        if since is not None:
            params["since"] = since.strftime("%Y-%m-%dT%H:%M:%SZ")
        return params

    @staticmethod
    def _commits_failed(answer: ProviderAnswer, response, rate) -> ProviderAnswer:
        """``answer`` (the repository, found) once its commit list failed with ``response``:
        a "not found" of the list does not unfind the repository."""
        found, status = _status_of(response, rate)
        answer.found, answer.api_status = (True if found is False else found), status
        answer.error = _error_text(response)
        return answer


class GitHubClient(ProviderClient):
    """``GET /repos/{owner}/{repo}`` then ``GET /repos/{owner}/{repo}/commits``."""

    provider = "github"

    def __init__(self, session, timeout, *, api_url: str, token: str):
        super().__init__(session, timeout)
        self.api_url = api_url.rstrip("/")
        self.headers = {"Accept": "application/vnd.github+json",
                        "X-GitHub-Api-Version": "2022-11-28"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def _fetch(self, owner, name, *, host, scheme, per_page, since) -> ProviderAnswer:
        base = f"{self.api_url}/repos/{urllib.parse.quote(owner)}/{urllib.parse.quote(name)}"
        response = self._get(base, self.headers)
        rate = github_rate_limit(response)
        if response.status_code != 200:
            found, status = _status_of(response, rate)
            return ProviderAnswer(found=found, api_status=status, error=_error_text(response),
                                  rate_limit=rate)
        repository = response.json()
        params = self._commit_params(per_page, since)
        commits_response = self._get(f"{base}/commits", self.headers, params)
        rate = github_rate_limit(commits_response) or rate
        answer = ProviderAnswer(found=True, api_status="operational",
                                provider_id=int(repository["id"]),
                                private=bool(repository.get("private", False)), rate_limit=rate)
        if commits_response.status_code == 409:  # GitHub: "Git Repository is empty."
            return answer
        if commits_response.status_code != 200:
            return self._commits_failed(answer, commits_response, rate)
        for item in commits_response.json():
            commit = item.get("commit") or {}
            author = commit.get("author") or {}
            login = (item.get("author") or {}).get("login") or ""
            answer.commits.append(FetchedCommit(
                sha=item["sha"], message=commit.get("message") or "",
                author=author.get("name") or login, date=parse_timestamp(author.get("date"))))
        return answer


class GitLabClient(ProviderClient):
    """``GET /api/v4/projects/{url-encoded path}`` then ``.../projects/{id}/repository/commits``."""

    provider = "gitlab"

    def __init__(self, session, timeout, *, api_url: str, token: str):
        super().__init__(session, timeout)
        self.api_url = api_url.rstrip("/")
        self.token = token

    def _base_and_headers(self, host: str, scheme: str) -> tuple[str, dict]:
        if self.api_url:
            base = self.api_url if self.api_url.endswith("/api/v4") else f"{self.api_url}/api/v4"
            return base, ({"PRIVATE-TOKEN": self.token} if self.token else {})
        # A host a user typed: no token goes there.
        return f"{scheme}://{host}/api/v4", {}

    def _fetch(self, owner, name, *, host, scheme, per_page, since) -> ProviderAnswer:
        base, headers = self._base_and_headers(host, scheme)
        path = urllib.parse.quote(f"{owner}/{name}", safe="")
        # No redirects: a PRIVATE-TOKEN header would follow them to any host.
        response = self._get(f"{base}/projects/{path}", headers, follow_redirects=False)
        if response.status_code != 200:
            found, status = _status_of(response, None)
            return ProviderAnswer(found=found, api_status=status, error=_error_text(response))
        project = response.json()
        params = self._commit_params(per_page, since)
        commits_response = self._get(f"{base}/projects/{int(project['id'])}/repository/commits",
                                     headers, params, follow_redirects=False)
        answer = ProviderAnswer(found=True, api_status="operational",
                                provider_id=int(project["id"]),
                                private=project.get("visibility", "public") != "public")
        if commits_response.status_code == 404:  # a project without a repository yet
            return answer
        if commits_response.status_code != 200:
            return self._commits_failed(answer, commits_response, None)
        for item in commits_response.json():
            answer.commits.append(FetchedCommit(
                sha=item["id"], message=item.get("message") or "",
                author=item.get("author_name") or "",
                date=parse_timestamp(item.get("authored_date") or item.get("committed_date"))))
        return answer
