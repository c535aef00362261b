"""Every operation of ``giteapy`` (the Python client swagger-codegen made from Gitea's spec)
whose path and method Plue serves, driven against a live gunicorn: its deserializer raises on
a wrong type. Every answer the client received is kept raw, to check what the client lets
pass: each date field (those its models type ``datetime``) is RFC 3339 as Gitea writes it, and
each ``url`` / ``*_url`` pointing at Plue opens (200) for the owner, an administrator here."""

from __future__ import annotations

import base64
import datetime
import json
import pathlib
import re
import tempfile

import giteapy
import pytest
import requests
from giteapy.rest import ApiException

import gitea_coverage
import gitea_swagger
from plue_core.testing import fresh_database_url, run_live_server
from test_gitea_generated_client import PASSWORD, client, typed

pytestmark = pytest.mark.e2e

KEY_A = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIChYZZik0SOTcYhEwOhr/3ajjhuPB8J4ocORyrhLDF+B a"
KEY_B = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMdWKYVl1ebTpwVQ5cQlfK6+z5PcQYtfwgyV+NJS7z1Y b"
KEY_C = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB3Tc5UqQ3pDxOefq1ZNVpUzmH1pBnm0NxBJcS4m8yQn c"
GITEAPY_DIR = pathlib.Path(giteapy.__file__).parent


def giteapy_operations() -> dict[str, str]:
    """``"METHOD /path"`` of every operation giteapy's API classes call, to its method name."""
    found = {}
    for module in (GITEAPY_DIR / "api").glob("*_api.py"):
        for match in re.finditer(r"def (\w+)_with_http_info\(.*?call_api\(\s*'([^']+)', '(\w+)'",
                                 module.read_text(), re.S):
            found[f"{match.group(3)} {match.group(2)}"] = match.group(1)
    return found


def datetime_keys() -> set[str]:
    """The JSON keys giteapy's models read as ``datetime``."""
    keys = set()
    for name in dir(giteapy.models):
        model = getattr(giteapy.models, name)
        for attribute, kind in getattr(model, "swagger_types", {}).items():
            if kind == "datetime":
                keys.add(model.attribute_map[attribute])
    return keys


class Recorded:
    """Every (method, url, status, raw body) the client's REST layer answered."""

    def __init__(self):
        self.calls: list[tuple[str, str, int, str]] = []
        self.refused: list[tuple[str, str, int, str]] = []  # what the scenario expects refused
        self.deleted: set[str] = set()  # URLs of what the scenario removed before opening them

    def attach(self, api: giteapy.ApiClient) -> giteapy.ApiClient:
        original = api.rest_client.request

        def request(method, url, *args, **kwargs):
            try:
                response = original(method, url, *args, **kwargs)
            except ApiException as error:
                self.calls.append((method, url, error.status, error.body or ""))
                raise
            self.calls.append((method, url, response.status, response.data or ""))
            return response

        api.rest_client.request = request
        return api


