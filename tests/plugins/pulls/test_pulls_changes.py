"""What a pull request changes: .diff, .patch, commits and files, measured from the merge
base so later commits on the base never show up."""

from __future__ import annotations


def setup_changes(forge) -> dict:
    forge.commit("alice/project", "main", {"keep.txt": "one\ntwo\nthree\n", "gone.txt": "bye\n"})
    forge.commit("alice/project", "main", {"keep.txt": "one\n2\nthree\nfour\n"}, new_branch="feature",
                 message="Change keep")
    forge.commit("alice/project", "feature", {"gone.txt": None, "new.txt": "new\n"}, message="Add and remove")
    forge.commit("alice/project", "main", {"unrelated.txt": "later on main\n"})
    return forge.open_pull()


def test_files_lists_each_change_with_gitea_statuses_and_counts(forge):
    pull = setup_changes(forge)
    response = forge.get(f"/repos/alice/project/pulls/{pull['number']}/files")
    assert response.status_code == 200
    files = {f["filename"]: f for f in response.json}
    assert set(files) == {"keep.txt", "gone.txt", "new.txt"}  # not unrelated.txt from main
    assert (files["keep.txt"]["status"], files["keep.txt"]["additions"], files["keep.txt"]["deletions"]) == ("changed", 2, 1)
    assert files["keep.txt"]["changes"] == 3
    assert files["gone.txt"]["status"] == "deleted" and files["new.txt"]["status"] == "added"
    head = pull["head"]["sha"]
    assert files["new.txt"]["raw_url"].endswith(f"/alice/project/raw/commit/{head}/new.txt")
    assert files["new.txt"]["contents_url"].endswith(f"/api/v1/repos/alice/project/contents/new.txt?ref={head}")
    assert "previous_filename" not in files["new.txt"]
    assert response.headers["X-Total-Count"] == "3" and response.headers["X-HasMore"] == "false"
    paged = forge.get(f"/repos/alice/project/pulls/{pull['number']}/files", params={"limit": "1", "page": "2"})
    assert len(paged.json) == 1 and paged.headers["X-PageCount"] == "3"
    assert (pull["additions"], pull["deletions"], pull["changed_files"]) == (3, 2, 3)


def test_a_renamed_file_names_its_previous_path(forge):
    forge.commit("alice/project", "main", {"old-name.txt": "content that stays the same\n" * 5})
    forge.commit("alice/project", "main", {"old-name.txt": None, "new-name.txt": "content that stays the same\n" * 5},
                 new_branch="feature")
    pull = forge.open_pull()
    [renamed] = forge.get(f"/repos/alice/project/pulls/{pull['number']}/files").json
    assert renamed["status"] == "renamed" and renamed["previous_filename"] == "old-name.txt"
    assert renamed["filename"] == "new-name.txt"


def test_commits_lists_the_head_commits_newest_first_with_paging_headers(forge):
    pull = setup_changes(forge)
    response = forge.get(f"/repos/alice/project/pulls/{pull['number']}/commits")
    assert response.status_code == 200
    messages = [c["commit"]["message"] for c in response.json]
    assert messages == ["Add and remove\n", "Change keep\n"]
    assert response.json[0]["sha"] == pull["head"]["sha"]
    assert response.json[0]["files"] and response.json[0]["stats"]["total"] >= 1
    assert response.headers["X-Total-Count"] == "2" and response.headers["X-PerPage"] == "30"
    bare = forge.get(f"/repos/alice/project/pulls/{pull['number']}/commits",
                     params={"files": "false", "limit": "1"})
    assert len(bare.json) == 1 and bare.json[0]["files"] is None and bare.headers["X-HasMore"] == "true"


def test_diff_and_patch_are_git_text(forge):
    pull = setup_changes(forge)
    diff = forge.get(f"/repos/alice/project/pulls/{pull['number']}.diff")
    assert diff.status_code == 200 and diff.headers["Content-Type"].startswith("text/plain")
    assert "diff --git a/keep.txt b/keep.txt" in diff.text and "+four" in diff.text
    assert "unrelated.txt" not in diff.text and "deleted file mode" in diff.text
    patch = forge.get(f"/repos/alice/project/pulls/{pull['number']}.patch")
    assert patch.text.startswith("From ") and patch.text.count("Subject: [PATCH") == 2
    assert "Subject: [PATCH 1/2] Change keep" in patch.text
    assert forge.get(f"/repos/alice/project/pulls/{pull['number']}.txt").status_code == 404


def test_a_merged_pull_request_still_shows_what_it_changed(forge):
    pull = setup_changes(forge)
    assert forge.post(f"/repos/alice/project/pulls/{pull['number']}/merge", {"do": "merge"}).status_code == 200
    files = forge.get(f"/repos/alice/project/pulls/{pull['number']}/files").json
    assert {f["filename"] for f in files} == {"keep.txt", "gone.txt", "new.txt"}
    commits = forge.get(f"/repos/alice/project/pulls/{pull['number']}/commits").json
    assert len(commits) == 2
