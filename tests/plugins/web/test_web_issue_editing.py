"""Issues in the browser, beyond reading: the list's label, milestone and assignee filters
(Gitea's query parameters), and the issue page's forms that edit the title, the description,
the labels, the assignees and the milestone — through the issues service, with its rules."""

from __future__ import annotations

from plue_core.testing import EventRecorder, recorded_statements


def _tracker(site):
    """alice/code with two labels, a milestone, oscar as a writer and three issues."""
    bug = site.post("/repos/alice/code/labels", {"name": "bug", "color": "#ee0701"}).json
    docs = site.post("/repos/alice/code/labels", {"name": "docs", "color": "#0075ca"}).json
    milestone = site.post("/repos/alice/code/milestones", {"title": "v2"}).json
    assert site.put("/repos/alice/code/collaborators/oscar",
                    {"permission": "write"}).status_code == 204
    site.post("/repos/alice/code/issues", {"title": "Crash on start", "labels": [bug["id"]],
                                          "milestone": milestone["id"], "assignees": ["oscar"]})
    site.post("/repos/alice/code/issues", {"title": "Typo in the guide",
                                          "labels": [bug["id"], docs["id"]]})
    site.post("/repos/alice/code/issues", {"title": "A question"})
    return bug, docs, milestone


def test_the_list_filters_by_labels_milestone_and_assignee(site):
    bug, docs, milestone = _tracker(site)
    oscar = site.get("/users/oscar").json
    browser = site.browser()

    def titles(**params):
        page = browser.get("/alice/code/issues", params=params)
        assert page.status_code == 200, page.text
        return {title for title in ("Crash on start", "Typo in the guide", "A question")
                if f">{title}</a>" in page.text}

    assert titles() == {"Crash on start", "Typo in the guide", "A question"}
    assert titles(labels=str(bug["id"])) == {"Crash on start", "Typo in the guide"}
    # Several labels: the issues carrying every one of them.
    assert titles(labels=f"{bug['id']},{docs['id']}") == {"Typo in the guide"}
    assert titles(milestone=str(milestone["id"])) == {"Crash on start"}
    assert titles(assignee=str(oscar["id"])) == {"Crash on start"}
    assert titles(assignee=str(oscar["id"]), q="typo") == set()
    assert titles(milestone="0", labels="0") == {"Crash on start", "Typo in the guide",
                                                  "A question"}


def test_the_filter_form_offers_the_choices_and_keeps_them_in_the_links(site):
    bug, _, milestone = _tracker(site)
    page = site.browser().get("/alice/code/issues", params={"labels": str(bug["id"]),
                                                            "state": "closed"}).text
    assert f'<option value="{bug["id"]}" selected>bug</option>' in page
    assert f'<option value="{milestone["id"]}">v2</option>' in page
    assert '>oscar</option>' in page and '>alice</option>' in page
    # Switching state keeps the label filter.
    assert f'?state=open&amp;labels={bug["id"]}"' in page


def test_bad_filter_values_are_a_422_naming_the_parameter(site):
    browser = site.browser()
    for name, value in (("labels", "bug"), ("milestone", "-1"), ("assignee", "x")):
        result = browser.get("/alice/code/issues", params={name: value})
        assert result.status_code == 422 and name in result.text


def test_the_filtered_list_costs_a_fixed_number_of_queries(site):
    bug, _, _ = _tracker(site)
    browser = site.browser("oscar")
    with recorded_statements(site.ctx.db) as few:
        assert browser.get("/alice/code/issues", params={"labels": bug["id"]}).status_code == 200
    for number in range(6):
        site.post("/repos/alice/code/issues", {"title": f"More {number}", "labels": [bug["id"]]})
    with recorded_statements(site.ctx.db) as many:
        assert browser.get("/alice/code/issues", params={"labels": bug["id"]}).status_code == 200
    assert len(many) == len(few) <= 12, many


def test_the_poster_edits_the_title_and_the_description(site):
    site.post("/repos/alice/code/issues", {"title": "Bug", "body": "old"}, as_user="oscar")
    browser = site.browser("oscar")
    page = browser.get("/alice/code/issues/1")
    assert 'action="/alice/code/issues/1/title"' in page.text
    assert 'action="/alice/code/issues/1/labels"' not in page.text  # not a writer
    assert browser.post("/alice/code/issues/1/title", {"title": "A real bug"}).status_code == 303
    browser.get("/alice/code/issues/1")
    result = browser.post("/alice/code/issues/1/content", {"content": "new **text**"})
    assert result.status_code == 303 and result.headers["location"].endswith("/issues/1")
    issue = site.get("/repos/alice/code/issues/1").json
    assert issue["title"] == "A real bug" and issue["body"] == "new **text**"
    browser.get("/alice/code/issues/1")
    assert browser.post("/alice/code/issues/1/title", {"title": "  "}).status_code == 422
    assert site.get("/repos/alice/code/issues/1").json["title"] == "A real bug"


