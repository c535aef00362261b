"""Gitea's ``GET /repos/{owner}/{repo}/languages`` (a repository's ``languages_url``, which was
a 404): bytes of code per language at the default branch's tip, counted by Gitea's rules —
vendored, documentation, dot- and data files left out unless nothing else is there."""

from __future__ import annotations

from plue_core.testing import basic_auth

from plue_git_hosting import languages


def _site_path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_languages_count_the_bytes_of_code_at_the_default_branch(forge):
    repo = forge.create_repo("demo", auto_init=True)  # README.md: documentation, not counted
    files = {
        "src/app.py": b"print('hello')\n" * 4,        # 60 bytes of Python
        "src/util.py": b"x = 1\n",                      # 6 more
        "web/index.html": b"<p>hi</p>\n",               # HTML is markup: counted
        "web/site.scss": b"p { color: red; }\n",        # SCSS is grouped under CSS
        "run.sh": b"echo hi\n",                         # linguist's name: Shell
        "docs/guide.py": b"print('documentation')\n",   # documentation
        "vendor/lib.js": b"var vendored = 1;\n",        # vendored
        "web/app.min.js": b"var a=1;\n",                # generated (minified)
        ".github/workflows/ci.yml": b"on: push\n",      # a dot directory
        "settings.json": b"{\"a\": 1}\n",               # data
        "empty.go": b"",                                # empty files do not count
    }
    for path, content in files.items():
        forge.create_file("alice/demo", path, content, message=f"add {path}")

    answer = forge.client.simulate_get(_site_path(repo["languages_url"]))
    assert answer.status_code == 200
    assert answer.json == {"Python": 66, "CSS": 18, "HTML": 10, "Shell": 8}
    assert list(answer.json) == ["Python", "CSS", "HTML", "Shell"]  # largest first

    forge.create_file("alice/demo", "lib/more.py", b"y = 2\n", message="more")
    assert forge.get("/repos/alice/demo/languages").json["Python"] == 72  # the new tip's figures

    forge.create_file("alice/demo", "side.rs", b"fn main() {}\n", message="side", new_branch="side")
    assert "Rust" not in forge.get("/repos/alice/demo/languages").json  # not the default branch


def test_an_empty_repository_has_no_languages_and_data_alone_is_counted(forge):
    forge.create_repo("empty")
    assert forge.get("/repos/alice/empty/languages").json == {}

    forge.create_repo("data")
    forge.create_file("alice/data", "a.json", b"[1, 2]\n", message="a")
    forge.create_file("alice/data", "b.json", b"[3]\n", message="b")
    forge.create_file("alice/data", "c.yaml", b"k: v\n", message="c")
    # Nothing but data: the first data language found stands alone, as in Gitea.
    assert forge.get("/repos/alice/data/languages").json == {"JSON": 11}


def test_a_private_repositorys_languages_are_not_found_to_others(forge):
    forge.create_repo("vault", auto_init=True, private=True)
    forge.create_file("alice/vault", "main.go", b"package main\n", message="go")
    path = "/api/v1/repos/alice/vault/languages"
    assert forge.client.simulate_get(path).status_code == 404
    assert forge.client.simulate_get(path, headers=basic_auth("carol")).status_code == 404
    owner = forge.client.simulate_get(path, headers=basic_auth("alice"))
    assert owner.status_code == 200 and owner.json == {"Go": 13}
    assert forge.client.simulate_get("/api/v1/repos/alice/nope/languages",
                                     headers=basic_auth("alice")).status_code == 404


def test_a_files_language_is_the_one_its_name_says_in_linguists_words():
    assert languages.language_of("a/b/main.c") == "C"
    assert languages.language_of("include/x.h") == "C"
    assert languages.language_of("Makefile") == "Makefile"
    assert languages.language_of("Dockerfile") == "Dockerfile"
    assert languages.language_of("app.JSX") == "JavaScript"
    assert languages.language_of("notes") is None
    assert languages.language_of(".bashrc") is None or not languages.counted(".bashrc")
    for skipped in ("README", "LICENSE.txt", "node_modules/x/index.js", "a/.hidden/x.py",
                    "Cargo.lock", "dist/bundle.js", "Documentation/x.c"):
        assert not languages.counted(skipped), skipped
    assert languages.counted("src/readme_parser.py")
