"""Merging with every style on the bare repository, Gitea's refusals, and what a merge leaves
behind (the base branch, the closed issue, the push event, git fsck clean)."""

from __future__ import annotations

import pytest


def merge(forge, number: int, repo: str = "alice/project", as_user: str = "alice", **body):
    return forge.post(f"/repos/{repo}/pulls/{number}/merge", body, as_user=as_user)


def fsck(forge, repo: str = "alice/project") -> None:
    out = forge.git(repo, "fsck", "--strict", "--no-progress", "--no-dangling")
    assert "error" not in out and "broken" not in out


def diverged(forge) -> dict:
    """main and feature both moved since they split, touching different files."""
    forge.commit("alice/project", "main", {"feature.txt": "feature one\n"}, new_branch="feature")
    forge.commit("alice/project", "feature", {"feature.txt": "feature two\n"})
    forge.commit("alice/project", "main", {"main.txt": "main moved\n"})
    return forge.open_pull()


def test_merge_makes_a_merge_commit_on_the_base_and_closes_the_pull_request(forge):
    pull = diverged(forge)
    base_before = forge.branch_sha("alice/project", "main")
    response = merge(forge, pull["number"], Do="merge")
    assert response.status_code == 200, response.text
    tip = forge.branch_sha("alice/project", "main")
    assert forge.git("alice/project", "rev-parse", f"{tip}^1") == base_before
    assert forge.git("alice/project", "rev-parse", f"{tip}^2") == pull["head"]["sha"]
    assert forge.git("alice/project", "log", "-1", "--format=%s", tip) == (
        f"Merge pull request 'Add a feature' (#{pull['number']}) from feature into main")
    assert forge.git("alice/project", "show", f"{tip}:main.txt") == "main moved"
    assert forge.git("alice/project", "show", f"{tip}:feature.txt") == "feature two"
    after = forge.get(f"/repos/alice/project/pulls/{pull['number']}").json
    assert after["merged"] is True and after["state"] == "closed" and after["merge_commit_sha"] == tip
    assert after["merged_by"]["login"] == "alice" and after["merged_at"] and after["closed_at"]
    assert forge.get(f"/repos/alice/project/pulls/{pull['number']}/merge").status_code == 204
    assert forge.get("/repos/alice/project").json["open_pr_counter"] == 0
    [push] = [e for e in forge.recorder.of("push") if e.ref == "refs/heads/main" and e.after == tip]
    assert push.before == base_before and push.pusher == "alice"
    closed = forge.recorder.of("pull_request", action="closed")
    assert closed[-1].merged is True and closed[-1].merge_commit_sha == tip
    fsck(forge)


def test_squash_makes_one_commit_authored_by_the_poster(forge):
    forge.commit("alice/project", "main", {"a.txt": "a\n"}, new_branch="feature", as_user="wanda")
    forge.commit("alice/project", "feature", {"b.txt": "b\n"}, as_user="wanda")
    pull = forge.open_pull(as_user="wanda")
    base_before = forge.branch_sha("alice/project", "main")
    response = merge(forge, pull["number"], Do="squash", MergeMessageField="details here")
    assert response.status_code == 200, response.text
    tip = forge.branch_sha("alice/project", "main")
    assert forge.git("alice/project", "rev-list", "--parents", "-n1", tip).split() == [tip, base_before]
    assert forge.git("alice/project", "log", "-1", "--format=%an|%cn|%B", tip) == (
        f"wanda|alice|Add a feature (#{pull['number']})\n\ndetails here")
    assert forge.git("alice/project", "ls-tree", "--name-only", tip).split() == ["README.md", "a.txt", "b.txt"]
    fsck(forge)


def test_rebase_replays_the_commits_onto_the_base_keeping_their_authors(forge):
    pull = diverged(forge)
    base_before = forge.branch_sha("alice/project", "main")
    head_commits = forge.git("alice/project", "rev-list", "--reverse", pull["head"]["sha"], f"^{base_before}").split()
    response = merge(forge, pull["number"], do="rebase")
    assert response.status_code == 200, response.text
    tip = forge.branch_sha("alice/project", "main")
    replayed = forge.git("alice/project", "rev-list", "--reverse", tip, f"^{base_before}").split()
    assert len(replayed) == len(head_commits) == 2 and set(replayed).isdisjoint(head_commits)
    assert forge.git("alice/project", "rev-parse", f"{replayed[0]}^") == base_before
    subjects = [forge.git("alice/project", "log", "-1", "--format=%s", c) for c in replayed]
    assert subjects == [forge.git("alice/project", "log", "-1", "--format=%s", c) for c in head_commits]
    assert forge.git("alice/project", "show", f"{tip}:feature.txt") == "feature two"
    assert forge.get(f"/repos/alice/project/pulls/{pull['number']}").json["merge_commit_sha"] == tip
    fsck(forge)


