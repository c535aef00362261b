"""Plue: a plugin-based forge. ``from plue_core import hookimpl`` is all a plugin needs."""

import pluggy

hookimpl = pluggy.HookimplMarker("plue")


def create_app(config=None, *, plugins=()):
    """Build the Falcon app; see :func:`plue_core.app.create_app`."""
    from plue_core.app import create_app as _create_app

    return _create_app(config, plugins=plugins)


__all__ = ["hookimpl", "create_app"]
