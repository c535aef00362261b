"""The gunicorn master raises the soft limit on open files to the hard one before forking
(plue_hosts.open_files): a worker keeps repositories open per thread, with their pack files."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, check=True).stdout.strip()


def test_the_soft_limit_rises_to_the_hard_one_and_never_falls():
    out = run("""
        import resource
        from plue_hosts import open_files
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))
        print(open_files.raise_soft_limit(), resource.getrlimit(resource.RLIMIT_NOFILE)[0],
              min(hard, open_files.CAP))
        print(open_files.raise_soft_limit())
    """)
    first, second = out.splitlines()
    raised, now, expected = first.rsplit(" ", 2)
    assert raised == f"(256, {expected})" and now == expected
    assert second == f"({expected}, {expected})"  # already there: unchanged
