"""The Gitea-compatible actions REST API (/api/v1): thin Falcon resources."""
