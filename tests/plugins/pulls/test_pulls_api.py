"""Opening, reading, listing and editing pull requests: Gitea's shapes and codes."""

from __future__ import annotations


def test_opening_a_pull_request_numbers_it_like_an_issue_and_shows_both_branches(forge):
    issue = forge.post("/repos/alice/project/issues", {"title": "a bug"}).json
    head_sha = forge.commit("alice/project", "main", {"f.txt": "f\n"}, new_branch="feature")
    pull = forge.open_pull(body="Please merge")

    assert pull["number"] == issue["number"] + 1
    assert pull["title"] == "Add a feature" and pull["body"] == "Please merge"
    assert pull["state"] == "open" and pull["merged"] is False and pull["mergeable"] is True
    assert pull["user"]["login"] == "alice"
    assert pull["head"]["ref"] == "feature" and pull["head"]["sha"] == head_sha
    assert pull["head"]["label"] == "feature" and pull["head"]["repo_id"] == pull["base"]["repo_id"]
    assert pull["base"]["ref"] == "main" and pull["base"]["sha"] == forge.branch_sha("alice/project", "main")
    assert pull["base"]["repo"]["full_name"] == "alice/project"
    assert pull["merge_base"] == pull["base"]["sha"]
    assert (pull["additions"], pull["deletions"], pull["changed_files"]) == (1, 0, 1)
    assert pull["html_url"].endswith("/alice/project/pulls/2") and pull["url"] == pull["html_url"]
    assert pull["diff_url"] == pull["html_url"] + ".diff" and pull["patch_url"] == pull["html_url"] + ".patch"
    assert pull["merged_at"] is None and pull["merge_commit_sha"] is None and pull["merged_by"] is None
    assert pull["requested_reviewers"] == [] and pull["draft"] is False
    # The base repository keeps the head, as Gitea does.
    assert forge.git("alice/project", "rev-parse", "refs/pull/2/head") == head_sha
    assert forge.get("/repos/alice/project").json["open_pr_counter"] == 1


def test_a_pull_request_is_listed_among_the_issues_of_type_pulls(forge):
    pull = forge.feature_pull()
    listed = forge.get("/repos/alice/project/issues", params={"type": "pulls"}).json
    assert [i["number"] for i in listed] == [pull["number"]]
    assert listed[0]["pull_request"] == {"merged": False, "merged_at": None, "draft": False,
                                         "html_url": pull["html_url"]}


def test_opening_publishes_a_pull_request_event_with_the_head_commit(forge):
    pull = forge.feature_pull()
    [event] = forge.recorder.of("pull_request", action="opened")
    assert (event.number, event.head_sha, event.head_ref, event.base_ref) == (
        pull["number"], pull["head"]["sha"], "feature", "main")
    assert event.sender == "alice" and event.is_fork is False and event.merged is False


def test_a_second_open_pull_request_for_the_same_branches_is_a_conflict_and_numbers_nothing(forge):
    first = forge.feature_pull()
    again = forge.post("/repos/alice/project/pulls", {"head": "feature", "base": "main", "title": "again"})
    assert again.status_code == 409
    assert "pull request already exists for these targets" in again.json["message"]
    issue = forge.post("/repos/alice/project/issues", {"title": "next"}).json
    assert issue["number"] == first["number"] + 1  # the refused pull request took no number


def test_a_pull_request_of_a_branch_into_itself_is_refused(forge):
    response = forge.post("/repos/alice/project/pulls", {"head": "main", "base": "main", "title": "t"})
    assert response.status_code == 422
    assert "no changes between the head and the base" in response.json["message"]
    same = forge.post("/repos/alice/project/pulls", {"head": "alice:main", "base": "main", "title": "t"})
    assert same.status_code == 422


def test_unknown_branches_owners_and_missing_fields_are_refused_with_a_message(forge):
    forge.commit("alice/project", "main", {"f.txt": "f\n"}, new_branch="feature")
    missing_head = forge.post("/repos/alice/project/pulls", {"head": "nope", "base": "main", "title": "t"})
    assert missing_head.status_code == 404 and "'nope'" in missing_head.json["message"]
    missing_base = forge.post("/repos/alice/project/pulls", {"head": "feature", "base": "nope", "title": "t"})
    assert missing_base.status_code == 404 and "base branch" in missing_base.json["message"]
    no_owner = forge.post("/repos/alice/project/pulls", {"head": "ghost:feature", "base": "main", "title": "t"})
    assert no_owner.status_code == 404 and "ghost" in no_owner.json["message"]
    no_fork = forge.post("/repos/alice/project/pulls", {"head": "oscar:feature", "base": "main", "title": "t"})
    assert no_fork.status_code == 404 and "no fork" in no_fork.json["message"]
    no_title = forge.post("/repos/alice/project/pulls", {"head": "feature", "base": "main"})
    assert no_title.status_code == 422 and "title" in no_title.json["message"]
    forge.post("/repos/alice/project/tags", {"tag_name": "v1"})
    tag = forge.post("/repos/alice/project/pulls", {"head": "feature", "base": "v1", "title": "t"})
    assert tag.status_code == 422 and "must be branches" in tag.json["message"]


