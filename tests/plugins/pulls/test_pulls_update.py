"""Updating a pull request's head branch with its base (Gitea's ``/pulls/{index}/update``),
on the bare repository, followed by the same push and synchronize as a ``git push``."""

from __future__ import annotations


def update(forge, number: int, style: str | None = None, repo: str = "alice/project",
           as_user: str = "alice"):
    params = {"style": style} if style else None
    return forge.post(f"/repos/{repo}/pulls/{number}/update", as_user=as_user, params=params)


def behind(forge, repo: str = "alice/project", feature_file: str = "feature.txt",
           main_file: str = "main.txt") -> dict:
    forge.commit(repo, "main", {feature_file: "feature\n"}, new_branch="feature", as_user="alice")
    forge.commit(repo, "main", {main_file: "main moved\n"})
    return forge.open_pull(repo)


def fsck(forge, repo: str = "alice/project") -> None:
    out = forge.git(repo, "fsck", "--strict", "--no-progress", "--no-dangling")
    assert "error" not in out and "broken" not in out


def test_updating_by_merge_merges_the_base_into_the_head_and_synchronizes(forge):
    pull = behind(forge)
    head_before = pull["head"]["sha"]
    base_tip = forge.branch_sha("alice/project", "main")
    response = update(forge, pull["number"])
    assert response.status_code == 200, response.text
    tip = forge.branch_sha("alice/project", "feature")
    assert forge.git("alice/project", "rev-parse", f"{tip}^1") == head_before
    assert forge.git("alice/project", "rev-parse", f"{tip}^2") == base_tip
    assert forge.git("alice/project", "log", "-1", "--format=%s", tip) == "Merge branch 'main' into feature"
    [push] = [e for e in forge.recorder.of("push") if e.ref == "refs/heads/feature" and e.after == tip]
    assert push.before == head_before and push.pusher == "alice"
    [event] = forge.recorder.of("pull_request", action="synchronized")
    assert event.head_sha == tip
    after = forge.get(f"/repos/alice/project/pulls/{pull['number']}").json
    assert after["head"]["sha"] == tip and after["changed_files"] == 1 and after["mergeable"] is True
    fsck(forge)


def test_updating_by_rebase_replays_the_head_onto_the_base(forge):
    pull = behind(forge)
    base_tip = forge.branch_sha("alice/project", "main")
    response = update(forge, pull["number"], "rebase")
    assert response.status_code == 200, response.text
    tip = forge.branch_sha("alice/project", "feature")
    assert forge.git("alice/project", "rev-parse", f"{tip}^") == base_tip
    assert forge.git("alice/project", "show", f"{tip}:feature.txt") == "feature"
    assert forge.recorder.of("pull_request", action="synchronized")[-1].head_sha == tip
    fsck(forge)


def test_an_up_to_date_head_is_left_alone(forge):
    pull = forge.feature_pull()
    before = len(forge.recorder.of("push"))
    assert update(forge, pull["number"]).status_code == 200
    assert forge.branch_sha("alice/project", "feature") == pull["head"]["sha"]
    assert len(forge.recorder.of("push")) == before


def test_a_conflicting_update_is_409_and_moves_nothing(forge):
    pull = behind(forge, main_file="feature.txt")
    for style, word in (("merge", "merge"), ("rebase", "rebase")):
        response = update(forge, pull["number"], style)
        assert response.status_code == 409 and word in response.json["message"], response.text
    assert forge.branch_sha("alice/project", "feature") == pull["head"]["sha"]


def test_unknown_styles_closed_pulls_and_readers_are_refused_as_gitea_does(forge):
    pull = behind(forge)
    bad = update(forge, pull["number"], "squash")
    assert bad.status_code == 422 and "squash" in bad.json["message"]
    reader = update(forge, pull["number"], as_user="rita")
    assert reader.status_code == 403 and "alice/project" in reader.json["message"]
    assert update(forge, pull["number"], as_user="oscar").status_code == 403
    assert update(forge, pull["number"], as_user=None).status_code == 401
    assert update(forge, 999).status_code == 404
    forge.patch(f"/repos/alice/project/pulls/{pull['number']}", {"state": "closed"})
    closed = update(forge, pull["number"])
    assert closed.status_code == 422 and "closed" in closed.json["message"]
    assert forge.branch_sha("alice/project", "feature") == pull["head"]["sha"]


def test_rebasing_a_protected_head_branch_is_403_but_merging_into_it_is_allowed(forge):
    pull = behind(forge)
    rule = forge.post("/repos/alice/project/branch_protections",
                      {"rule_name": "feature", "enable_push": True})
    assert rule.status_code == 201, rule.text
    rebase = update(forge, pull["number"], "rebase")
    assert rebase.status_code == 403 and "protected" in rebase.json["message"]
    assert update(forge, pull["number"], "merge").status_code == 200


def test_a_private_repositorys_pull_is_404_to_outsiders(forge):
    forge.commit("alice/secret", "main", {"x.txt": "x\n"}, new_branch="feature")
    pull = forge.open_pull("alice/secret")
    assert update(forge, pull["number"], repo="alice/secret", as_user="oscar").status_code == 404


def test_a_forks_head_receives_the_base_commits(forge):
    fork = forge.post("/repos/alice/project/forks", {}, as_user="oscar")
    assert fork.status_code == 202, fork.text
    forge.commit("oscar/project", "main", {"fork.txt": "fork\n"}, new_branch="feature", as_user="oscar")
    forge.commit("alice/project", "main", {"main.txt": "main moved\n"})
    pull = forge.open_pull(head="oscar:feature", as_user="oscar")
    base_tip = forge.branch_sha("alice/project", "main")
    assert update(forge, pull["number"], as_user="wanda").status_code == 403
    response = update(forge, pull["number"], as_user="oscar")
    assert response.status_code == 200, response.text
    tip = forge.get("/repos/oscar/project/branches/feature", as_user="oscar").json["commit"]["id"]
    assert forge.git("oscar/project", "rev-parse", f"{tip}^2") == base_tip
    after = forge.get(f"/repos/alice/project/pulls/{pull['number']}").json
    assert after["head"]["sha"] == tip
    fsck(forge, "oscar/project")
