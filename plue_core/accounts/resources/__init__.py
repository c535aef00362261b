"""Thin Falcon resources of the accounts plugin, one module per noun."""
