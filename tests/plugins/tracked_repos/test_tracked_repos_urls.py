"""Seed 003's URL parsing rules."""

import pytest

from plue_core.errors import BadRequest
from plue_tracked_repos.repository_urls import parse_repository_url


@pytest.mark.parametrize("url, provider, owner, name, normalized", [
    ("https://github.com/myorg/my-repo", "github", "myorg", "my-repo",
     "https://github.com/myorg/my-repo"),
    ("https://github.com/myorg/my-repo.git", "github", "myorg", "my-repo",
     "https://github.com/myorg/my-repo"),
    ("https://www.github.com/myorg/my-repo/", "github", "myorg", "my-repo",
     "https://www.github.com/myorg/my-repo"),
    ("https://gitlab.com/group/project", "gitlab", "group", "project",
     "https://gitlab.com/group/project"),
    ("https://git.example.org:8443/team/tool.git", "gitlab", "team", "tool",
     "https://git.example.org:8443/team/tool"),
    ("http://GitLab.Internal/a/b.c", "gitlab", "a", "b.c", "http://gitlab.internal/a/b.c"),
])
def test_urls_are_parsed_into_provider_owner_and_name(url, provider, owner, name, normalized):
    parsed = parse_repository_url(url)
    assert (parsed.provider, parsed.owner, parsed.name, parsed.url) == \
        (provider, owner, name, normalized)


@pytest.mark.parametrize("url, says", [
    ("", "url is required"),
    (None, "url is required"),
    (42, "url is required"),
    ("github.com/myorg/my-repo", "must start with http:// or https://"),
    ("ftp://github.com/a/b", "must start with http:// or https://"),
    ("https:///a/b", "has no host"),
    ("https://github.com/myorg", "exactly owner/name"),
    ("https://github.com/", "exactly owner/name"),
    ("https://github.com/a/b/c", "exactly owner/name"),
    ("https://gitlab.com/group/sub/project", "exactly owner/name"),
    ("https://github.com//b", "exactly owner/name"),
    ("https://github.com/my org/repo", "owner 'my org'"),
    ("https://github.com/a/..", "name '..'"),
    ("https://user:pw@github.com/a/b", "must not contain credentials"),
    ("https://github.com:notaport/a/b", "is not a valid URL"),
])
def test_unusable_urls_are_refused_with_the_reason(url, says):
    with pytest.raises(BadRequest) as raised:
        parse_repository_url(url)
    assert says in raised.value.message