def test_rebase_merge_replays_then_adds_a_merge_commit(forge):
    pull = diverged(forge)
    base_before = forge.branch_sha("alice/project", "main")
    assert merge(forge, pull["number"], do="rebase-merge").status_code == 200
    tip = forge.branch_sha("alice/project", "main")
    parents = forge.git("alice/project", "rev-list", "--parents", "-n1", tip).split()[1:]
    assert parents[0] == base_before and parents[1] != pull["head"]["sha"]
    assert forge.git("alice/project", "rev-parse", f"{parents[1]}~2") == base_before
    fsck(forge)


def test_fast_forward_only_moves_the_base_to_the_head_and_refuses_diverged_branches(forge):
    pull = forge.feature_pull()
    assert merge(forge, pull["number"], do="fast-forward-only").status_code == 200
    assert forge.branch_sha("alice/project", "main") == pull["head"]["sha"]
    forge.commit("alice/project", "main", {"x.txt": "x\n"}, new_branch="other")
    forge.commit("alice/project", "main", {"y.txt": "y\n"})
    other = forge.open_pull(head="other", title="other")
    refused = merge(forge, other["number"], do="fast-forward-only")
    assert refused.status_code == 409 and "fast-forward" in refused.json["message"]


def test_a_style_the_repository_disallows_is_405(forge):
    pull = forge.feature_pull()
    assert forge.patch("/repos/alice/project", {"allow_squash_merge": False}).status_code == 200
    refused = merge(forge, pull["number"], do="squash")
    assert refused.status_code == 405 and "squash is not allowed" in refused.json["message"]
    assert forge.post(f"/repos/alice/project/pulls/{pull['number']}/merge", {"do": "octopus"}).status_code == 422


def test_a_conflicting_pull_request_is_not_mergeable_and_merging_it_is_refused(forge):
    forge.commit("alice/project", "main", {"same.txt": "base\n"})
    forge.commit("alice/project", "main", {"same.txt": "from feature\n"}, new_branch="feature")
    pull = forge.open_pull()
    assert pull["mergeable"] is True
    forge.commit("alice/project", "main", {"same.txt": "from main\n"})  # a push to the base
    now = forge.get(f"/repos/alice/project/pulls/{pull['number']}").json
    assert now["mergeable"] is False
    refused = merge(forge, pull["number"], do="merge")
    assert refused.status_code == 405 and "same.txt" in refused.json["message"]
    # Resolving on the head branch makes it mergeable again.
    forge.commit("alice/project", "feature", {"same.txt": "from main\n"})
    assert forge.get(f"/repos/alice/project/pulls/{pull['number']}").json["mergeable"] is True
    fsck(forge)


def test_merged_closed_and_unauthorised_merges_answer_as_gitea(forge):
    pull = forge.feature_pull()
    path = f"/repos/alice/project/pulls/{pull['number']}"
    assert forge.get(f"{path}/merge").status_code == 404
    by_reader = merge(forge, pull["number"], as_user="rita", do="merge")
    assert by_reader.status_code == 405 and "not allowed to merge" in by_reader.json["message"]
    assert merge(forge, pull["number"], as_user=None, do="merge").status_code == 401
    out_of_date = merge(forge, pull["number"], do="merge", head_commit_id="0" * 40)
    assert out_of_date.status_code == 409 and out_of_date.json["message"] == "head out of date"
    forge.patch(path, {"state": "closed"})
    assert merge(forge, pull["number"], do="merge").status_code == 404
    forge.patch(path, {"state": "open"})
    assert merge(forge, pull["number"], as_user="wanda", do="merge").status_code == 200
    again = merge(forge, pull["number"], do="merge")
    assert again.status_code == 405 and "already been merged" in again.json["message"]
    reopen = forge.patch(path, {"state": "open"})
    assert reopen.status_code == 412


def test_delete_branch_after_merge_removes_the_head_branch(forge):
    pull = forge.feature_pull()
    assert merge(forge, pull["number"], do="merge", delete_branch_after_merge=True).status_code == 200
    assert forge.get("/repos/alice/project/branches/feature").status_code == 404
    after = forge.get(f"/repos/alice/project/pulls/{pull['number']}").json
    assert after["head"]["ref"] == f"refs/pull/{pull['number']}/head" and after["head"]["sha"] == pull["head"]["sha"]
    assert after["state"] == "closed" and after["merged"] is True
    assert forge.get(f"/repos/alice/project/pulls/{pull['number']}/commits").status_code == 200


def test_merging_marks_other_pull_requests_on_the_base_for_a_new_check(forge):
    forge.commit("alice/project", "main", {"same.txt": "base\n"})
    first = forge.feature_pull(branch="one", files={"same.txt": "one\n"})
    second = forge.feature_pull(branch="two", files={"same.txt": "two\n"})
    assert second["mergeable"] is True
    assert merge(forge, first["number"], do="merge").status_code == 200
    assert forge.get(f"/repos/alice/project/pulls/{second['number']}").json["mergeable"] is False


