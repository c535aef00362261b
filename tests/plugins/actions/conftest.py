"""The actions tests' fixtures come from the helpers the plugin ships
(``plugins/plue_actions/testing.py``), so third-party tests can use the same ones."""

from plue_actions.testing import actions_forge  # noqa: F401  (a pytest fixture)
