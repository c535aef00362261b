"""Repository and organization labels, and the labels on an issue."""

from __future__ import annotations

import pytest

LABEL_FIELDS = {"id", "name", "exclusive", "is_archived", "color", "description", "url"}


@pytest.mark.parametrize("given, stored", [
    ("#ff0000", "ff0000"), ("ff0000", "ff0000"), ("#FF00AA", "ff00aa"), ("  #AbC ", "aabbcc"),
    ("abc", "aabbcc"), ("#123", "112233"),
])
def test_colors_are_normalised_as_gitea_does(tracker, given, stored):
    label = tracker.label(color=given)
    assert label["color"] == stored


@pytest.mark.parametrize("color", ["red", "#ff00", "#gggggg", "", "#ff00000", "12345"])
def test_an_invalid_color_is_422_naming_the_color(tracker, color):
    response = tracker.post("/repos/alice/tracker/labels", {"name": "bug", "color": color})
    assert response.status_code == 422
    assert "color" in response.json["message"]


def test_creating_a_label_answers_201_with_giteas_label_shape(tracker):
    response = tracker.post("/repos/alice/tracker/labels",
                            {"name": "kind/bug", "color": "#ee0701", "description": "Broken",
                             "exclusive": True})
    assert response.status_code == 201
    label = response.json
    assert set(label) == LABEL_FIELDS
    assert label["name"] == "kind/bug" and label["exclusive"] is True
    assert label["is_archived"] is False and label["description"] == "Broken"
    assert label["url"].endswith(f"/api/v1/repos/alice/tracker/labels/{label['id']}")


def test_a_label_needs_a_name_and_a_color(tracker):
    for body, field in [({"color": "ff0000"}, "name"), ({"name": "x"}, "color"),
                        ({"name": "", "color": "ff0000"}, "name")]:
        response = tracker.post("/repos/alice/tracker/labels", body)
        assert response.status_code == 422 and field in response.json["message"], body


def test_duplicate_label_names_are_allowed_as_in_gitea(tracker):
    first = tracker.label(name="bug")
    second = tracker.label(name="bug", color="00ff00")
    assert first["id"] != second["id"]
    assert len(tracker.get("/repos/alice/tracker/labels").json) == 2


def test_labels_list_alphabetically_with_pagination_and_get_by_id_or_name(tracker):
    for name in ("zeta", "alpha", "mid"):
        tracker.label(name=name)
    listed = tracker.get("/repos/alice/tracker/labels", as_user=None)
    assert [label["name"] for label in listed.json] == ["alpha", "mid", "zeta"]
    assert listed.headers["X-Total-Count"] == "3"
    page = tracker.get("/repos/alice/tracker/labels", params={"limit": 1, "page": 2})
    assert [label["name"] for label in page.json] == ["mid"]
    mid = page.json[0]
    assert tracker.get(f"/repos/alice/tracker/labels/{mid['id']}").json == mid
    assert tracker.get("/repos/alice/tracker/labels/mid").json == mid
    assert tracker.get("/repos/alice/tracker/labels/9999").status_code == 404
    assert tracker.get("/repos/alice/tracker/labels/nope").status_code == 404


def test_editing_a_label_changes_only_what_is_given(tracker):
    label = tracker.label()
    path = f"/repos/alice/tracker/labels/{label['id']}"
    edited = tracker.patch(path, {"color": "00F", "description": "Now blue"})
    assert edited.status_code == 200
    assert edited.json["color"] == "0000ff" and edited.json["name"] == "bug"
    assert edited.json["description"] == "Now blue"
    archived = tracker.patch(path, {"is_archived": True, "name": "old-bug"})
    assert archived.json["is_archived"] is True and archived.json["name"] == "old-bug"
    assert tracker.patch(path, {"color": "blue"}).status_code == 422
    assert tracker.patch("/repos/alice/tracker/labels/9999", {"name": "x"}).status_code == 404


def test_deleting_a_label_takes_it_off_every_issue(tracker):
    label = tracker.label()
    tracker.issue(labels=[label["id"]])
    assert tracker.delete(f"/repos/alice/tracker/labels/{label['id']}").status_code == 204
    assert tracker.get("/repos/alice/tracker/issues/1").json["labels"] == []
    assert tracker.delete(f"/repos/alice/tracker/labels/{label['id']}").status_code == 404


def test_a_label_of_another_repository_is_404_here(tracker):
    secret = tracker.label("alice/vault", "secret")
    assert tracker.get(f"/repos/alice/tracker/labels/{secret['id']}").status_code == 404
    assert tracker.patch(f"/repos/alice/tracker/labels/{secret['id']}", {"name": "x"}).status_code == 404
    assert tracker.delete(f"/repos/alice/tracker/labels/{secret['id']}").status_code == 404


# --- labels on an issue ----------------------------------------------------------------------


