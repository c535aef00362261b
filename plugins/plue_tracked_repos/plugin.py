"""The tracked_repos plugin: its hooks (filled in as the feature lands)."""
