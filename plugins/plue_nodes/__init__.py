"""Plue plugin `nodes` (being built)."""