def test_who_may_open_and_see_pull_requests(forge):
    forge.commit("alice/project", "main", {"f.txt": "f\n"}, new_branch="feature")
    anonymous = forge.post("/repos/alice/project/pulls", {"head": "feature", "base": "main", "title": "t"}, as_user=None)
    assert anonymous.status_code == 401
    # Any reader may propose a change (from a branch they can read).
    by_reader = forge.open_pull(as_user="rita")
    assert by_reader["user"]["login"] == "rita"
    assert forge.get(f"/repos/alice/project/pulls/{by_reader['number']}", as_user=None).status_code == 200
    # A private repository does not exist for outsiders.
    forge.commit("alice/secret", "main", {"s.txt": "s\n"}, new_branch="topic")
    assert forge.open_pull("alice/secret", head="topic")["number"] == 1
    assert forge.get("/repos/alice/secret/pulls/1", as_user="oscar").status_code == 404
    assert forge.get("/repos/alice/secret/pulls", as_user=None).status_code == 404
    read_only = forge.token("alice", "read:repository")
    assert forge.get("/repos/alice/secret/pulls/1", as_user=read_only).status_code == 200
    refused = forge.post("/repos/alice/secret/pulls", {"head": "topic", "base": "main", "title": "t"},
                         as_user=read_only)
    assert refused.status_code == 403 and "write:repository" in refused.json["message"]
    issue_only = forge.token("alice", "read:issue")
    assert forge.get("/repos/alice/secret/pulls/1", as_user=issue_only).status_code == 403


def test_pull_requests_answer_404_when_the_unit_is_off_or_the_index_is_not_a_pull(forge):
    issue = forge.post("/repos/alice/project/issues", {"title": "plain issue"}).json
    assert forge.get(f"/repos/alice/project/pulls/{issue['number']}").status_code == 404
    assert forge.get("/repos/alice/project/pulls/999").status_code == 404
    assert forge.get("/repos/alice/project/pulls/abc").status_code == 404
    assert forge.patch("/repos/alice/project", {"has_pull_requests": False}).status_code == 200
    response = forge.get("/repos/alice/project/pulls")
    assert response.status_code == 404 and "pull requests disabled" in response.json["message"]


def test_listing_filters_sorts_and_paginates(forge):
    label = forge.post("/repos/alice/project/labels", {"name": "ready", "color": "00ff00"}).json
    milestone = forge.post("/repos/alice/project/milestones", {"title": "v1"}).json
    first = forge.feature_pull(branch="one", labels=[label["id"]], milestone=milestone["id"])
    second = forge.feature_pull(branch="two")
    third = forge.commit("alice/project", "main", {"t.txt": "t\n"}, new_branch="three")
    third = forge.open_pull(head="three", base="two", as_user="wanda")
    forge.patch(f"/repos/alice/project/pulls/{second['number']}", {"state": "closed"})

    def numbers(**params):
        response = forge.get("/repos/alice/project/pulls", params=params)
        assert response.status_code == 200, response.text
        return [p["number"] for p in response.json]

    assert numbers() == [third["number"], first["number"]]
    assert numbers(state="closed") == [second["number"]]
    assert numbers(state="all", sort="oldest") == [first["number"], second["number"], third["number"]]
    assert numbers(labels=str(label["id"])) == [first["number"]]
    assert numbers(milestone=str(milestone["id"])) == [first["number"]]
    assert numbers(poster="wanda") == [third["number"]]
    assert numbers(base_branch="two") == [third["number"]]
    page = forge.get("/repos/alice/project/pulls", params={"state": "all", "limit": "2", "page": "2"})
    assert page.headers["X-Total-Count"] == "3" and len(page.json) == 1
    assert 'rel="first"' in page.headers["Link"]
    assert forge.get("/repos/alice/project/pulls", params={"poster": "ghost"}).status_code == 400
    # Gitea filters the pull list on open/closed only: an unknown state lists every pull.
    assert numbers(state="weird") == [third["number"], second["number"], first["number"]]
    assert forge.get("/repos/alice/project/pulls", params={"labels": "x"}).status_code == 422
    listed = forge.get("/repos/alice/project/pulls", params={"state": "all"}).json
    assert {p["labels"][0]["name"] for p in listed if p["labels"]} == {"ready"}


