from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import Servers, require

from search import Engine

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


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
def engine(tmp_path_factory: pytest.TempPathFactory):
    """A real index of the five seed articles, built once per test session."""
    path = tmp_path_factory.mktemp("seed-index")
    with Engine.build(path, [SEEDS]) as e:
        yield e


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """In CI (``CI=true``) a test skipped for want of the cluster extra or the Xapian
    servers is a failure: CI installs them, so such a skip means they went missing."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and \
            "vnsearch[cluster]" in str(report.longrepr):
        report.outcome = "failed"
