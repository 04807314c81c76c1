"""The exit statuses: one table, which the README and ``--help`` show as it is."""

from __future__ import annotations

from pathlib import Path

from commands import cli

from search.exit_status import MEANINGS, ExitStatus, readme_table

ROOT = Path(__file__).resolve().parents[1]


def _readme_table() -> str:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index("| status | meaning |")
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("|"))
    return "\n".join(lines[start:end])


def test_the_readme_table_is_the_enum() -> None:
    assert _readme_table() == readme_table()


def test_every_status_has_one_number_and_a_meaning() -> None:
    assert set(MEANINGS) == set(ExitStatus)
    assert len({int(s) for s in ExitStatus}) == len(ExitStatus)
    assert ExitStatus.PARTIAL != ExitStatus.SYSTEM  # a partial answer is not a refusal


def test_help_lists_every_status() -> None:
    out = cli("--help")
    assert out.returncode == ExitStatus.DONE
    flat = " ".join(out.stdout.split())
    for status, (short, _) in MEANINGS.items():
        assert f"{int(status)} {short}" in flat
