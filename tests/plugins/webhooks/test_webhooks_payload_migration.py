"""Migration 0002 of the webhooks plugin on a database that already holds deliveries: each
keeps its payload (now a ``webhook_payload`` row it points at), its record and its attempts."""

from __future__ import annotations

import pathlib
import shutil

from plue_core import migrations
from plue_core.db import connection

import plue_webhooks
from plue_webhooks.models import WebhookAttempt, WebhookDelivery, WebhookPayload


def test_existing_deliveries_keep_their_payloads_through_the_migration(build_app, tmp_path):
    app = build_app(migrate_db=False)
    ctx = app.plue
    scripts = pathlib.Path(plue_webhooks.__file__).parent / "migrations"
    shutil.copy(scripts / "0001_initial.py", tmp_path / "0001_initial.py")
    sources = ctx.plugins.migration_sources()
    before = [(plugin, str(tmp_path) if plugin == "webhooks" else directory)
              for plugin, directory in sources]
    with connection(ctx.db):
        migrations.migrate(ctx.db, before, report=lambda _: None)
        db, p = ctx.db, ctx.db.param
        db.execute_sql(
            "INSERT INTO webhook (owner_kind, repository_id, name, type, url, http_method, "
            "content_type, extra_config, sealed_secret, sealed_authorization, events, "
            f"branch_filter, active, created_at, updated_at) VALUES ({', '.join([p] * 15)})",
            ("repository", 1, "", "gitea", "http://example.com/", "POST", "json", "{}", "", "",
             '["push"]', "", True, "2026-01-01 00:00:00", "2026-01-01 00:00:00"))
        for n, state in enumerate(("delivered", "pending")):
            db.execute_sql(
                "INSERT INTO webhook_delivery (uuid, webhook_id, event, payload, state, attempts, "
                f"next_attempt_at, created_at) VALUES ({', '.join([p] * 8)})",
                (f"uuid-{n}", 1, "push", f'{{"ref": "refs/heads/b{n}"}}', state, 1 - n,
                 "2026-01-01 00:00:00", "2026-01-01 00:00:00"))
        db.execute_sql("INSERT INTO webhook_attempt (delivery_id, attempt, started_at, duration_ms, "
                       "request_url, request_headers, request_body, response_headers, "
                       f"response_body, error) VALUES ({', '.join([p] * 10)})",
                       (1, 1, "2026-01-01 00:00:00", 5, "http://example.com/", "{}", "", "{}",
                        "", ""))

        applied = migrations.migrate(ctx.db, sources, report=lambda _: None)
        assert [f"{s.plugin}/{s.name}" for s in applied] == ["webhooks/0002_payloads_once"]
        rows = list(WebhookDelivery.select().order_by(WebhookDelivery.id))
        assert [(row.uuid, row.state) for row in rows] == [("uuid-0", "delivered"),
                                                           ("uuid-1", "pending")]
        assert [WebhookPayload.get_by_id(row.payload_id).body for row in rows] == [
            {"ref": "refs/heads/b0"}, {"ref": "refs/heads/b1"}]
        assert all(payload.fanned_out for payload in WebhookPayload.select())
        assert WebhookAttempt.get().delivery_id == rows[0].id
