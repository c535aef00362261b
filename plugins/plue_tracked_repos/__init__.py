"""Plue plugin `tracked_repos` (being built)."""
