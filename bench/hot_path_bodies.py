#!/usr/bin/env python3
"""The bodies (and paging headers) of the hot paths, byte for byte, on a state kept between runs: run it before and
after a change to a hot path and compare the two outputs (they must be identical).

Usage: python bench/hot_path_bodies.py --state DIR [--database-url postgresql://…] > before.txt
       (change the code)
       python bench/hot_path_bodies.py --state DIR > after.txt && cmp before.txt after.txt

The first run prepares DIR (a SQLite database and the data directory: what
bench/profile_hot_path.py prepares, plus a label, a milestone and an assignee on the issue);
later runs read the same rows and repositories, so every timestamp and id is the same.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
import types

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import falcon.testing  # noqa: E402

from plue_core import create_app  # noqa: E402
from plue_core.testing import make_test_config, migrate  # noqa: E402

from bench.profile_hot_path import hot_paths, prepare  # noqa: E402


def decorate(client, data: dict) -> None:
    """A label, a milestone and an assignee on the issue, so its body carries each shape."""
    repo = "/api/v1/repos/bench/bench"

    def call(method, path, **body):
        result = client.simulate_request(method, f"{repo}{path}", headers=data["token"], json=body)
        assert result.status_code < 300, result.text
        return result.json

    label = call("POST", "/labels", name="bug", color="#ee0701", description="broken")
    milestone = call("POST", "/milestones", title="v1", description="first")
    call("PATCH", f"/issues/{data['issue']}", milestone=milestone["id"], assignees=["bench"])
    call("POST", f"/issues/{data['issue']}/labels", labels=[label["id"]])
    call("POST", f"/issues/{data['pull']}/labels", labels=[label["id"]])


def requests(data: dict) -> dict[str, dict]:
    """The GET hot paths, and variants of the lists and contents."""
    repo = "/api/v1/repos/bench/bench"
    chosen = {label: spec for label, spec in hot_paths(data).items() if "FetchTask" not in label}
    chosen.update({
        "issue list, all": {"path": f"{repo}/issues", "query_string": "state=all&limit=30",
                            "headers": data["token"]},
        "issue list, pulls": {"path": f"{repo}/issues", "query_string": "type=pulls",
                              "headers": data["token"]},
        "issue list, page 2": {"path": f"{repo}/issues", "query_string": "limit=1&page=2",
                               "headers": data["token"]},
        "issue list, labelled": {"path": f"{repo}/issues", "query_string": "labels=bug",
                                 "headers": data["token"]},
        "pull as issue GET": {"path": f"{repo}/issues/{data['pull']}", "headers": data["token"]},
        "issue GET, anonymous": {"path": f"{repo}/issues/{data['issue']}"},
        "contents root": {"path": f"{repo}/contents", "headers": data["token"]},
        "contents GET, default branch": {"path": f"{repo}/contents/README.md",
                                         "headers": data["token"]},
        "contents dir": {"path": f"{repo}/contents/.gitea/workflows", "headers": data["token"]},
        "run list, page 2": {"path": f"{repo}/actions/runs", "query_string": "limit=1&page=2",
                             "headers": data["token"]},
    })
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--state", required=True, type=pathlib.Path)
    parser.add_argument("--database-url", help="a PostgreSQL database (default: SQLite in --state)")
    args = parser.parse_args()
    state = args.state.resolve()
    saved = state / "bench.json"
    fresh = not saved.exists()
    state.mkdir(parents=True, exist_ok=True)
    app = create_app(make_test_config(state, args.database_url or f"sqlite:///{state}/plue.db"))
    client = falcon.testing.TestClient(app)
    if fresh:
        migrate(app)
        data = prepare(client, app.plue)
        decorate(client, data)
        data.pop("runner")
        saved.write_text(json.dumps(data))
    data = json.loads(saved.read_text())
    data["runner"] = types.SimpleNamespace(tasks_version=0, headers={})  # FetchTask: left out
    for label, spec in requests(data).items():
        spec = dict(spec)
        result = client.simulate_request(spec.pop("method", "GET"), **spec)
        print(f"== {label}: {result.status_code}")
        for header in ("X-Total-Count", "Link", "Content-Type"):
            print(f"{header}: {result.headers.get(header)}")
        print(result.text)
    app.plue.db.close()


if __name__ == "__main__":
    main()
