"""Plue plugin `runners` (being built)."""
