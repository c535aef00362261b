"""The HTTP resources of tracked_repos: its own repositories (``repositories``), their
webhook tokens (``webhooks``) and the GitHub views (``github``)."""
