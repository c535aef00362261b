"""Plue plugin `tracked_repos`: GitHub and GitLab repositories a user follows, their recent
commits synced from the provider's HTTP API, and RunnerHub's /api/github views of them."""
