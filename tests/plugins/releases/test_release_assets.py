"""Release assets: multipart and raw uploads, the size limit, renaming, deleting, and the
download URLs serving the bytes (counted), with the files on disk kept in step with the rows."""

from __future__ import annotations

def files_on_disk(forge) -> list:
    root = forge.ctx.services["attachments"].files.root
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_upload_list_get_rename_download_and_delete(forge):
    release = forge.release("v1")
    uploaded = forge.upload(release["id"], "tool.bin", b"\x00release bytes\xff")
    assert uploaded.status_code == 201, uploaded.text
    asset = uploaded.json
    assert list(asset) == ["id", "name", "size", "download_count", "created_at", "uuid",
                           "browser_download_url"]
    assert (asset["name"], asset["size"], asset["download_count"]) == ("tool.bin", 15, 0)
    html = forge.get("/repos/alice/demo").json["html_url"]
    assert asset["browser_download_url"] == f"{html}/releases/download/v1/tool.bin"
    assert files_on_disk(forge) == [asset["uuid"]]
    assets = f"/repos/alice/demo/releases/{release['id']}/assets"
    assert forge.get(assets).json == [asset]
    assert forge.get(f"/repos/alice/demo/releases/{release['id']}").json["assets"] == [asset]

    download = forge.client.simulate_get("/alice/demo/releases/download/v1/tool.bin")
    assert download.status_code == 200 and download.content == b"\x00release bytes\xff"
    assert "attachment" in download.headers["content-disposition"]
    by_uuid = forge.client.simulate_get(f"/attachments/{asset['uuid']}")
    assert by_uuid.content == b"\x00release bytes\xff"
    assert forge.get(f"{assets}/{asset['id']}").json["download_count"] == 2

    renamed = forge.patch(f"{assets}/{asset['id']}", {"name": "tool-1.0.bin"})
    assert renamed.status_code == 201 and renamed.json["name"] == "tool-1.0.bin"
    assert forge.client.simulate_get(
        "/alice/demo/releases/download/v1/tool-1.0.bin").status_code == 200
    assert forge.client.simulate_get(
        "/alice/demo/releases/download/v1/tool.bin").status_code == 404

    assert forge.delete(f"{assets}/{asset['id']}").status_code == 204
    assert forge.get(f"{assets}/{asset['id']}").status_code == 404
    assert files_on_disk(forge) == []
    assert forge.client.simulate_get(f"/attachments/{asset['uuid']}").status_code == 404


def test_the_raw_body_with_a_name_and_the_name_query_override(forge):
    release = forge.release("v1")
    raw = forge.client.simulate_post(
        f"/api/v1/repos/alice/demo/releases/{release['id']}/assets", body=b"raw",
        query_string="name=raw.txt",
        headers={**forge.auth("alice"), "Content-Type": "application/octet-stream"})
    assert raw.status_code == 201 and raw.json["name"] == "raw.txt" and raw.json["size"] == 3
    named = forge.upload(release["id"], "ignored.bin", b"x", query="name=chosen.bin")
    assert named.json["name"] == "chosen.bin"
    nameless = forge.client.simulate_post(
        f"/api/v1/repos/alice/demo/releases/{release['id']}/assets", body=b"raw",
        headers={**forge.auth("alice"), "Content-Type": "application/octet-stream"})
    assert nameless.status_code == 400
    assert len(files_on_disk(forge)) == 2


def test_a_file_over_the_limit_is_413_and_leaves_nothing(build_forge):
    forge = build_forge(releases={"max_attachment_size": 10})
    release = forge.release("v1")
    assert forge.upload(release["id"], "ok.bin", b"0123456789").status_code == 201
    too_big = forge.upload(release["id"], "big.bin", b"0123456789a")
    assert too_big.status_code == 413, too_big.text
    assert [a["name"] for a in forge.get(f"/repos/alice/demo/releases/{release['id']}/assets")
            .json] == ["ok.bin"]
    assert len(files_on_disk(forge)) == 1


def test_readers_download_writers_upload_private_stays_hidden(forge):
    release = forge.release("v1")
    assets = f"/repos/alice/demo/releases/{release['id']}/assets"
    assert forge.upload(release["id"], "r.bin", b"x", as_user="rita").status_code == 403
    assert forge.upload(release["id"], "w.bin", b"x", as_user="wanda").status_code == 201
    asset = forge.get(assets).json[0]
    assert forge.delete(f"{assets}/{asset['id']}", as_user="rita").status_code == 403
    assert forge.patch(f"{assets}/{asset['id']}", {"name": "n"}, as_user="oscar").status_code == 403
    assert forge.client.simulate_get("/alice/demo/releases/download/v1/w.bin").status_code == 200

    secret = forge.release("s1", repo="alice/secret")
    stored = forge.upload(secret["id"], "s.bin", b"secret", repo="alice/secret").json
    for auth in ({}, forge.auth("oscar")):
        assert forge.client.simulate_get("/alice/secret/releases/download/s1/s.bin",
                                         headers=auth).status_code == 404
        assert forge.client.simulate_get(f"/attachments/{stored['uuid']}",
                                         headers=auth).status_code == 404
        assert forge.get(f"/repos/alice/secret/releases/{secret['id']}/assets",
                         as_user=auth and "oscar" or None).status_code == 404
    assert forge.client.simulate_get(f"/attachments/{stored['uuid']}",
                                     headers=forge.auth("alice")).content == b"secret"

    draft = forge.release("d1", draft=True)
    hidden = forge.upload(draft["id"], "d.bin", b"draft").json
    assert forge.client.simulate_get(f"/attachments/{hidden['uuid']}",
                                     headers=forge.auth("rita")).status_code == 404
    assert forge.client.simulate_get(f"/attachments/{hidden['uuid']}",
                                     headers=forge.auth("wanda")).status_code == 200


def test_deleting_a_release_by_id_or_tag_or_the_repository_removes_the_files(forge):
    one, two, three = forge.release("v1"), forge.release("v2"), forge.release("v3")
    for release in (one, two, three):
        assert forge.upload(release["id"], "f.bin", b"x").status_code == 201
    assert len(files_on_disk(forge)) == 3
    assert forge.delete(f"/repos/alice/demo/releases/{one['id']}").status_code == 204
    assert len(files_on_disk(forge)) == 2
    assert forge.delete("/repos/alice/demo/releases/tags/v2").status_code == 204
    assert len(files_on_disk(forge)) == 1
    assert forge.delete("/repos/alice/demo").status_code == 204
    assert files_on_disk(forge) == []
    from plue_core.attachments.models import Attachment
    from plue_releases.models import Release
    assert Release.select().count() == 0 and Attachment.select().count() == 0