def test_a_stranger_edits_nothing(site):
    site.post("/repos/alice/code/issues", {"title": "Bug"})
    label = site.post("/repos/alice/code/labels", {"name": "bug", "color": "#ee0701"}).json
    browser = site.browser("oscar")
    page = browser.get("/alice/code/issues/1")
    assert "/issues/1/title" not in page.text
    for path, fields in (("title", {"title": "Mine"}), ("content", {"content": "x"}),
                         ("labels", {f"label_{label['id']}": "1"}), ("milestone", {"milestone": "0"}),
                         ("assignees", {"assignee_oscar": "1"})):
        assert browser.post(f"/alice/code/issues/1/{path}", fields).status_code == 403, path
    issue = site.get("/repos/alice/code/issues/1").json
    assert issue["title"] == "Bug" and issue["labels"] == [] and issue["body"] == ""


def test_a_writer_sets_labels_assignees_and_milestone(site):
    bug, docs, milestone = _tracker(site)
    browser = site.browser("alice")
    page = browser.get("/alice/code/issues/3")
    assert f'name="label_{bug["id"]}"' in page.text and 'name="assignee_oscar"' in page.text
    assert browser.post("/alice/code/issues/3/labels",
                        {f"label_{bug['id']}": "1", f"label_{docs['id']}": "1"}).status_code == 303
    assert {label["name"] for label in site.get("/repos/alice/code/issues/3").json["labels"]} \
        == {"bug", "docs"}
    page = browser.get("/alice/code/issues/3")
    assert f'name="label_{docs["id"]}" value="1" checked' in page.text
    # Unchecking every box removes them all.
    assert browser.post("/alice/code/issues/3/labels", {}).status_code == 303
    assert site.get("/repos/alice/code/issues/3").json["labels"] == []
    browser.get("/alice/code/issues/3")
    assert browser.post("/alice/code/issues/3/assignees",
                        {"assignee_oscar": "1", "assignee_alice": "1"}).status_code == 303
    assert {person["login"] for person in
            site.get("/repos/alice/code/issues/3").json["assignees"]} == {"alice", "oscar"}
    browser.get("/alice/code/issues/3")
    assert browser.post("/alice/code/issues/3/milestone",
                        {"milestone": str(milestone["id"])}).status_code == 303
    assert site.get("/repos/alice/code/issues/3").json["milestone"]["title"] == "v2"
    browser.get("/alice/code/issues/3")
    assert browser.post("/alice/code/issues/3/milestone", {"milestone": "0"}).status_code == 303
    assert site.get("/repos/alice/code/issues/3").json["milestone"] is None


def test_label_changes_are_announced_as_the_apis_are(build_app):
    from tests.plugins.web.conftest import build_site
    recorder = EventRecorder()
    site = build_site(build_app(recorder))
    bug, _, _ = _tracker(site)
    browser = site.browser("alice")
    browser.get("/alice/code/issues/3")
    browser.post("/alice/code/issues/3/labels", {f"label_{bug['id']}": "1"})
    assert [(event.number, event.doer) for event in
            recorder.of("issue_changed", action="label_updated")] == [(3, "alice")]


def test_bad_edits_are_422_and_change_nothing(site):
    _tracker(site)
    browser = site.browser("alice")
    browser.get("/alice/code/issues/3")
    assert browser.post("/alice/code/issues/3/labels", {"label_999999": "1"}).status_code == 422
    browser.get("/alice/code/issues/3")
    assert browser.post("/alice/code/issues/3/milestone", {"milestone": "999999"}).status_code == 422
    browser.get("/alice/code/issues/3")
    assert browser.post("/alice/code/issues/3/milestone", {"milestone": "v2"}).status_code == 422
    browser.get("/alice/code/issues/3")
    assert browser.post("/alice/code/issues/3/assignees",
                        {"assignee_nobody": "1"}).status_code == 422
    issue = site.get("/repos/alice/code/issues/3").json
    assert issue["labels"] == [] and issue["milestone"] is None and issue["assignees"] is None


def test_edit_forms_need_the_csrf_token_and_a_session(site):
    site.post("/repos/alice/code/issues", {"title": "Bug"})
    browser = site.browser("alice")
    browser.get("/alice/code/issues/1")
    assert browser.post("/alice/code/issues/1/title", {"title": "x"}, csrf=False).status_code == 403
    anonymous = site.browser()
    assert anonymous.post("/alice/code/issues/1/title", {"title": "x"},
                          from_page="/user/login").status_code == 303
    assert site.get("/repos/alice/code/issues/1").json["title"] == "Bug"


def test_a_private_repositorys_issue_forms_are_404_to_strangers(site):
    site.post("/repos/alice/vault/issues", {"title": "Secret"})
    browser = site.browser("oscar")
    browser.get("/alice/code")
    assert browser.post("/alice/vault/issues/1/title", {"title": "x"}).status_code == 404
    assert browser.get("/alice/vault/issues", params={"labels": "1"}).status_code == 404
