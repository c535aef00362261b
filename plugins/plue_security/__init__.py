"""Plue plugin `security` (being built)."""
