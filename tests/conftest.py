"""What every test file shares: real indexes of the seeds on every engine, each built
once per session, the Xapian servers, and the test session's own state folder.

Engines come from ``search.backends.ENGINES``: a fixture parametrised over them runs a
test on each, and a new engine is tested by registering it. Xapian comes with the
cluster extra: without it its tests skip (a failure in CI, which installs it)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from engines import DEFAULT_ENGINE, SEEDS, Indexes
from servers import Servers, require

from search import Engine
from search.backends import ENGINES


@pytest.fixture(scope="session", autouse=True)
def state_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The console's history (and any other state) of the tests goes to a folder of
    the test session, never the user's own: commands run by tests inherit it."""
    folder = tmp_path_factory.mktemp("state")
    os.environ["XDG_STATE_HOME"] = str(folder)
    return folder


@pytest.fixture
def servers() -> Iterator[Servers]:
    """xapian-tcpsrv servers on loopback, each in its own session, stopped by PID."""
    require("xapian-tcpsrv")
    s = Servers()
    yield s
    s.stop_all()


@pytest.fixture(scope="session")
def seeds() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Indexes]:
    built = Indexes(tmp_path_factory)
    yield built
    built.close()


@pytest.fixture(scope="session")
def engine(indexes: Indexes) -> Engine:
    """A real index of the five seed articles on the default engine, built once."""
    return indexes.get(DEFAULT_ENGINE, SEEDS)


@pytest.fixture(scope="session", params=ENGINES)
def each_engine(request: pytest.FixtureRequest, indexes: Indexes) -> Engine:
    """The seed index on every engine in turn (the test's id names the engine)."""
    return indexes.get(request.param, SEEDS)


@pytest.fixture(scope="session", params=[e for e in ENGINES if e != DEFAULT_ENGINE])
def other_engine(request: pytest.FixtureRequest, indexes: Indexes) -> Engine:
    """The seed index on every engine but the default, to compare with ``engine``."""
    return indexes.get(request.param, SEEDS)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """In CI (``CI=true``) a test skipped for want of the cluster extra or the Xapian
    servers is a failure: CI installs them, so such a skip means they went missing."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and \
            "vnsearch[cluster]" in str(report.longrepr):
        report.outcome = "failed"
