"""A tag's ``zipball_url`` and ``tarball_url`` open (they were 404): the repository's files
at the ref under ``{repo}/``, as ``git archive --prefix`` lays them out, to whoever may read
the repository."""

from __future__ import annotations

import io
import tarfile
import zipfile

from plue_core.testing import basic_auth


def _site_path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_a_tags_zipball_and_tarball_hold_the_files_at_the_tag(forge):
    forge.create_repo("demo", auto_init=True)
    forge.create_file("alice/demo", "src/app.py", b"print(1)\n", message="app")
    assert forge.post("/repos/alice/demo/tags", {"tag_name": "v1", "target": "main"}).status_code == 201
    forge.create_file("alice/demo", "later.txt", b"after the tag\n", message="later")
    tag = forge.get("/repos/alice/demo/tags/v1").json

    zipped = forge.client.simulate_get(_site_path(tag["zipball_url"]))
    assert zipped.status_code == 200 and zipped.headers["content-type"] == "application/zip"
    assert 'filename="demo-v1.zip"' in zipped.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        # git archive writes the directories' own entries too ("demo/", "demo/src/")
        assert sorted(name for name in archive.namelist() if not name.endswith("/")) == [
            "demo/README.md", "demo/src/app.py"]
        assert archive.read("demo/src/app.py") == b"print(1)\n"

    tarred = forge.client.simulate_get(_site_path(tag["tarball_url"]))
    assert tarred.status_code == 200 and tarred.headers["content-type"] == "application/gzip"
    with tarfile.open(fileobj=io.BytesIO(tarred.content), mode="r:gz") as archive:
        assert sorted(member.name for member in archive.getmembers() if member.isfile()) == [
            "demo/README.md", "demo/src/app.py"]
        assert archive.extractfile("demo/src/app.py").read() == b"print(1)\n"

    branch = forge.client.simulate_get("/alice/demo/archive/main.zip")
    with zipfile.ZipFile(io.BytesIO(branch.content)) as archive:
        assert "demo/later.txt" in archive.namelist()


def test_a_private_repositorys_archive_is_not_found_to_others(forge):
    forge.create_repo("vault", auto_init=True, private=True)
    assert forge.client.simulate_get("/alice/vault/archive/main.zip").status_code == 404
    assert forge.client.simulate_get("/alice/vault/archive/main.zip",
                                     headers=basic_auth("carol")).status_code == 404
    assert forge.client.simulate_get("/alice/vault/archive/main.zip",
                                     headers=basic_auth("alice")).status_code == 200


def test_an_unknown_ref_or_format_is_not_found(forge):
    forge.create_repo("demo", auto_init=True)
    for name in ("nope.zip", "main.rar", "main", ".zip"):
        assert forge.client.simulate_get(f"/alice/demo/archive/{name}").status_code == 404, name