@pytest.fixture(scope="module")
def walked(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("gitea-client-coverage")
    with fresh_database_url(tmp_path) as url, run_live_server(tmp_path, url) as live:
        live.plue("admin", "user", "create", "--username", "root", "--email", "root@example.com",
                  "--password", PASSWORD, "--admin")
        live.token = live.plue("admin", "token", "create", "--username", "root",
                               "--name", "client").stdout.strip()
        recorded = Recorded()
        walk(live, recorded)
        yield live, recorded


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def walk(server, recorded: Recorded) -> None:  # noqa: C901 - one scenario, in order
    api = recorded.attach(client(server))
    basic = recorded.attach(client(server, mode="basic"))
    admin, users, orgs = giteapy.AdminApi(api), giteapy.UserApi(api), giteapy.OrganizationApi(api)
    repos, issues = giteapy.RepositoryApi(api), giteapy.IssueApi(api)
    misc = giteapy.MiscellaneousApi(api)
    typed(misc.get_version())
    # Rendering: the client reads text/html as a string.
    rendered = misc.render_markdown(body=giteapy.MarkdownOption(
        text="Fixes #1", mode="gfm", context="/root/widget"))
    assert rendered.startswith("<p>Fixes <a href=") and "/root/widget/issues/1" in rendered
    assert misc.render_markdown_raw("*raw*").startswith("<p><em>raw</em>")

    # Accounts, keys and tokens.
    typed(admin.admin_create_user(body=giteapy.CreateUserOption(
        username="alice", email="alice@example.com", password="alice-password-1",
        must_change_password=False)))
    typed(admin.admin_create_user(body=giteapy.CreateUserOption(
        username="carol", email="carol@example.com", password="carol-password-1",
        must_change_password=False)))
    typed(admin.admin_edit_user("alice", body=giteapy.EditUserOption(
        email="alice@example.com", full_name="Alice A", login_name="alice", source_id=0)))
    typed(admin.admin_get_all_users())
    typed(users.user_get_current())
    typed(users.user_get("alice"))
    typed(users.user_search(q="ali"))
    key = typed(admin.admin_create_public_key("carol", key=giteapy.CreateKeyOption(
        key=KEY_C, title="carols")))
    typed(users.user_list_keys("carol"))
    admin.admin_delete_user_public_key("carol", key.id)
    recorded.deleted.add(key.url)
    key = typed(users.user_current_post_key(body=giteapy.CreateKeyOption(key=KEY_A, title="k")))
    typed(users.user_current_get_key(key.id))
    typed(users.user_current_list_keys())
    users.user_current_delete_key(key.id)
    recorded.deleted.add(key.url)
    tokens = giteapy.UserApi(basic)
    # giteapy's AccessToken has no scopes; Gitea (1.20 on) refuses a token without one, as Plue.
    with pytest.raises(ApiException) as unscoped:
        tokens.user_create_token("root", access_token=giteapy.AccessToken(name="extra"))
    assert unscoped.value.status == 400 and "scope" in json.loads(unscoped.value.body)["message"]
    recorded.refused.append(recorded.calls.pop())
    made = requests.post(f"{server.url}/api/v1/users/root/tokens", auth=("root", PASSWORD),
                         json={"name": "extra", "scopes": ["read:user"]}, timeout=30)
    assert made.status_code == 201, made.text
    assert "extra" in [t.name for t in typed(tokens.user_get_tokens("root"))]
    tokens.user_delete_access_token("root", made.json()["id"])  # its model of the time has no id

    # Organizations, members and teams.
    typed(orgs.org_create(organization=giteapy.CreateOrgOption(username="acme",
                                                               visibility="public")))
    typed(admin.admin_create_org("carol", organization=giteapy.CreateOrgOption(username="carols")))
    typed(admin.admin_get_all_orgs())
    typed(orgs.org_get("acme"))
    typed(orgs.org_edit("acme", body=giteapy.EditOrgOption(description="widgets")))
    typed(orgs.org_list_current_user_orgs())
    typed(orgs.org_list_user_orgs("root"))
    team = typed(orgs.org_create_team("acme", body=giteapy.CreateTeamOption(
        name="devs", permission="write", units=["repo.code", "repo.issues"])))
    typed(orgs.org_edit_team(team.id, body=giteapy.EditTeamOption(name="devs", description="d")))
    typed(orgs.org_list_teams("acme"))
    typed(orgs.team_search("acme", q="dev"))
    typed(orgs.org_get_team(team.id))
    orgs.org_add_team_member(team.id, "alice")
    typed(orgs.org_list_team_members(team.id))
    typed(orgs.org_list_team_member(team.id, "alice"))
    typed(users.user_list_teams())
    typed(orgs.org_list_members("acme"))
    orgs.org_is_member("acme", "alice")
    orgs.org_publicize_member("acme", "root")
    typed(orgs.org_list_public_members("acme"))
    orgs.org_is_public_member("acme", "root")
    orgs.org_conceal_member("acme", "root")
    hook = typed(orgs.org_create_hook("acme", body=giteapy.CreateHookOption(
        type="gitea", config={"url": "https://hooks.example.com/org", "content_type": "json"},
        events=["push"], active=True)))
    typed(orgs.org_list_hooks("acme"))
    typed(orgs.org_get_hook("acme", hook.id))
    typed(orgs.org_edit_hook("acme", hook.id, body=giteapy.EditHookOption(active=False)))
    orgs.org_delete_hook("acme", hook.id)
    typed(orgs.create_org_repo("acme", body=giteapy.CreateRepoOption(name="tools",
                                                                     auto_init=True)))
    typed(orgs.org_list_repos("acme"))
    orgs.org_add_team_repository(team.id, "acme", "tools")  # a team's repositories
    typed(orgs.org_list_team_repos(team.id))
    orgs.org_remove_team_repository(team.id, "acme", "tools")

    # Repositories, contents and git data.
    typed(admin.admin_create_repo("alice", repository=giteapy.CreateRepoOption(
        name="upstream", auto_init=True)))
    typed(repos.create_fork("alice", "upstream", body=giteapy.CreateForkOption()))
    typed(repos.list_forks("alice", "upstream"))
    repo = typed(repos.create_current_user_repo(body=giteapy.CreateRepoOption(
        name="widget", auto_init=True, description="d", private=True)))
    typed(repos.repo_get_by_id(repo.id))
    typed(repos.repo_get("root", "widget"))
    typed(repos.repo_edit("root", "widget", body=giteapy.EditRepoOption(website="https://x.example")))
    typed(repos.repo_search(q="widget"))
    typed(repos.repo_search(q="no-such-thing"))
    typed(users.user_current_list_repos())
    typed(users.user_list_repos("root"))
    # Stars and watching, on alice's public upstream.
    users.user_current_put_star("alice", "upstream")
    users.user_current_check_starring("alice", "upstream")
    typed(users.user_current_list_starred())
    typed(users.user_list_starred("root"))
    typed(repos.repo_list_stargazers("alice", "upstream"))
    users.user_current_delete_star("alice", "upstream")
    watch = typed(repos.user_current_put_subscription("alice", "upstream"))
    typed(repos.user_current_check_subscription("alice", "upstream"))
    typed(repos.repo_list_subscribers("alice", "upstream"))
    typed(users.user_current_list_subscriptions())
    typed(users.user_list_subscriptions("root"))
    repos.user_current_delete_subscription("alice", "upstream")
    # Following: root follows alice, then stops.
    users.user_current_put_follow("alice")
    users.user_current_check_following("alice")
    users.user_check_following("root", "alice")
    typed(users.user_current_list_following())
    typed(users.user_current_list_followers())
    typed(users.user_list_followers("alice"))
    typed(users.user_list_following("root"))
    users.user_current_delete_follow("alice")
    # E-mail addresses: root adds one and deletes it.
    typed(users.user_add_email(body=giteapy.CreateEmailOption(emails=["root2@example.org"])))
    typed(users.user_list_emails())
    users.user_delete_email(body=giteapy.DeleteEmailOption(emails=["root2@example.org"]))
    recorded.deleted.add(watch.url)
    repos.repo_update_topics("root", "widget", body=giteapy.RepoTopicOptions(topics=["web", "api"]))
    repos.repo_add_topc("root", "widget", "go")  # giteapy's name for Gitea's repoAddTopíc
    repos.repo_delete_topic("root", "widget", "api")
    assert typed(repos.repo_list_topics("root", "widget")).topics == ["go", "web"]
    # The spec says an array; Gitea's TopicSearch writes {"topics": [...]}, as Plue does.
    found = repos.topic_search("we", _preload_content=False)
    assert [t["topic_name"] for t in json.loads(found.data)["topics"]] == ["web"]
    created = typed(repos.repo_create_file("root", "widget", "src/app.py",
                                           body=giteapy.CreateFileOptions(
                                               content=b64("print(1)\n"), message="add app")))
    typed(repos.repo_update_file("root", "widget", "src/app.py", body=giteapy.UpdateFileOptions(
        content=b64("print(2)\n"), message="change app", sha=created.content.sha)))
    gone = typed(repos.repo_create_file("root", "widget", "gone.txt", body=giteapy.CreateFileOptions(
        content=b64("bye\n"), message="to delete")))
    typed(repos.repo_delete_file("root", "widget", "gone.txt", body=giteapy.DeleteFileOptions(
        message="delete", sha=gone.content.sha)))
    recorded.deleted |= {gone.content.url, gone.content.html_url, gone.content.download_url}
    typed(repos.repo_get_contents("root", "widget", "src/app.py"))
    typed(repos.repo_get_contents_list("root", "widget"))
    repos.repo_get_raw_file("root", "widget", "src/app.py")
    zipped = repos.repo_get_archive("root", "widget", "main.zip", _preload_content=False)
    assert zipped.status == 200 and zipped.data.startswith(b"PK"), zipped.data[:20]
    typed(repos.repo_create_file("root", "widget", "feature.txt", body=giteapy.CreateFileOptions(
        content=b64("feature\n"), message="feature", new_branch="feature")))
    typed(repos.repo_list_branches("root", "widget"))
    typed(repos.repo_get_branch("root", "widget", "main"))
    commits = typed(repos.repo_get_all_commits("root", "widget"))
    head = commits[0].sha
    typed(repos.repo_get_single_commit("root", "widget", head))
    tree = typed(repos.get_tree("root", "widget", head, recursive=True))
    blob = next(entry for entry in tree.tree if entry.path == "src/app.py")
    typed(repos.get_blob("root", "widget", blob.sha))
    typed(repos.repo_list_all_git_refs("root", "widget"))
    typed(repos.repo_list_git_refs("root", "widget", "heads"))
    made = requests.post(f"{server.url}/api/v1/repos/root/widget/tags",
                         json={"tag_name": "v1", "message": "one", "target": "main"},
                         headers={"Authorization": f"token {server.token}"}, timeout=30)
    assert made.status_code == 201, made.text
    typed(repos.repo_list_tags("root", "widget"))
    typed(repos.get_tag("root", "widget", made.json()["id"]))
    walk_releases(repos, recorded)
    repos.repo_create_status("root", "widget", head, body=giteapy.CreateStatusOption(
        state="success", context="ci", target_url="http://ci.example/1"))
    typed(repos.repo_list_statuses("root", "widget", head))
    typed(repos.repo_get_combined_status_by_ref("root", "widget", "main"))
    repos.repo_add_collaborator("root", "widget", "alice",
                                body=giteapy.AddCollaboratorOption(permission="write"))
    typed(repos.repo_list_collaborators("root", "widget"))
    repos.repo_check_collaborator("root", "widget", "alice")
    hook = typed(repos.repo_create_hook("root", "widget", body=giteapy.CreateHookOption(
        type="gitea", config={"url": "https://hooks.example.com/repo", "content_type": "json"},
        events=["push"], active=True)))
    typed(repos.repo_list_hooks("root", "widget"))
    typed(repos.repo_get_hook("root", "widget", hook.id))
    typed(repos.repo_edit_hook("root", "widget", hook.id, body=giteapy.EditHookOption(
        events=["push", "issues"])))
    repos.repo_test_hook("root", "widget", hook.id)
    repos.repo_delete_hook("root", "widget", hook.id)
    deploy = typed(repos.repo_create_key("root", "widget", body=giteapy.CreateKeyOption(
        key=KEY_B, title="deploy", read_only=True)))
    typed(repos.repo_list_keys("root", "widget"))
    typed(repos.repo_get_key("root", "widget", deploy.id))
    repos.repo_delete_key("root", "widget", deploy.id)
    recorded.deleted.add(deploy.url)

    # Issues, labels, milestones, comments.
    label = typed(issues.issue_create_label("root", "widget", body=giteapy.CreateLabelOption(
        name="bug", color="#ff0000")))
    typed(issues.issue_edit_label("root", "widget", label.id, body=giteapy.EditLabelOption(
        color="#00ff00")))
    typed(issues.issue_get_label("root", "widget", label.id))
    typed(issues.issue_list_labels("root", "widget"))
    milestone = typed(issues.issue_create_milestone("root", "widget",
                                                    body=giteapy.CreateMilestoneOption(title="v1")))
    typed(issues.issue_edit_milestone("root", "widget", milestone.id,
                                      body=giteapy.EditMilestoneOption(description="first")))
    typed(issues.issue_get_milestone("root", "widget", milestone.id))
    typed(issues.issue_get_milestones_list("root", "widget", state="all"))
    issue = typed(issues.issue_create_issue("root", "widget", body=giteapy.CreateIssueOption(
        title="broken", body="it is", milestone=milestone.id, assignees=["alice"])))
    typed(issues.issue_get_issue("root", "widget", issue.number))
    typed(issues.issue_edit_issue("root", "widget", issue.number,
                                  body=giteapy.EditIssueOption(state="closed")))
    typed(issues.issue_list_issues("root", "widget", state="all"))
    typed(issues.issue_add_label("root", "widget", issue.number,
                                 body=giteapy.IssueLabelsOption(labels=[label.id])))
    typed(issues.issue_get_labels("root", "widget", issue.number))
    typed(issues.issue_replace_labels("root", "widget", issue.number,
                                      body=giteapy.IssueLabelsOption(labels=[label.id])))
    issues.issue_remove_label("root", "widget", issue.number, label.id)
    issues.issue_clear_labels("root", "widget", issue.number)
    first = typed(issues.issue_create_comment("root", "widget", issue.number,
                                              body=giteapy.CreateIssueCommentOption(body="one")))
    second = typed(issues.issue_create_comment("root", "widget", issue.number,
                                               body=giteapy.CreateIssueCommentOption(body="two")))
    typed(issues.issue_get_comments("root", "widget", issue.number))
    typed(issues.issue_get_repo_comments("root", "widget"))
    typed(issues.issue_edit_comment("root", "widget", first.id,
                                    body=giteapy.EditIssueCommentOption(body="uno")))
    typed(issues.issue_edit_comment_deprecated("root", "widget", issue.number, second.id,
                                               body=giteapy.EditIssueCommentOption(body="dos")))
    # Time tracking on the issue.
    issues.issue_start_stop_watch("root", "widget", issue.number)
    issues.issue_stop_watch("root", "widget", issue.number)
    typed(issues.issue_add_time("root", "widget", issue.number,
                                body=giteapy.AddTimeOption(time=60)))
    typed(issues.issue_tracked_times("root", "widget", issue.number))
    typed(repos.repo_tracked_times("root", "widget"))
    typed(users.user_tracked_times("root", "widget", "root"))
    typed(users.user_current_tracked_times())
    # The deadline (the client sends a datetime and reads an IssueDeadline).
    due = datetime.datetime(2026, 12, 24, 8, 0, tzinfo=datetime.timezone.utc)
    deadline = typed(issues.issue_edit_issue_deadline(
        "root", "widget", issue.number, body=giteapy.EditDeadlineOption(due_date=due)))
    assert deadline.due_date.day == 24

    # A pull request, edited and merged.
    pull = typed(repos.repo_create_pull_request("root", "widget", body=giteapy.CreatePullRequestOption(
        title="add feature", head="feature", base="main", labels=[label.id])))
    typed(repos.repo_edit_pull_request("root", "widget", pull.number,
                                       body=giteapy.EditPullRequestOption(body="please")))
    typed(repos.repo_list_pull_requests("root", "widget", state="open"))
    repos.repo_merge_pull_request("root", "widget", pull.number,
                                  body=giteapy.MergePullRequestOption(do="merge"))
    repos.repo_pull_request_is_merged("root", "widget", pull.number)
    typed(repos.repo_get_pull_request("root", "widget", pull.number))
    walk_urls_then_remove(server, recorded, api, issue, first, second, label, milestone, team)


def walk_releases(repos, recorded: Recorded) -> None:
    """A release of the tag v1 with a file (kept: its URLs are opened), and a second one made,
    renamed and removed with its file."""
    kept = typed(repos.repo_create_release("root", "widget", body=giteapy.CreateReleaseOption(
        tag_name="v1", name="One", body="notes")))
    typed(repos.repo_edit_release("root", "widget", kept.id,
                                  body=giteapy.EditReleaseOption(name="First")))
    typed(repos.repo_list_releases("root", "widget"))
    typed(repos.repo_get_release("root", "widget", kept.id))
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp, "tool.bin")
        path.write_bytes(b"release bytes\n")
        asset = typed(repos.repo_create_release_attachment("root", "widget", kept.id, str(path)))
        gone = typed(repos.repo_create_release("root", "widget", body=giteapy.CreateReleaseOption(
            tag_name="v0", target_commitish="main")))
        extra = typed(repos.repo_create_release_attachment("root", "widget", gone.id, str(path)))
    typed(repos.repo_list_release_attachments("root", "widget", kept.id))
    typed(repos.repo_get_release_attachment("root", "widget", kept.id, asset.id))
    typed(repos.repo_edit_release_attachment("root", "widget", gone.id, extra.id,
                                             body=giteapy.EditAttachmentOptions(name="x.bin")))
    repos.repo_delete_release_attachment("root", "widget", gone.id, extra.id)
    repos.repo_delete_release("root", "widget", gone.id)
    # giteapy's Release has no html_url; Plue's answer named the release's page.
    page = gone.tarball_url.replace("/archive/v0.tar.gz", "/releases/tag/v0")
    recorded.deleted |= {gone.url, page, f"{gone.url}/assets", gone.tarball_url, gone.zipball_url,
                         extra.browser_download_url,
                         extra.browser_download_url.replace("tool.bin", "x.bin")}


