"""Releases' migration 0002 on a database that holds release files: each row moves into the
one ``attachment`` table with its id, uuid, name, size and count, its bytes stay where they
were, and the release API and both download URLs serve it as before."""

from __future__ import annotations

import pathlib
import shutil

import falcon.testing
import pytest

from plue_core import migrations
from plue_core.db import connection
from plue_core.testing import basic_auth, make_user

import plue_releases


def test_release_files_survive_the_move_to_the_one_attachment_table(build_app, tmp_path):
    app = build_app(migrate_db=False)
    ctx = app.plue
    scripts = pathlib.Path(plue_releases.__file__).parent / "migrations"
    before_dir = tmp_path / "releases-0001"
    before_dir.mkdir()
    shutil.copy(scripts / "0001_initial.py", before_dir / "0001_initial.py")
    sources = ctx.plugins.migration_sources()
    before = [(plugin, str(before_dir) if plugin == "releases" else directory)
              for plugin, directory in sources]
    with connection(ctx.db):
        migrations.migrate(ctx.db, before, report=lambda _: None)
    alice = make_user(ctx, "alice")
    client = falcon.testing.TestClient(app)
    created = client.simulate_post("/api/v1/user/repos", headers=basic_auth("alice"),
                                   json={"name": "demo", "auto_init": True})
    assert created.status_code == 201, created.text
    repository_id = created.json["id"]
    uuid = "0b3f6a1e-1111-4c1d-9a55-5e1ec7ed0001"
    file = ctx.config.data_path / "attachments" / uuid[0] / uuid[1] / uuid
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(b"old release bytes")
    with connection(ctx.db):
        db, p = ctx.db, ctx.db.param
        db.execute_sql("INSERT INTO release (id, repository_id, publisher_id, tag_name, target, "
                       "title, note, sha1, is_draft, is_prerelease, created_at) VALUES "
                       f"({', '.join([p] * 11)})",
                       (7, repository_id, alice.id, "v1", "main", "One", "", "", False, False,
                        "2026-01-01 00:00:00"))
        db.execute_sql("INSERT INTO release_attachment (id, uuid, release_id, uploader_id, name, "
                       f"size, download_count, created_at) VALUES ({', '.join([p] * 8)})",
                       (42, uuid, 7, alice.id, "tool.bin", 17, 3, "2026-01-02 00:00:00"))

        applied = migrations.migrate(ctx.db, sources, report=lambda _: None)
        assert [f"{s.plugin}/{s.name}" for s in applied] == [
            "releases/0002_attachments_in_one_table"]
        assert "release_attachment" not in ctx.db.get_tables()

    asset = client.simulate_get("/api/v1/repos/alice/demo/releases/7/assets/42").json
    assert (asset["id"], asset["uuid"], asset["name"], asset["size"],
            asset["download_count"]) == (42, uuid, "tool.bin", 17, 3)
    assert asset["created_at"].startswith("2026-01-02T00:00:00")
    by_uuid = client.simulate_get(f"/attachments/{uuid}")
    assert by_uuid.status_code == 200 and by_uuid.content == b"old release bytes"
    by_name = client.simulate_get("/alice/demo/releases/download/v1/tool.bin")
    assert by_name.content == b"old release bytes"
    # The next file takes an id after the moved ones (PostgreSQL's sequence is moved on).
    boundary = "b"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"attachment\"; "
            f"filename=\"new.bin\"\r\n\r\nnew\r\n--{boundary}--\r\n").encode()
    new = client.simulate_post("/api/v1/repos/alice/demo/releases/7/assets", body=body,
                               headers={**basic_auth("alice"), "Content-Type":
                                        f"multipart/form-data; boundary={boundary}"})
    assert new.status_code == 201, new.text
    assert new.json["id"] > 42
    assert client.simulate_get("/api/v1/repos/alice/demo/releases/7/assets/42").json[
        "download_count"] == 5


def test_the_former_files_setting_names_its_new_home(tmp_path):
    from plue_core import create_app
    from plue_core.config import load_config
    from plue_core.errors import StartupError

    with pytest.raises(StartupError, match=r"releases\.attachments_dir: moved: .*\[attachment\] path"):
        create_app(load_config(overrides={"data_dir": str(tmp_path),
                                          "releases": {"attachments_dir": "/srv/files"}},
                               environ={}))
