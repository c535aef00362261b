"""The web pages' caches are plue_core's :class:`BoundedCache` (the contents API uses it too)."""

from plue_core.bounded_cache import BoundedCache

__all__ = ["BoundedCache"]
