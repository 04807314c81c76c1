"""Collection rules for the whole checkout (tests and the doctests of ``search``).

The Xapian engine's modules import the bindings, which only the ``cluster`` extra
installs: without it their doctests are not collected, so the README's test command
passes on a machine set up with ``pip install '.[test]'`` alone. (The live cluster
tests skip on their own, and in CI, which installs the extra, they must run.)"""

from __future__ import annotations

from importlib.util import find_spec

collect_ignore_glob = [] if find_spec("xapian") else ["search/backends/xapian*.py"]
