"""The real server driven by ``giteapy``, the Python client swagger-codegen generated from
Gitea's spec: every body is deserialized into its typed model (ints, datetimes, nested
models), so a field Gitea's client cannot read fails here. The client authenticates as its
users do, with an ``access_token`` in the query string, an ``Authorization: token`` header or
Basic credentials. Its spec predates reviews and actions; test_gitea_response_shapes.py checks
those bodies against today's spec."""

from __future__ import annotations

import base64
import datetime
import json

import giteapy
import pytest
import requests
from giteapy.rest import ApiException

from plue_core.testing import fresh_database_url, run_live_server

pytestmark = pytest.mark.e2e

PASSWORD = "root-password-1"
SSH_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIChYZZik0SOTcYhEwOhr/3ajjhuPB8J4ocORyrhLDF+B "
           "generated-client")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("gitea-client")
    with fresh_database_url(tmp_path) as url, run_live_server(tmp_path, url) as live:
        live.plue("admin", "user", "create", "--username", "root", "--email", "root@example.com",
                  "--password", PASSWORD, "--admin")
        live.token = live.plue("admin", "token", "create", "--username", "root",
                               "--name", "client").stdout.strip()
        yield live


def client(server, *, mode: str = "query"):
    conf = giteapy.Configuration()
    conf.host = f"{server.url}/api/v1"
    if mode == "query":
        conf.api_key["access_token"] = server.token
    elif mode == "header":
        conf.api_key["Authorization"] = server.token
        conf.api_key_prefix["Authorization"] = "token"
    else:
        conf.username, conf.password = "root", PASSWORD
    return giteapy.ApiClient(conf)


def typed(model):
    """``model`` after checking what the client made of it: every datetime carries its zone
    (Gitea's are RFC 3339) and every id is an int."""
    seen = set()

    def walk(value, where):
        if id(value) in seen:
            return
        seen.add(id(value))
        if isinstance(value, datetime.datetime):
            assert value.tzinfo is not None, f"{where}: a datetime without a timezone"
        elif isinstance(value, list):
            for index, entry in enumerate(value):
                walk(entry, f"{where}[{index}]")
        elif hasattr(value, "swagger_types"):
            for name, kind in value.swagger_types.items():
                field = getattr(value, name)
                if name == "id" and kind == "int" and field is not None:
                    assert isinstance(field, int), f"{where}.id: {field!r}"
                walk(field, f"{where}.{name}")

    walk(model, type(model).__name__)
    return model


@pytest.mark.parametrize("mode", ["query", "header", "basic"])
def test_each_way_the_client_authenticates_is_accepted(server, mode):
    me = typed(giteapy.UserApi(client(server, mode=mode)).user_get_current())
    assert me.login == "root" and me.is_admin is True


def test_the_client_walks_accounts_organizations_and_keys(server):
    api = client(server)
    admin, users, orgs = giteapy.AdminApi(api), giteapy.UserApi(api), giteapy.OrganizationApi(api)
    alice = typed(admin.admin_create_user(body=giteapy.CreateUserOption(
        username="alice", email="alice@example.com", password="alice-password-1",
        must_change_password=False)))
    assert alice.login == "alice" and alice.created > datetime.datetime(2020, 1, 1,
                                                                          tzinfo=datetime.UTC)
    assert "alice" in [u.login for u in typed(admin.admin_get_all_users())]
    typed(admin.admin_edit_user("alice", body=giteapy.EditUserOption(
        email="alice@example.com", full_name="Alice A", login_name="alice", source_id=0)))
    assert typed(users.user_get("alice")).full_name == "Alice A"
    assert [u.login for u in typed(users.user_search(q="ali")).data] == ["alice"]
    key = typed(users.user_current_post_key(body=giteapy.CreateKeyOption(key=SSH_KEY, title="k")))
    assert typed(users.user_current_get_key(key.id)).fingerprint == key.fingerprint
    assert [k.id for k in typed(users.user_current_list_keys())] == [key.id]
    users.user_current_delete_key(key.id)

    org = typed(orgs.org_create(organization=giteapy.CreateOrgOption(username="acme",
                                                                      visibility="public")))
    assert typed(orgs.org_get("acme")).id == org.id
    assert typed(orgs.org_edit("acme", body=giteapy.EditOrgOption(
        description="widgets", visibility="private"))).visibility == "private"
    assert [o.username for o in typed(orgs.org_list_current_user_orgs())] == ["acme"]
    assert [u.login for u in typed(orgs.org_list_members("acme"))] == ["root"]
    team = typed(orgs.org_create_team("acme", body=giteapy.CreateTeamOption(
        name="devs", permission="write", units=["repo.code", "repo.issues"])))
    assert team.permission == "write"
    orgs.org_add_team_member(team.id, "alice")
    assert [u.login for u in typed(orgs.org_list_team_members(team.id))] == ["alice"]
    assert typed(orgs.org_get_team(team.id)).name == "devs"


