"""A pull request's ``base.sha`` and ``head.sha`` are its branches' tips, read from the refs
alone (``hosting.branch_tips``), without opening the repository (issue 13: dulwich's ``Repo``
costs three times the refs read); a page reads the branches its pull requests name once per
repository. The tips follow the branches as they move, and a deleted head branch shows the
pull request's own ref, as before."""

from __future__ import annotations

from plue_git_hosting.git_reading import branch_tips


def _opened(forge, monkeypatch) -> list:
    storage = forge.ctx.services["git_hosting"].storage
    opened = []
    original = storage.open
    monkeypatch.setattr(storage, "open", lambda path: opened.append(path) or original(path))
    return opened


def test_a_pull_get_shows_the_tips_without_opening_the_repository(forge, monkeypatch):
    forge.commit("alice/project", "main", {"a.txt": "a\n"}, new_branch="feature")
    number = forge.open_pull(head="feature")["number"]
    moved = forge.commit("alice/project", "feature", {"b.txt": "b\n"})
    forge.get(f"/repos/alice/project/pulls/{number}")  # the mergeability check ran
    opened = _opened(forge, monkeypatch)
    pull = forge.get(f"/repos/alice/project/pulls/{number}").json
    assert opened == []
    assert pull["head"]["sha"] == moved == forge.branch_sha("alice/project", "feature")
    assert pull["base"]["sha"] == forge.branch_sha("alice/project", "main")
    assert pull["head"]["ref"] == "feature"


def test_a_page_of_pulls_reads_each_branch_of_each_repository_once(forge, monkeypatch):
    numbers = []
    for i in range(3):
        forge.commit("alice/project", "main", {f"f{i}.txt": f"{i}\n"}, new_branch=f"b{i}")
        numbers.append(forge.open_pull(head=f"b{i}", title=f"pr {i}")["number"])
    forge.get("/repos/alice/project/pulls")
    hosting = forge.ctx.services["git_hosting"]
    reads = []
    original = hosting.branch_tips
    monkeypatch.setattr(hosting, "branch_tips", lambda repository, names=None: reads.append(
        set(names)) or original(repository, names))
    page = forge.get("/repos/alice/project/pulls", params={"state": "open"}).json
    assert reads == [{"main", "b0", "b1", "b2"}]
    assert {pull["head"]["ref"]: pull["head"]["sha"] for pull in page} == {
        f"b{i}": forge.branch_sha("alice/project", f"b{i}") for i in range(3)}


def test_the_refs_read_answers_only_existing_well_formed_branches(forge):
    forge.commit("alice/project", "main", {"a.txt": "a\n"}, new_branch="feature")
    path = forge.bare("alice/project")
    assert branch_tips(path, ["main", "feature", "absent", "a..b", "../HEAD"]) == {
        "main": forge.branch_sha("alice/project", "main"),
        "feature": forge.branch_sha("alice/project", "feature")}
    assert set(branch_tips(path)) == {"main", "feature"}
    assert branch_tips(path.parent / "missing.git", ["main"]) == {}
    assert branch_tips(path.parent / "missing.git") == {}
