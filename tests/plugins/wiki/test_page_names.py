"""Gitea's names of a wiki page (services/wiki/wiki_path.go and its tests): title, web path
and file name convert into each other as Gitea converts them."""

from __future__ import annotations

import pytest

from plue_core.errors import BadRequest

from plue_wiki import page_names


@pytest.mark.parametrize("title, web_path, git_path", [
    ("Home", "Home", "Home.md"),
    ("Home Page", "Home-Page", "Home-Page.md"),
    ("100% Free", "100%25-Free", "100%25-Free.md"),
    ("2000-01-02 meeting", "2000-01-02+meeting.-", "2000-01-02 meeting.-.md"),
    ("a/b", "a%2Fb", "a%2Fb.md"),
    ("notes.md", "notes.md.-", "notes.md.-.md"),
    ("  ", "unnamed", "unnamed.md"),
    ("..", "unnamed", "unnamed.md"),
])
def test_a_title_becomes_gitea_s_web_path_and_file(title, web_path, git_path):
    assert page_names.web_path_from_title(title) == web_path
    assert page_names.git_path(web_path) == git_path
    assert page_names.web_path_of_file(git_path) == web_path
    if title.strip() not in ("", ".."):
        assert page_names.title_of(web_path) == title


def test_a_web_path_ending_in_md_names_the_file_itself():
    assert page_names.git_path("Raw%20File.md") == "Raw File.md"
    assert page_names.git_path("../../etc/passwd.md") == "etc/passwd.md"


def test_files_that_are_no_pages_are_refused():
    for name in ("image.png", "README", "bad%zz.md"):
        with pytest.raises(page_names.InvalidFileName):
            page_names.web_path_of_file(name)


def test_a_request_s_page_name_stays_in_one_segment():
    assert page_names.web_path_from_request("../a/b") == "a%2Fb"


@pytest.mark.parametrize("web_path", ["_pages", "_new", "_edit", "raw", "_edit.-"])
def test_the_web_pages_own_names_are_reserved(web_path):
    with pytest.raises(BadRequest, match="wiki title is reserved"):
        page_names.check_not_reserved(web_path)
