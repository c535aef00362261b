"""The issues plugin: issues, comments, labels and milestones (Gitea's issue API)."""
