"""The footer of keys, rebuilt only when the keys it shows change.

Textual's Footer removes and mounts its dozen FooterKey widgets again whenever the bindings
may have changed: on every focus change (twice for `/` and for `enter` on the search box),
6–20 ms just after the key is answered, in the way of the next. Most focus changes leave the
keys shown as they were; this footer compares what it would show, and rebuilds only then.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    """Textual's Footer, rebuilt only when the keys it would show differ from those shown."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None
        self.rebuilt = 0  # how often the keys were laid out again (for tests)

    def shown_keys(self, screen: Screen) -> tuple:
        """What compose would show: each shown binding's key, label, state and group, and
        the command palette's key."""
        app = self.app
        bindings = screen.active_bindings
        keys = tuple((binding.key, app.get_key_display(binding), binding.description, binding.action,
                      enabled, tooltip, binding.group)
                     for _, binding, enabled, tooltip in bindings.values() if binding.show)
        palette = bindings.get(app.COMMAND_PALETTE_BINDING)
        palette_key = None if palette is None else (palette.binding.key, palette.enabled,
                                                    palette.binding.tooltip, palette.binding.description)
        return keys, palette_key, self.show_command_palette, app.ENABLE_COMMAND_PALETTE, self.compact

    def bindings_changed(self, screen: Screen) -> None:
        """Textual's, skipped when the keys to show are those on display."""
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            shown = self.shown_keys(screen)
            if shown == self._shown:
                return
            self._shown = shown
            self.rebuilt += 1
            self.call_after_refresh(self.recompose)
