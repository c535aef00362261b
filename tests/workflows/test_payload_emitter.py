"""A job's payload is dumped with libyaml's emitter when PyYAML has it (issue 13: a run's jobs
are dumped while the push is recorded), and its text is the pure-Python emitter's, character
for character, for what workflows hold: unicode, multi-line scripts, long lines, quotes,
expressions, keys YAML would read as booleans, numbers as strings, nested matrices."""

from __future__ import annotations

import pytest
import yaml

from plue_workflows import parse_workflow
from plue_workflows.planning import payload

real_dump = yaml.dump

WORKFLOW = """name: "ci — überall"
on:
  push:
    branches: [main, 'release/**']
  pull_request:
env:
  YES: "yes"
  ON: 'on'
  NUMBER: "0012"
  EMPTY: ""
defaults:
  run:
    shell: bash
jobs:
  build:
    runs-on: [self-hosted, "linux x64"]
    strategy:
      matrix:
        include: [{os: 日本, n: 1}, {os: "a: b", n: 2.5}]
    steps:
      - uses: actions/checkout@v4
        with: {fetch-depth: 0, token: "${{ secrets.TOKEN }}"}
      - name: "quotes ' and \\" and # not a comment"
        run: |
          echo "one ${{ matrix.os }}"
          printf '%s\\n' {a,b}   # trailing spaces   
          """ + "x" * 1500 + """
      - run: >
          folded
          text
        env: {TAB: "\\t", NUL: "null", TILDE: "~"}
"""


def test_libyaml_emits_what_the_python_emitter_does(monkeypatch):
    if not hasattr(yaml, "CSafeDumper"):
        pytest.skip("PyYAML built without libyaml")
    dumped_by = []
    monkeypatch.setattr(yaml, "dump", lambda *args, **kwargs: dumped_by.append(
        kwargs["Dumper"]) or real_dump(*args, **kwargs))
    workflow = parse_workflow(WORKFLOW, "ci.yml")
    spec = workflow.jobs["build"]
    for matrix in ({"os": "日本", "n": 1}, {"os": "a: b", "n": 2.5}, {}):
        text = payload.job_payload(workflow, spec, "build (x)", ("self-hosted", "linux x64"),
                                   matrix)
        assert dumped_by.pop() is yaml.CSafeDumper
        with monkeypatch.context() as without_libyaml:
            without_libyaml.delattr(yaml, "CSafeDumper")
            expected = payload.job_payload(workflow, spec, "build (x)",
                                           ("self-hosted", "linux x64"), matrix)
        assert dumped_by.pop() is yaml.SafeDumper
        assert text == expected
        assert yaml.safe_load(text)["jobs"]["build"]["name"] == "build (x)"
