"""The runners plugin: its hooks (filled in as the feature lands)."""
