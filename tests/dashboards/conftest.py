from tests.petitions.conftest import *  # noqa: F403 — the same agencies and people
from tests.petitions.test_figures import dataset  # noqa: F401 — the hand-computed figures dataset