def walk_urls_then_remove(server, recorded, api, issue, first, second, label, milestone,
                          team) -> None:
    """Open every URL the answers so far named (while all they name exists), then delete."""
    recorded.opened = open_urls(server, recorded)
    admin, orgs = giteapy.AdminApi(api), giteapy.OrganizationApi(api)
    repos, issues = giteapy.RepositoryApi(api), giteapy.IssueApi(api)
    issues.issue_delete_comment("root", "widget", first.id)
    issues.issue_delete_comment_deprecated("root", "widget", issue.number, second.id)
    issues.issue_delete_label("root", "widget", label.id)
    issues.issue_delete_milestone("root", "widget", milestone.id)
    repos.repo_delete_collaborator("root", "widget", "alice")
    orgs.org_remove_team_member(team.id, "alice")
    orgs.org_delete_team(team.id)
    orgs.org_add_team_member(
        typed(orgs.org_list_teams("acme"))[0].id, "alice")  # Owners: alice becomes a member
    orgs.org_delete_member("acme", "alice")
    repos.repo_delete("acme", "tools")
    orgs.org_delete("acme")
    repos.repo_delete("root", "upstream")
    orgs.org_delete("carols")  # before its owner
    admin.admin_delete_user("carol")


def json_bodies(recorded: Recorded):
    for method, url, status, body in recorded.calls:
        if body and body.lstrip()[:1] in ("{", "["):
            yield f"{method} {url} ({status})", json.loads(body)


