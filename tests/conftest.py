from __future__ import annotations

from pathlib import Path

import pytest

from search import Engine

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="session")
def seeds() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory):
    """A real index of the five seed articles, built once per test session."""
    path = tmp_path_factory.mktemp("seed-index")
    with Engine.build(path, [SEEDS]) as e:
        yield e
