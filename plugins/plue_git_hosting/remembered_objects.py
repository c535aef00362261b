"""A repository kept open for reading (:mod:`plue_git_hosting.open_repositories`) that keeps
the bytes of the small objects it has read: a contents GET reads the same commit, tree and
blob on every request, and each read looked in the packs, listed the pack directory, opened,
inflated and hashed a loose object again (two thirds of its git work, docs/serving.md "Round
ten: contents GET and the run list").

An object's bytes never change (its id is their hash), so what is kept stays right; each read
still parses them into a new object, so a caller that changes one changes only its own.
Bounded: objects up to ``OBJECT_BYTES`` each, ``BYTES`` in all per repository, the least
recently read forgotten first. A kept repository belongs to one thread, so does this.
"""

from __future__ import annotations

import functools
from collections import OrderedDict

# A commit, a directory's tree, a small file; 32 repositories a worker keep at most 2 MiB.
OBJECT_BYTES = 4 * 1024
BYTES = 64 * 1024
_HEX_ID = 40


def open_repository(path: str):
    return _remembering_class()(path)


@functools.cache
def _remembering_class():
    # dulwich arrives with the first repository opened (plue_git_hosting.storage).
    from dulwich.objects import ShaFile
    from dulwich.repo import Repo

    class RememberingRepo(Repo):
        def __init__(self, root: str):
            super().__init__(root)
            self.remembered: OrderedDict[bytes, tuple[int, bytes]] = OrderedDict()
            self._remembered_bytes = 0

        def __getitem__(self, name):
            found = self.remembered.get(name)
            if found is not None:
                self.remembered.move_to_end(name)
                return ShaFile.from_raw_string(found[0], found[1], sha=name)
            obj = super().__getitem__(name)
            # By its object id only: a ref's name (``refs/…``, ``HEAD``) is read afresh.
            if len(name) == _HEX_ID and not name.startswith(b"refs/") and obj.id == name:
                self._remember(name, obj.type_num, obj.as_raw_string())
            return obj

        def _remember(self, name: bytes, type_num: int, raw: bytes) -> None:
            if len(raw) > OBJECT_BYTES:
                return
            self.remembered[name] = (type_num, raw)
            self._remembered_bytes += len(raw)
            while self._remembered_bytes > BYTES:
                self._remembered_bytes -= len(self.remembered.popitem(last=False)[1][1])

    return RememberingRepo
