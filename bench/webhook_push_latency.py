#!/usr/bin/env python3
"""Does a push get slower with webhooks? The same push (a file written through the contents
API: a commit, a ref update and its push event) timed with 0 hooks and with 50 active hooks
on the repository, in this process on a fresh database. With hooks, the push transaction
writes one outbox row (the payload, rendered and stored once); the sender fans it out to the
50 hooks and sends them afterwards (here as the scheduled job would, timed apart). The SQL
statements of each push are counted too: with hooks, only the one payload's (its INSERT and
two reads to render it), however many hooks.

Usage: python bench/webhook_push_latency.py [--pushes 30] [--hooks 50] [--database-url URL]
``rows()`` gives ``make bench`` its rows (bench/table.py) on the databases of
``PLUE_BENCH_DATABASES``, 15 pushes per ``PLUE_BENCH_ROUNDS``.
"""

from __future__ import annotations

import argparse
import base64
import http.server
import pathlib
import statistics
import sys
import tempfile
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import falcon.testing  # noqa: E402

from bench import table  # noqa: E402
from plue_core import create_app  # noqa: E402
from plue_core.testing import (  # noqa: E402
    basic_auth, fresh_database_url, make_test_config, make_user, migrate, recorded_statements,
)

# "Not slower": the median push with 50 hooks within this factor of the one with none (the
# noise of a shared machine; the hooks add one INSERT and one payload's rendering).
NOT_SLOWER = 1.05
# What an event some hook wants adds to the change, once: the outbox INSERT and the reads of
# the payload's rendering a push needs beyond the change's own (the repository's branch
# count, the pusher's account).
PAYLOAD_STATEMENTS = 3


class Sink:
    """A receiver that answers 200 to everything."""

    def __init__(self):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _pushes(client, repo: str, count: int, tag: str,
            counts: list[int] | None = None) -> list[float]:
    """The seconds of each of ``count`` pushes; each one's statements appended to ``counts``."""
    auth = basic_auth("bench")
    times = []
    for n in range(count):
        body = {"content": base64.b64encode(f"{repo} {n}\n".encode()).decode()}
        with recorded_statements(client.app.plue.db) as statements:
            started = time.perf_counter()
            response = client.simulate_post(f"/api/v1/repos/bench/{repo}/contents/{tag}{n}.txt",
                                            json=body, headers=auth)
            times.append(time.perf_counter() - started)
        if counts is not None:
            counts.append(len(statements))
        assert response.status_code == 201, response.text
    return times


def measure(pushes: int = 30, hooks: int = 50, database_url: str | None = None) -> dict:
    sink = Sink()
    with tempfile.TemporaryDirectory() as tmp, \
            fresh_database_url(pathlib.Path(tmp)) as default_url:
        config = make_test_config(pathlib.Path(tmp), database_url or default_url,
                                  webhooks={"allowed_host_list": "loopback",
                                            "send_in_process": False})
        app = create_app(config)
        try:
            migrate(app)
            make_user(app.plue, "bench")
            client = falcon.testing.TestClient(app)
            auth = basic_auth("bench")
            for name in ("quiet", "busy"):
                assert client.simulate_post("/api/v1/user/repos", json={
                    "name": name, "auto_init": True}, headers=auth).status_code == 201
            for n in range(hooks):
                assert client.simulate_post("/api/v1/repos/bench/busy/hooks", headers=auth, json={
                    "type": "gitea", "active": True, "events": ["push"],
                    "config": {"url": sink.url, "content_type": "json", "secret": f"s{n}"},
                }).status_code == 201
            _pushes(client, "quiet", 3, "warm")  # warm up both paths
            _pushes(client, "busy", 3, "warm")
            from plue_core.db import connection
            from plue_webhooks import sender
            service = app.plue.services["webhooks"]
            with connection(app.plue.db):
                while sender.send_due(service):
                    pass
            # Alternated, so the machine's swings and the database's growth hit both alike.
            quiet, busy, quiet_statements, busy_statements = [], [], [], []
            for n in range(pushes):
                quiet += _pushes(client, "quiet", 1, f"f{n}-", quiet_statements)
                busy += _pushes(client, "busy", 1, f"f{n}-", busy_statements)
            started = time.perf_counter()
            sent = 0
            with connection(app.plue.db):
                while (batch := sender.send_due(service)):
                    sent += batch
            sending = time.perf_counter() - started
        finally:
            app.plue.close()
            sink.close()
    return {"quiet": quiet, "busy": busy, "sent": sent, "sending": sending, "hooks": hooks,
            "quiet_statements": statistics.median(quiet_statements),
            "busy_statements": statistics.median(busy_statements),
            "database": table.url_label(database_url or default_url)}


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def table_rows(found: dict) -> list[table.Row]:
    """The ``make bench`` rows of one measurement (issue 14: a push with 50 hooks is not
    slower than one with none)."""
    quiet, busy, db = found["quiet"], found["busy"], found["database"]
    ratio = statistics.median(busy) / statistics.median(quiet)
    return [
        table.Row(f"push with {found['hooks']} hooks not slower than with 0 "
                  f"(median ≤ {NOT_SLOWER}×)",
                  f"{ratio:.2f}× (median {1000 * statistics.median(busy):.1f} ms, "
                  f"p95 {_ms(busy, 0.95):.1f} ms; {len(busy)} pushes)",
                  f"0 hooks: median {1000 * statistics.median(quiet):.1f} ms, "
                  f"p95 {_ms(quiet, 0.95):.1f} ms", ratio <= NOT_SLOWER, db),
        table.Row(f"SQL statements of a push with {found['hooks']} hooks: only the one "
                  f"payload's (≤ {PAYLOAD_STATEMENTS} more than with 0, none per hook)",
                  f"{found['busy_statements']:g} (median per push)",
                  f"0 hooks: {found['quiet_statements']:g}",
                  found["busy_statements"] <= found["quiet_statements"] + PAYLOAD_STATEMENTS,
                  db),
        table.Row("the sender, after the pushes (off the request thread)",
                  f"{found['sent']:,} deliveries in {found['sending']:.2f} s "
                  f"({found['sent'] / max(found['sending'], 1e-9):,.0f}/s)", "", None, db),
    ]


def rows() -> list[table.Row]:
    """Issue 14's push latency on each of ``table.databases()``: 50 hooks, 15 pushes per
    ``table.rounds()`` (30 by default, as the script)."""
    found: list[table.Row] = []
    for database in table.databases():
        with table.scratch_database(database) as url:
            found += table_rows(measure(15 * table.rounds(), 50, url))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pushes", type=int, default=30)
    parser.add_argument("--hooks", type=int, default=50)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    table.print_table(table_rows(measure(args.pushes, args.hooks, args.database_url)))


if __name__ == "__main__":
    main()
