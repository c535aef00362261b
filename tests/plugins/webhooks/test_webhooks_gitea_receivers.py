"""Deliveries as receivers written for Gitea check them: a ``form`` hook's signature is the
HMAC of the ``payload`` field's JSON (Gitea's ``addDefaultHeaders`` signs the payload
content, never the form body), and a ``gogs`` hook, a type Gitea accepts, gets Gitea's
payload and headers."""

from __future__ import annotations

import hashlib
import hmac
import urllib.parse


def _hmac(secret: str, data: bytes, digest) -> str:
    return hmac.new(secret.encode(), data, digest).hexdigest()


def test_a_form_delivery_is_signed_over_the_payload_field_not_the_form_body(forge, receiver):
    forge.add_hook(receiver.url, content_type="form", secret="s3cret")
    forge.write_file("a.txt", "a\n")
    forge.send()
    [delivery] = receiver.deliveries
    # What a Gitea receiver does with a form: decode the payload field, verify it.
    field = urllib.parse.parse_qs(delivery.body.decode())["payload"][0].encode()
    headers = delivery.headers
    assert headers["X-Gitea-Signature"] == _hmac("s3cret", field, hashlib.sha256)
    assert headers["X-Gogs-Signature"] == headers["X-Gitea-Signature"]
    assert headers["X-Hub-Signature-256"] == "sha256=" + _hmac("s3cret", field, hashlib.sha256)
    assert headers["X-Hub-Signature"] == "sha1=" + _hmac("s3cret", field, hashlib.sha1)
    assert headers["X-Gitea-Signature"] != _hmac("s3cret", delivery.body, hashlib.sha256)


def test_a_json_delivery_is_signed_over_the_body_it_sends(forge, receiver):
    forge.add_hook(receiver.url, secret="s3cret")
    forge.write_file("a.txt", "a\n")
    forge.send()
    [delivery] = receiver.deliveries
    assert delivery.headers["Content-Type"] == "application/json"
    assert delivery.headers["X-Gitea-Signature"] == _hmac("s3cret", delivery.body,
                                                          hashlib.sha256)


def test_a_gogs_hook_is_accepted_and_gets_giteas_payload_and_headers(forge, receiver):
    hook = forge.add_hook(receiver.url, type="gogs", content_type="form")
    assert hook["type"] == "gogs"
    forge.write_file("a.txt", "a\n")
    forge.send()
    [delivery] = receiver.deliveries
    assert delivery.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert delivery.headers["X-Gogs-Event"] == "push"
    assert receiver.check(delivery, "s3cret")["ref"] == "refs/heads/main"


def test_a_type_gitea_does_not_know_is_still_a_422_naming_the_types(forge, receiver):
    response = forge.post("/repos/alice/project/hooks",
                          {"type": "forgejo", "config": {"url": receiver.url,
                                                         "content_type": "json"}})
    assert response.status_code == 422
    assert "gogs" in response.json["message"]


def test_a_push_names_the_users_who_wrote_and_committed_each_commit(forge, receiver):
    forge.add_hook(receiver.url)
    forge.write_file("a.txt", "a\n")
    forge.send()
    payload = receiver.check(receiver.deliveries[0], "s3cret")
    alice = forge.get("/users/alice").json
    for commit in payload["commits"] + [payload["head_commit"]]:
        # Gitea's PayloadUser: the account whose e-mail the git identity carries.
        assert commit["author"] == {"name": commit["author"]["name"], "email": alice["email"],
                                    "username": "alice"}
        assert commit["committer"]["username"] == "alice"


def test_a_test_delivery_is_giteas_push_of_the_commit_compared_with_itself(forge, receiver):
    head = forge.write_file("a.txt", "a\n")["commit"]["sha"]
    assert forge.post("/repos/alice/project/tags", {"tag_name": "v1"}).status_code == 201
    hook = forge.add_hook(receiver.url)
    for query, ref in (("", "refs/heads/main"), ("?ref=v1", "v1")):
        assert forge.post(f"/repos/alice/project/hooks/{hook['id']}/tests{query}") \
            .status_code == 204
        forge.send()
        payload = receiver.check(receiver.deliveries[-1], "s3cret")
        assert (payload["ref"], payload["before"], payload["after"]) == (ref, head, head)
        assert payload["compare_url"] == \
            f"{payload['repository']['html_url']}/compare/{head}...{head}"
        assert [commit["id"] for commit in payload["commits"]] == [head]
        assert payload["total_commits"] == 1 and payload["head_commit"]["id"] == head


def test_a_test_delivery_of_a_repository_without_commits_sends_nothing(forge, receiver):
    forge.create_repo("bare", auto_init=False)
    hook = forge.add_hook(receiver.url, path="/repos/alice/bare/hooks")
    assert forge.post(f"/repos/alice/bare/hooks/{hook['id']}/tests").status_code == 204
    forge.send()
    assert receiver.deliveries == []
    assert forge.get(f"/repos/alice/bare/hooks/{hook['id']}/deliveries").json == []


def test_a_new_branchs_compare_url_starts_where_it_left_off_as_giteas(forge, receiver):
    forge.add_hook(receiver.url)
    main = forge.get("/repos/alice/project/branches/main").json["commit"]["id"]
    # A new branch with a commit of its own: from that commit's parent.
    work = forge.write_file("b.txt", "b\n", new_branch="work")["commit"]["sha"]
    # A new branch with no commit of its own: from the default branch.
    assert forge.post("/repos/alice/project/branches",
                      {"new_branch_name": "copy", "old_ref_name": "main"}).status_code == 201
    forge.send()
    by_ref = {payload["ref"]: payload for payload in
              (receiver.check(d, "s3cret") for d in receiver.of("push"))}
    html = by_ref["refs/heads/work"]["repository"]["html_url"]
    assert by_ref["refs/heads/work"]["compare_url"] == f"{html}/compare/{main}...{work}"
    assert by_ref["refs/heads/copy"]["compare_url"] == f"{html}/compare/main...{main}"
