"""RunnerHub tests drive real actions runs with the fixtures the actions plugin ships."""

from plugins.plue_actions.testing import actions_forge  # noqa: F401  (a pytest fixture)