def walk_json(value, where=""):
    """(key, value, where, the object holding it) for every field at any depth."""
    if isinstance(value, dict):
        for key, entry in value.items():
            yield from walk_json(entry, f"{where}/{key}")
            yield key, entry, f"{where}/{key}", value
    elif isinstance(value, list):
        for index, entry in enumerate(value):
            yield from walk_json(entry, f"{where}[{index}]")


def is_plue_url(key: str, value, server) -> bool:
    return (isinstance(value, str) and (key == "url" or key.endswith("_url"))
            and value.startswith(server.url + "/"))


def left_alone(key: str, value: str, holder: dict) -> bool:
    """URLs Plue names as Gitea does but does not serve (the report says why)."""
    # A directory's git_url is /git/blobs/{tree sha} in Gitea too (ToContentsResponse); only
    # Gitea's nogogit build answers it, with the tree's raw bytes.
    return key == "git_url" and holder.get("type") == "dir"


def open_urls(server, recorded: Recorded) -> dict[str, tuple[int, str]]:
    """Each URL an answer named: the status GET gave it, and the first answer that named it."""
    urls: dict[str, str] = {}
    for call, body in json_bodies(recorded):
        for key, value, where, holder in walk_json(body):
            if is_plue_url(key, value, server) and not left_alone(key, value, holder):
                urls.setdefault(value, f"{call} {where}")
    session = requests.Session()
    session.auth = ("root", PASSWORD)
    return {url: (session.get(url, timeout=30).status_code, source) for url, source in urls.items()}


