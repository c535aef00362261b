"""Plue's built-in feature plugins, one package each (``plugins.plue_<name>``).

Each package is an ordinary plugin: ``plugin.py`` wires hooks, the rest is the feature. They are
listed in ``plue_core.plugins.DEFAULT_PLUGINS`` and as ``plue.plugins`` entry points.
"""
