"""The caches of answers that never change: the last commits of a directory listing (one
history walk per repository, commit and directory) and a file's highlighted lines (per blob);
bounded, and a new commit or a new blob is a new key (never a stale answer)."""

from __future__ import annotations

from plue_git_hosting.reading import RepositoryReader
from plue_core.bounded_cache import BoundedCache


def test_the_cache_is_bounded_and_keeps_the_recently_used():
    cache = BoundedCache(size=2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now the most recent
    cache.put("c", 3)
    assert cache.get("b") is None and cache.get("a") == 1 and cache.get("c") == 3


def test_a_listing_walks_history_once_per_commit(site, monkeypatch):
    walks = []
    original = RepositoryReader.last_commits

    def counting(self, at, directory, names):
        walks.append((at.commit.id, directory))
        return original(self, at, directory, names)

    monkeypatch.setattr(RepositoryReader, "last_commits", counting)
    browser = site.browser()
    first = browser.get("/alice/code/src/branch/main/src").text
    assert browser.get("/alice/code/src/branch/main/src").text == first
    assert len(walks) == 1
    site.add_files("alice/code", {"src/new.py": b"x = 1\n"}, message="Add new.py")
    after = browser.get("/alice/code/src/branch/main/src").text
    assert len(walks) == 2 and "Add new.py" in after


def test_a_files_lines_are_highlighted_once_per_blob(site, monkeypatch):
    from plue_web.pages import repository
    calls = []
    original = repository.highlight_lines

    def counting(name, text):
        calls.append(name)
        return original(name, text)

    monkeypatch.setattr(repository, "highlight_lines", counting)
    browser = site.browser()
    first = browser.get("/alice/code/src/branch/main/src/main.py").text
    assert browser.get("/alice/code/src/branch/main/src/main.py").text == first
    assert calls == ["main.py"]
    site.add_files("alice/code", {"src/other.py": b"y = 2\n"})
    assert '<span class="n">y</span>' in browser.get("/alice/code/src/branch/main/src/other.py").text
    assert calls == ["main.py", "other.py"]
