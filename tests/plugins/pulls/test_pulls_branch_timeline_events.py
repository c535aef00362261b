"""A pull request's branch events on its timeline, as Gitea records them: a new base is a
``change_target_branch`` row (comment type 25) naming the old and the new base in ``old_ref``
and ``new_ref``; a head branch deleted after the merge a ``delete_branch`` row (type 11)
naming it in ``old_ref``. Every other row keeps both empty."""

from __future__ import annotations


def _rows(forge, number: int, kind: str) -> list[dict]:
    response = forge.get(f"/repos/alice/project/issues/{number}/timeline")
    assert response.status_code == 200, response.text
    return [row for row in response.json if row["type"] == kind]


def test_changing_the_base_is_a_change_target_branch_row(forge):
    forge.commit("alice/project", "main", {"d.txt": "d\n"}, new_branch="develop")
    pull = forge.feature_pull()
    path = f"/repos/alice/project/pulls/{pull['number']}"
    assert forge.patch(path, {"base": "develop"}).status_code == 201
    assert forge.patch(path, {"base": "develop"}).status_code == 201  # no change: no row
    [row] = _rows(forge, pull["number"], "change_target_branch")
    assert (row["old_ref"], row["new_ref"]) == ("main", "develop")
    assert row["user"]["login"] == "alice" and row["body"] == ""
    # Refused changes leave no row behind.
    assert forge.patch(path, {"base": "nowhere"}).status_code == 404
    assert len(_rows(forge, pull["number"], "change_target_branch")) == 1


def test_a_head_branch_deleted_after_the_merge_is_a_delete_branch_row(forge):
    pull = forge.feature_pull()
    merged = forge.post(f"/repos/alice/project/pulls/{pull['number']}/merge",
                        {"Do": "merge", "delete_branch_after_merge": True})
    assert merged.status_code == 200, merged.text
    [row] = _rows(forge, pull["number"], "delete_branch")
    assert (row["old_ref"], row["new_ref"]) == ("feature", "")
    assert row["user"]["login"] == "alice"
    others = [r for r in forge.get(f"/repos/alice/project/issues/{pull['number']}/timeline").json
              if r["type"] not in ("delete_branch",)]
    assert others and all((r["old_ref"], r["new_ref"]) == ("", "") for r in others)


def test_a_merge_that_keeps_the_head_branch_records_no_deletion(forge):
    pull = forge.feature_pull()
    assert forge.post(f"/repos/alice/project/pulls/{pull['number']}/merge",
                      {"Do": "merge"}).status_code == 200
    assert _rows(forge, pull["number"], "delete_branch") == []