def names(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [label["name"] for label in response.json]


def test_adding_replacing_removing_and_clearing_issue_labels(tracker):
    bug, ui, docs = (tracker.label(name=n) for n in ("bug", "ui", "docs"))
    tracker.issue()
    path = "/repos/alice/tracker/issues/1/labels"
    assert names(tracker.post(path, {"labels": [bug["id"]]})) == ["bug"]
    assert names(tracker.post(path, {"labels": [ui["id"], bug["id"]]})) == ["bug", "ui"]
    assert names(tracker.put(path, {"labels": ["docs"]})) == ["docs"]
    assert names(tracker.post(path, {"labels": ["bug", "no-such-label"]})) == ["bug", "docs"]
    assert tracker.delete(f"{path}/{docs['id']}").status_code == 204
    assert names(tracker.get(path, as_user=None)) == ["bug"]
    assert tracker.delete(path).status_code == 204
    assert names(tracker.get(path)) == []


def test_issue_labels_must_be_all_ids_or_all_names(tracker):
    bug = tracker.label()
    tracker.issue()
    path = "/repos/alice/tracker/issues/1/labels"
    mixed = tracker.post(path, {"labels": [bug["id"], "bug"]})
    assert mixed.status_code == 400 and "strings or integers" in mixed.json["message"]
    odd = tracker.put(path, {"labels": [{"id": 1}]})
    assert odd.status_code == 400 and "integer or a string" in odd.json["message"]
    not_a_list = tracker.put(path, {"labels": "bug"})
    assert not_a_list.status_code == 422 and "labels" in not_a_list.json["message"]


def test_labels_of_other_repositories_are_left_out(tracker):
    secret = tracker.label("alice/vault", "secret")
    tracker.issue()
    assert names(tracker.post("/repos/alice/tracker/issues/1/labels",
                              {"labels": [secret["id"]]})) == []


def test_removing_an_unknown_label_id_is_422_as_in_gitea(tracker):
    tracker.issue()
    response = tracker.delete("/repos/alice/tracker/issues/1/labels/4242")
    assert response.status_code == 422 and "4242" in response.json["message"]


def test_an_exclusive_scoped_label_replaces_its_sibling(tracker):
    low = tracker.label(name="priority/low", exclusive=True)
    high = tracker.label(name="priority/high", exclusive=True)
    bug = tracker.label(name="bug")
    tracker.issue(labels=[low["id"], bug["id"]])
    assert names(tracker.post("/repos/alice/tracker/issues/1/labels",
                              {"labels": [high["id"]]})) == ["bug", "priority/high"]


def test_changing_issue_labels_needs_write_access(tracker):
    bug = tracker.label()
    tracker.issue(as_user="rita")
    path = "/repos/alice/tracker/issues/1/labels"
    for user in ("rita", "oscar"):
        assert tracker.post(path, {"labels": [bug["id"]]}, as_user=user).status_code == 403
        assert tracker.delete(path, as_user=user).status_code == 403
    assert names(tracker.post(path, {"labels": [bug["id"]]}, as_user="wanda")) == ["bug"]


# --- organization labels ---------------------------------------------------------------------


def test_org_owners_create_org_labels_usable_on_the_orgs_repositories(tracker):
    response = tracker.post("/orgs/acme/labels", {"name": "team/web", "color": "#0000ff"})
    assert response.status_code == 201
    label = response.json
    assert label["url"].endswith(f"/api/v1/orgs/acme/labels/{label['id']}")
    assert [l["name"] for l in tracker.get("/orgs/acme/labels", as_user=None).json] == ["team/web"]
    assert tracker.get(f"/orgs/acme/labels/{label['id']}").json == label
    issue = tracker.issue("acme/site", labels=[label["id"]])
    assert issue["labels"] == [label]
    by_name = tracker.put("/repos/acme/site/issues/1/labels", {"labels": ["team/web"]})
    assert names(by_name) == ["team/web"]
    # Not on a repository of someone else.
    assert tracker.post("/repos/alice/tracker/issues", {"title": "t", "labels": [label["id"]]}
                        ).status_code == 422
    assert tracker.get("/repos/acme/site/issues", params={"labels": "team/web"}).json[0]["number"] == 1


def test_only_org_owners_manage_org_labels(tracker):
    body = {"name": "x", "color": "fff"}
    assert tracker.post("/orgs/acme/labels", body, as_user="oscar").status_code == 403
    assert tracker.post("/orgs/acme/labels", body, as_user=None).status_code == 401
    label = tracker.post("/orgs/acme/labels", body, as_user="root").json
    path = f"/orgs/acme/labels/{label['id']}"
    assert tracker.patch(path, {"color": "000"}, as_user="oscar").status_code == 403
    assert tracker.patch(path, {"color": "000"}).json["color"] == "000000"
    assert tracker.patch(path, {"color": "black"}).status_code == 422
    assert tracker.delete(path, as_user="oscar").status_code == 403
    assert tracker.delete(path).status_code == 204
    assert tracker.get(path).status_code == 404
    assert tracker.get("/orgs/nobody/labels").status_code == 404
    assert tracker.post("/orgs/acme/labels", {"name": "y", "color": "nope"}).status_code == 422
