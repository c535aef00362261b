"""The actions plugin: workflows, runs, jobs and the runner protocol (Gitea Actions compatible).

The subpackages ``expressions``, ``workflows`` and ``planning`` and the ``statuses`` module are
pure Python (no HTTP, no database) so they can be used from services, jobs, the runner and tests.
"""
