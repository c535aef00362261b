"""Plue plugin `runnerhub` (being built)."""