def test_a_pushed_head_synchronizes_the_pull_request(forge):
    pull = forge.feature_pull()
    new_head = forge.commit("alice/project", "feature", {"more.txt": "more\n"})
    [event] = forge.recorder.of("pull_request", action="synchronized")
    assert event.head_sha == new_head
    after = forge.get(f"/repos/alice/project/pulls/{pull['number']}").json
    assert after["head"]["sha"] == new_head and after["changed_files"] == 2
    assert forge.git("alice/project", "rev-parse", f"refs/pull/{pull['number']}/head") == new_head


def test_deleting_the_head_branch_closes_the_pull_request(forge):
    pull = forge.feature_pull()
    assert forge.delete("/repos/alice/project/branches/feature").status_code == 204
    after = forge.get(f"/repos/alice/project/pulls/{pull['number']}").json
    assert after["state"] == "closed" and after["merged"] is False
    assert forge.recorder.of("pull_request", action="closed")[-1].number == pull["number"]
    reopen = forge.patch(f"/repos/alice/project/pulls/{pull['number']}", {"state": "open"})
    assert reopen.status_code == 422 and "no longer exists" in reopen.json["message"]


def test_manually_merged_needs_the_setting_and_a_commit_containing_the_head(forge):
    pull = forge.feature_pull()
    refused = merge(forge, pull["number"], do="manually-merged", merge_commit_id=pull["head"]["sha"])
    assert refused.status_code == 405
    forge.patch("/repos/alice/project", {"allow_manual_merge": True})
    wrong = merge(forge, pull["number"], do="manually-merged", merge_commit_id=pull["base"]["sha"])
    assert wrong.status_code == 409 and "Wrong commit ID" in wrong.json["message"]
    # Someone fast-forwarded main to the head without the merge button.
    forge.git("alice/project", "update-ref", "refs/heads/main", pull["head"]["sha"])
    done = merge(forge, pull["number"], do="manually-merged", merge_commit_id=pull["head"]["sha"])
    assert done.status_code == 200, done.text
    after = forge.get(f"/repos/alice/project/pulls/{pull['number']}").json
    assert after["merged"] is True and after["merge_commit_sha"] == pull["head"]["sha"]


@pytest.mark.parametrize("style", ["merge", "squash", "rebase", "rebase-merge"])
def test_a_conflict_found_while_merging_is_409_and_leaves_no_objects(forge, style):
    """The base can move between the check and the lock: the merge itself finds the conflict
    in scratch objects, and the repository keeps nothing of the attempt."""
    from plue_pulls import merging, pulls
    from plue_pulls.plumbing import scratch

    forge.commit("alice/project", "main", {"same.txt": "base\n"})
    number = forge.feature_pull(files={"same.txt": "feature\n"})["number"]
    main_tip = forge.commit("alice/project", "main", {"same.txt": "main\n"})
    service = forge.ctx.services["pulls"]
    repository = forge.ctx.services["git_hosting"].find_repository("alice", "project")
    pull = pulls.attach_repositories(service, [pulls.find_pull(service, repository, number)], repository)[0]
    alice = forge.ctx.services["accounts"].find_user("alice")
    objects_before = forge.git("alice/project", "count-objects")
    git = service.git(repository)
    with scratch(git) as work:
        with pytest.raises(merging.MergeConflict) as refused:
            merging.make_result(work.git, style, pull, main_tip, pull.head_sha, "msg", alice)
    assert refused.value.status == 409 and "same.txt" in refused.value.message
    assert forge.git("alice/project", "count-objects") == objects_before
    assert not list(forge.bare("alice/project").glob("plue-scratch-*"))
    fsck(forge)


WORKFLOW = """on: [pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: echo testing
"""


def test_opening_and_pushing_start_pull_request_workflows(forge):
    forge.commit("alice/project", "main", {".gitea/workflows/ci.yml": WORKFLOW})
    pull = forge.feature_pull()
    forge.commit("alice/project", "feature", {"more.txt": "more\n"})
    runs = forge.get("/repos/alice/project/actions/runs").json
    assert runs["total_count"] == 2, runs
    assert {run["event"] for run in runs["workflow_runs"]} == {"pull_request"}
    assert {run["head_sha"] for run in runs["workflow_runs"]} == {
        pull["head"]["sha"], forge.branch_sha("alice/project", "feature")}


def test_the_merge_style_is_required_as_in_gitea(forge):
    pull = forge.feature_pull()
    missing = merge(forge, pull["number"])
    assert missing.status_code == 422 and "do" in missing.json["message"]
    assert forge.get(f"/repos/alice/project/pulls/{pull['number']}").json["merged"] is False
