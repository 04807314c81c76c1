"""The exit status of every command, each with its meaning, in one table.

``cli``, ``batch``, ``vnsearch --help`` and the README's table of exit statuses all
come from here (a test compares the README with :data:`MEANINGS`), so a status
cannot mean two things or be documented one way and returned another.
"""

from __future__ import annotations

from enum import IntEnum, unique


@unique
class ExitStatus(IntEnum):
    DONE = 0
    SKIPPED = 1  # done, but some input was skipped or some batch queries failed
    USAGE = 2  # the command could not run: the user's input or index
    INTERNAL = 3  # a bug of ours
    SYSTEM = 4  # the system refused: disk, permissions, missing files
    PARTIAL = 5  # done, but a cluster answered without some shard
    INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, as shells report it
    BROKEN_PIPE = 141  # the reader of our output went away: 128 + SIGPIPE


# (short text for --help, the README's Markdown row)
MEANINGS: dict[ExitStatus, tuple[str, str]] = {
    ExitStatus.DONE: ("success", "done"),
    ExitStatus.SKIPPED: (
        "done, but some files (or .jsonl lines) were skipped or were not articles, or "
        "some batch queries failed",
        "done, but some files or `.jsonl` lines were skipped or some files were not "
        "articles (`index`), or some queries failed (`batch`)"),
    ExitStatus.USAGE: (
        "the command could not run (a bad option or query, no index: only index and the "
        "console create one, a damaged or busy index, a folder that is not an index)",
        "the command could not run: a bad option, argument or query; no index (only "
        "`index` and the console create one), a damaged or busy index; a path that is not "
        "an index folder, or the index folder given as a path to index; an `eval` file in "
        "the wrong format"),
    ExitStatus.INTERNAL: (
        "an internal error (a bug: please report it)",
        "an internal error (a bug: please report it with the command)"),
    ExitStatus.SYSTEM: (
        "the system refused (disk full, read-only, permission, a missing or unreadable "
        "file)",
        "the system refused: disk full, read-only, permission denied, a missing or "
        "unreadable file (`index` of a path that does not exist; a rebuild that could "
        "read no file)"),
    ExitStatus.PARTIAL: (
        "done, but a cluster answered without some shard",
        "done, but on a cluster a shard was left out (`query`, `batch`, `speakers`, "
        "`explain`) or, for `cluster status`, a copy is down or a replica is more than "
        "`max_lag` revisions behind"),
    ExitStatus.INTERRUPTED: ("interrupted", "interrupted (Ctrl-C)"),
    ExitStatus.BROKEN_PIPE: (
        "the reader of the output closed it early (a pipe into head)",
        "the reader of the output closed it early (a pipe into `head`), as for other Unix "
        "tools"),
}


def help_text() -> str:
    """The ``exit status:`` paragraph of ``vnsearch --help``."""
    return "exit status: " + "; ".join(f"{int(s)} {short}"
                                       for s, (short, _) in MEANINGS.items()) + "."


def readme_table() -> str:
    """The README's table of exit statuses, as Markdown."""
    rows = [f"| {int(s)} | {row} |" for s, (_, row) in MEANINGS.items()]
    return "\n".join(["| status | meaning |", "|---|---|", *rows])
