"""The addresses the API hands out that are files, not pages, answer at the page address
as in Gitea: a pull request's ``diff_url`` and ``patch_url`` (``/pulls/{n}.diff|.patch``,
the API's bytes) and a tag's ``zipball_url`` and ``tarball_url`` (``/archive/{ref}.zip|.tar.gz``,
the files under ``{repo}/`` as ``git archive`` writes them). A private repository's are a 404
to a stranger."""

from __future__ import annotations

import io
import subprocess
import tarfile
import urllib.parse
import zipfile


def _path(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_a_pull_requests_diff_and_patch_urls_give_the_apis_bytes(site):
    pull = site.post("/repos/alice/code/pulls", {"title": "Feature", "head": "feature/x",
                                                  "base": "main"})
    assert pull.status_code == 201, pull.text
    browser, stranger = site.browser("alice"), site.browser()
    for field in ("diff_url", "patch_url"):
        url = pull.json[field]
        page = browser.get(_path(url))
        assert page.status_code == 200, (url, page.text)
        assert page.headers["content-type"] == "text/plain; charset=utf-8"
        api = site.get(f"/repos/alice/code/pulls/{pull.json['number']}."
                       f"{field.removesuffix('_url')}")
        assert page.content == api.content and b"feature.txt" in page.content
        assert stranger.get(_path(url)).status_code == 200  # a public repository
    assert browser.get("/alice/code/pulls/1.tar").status_code == 404


def test_an_issue_has_no_diff_and_a_private_pull_request_hides_it(site):
    assert site.post("/repos/alice/code/issues", {"title": "Bug"}).status_code == 201
    assert site.browser("alice").get("/alice/code/pulls/1.diff").status_code == 404
    assert site.post("/repos/alice/vault/branches", {"new_branch_name": "topic"}).status_code == 201
    site.add_files("alice/vault", {"t.txt": b"t\n"}, branch="topic")
    pull = site.post("/repos/alice/vault/pulls", {"title": "T", "head": "topic", "base": "main"})
    assert pull.status_code == 201, pull.text
    assert site.browser("alice").get(_path(pull.json["diff_url"])).status_code == 200
    assert site.browser().get(_path(pull.json["diff_url"])).status_code == 404
    assert site.browser("oscar").get(_path(pull.json["patch_url"])).status_code == 404


def test_a_tags_zipball_and_tarball_urls_are_its_files_under_the_repository_name(site):
    [tag] = [t for t in site.get("/repos/alice/code/tags").json if t["name"] == "v1.0"]
    browser = site.browser("alice")
    expected = {"code/README.md", "code/src/main.py", "code/docs/picture.png", "code/data.bin"}
    zipped = browser.get(_path(tag["zipball_url"]))
    assert zipped.status_code == 200, zipped.text
    assert zipped.headers["content-type"] == "application/zip"
    assert 'filename="code-v1.0.zip"' in zipped.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        assert expected <= set(archive.namelist())
        assert archive.read("code/data.bin") == b"\x00\x01\x02binary"
    tarred = browser.get(_path(tag["tarball_url"]))
    assert tarred.status_code == 200 and tarred.headers["content-type"] == "application/gzip"
    with tarfile.open(fileobj=io.BytesIO(tarred.content), mode="r:gz") as archive:
        assert expected <= set(archive.getnames())
        assert archive.extractfile("code/src/main.py").read().startswith(b"def main():")
    # What git itself archives at that tag: the same paths and bytes.
    path = site.ctx.services["git_hosting"].path_of(
        site.ctx.services["git_hosting"].find_repository("alice", "code"))
    listed = subprocess.run(["git", "--git-dir", str(path), "archive", "--format=tar",
                             "--prefix=code/", "v1.0"], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(listed)) as theirs, \
            tarfile.open(fileobj=io.BytesIO(tarred.content), mode="r:gz") as ours:
        files = [m.name for m in theirs.getmembers() if m.isfile()]
        assert sorted(files) == sorted(m.name for m in ours.getmembers() if m.isfile())
        for name in files:
            assert ours.extractfile(name).read() == theirs.extractfile(name).read()


def test_an_archive_of_a_branch_with_a_slash_and_its_refusals(site):
    zipped = site.browser("alice").get("/alice/code/archive/feature/x.zip")
    assert zipped.status_code == 200
    assert 'filename="code-feature-x.zip"' in zipped.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        assert archive.read("code/feature.txt") == b"only on the branch\n"
    browser = site.browser("alice")
    assert browser.get("/alice/code/archive/nothing.zip").status_code == 404
    assert browser.get("/alice/code/archive/main.rar").status_code == 404
    assert site.browser("alice").get("/alice/vault/archive/main.zip").status_code == 200
    assert site.browser().get("/alice/vault/archive/main.zip").status_code == 404
    assert site.browser("oscar").get("/alice/vault/archive/main.tar.gz").status_code == 404
