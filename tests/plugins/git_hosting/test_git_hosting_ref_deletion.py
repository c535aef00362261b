"""Deleting a branch and deleting a tag are one rule (``branches._delete_ref``): the ref under
its own prefix goes, and a missing one is a 404 that names what was asked for."""

from __future__ import annotations


def test_a_missing_branch_or_tag_is_a_404_naming_its_kind(forge):
    forge.create_repo("demo", auto_init=True)
    missing_tag = forge.delete("/repos/alice/demo/tags/v9")
    assert missing_tag.status_code == 404
    assert missing_tag.json["message"] == "tag 'v9' does not exist in alice/demo"
    missing_branch = forge.delete("/repos/alice/demo/branches/topic")
    assert missing_branch.status_code == 404
    assert missing_branch.json["message"] == "branch 'topic' does not exist in alice/demo"


def test_a_tag_and_a_branch_of_one_name_are_deleted_each_on_its_own(forge):
    forge.create_repo("demo", auto_init=True)
    assert forge.post("/repos/alice/demo/branches", {"new_branch_name": "same"}).status_code == 201
    assert forge.post("/repos/alice/demo/tags", {"tag_name": "same"}).status_code == 201
    assert forge.delete("/repos/alice/demo/tags/same").status_code == 204
    assert forge.get("/repos/alice/demo/tags/same").status_code == 404
    assert forge.get("/repos/alice/demo/branches/same").status_code == 200
    assert forge.delete("/repos/alice/demo/branches/same").status_code == 204
    assert forge.get("/repos/alice/demo/branches/same").status_code == 404
