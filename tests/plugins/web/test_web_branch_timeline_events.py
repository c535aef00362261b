"""The pull request page shows its branch events as Gitea's does: "changed the target branch
from main to develop" and, after a merge that deleted its head, "deleted branch feature/x"."""

from __future__ import annotations

from tests.plugins.web.test_web_issue_timeline import events_text


def test_the_page_shows_a_new_base_and_a_deleted_head_branch(site):
    assert site.post("/repos/alice/code/branches", {"new_branch_name": "develop",
                                                    "old_branch_name": "main"}).status_code == 201
    pull = site.post("/repos/alice/code/pulls", {"head": "feature/x", "base": "main",
                                                 "title": "Add the feature"}).json
    path = f"/repos/alice/code/pulls/{pull['number']}"
    assert site.patch(path, {"base": "develop"}).status_code == 201
    merged = site.post(f"{path}/merge", {"Do": "merge", "delete_branch_after_merge": True})
    assert merged.status_code == 200, merged.text
    page = site.browser().get(f"/alice/code/pulls/{pull['number']}")
    assert page.status_code == 200, page.text
    lines = events_text(page.text)
    assert any(line.startswith("alice changed the target branch from main to develop")
               for line in lines), lines
    assert any(line.startswith("alice deleted branch feature/x") for line in lines), lines
