"""pull_request workflows run when the pulls plugin opens or updates a pull request."""

PR_WORKFLOW = """
on:
  pull_request:
    branches: [main]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - run: echo ${{ github.head_ref }}
"""


def test_opening_and_updating_a_pull_request_runs_its_workflow(actions_forge):
    actions_forge.push_file(".gitea/workflows/pr.yml", PR_WORKFLOW)
    assert actions_forge.runs() == []  # a push is not a pull request
    branch = actions_forge.api("POST", "/repos/alice/demo/branches",
                               {"new_branch_name": "feature", "old_branch_name": "main"})
    assert branch.status_code == 201, branch.text
    actions_forge.push_file("feature.txt", "one", "feature work", branch="feature")
    opened = actions_forge.api("POST", "/repos/alice/demo/pulls",
                               {"head": "feature", "base": "main", "title": "Add feature"})
    assert opened.status_code == 201, opened.text
    runs = actions_forge.runs()
    assert len(runs) == 1 and runs[0]["event"] == "pull_request"
    assert runs[0]["display_title"] == "Add feature"
    runner = actions_forge.runner()
    task = runner.fetch()
    assert task["context"]["event"]["action"] == "opened"
    assert task["context"]["head_ref"] == "feature" and task["context"]["base_ref"] == "main"
    actions_forge.push_file("feature.txt", "two", "more work", branch="feature")
    events = sorted(run["event"] for run in actions_forge.runs())
    assert events == ["pull_request", "pull_request"]