def test_the_pull_request_by_its_branches(forge):
    pull = forge.feature_pull()
    found = forge.get("/repos/alice/project/pulls/main/feature")
    assert found.status_code == 200 and found.json["number"] == pull["number"]
    assert forge.get("/repos/alice/project/pulls/main/alice:feature").json["number"] == pull["number"]
    assert forge.get("/repos/alice/project/pulls/main/other").status_code == 404


def test_editing_title_body_labels_and_state_answers_201_and_publishes_events(forge):
    pull = forge.feature_pull()
    label = forge.post("/repos/alice/project/labels", {"name": "x", "color": "#123456"}).json
    path = f"/repos/alice/project/pulls/{pull['number']}"
    edited = forge.patch(path, {"title": "Better title", "body": "new body", "labels": [label["id"]]})
    assert edited.status_code == 201, edited.text
    assert edited.json["title"] == "Better title" and edited.json["body"] == "new body"
    assert [l["name"] for l in edited.json["labels"]] == ["x"]
    closed = forge.patch(path, {"state": "closed"})
    assert closed.status_code == 201 and closed.json["state"] == "closed" and closed.json["closed_at"]
    assert forge.get("/repos/alice/project").json["open_pr_counter"] == 0
    reopened = forge.patch(path, {"state": "open"})
    assert reopened.json["state"] == "open" and reopened.json["closed_at"] is None
    actions = [e.action for e in forge.recorder.of("pull_request")]
    assert actions == ["opened", "edited", "closed", "reopened"]
    assert forge.patch(path, {"state": "weird"}).status_code == 412


def test_drafts_are_marked_by_the_title_and_are_not_mergeable(forge):
    pull = forge.feature_pull(title="WIP: not yet")
    assert pull["draft"] is True and pull["mergeable"] is False
    path = f"/repos/alice/project/pulls/{pull['number']}"
    merge = forge.post(f"{path}/merge", {"Do": "merge"})
    assert merge.status_code == 405 and "Work in progress" in merge.json["message"]
    ready = forge.patch(path, {"title": "ready now"}).json
    assert ready["draft"] is False and ready["mergeable"] is True


def test_only_the_poster_or_a_writer_edits_and_only_writers_set_labels(forge):
    pull = forge.feature_pull(as_user="rita")
    path = f"/repos/alice/project/pulls/{pull['number']}"
    assert forge.patch(path, {"title": "by oscar"}, as_user="oscar").status_code == 403
    label = forge.post("/repos/alice/project/labels", {"name": "x", "color": "123456"}).json
    by_poster = forge.patch(path, {"title": "by rita", "labels": [label["id"]]}, as_user="rita")
    assert by_poster.status_code == 201 and by_poster.json["labels"] == []
    by_writer = forge.patch(path, {"labels": [label["id"]]}, as_user="wanda")
    assert [l["id"] for l in by_writer.json["labels"]] == [label["id"]]


def test_changing_the_base_branch_checks_it_exists_and_is_not_taken(forge):
    forge.commit("alice/project", "main", {"d.txt": "d\n"}, new_branch="develop")
    pull = forge.feature_pull()
    path = f"/repos/alice/project/pulls/{pull['number']}"
    assert forge.patch(path, {"base": "nowhere"}).status_code == 404
    moved = forge.patch(path, {"base": "develop"})
    assert moved.status_code == 201 and moved.json["base"]["ref"] == "develop"
    other = forge.open_pull(base="main", title="same head into main")
    taken = forge.patch(f"/repos/alice/project/pulls/{other['number']}", {"base": "develop"})
    assert taken.status_code == 409


def test_allowing_maintainer_edits_is_for_the_poster(forge):
    pull = forge.feature_pull(as_user="wanda", allow_maintainer_edit=True)
    assert pull["allow_maintainer_edit"] is True
    path = f"/repos/alice/project/pulls/{pull['number']}"
    refused = forge.patch(path, {"allow_maintainer_edit": False})
    assert refused.status_code == 403
    assert forge.patch(path, {"allow_maintainer_edit": False}, as_user="wanda").json["allow_maintainer_edit"] is False
