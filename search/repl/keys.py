"""Key bindings beyond prompt_toolkit's Emacs defaults (Ctrl-R searches history)."""

from __future__ import annotations

from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent


def bindings() -> KeyBindings:
    kb = KeyBindings()

    @kb.add("c-c")
    def _clear(event: KeyPressEvent) -> None:
        """Ctrl-C clears the line instead of leaving."""
        event.current_buffer.reset()

    return kb
