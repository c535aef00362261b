"""A small LRU cache for answers that never change for their key, shared by the threads of
one process. The web pages keep in them the last commit of each entry of a directory per
(repository, commit, directory) — a commit's history never changes, Gitea keeps a "last commit
cache" for the same reason —, the length of a commit's history and its pages' rows, a file's
highlighted lines per blob id, the HTML of a Markdown text per its hash, the rendered diff of a
commit or of two commits compared, a comparison's merge base and commits per pair of tips,
and a pull request's commits per the commits it names; the contents API the last commit of a
file or a directory's entries; the actions plugin a workflow's ``workflow_dispatch`` inputs
per blob id."""

from __future__ import annotations

import collections
import threading


class BoundedCache:
    def __init__(self, size: int = 512):
        self.size = size
        self._entries: collections.OrderedDict = collections.OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key, value) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
