"""Commits made through the contents API leave their objects loose, as git's receive-pack
keeps small pushes: a pack per commit made every later lookup read one more pack index."""

from __future__ import annotations

import subprocess


def test_contents_commits_add_no_pack_files_and_the_repository_stays_sound(forge):
    forge.create_repo("demo", auto_init=True)
    git_dir = forge.ctx.services["git_hosting"].storage.path("alice", "demo")
    packs_before = sorted((git_dir / "objects" / "pack").glob("*.pack"))
    for index in range(5):
        forge.create_file("alice/demo", f"dir{index}/sub/file.txt", f"{index}\n".encode())
    assert sorted((git_dir / "objects" / "pack").glob("*.pack")) == packs_before
    fsck = subprocess.run(["git", "--git-dir", str(git_dir), "fsck", "--strict"],
                          capture_output=True, text=True)
    assert fsck.returncode == 0, fsck.stderr
    tree = subprocess.run(["git", "--git-dir", str(git_dir), "ls-tree", "-r", "--name-only", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.split()
    assert [f"dir{index}/sub/file.txt" for index in range(5)] == [p for p in tree if p.startswith("dir")]
