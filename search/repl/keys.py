"""Key bindings beyond prompt_toolkit's Emacs defaults (Ctrl-R searches history)."""

from __future__ import annotations

from prompt_toolkit.filters import is_searching
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.search import accept_search, stop_search


def bindings() -> KeyBindings:
    kb = KeyBindings()

    @kb.add("c-c", filter=~is_searching)
    def _clear(event: KeyPressEvent) -> None:
        """Ctrl-C clears the line instead of leaving."""
        event.current_buffer.reset()

    @kb.add("c-c", filter=is_searching)
    def _abandon_search(event: KeyPressEvent) -> None:
        """In a Ctrl-R history search, Ctrl-C leaves it with an empty line (as bash)."""
        stop_search()
        event.app.current_buffer.reset()

    @kb.add("c-d", filter=is_searching)
    def _leave_search(event: KeyPressEvent) -> None:
        """Ctrl-D leaves the history search, keeping the line found."""
        accept_search()

    return kb