def test_every_giteapy_operation_plue_serves_was_driven(walked):
    server, recorded = walked
    with tempfile.TemporaryDirectory() as tmp:
        from plue_core import create_app
        from plue_core.testing import make_test_config

        app = create_app(make_test_config(pathlib.Path(tmp), f"sqlite:///{tmp}/plue.db"))
        try:
            served = gitea_coverage.served_operations(app)
        finally:
            app.plue.close()
    erase = lambda path: re.sub(r"\{[^}]*\}", "{}", path)  # noqa: E731
    served_shapes = {f"{e.split(' ')[0]} {erase(e.split(' ', 1)[1])}" for e in served}
    wanted = {op for op in giteapy_operations()
              if f"{op.split(' ')[0]} {erase(op.split(' ', 1)[1])}" in served_shapes}
    driven = set()
    for method, url, _, _ in recorded.calls + recorded.refused:
        template = gitea_swagger.template_for(url.removeprefix(server.url).split("?")[0])
        if template:
            driven.add(f"{method} {erase(template)}")
    missing = sorted(op for op in wanted if f"{op.split(' ')[0]} {erase(op.split(' ', 1)[1])}"
                     not in driven)
    assert len(wanted) > 120 and missing == []


def test_no_call_of_the_client_failed(walked):
    _, recorded = walked
    failed = [(m, u, s, b[:200]) for m, u, s, b in recorded.calls if s >= 400]
    assert failed == []


def test_every_date_the_client_reads_is_rfc_3339(walked):
    _, recorded = walked
    keys = datetime_keys()
    assert {"created", "created_at", "updated_at", "closed_at", "merged_at"} <= keys
    checked, wrong = 0, []
    for call, body in json_bodies(recorded):
        for key, value, where, _ in walk_json(body):
            if key in keys and value is not None:
                checked += 1
                if not (isinstance(value, str) and gitea_swagger._parses_as_date_time(value)):
                    wrong.append(f"{call} {where}: {value!r}")
    assert checked > 100 and wrong == []


def test_every_url_an_answer_names_opens_for_the_owner(walked):
    _, recorded = walked
    assert len(recorded.opened) > 50
    broken = {url: found for url, found in recorded.opened.items()
              if found[0] != 200 and url not in recorded.deleted}
    assert broken == {}, "\n".join(f"{status} {url} (from {source})"
                                    for url, (status, source) in broken.items())
