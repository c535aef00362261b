"""Thin Falcon resources of the Gitea issue API."""
