"""GitHub and GitLab read a repository's commits by one rule (``ProviderClient``'s
``_commit_params`` and ``_commits_failed``): the same query, and a failed commit list never
unfinds a repository that answered."""

from __future__ import annotations

import datetime

import pytest

from plue_tracked_repos.providers import GitHubClient, GitLabClient


class FakeResponse:
    def __init__(self, status_code: int, body):
        self.status_code = status_code
        self.body = body
        self.headers = {}

    def json(self):
        return self.body


class FakeSession:
    """Answers the repository with ``repository``; the commit list with ``commits``."""

    def __init__(self, repository: dict, commits: FakeResponse):
        self.repository = repository
        self.commits = commits
        self.params = []

    def get(self, url, *, headers, params, timeout, allow_redirects):
        self.params.append(params)
        if url.endswith("/commits"):
            return self.commits
        return FakeResponse(200, self.repository)


def github(session):
    return GitHubClient(session, 5, api_url="https://api.github.test", token="")


def gitlab(session):
    return GitLabClient(session, 5, api_url="https://gitlab.test", token="")


SINCE = datetime.datetime(2026, 3, 4, 5, 6, 7)


@pytest.mark.parametrize("client, repository", [
    (github, {"id": 7, "private": False}), (gitlab, {"id": 7, "visibility": "public"})])
def test_both_providers_ask_for_commits_since_in_utc_with_the_page_size(client, repository):
    session = FakeSession(repository, FakeResponse(200, []))
    answer = client(session).fetch("o", "r", host="h", scheme="https", per_page=25, since=SINCE)
    assert answer.found is True and answer.commits == []
    assert session.params[-1] == {"per_page": 25, "since": "2026-03-04T05:06:07Z"}
    client(session).fetch("o", "r", host="h", scheme="https", per_page=3, since=None)
    assert session.params[-1] == {"per_page": 3}


@pytest.mark.parametrize("client, repository", [
    (github, {"id": 7, "private": False}), (gitlab, {"id": 7, "visibility": "public"})])
@pytest.mark.parametrize("code, found, status", [
    (403, True, "operational"), (401, True, "unauthorized"), (503, None, "degraded")])
def test_a_failed_commit_list_keeps_the_repository_found(client, repository, code, found, status):
    session = FakeSession(repository, FakeResponse(code, {"message": "no"}))
    answer = client(session).fetch("o", "r", host="h", scheme="https", per_page=5, since=None)
    assert (answer.found, answer.api_status) == (found, status)
    assert answer.provider_id == 7 and answer.error == f"HTTP {code}: no"
