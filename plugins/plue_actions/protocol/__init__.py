"""The runner protocol (Gitea's runner.v1 over Connect) served under /api/actions."""