def test_the_client_creates_an_organization_repository_by_giteas_older_path(server):
    # giteapy's create_org_repo posts to /org/{org}/repos, Gitea's deprecated spelling of
    # /orgs/{org}/repos that Gitea still serves.
    api = client(server)
    giteapy.OrganizationApi(api).org_create(organization=giteapy.CreateOrgOption(
        username="widgets-inc"))
    repo = typed(giteapy.OrganizationApi(api).create_org_repo(
        "widgets-inc", body=giteapy.CreateRepoOption(name="gears", auto_init=True)))
    assert repo.full_name == "widgets-inc/gears" and repo.owner.login == "widgets-inc"
    listed = typed(giteapy.OrganizationApi(api).org_list_repos("widgets-inc"))
    assert [r.name for r in listed] == ["gears"]
    with pytest.raises(ApiException) as missing:
        giteapy.OrganizationApi(api).create_org_repo(
            "no-such-org", body=giteapy.CreateRepoOption(name="gears"))
    assert missing.value.status == 404


def test_the_client_walks_repositories_contents_and_git_data(server):
    api = client(server)
    repos = giteapy.RepositoryApi(api)
    empty = typed(repos.create_current_user_repo(body=giteapy.CreateRepoOption(name="void")))
    assert empty.empty is True and typed(repos.repo_list_branches("root", "void")) == []
    with pytest.raises(ApiException) as empty_log:
        repos.repo_get_all_commits("root", "void")
    assert empty_log.value.status == 409

    repo = typed(repos.create_current_user_repo(body=giteapy.CreateRepoOption(
        name="widget", auto_init=True, description="d", readme="Default")))
    assert typed(repos.repo_get_by_id(repo.id)).full_name == "root/widget"
    created = typed(repos.repo_create_file("root", "widget", "src/app.py",
                                           body=giteapy.CreateFileOptions(
                                               content=base64.b64encode(b"print(1)\n").decode(),
                                               message="add app")))
    assert created.content.path == "src/app.py" and created.commit.sha
    typed(repos.repo_update_file("root", "widget", "src/app.py", body=giteapy.UpdateFileOptions(
        content=base64.b64encode(b"print(2)\n").decode(), message="change app",
        sha=created.content.sha)))
    content = typed(repos.repo_get_contents("root", "widget", "src/app.py"))
    assert base64.b64decode(content.content) == b"print(2)\n"
    assert {e.name for e in typed(repos.repo_get_contents_list("root", "widget"))} == {
        "README.md", "src"}
    commits = typed(repos.repo_get_all_commits("root", "widget"))
    assert len(commits) == 3
    assert typed(repos.repo_get_single_commit("root", "widget", commits[0].sha)).sha == \
        commits[0].sha
    tree = typed(repos.get_tree("root", "widget", commits[0].sha, recursive=True))
    blob = next(entry for entry in tree.tree if entry.path == "src/app.py")
    assert base64.b64decode(typed(repos.get_blob("root", "widget", blob.sha)).content) == \
        b"print(2)\n"
    # (Its spec of the time called this answer a list; Gitea's answers one Status, as Plue.)
    repos.repo_create_status("root", "widget", commits[0].sha, body=giteapy.CreateStatusOption(
        state="success", context="ci", target_url="http://ci.example/1"))
    [status] = typed(repos.repo_list_statuses("root", "widget", commits[0].sha))
    assert status.context == "ci" and status.created_at.tzinfo is not None
    assert [r.ref for r in typed(repos.repo_list_all_git_refs("root", "widget"))] == [
        "refs/heads/main"]
    assert typed(repos.repo_get_branch("root", "widget", "main")).commit.id == commits[0].sha
    typed(repos.repo_edit("root", "void", body=giteapy.EditRepoOption(archived=True)))
    assert typed(repos.repo_get("root", "void")).archived is True


