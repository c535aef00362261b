"""RunnerHub tests drive real actions runs with the fixtures the actions plugin ships."""

import pytest

from plue_core.testing import make_user
from plue_actions.testing import actions_forge  # noqa: F401  (a pytest fixture)


@pytest.fixture
def forge(actions_forge):  # noqa: F811  (the fixture above)
    """The actions forge plus ``olga``, who holds the RunnerHub ``operator`` role."""
    make_user(actions_forge.ctx, "olga", role="operator")
    return actions_forge
