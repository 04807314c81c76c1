"""Collection rules for the whole checkout (tests and the doctests of ``search``).

The Xapian engine's modules import the bindings, which only the ``cluster`` extra
installs: without it their doctests are not collected, so the README's test command
passes on a machine set up with ``pip install '.[test]'`` alone. (The live cluster
tests skip on their own, and in CI, which installs the extra, they must run.)"""

from __future__ import annotations

import os
from importlib.util import find_spec

import pytest

collect_ignore_glob = [] if find_spec("xapian") else ["search/backends/xapian*.py"]


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """With ``$VNSEARCH_SKIPPED_TO`` set, every skipped test's id is added to that file:
    CI runs the README's command without the cluster extra, then only what skipped
    there again with it (``.ci/run``), instead of the whole suite twice."""
    path = os.environ.get("VNSEARCH_SKIPPED_TO")
    if path and report.skipped and report.when in ("setup", "call"):
        with open(path, "a", encoding="utf-8") as out:
            out.write(report.nodeid + "\n")
