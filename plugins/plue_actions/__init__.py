"""The actions plugin: runs, jobs, their tables and the runner protocol (Gitea Actions compatible).

The workflow language it runs (expressions, workflow files, planning, statuses) is the separate
package ``plue_workflows``, which has no database and is shared with the runner agent.
"""
