"""Plue plugin `monitoring` (being built)."""