def test_the_client_walks_issues_labels_milestones_and_a_merged_pull(server):
    api = client(server)
    repos, issues = giteapy.RepositoryApi(api), giteapy.IssueApi(api)
    typed(repos.create_current_user_repo(body=giteapy.CreateRepoOption(name="tracker",
                                                                        auto_init=True)))
    label = typed(issues.issue_create_label("root", "tracker", body=giteapy.CreateLabelOption(
        name="bug", color="#ff0000")))
    milestone = typed(issues.issue_create_milestone("root", "tracker",
                                                    body=giteapy.CreateMilestoneOption(title="v1")))
    issue = typed(issues.issue_create_issue("root", "tracker", body=giteapy.CreateIssueOption(
        title="broken", body="it is", labels=[label.id], milestone=milestone.id)))
    assert issue.milestone.id == milestone.id and [x.id for x in issue.labels] == [label.id]
    assert issue.state == "open" and issue.closed_at is None
    closed = typed(issues.issue_edit_issue("root", "tracker", issue.number,
                                           body=giteapy.EditIssueOption(state="closed")))
    assert closed.state == "closed" and closed.closed_at.tzinfo is not None
    comment = typed(issues.issue_create_comment("root", "tracker", issue.number,
                                                body=giteapy.CreateIssueCommentOption(body="hi")))
    assert [c.id for c in typed(issues.issue_get_comments("root", "tracker", issue.number))] == \
        [comment.id]
    typed(issues.issue_edit_comment("root", "tracker", comment.id,
                                    body=giteapy.EditIssueCommentOption(body="hello")))
    assert [x.name for x in typed(issues.issue_replace_labels(
        "root", "tracker", issue.number, body=giteapy.IssueLabelsOption(labels=[label.id])))] == \
        ["bug"]
    assert [m.title for m in typed(issues.issue_get_milestones_list("root", "tracker",
                                                                    state="all"))] == ["v1"]
    assert [i.number for i in typed(issues.issue_list_issues("root", "tracker", state="closed"))] \
        == [issue.number]

    repos.repo_create_file("root", "tracker", "feature.txt", body=giteapy.CreateFileOptions(
        content=base64.b64encode(b"feature\n").decode(), message="feature",
        new_branch="feature"))
    pull = typed(repos.repo_create_pull_request("root", "tracker",
                                                body=giteapy.CreatePullRequestOption(
                                                    title="add feature", head="feature",
                                                    base="main")))
    assert pull.mergeable is True and pull.merged_at is None
    repos.repo_merge_pull_request("root", "tracker", pull.number,
                                  body=giteapy.MergePullRequestOption(do="merge"))
    repos.repo_pull_request_is_merged("root", "tracker", pull.number)  # 204: no exception
    merged = typed(repos.repo_get_pull_request("root", "tracker", pull.number))
    assert merged.merged is True and merged.merged_at.tzinfo is not None
    assert merged.merged_by.login == "root"
    assert [p.number for p in typed(repos.repo_list_pull_requests("root", "tracker",
                                                                  state="closed"))] == [pull.number]


def test_an_error_names_the_api_documentation_never_the_token_in_the_query(server):
    # Gitea's APIError ``url`` is setting.API.SwaggerURL; echoing the request URL handed the
    # access_token back in the body, where a client's error log prints it.
    repos = giteapy.RepositoryApi(client(server))
    with pytest.raises(ApiException) as missing:
        repos.repo_get("root", "no-such-repository")
    assert missing.value.status == 404
    assert server.token not in missing.value.body
    body = json.loads(missing.value.body)
    assert body["url"] == f"{server.url}/api/swagger" and body["message"]
    assert requests.get(body["url"], timeout=30).status_code == 200
