"""A workflow file is parsed once per blob (issue 13, push-to-pickup): a push to the default
branch reads it for its schedules and for its runs, and the next push of the same file does
not parse it again; a changed file is parsed anew, and a file that does not parse keeps
failing its runs with its error."""

from __future__ import annotations

import plue_actions.workflow_files as workflow_files
from plue_workflows import parse_workflow
from plue_actions.testing import ONE_JOB


def counting_parses(monkeypatch) -> list[str]:
    parses: list[str] = []

    def counted(content, file_name):
        parses.append(file_name)
        return parse_workflow(content, file_name)

    monkeypatch.setattr(workflow_files, "parse_workflow", counted)
    monkeypatch.setattr(workflow_files, "_PARSED", workflow_files.BoundedCache(8))
    return parses


def test_an_unchanged_workflow_file_is_parsed_once(actions_forge, monkeypatch):
    parses = counting_parses(monkeypatch)
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    assert parses == ["ci.yml"]  # schedules and runs of the default branch: one parse
    actions_forge.push_file("README.md", "one\n")
    actions_forge.push_file("README.md", "two\n")
    assert parses == ["ci.yml"]
    assert len(actions_forge.runs()) == 3
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB.replace("echo one", "echo two"))
    assert parses == ["ci.yml", "ci.yml"]
    assert len(actions_forge.runs()) == 4


def test_a_broken_file_fails_every_run_with_its_error(actions_forge, monkeypatch):
    parses = counting_parses(monkeypatch)
    actions_forge.push_file(".gitea/workflows/bad.yml", "on: push\njobs: [1]\n")
    actions_forge.push_file("README.md", "one\n")
    runs = actions_forge.runs()
    assert parses == ["bad.yml"]
    assert len(runs) == 2 and all(run["conclusion"] == "failure" for run in runs)
    for run in runs:
        jobs = actions_forge.jobs(run["id"])
        assert [job["name"] for job in jobs] == ["bad.yml"]
