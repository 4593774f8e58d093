"""Dialogs dim the screen behind them faster: Textual tints that screen segment by segment,
working out the same tinted style again for each of its thousands of segments; here each
distinct style is tinted once per frame. The output is the same, segment for segment."""

from __future__ import annotations

from collections.abc import Iterable

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.renderables.background_screen import BackgroundScreen

_tint = BackgroundScreen.process_segments.__func__  # Textual's own, used once per style


def _process_segments(cls, segments: Iterable[Segment], color: Color) -> Iterable[Segment]:
    tinted: dict[Style | None, Style | None] = {}
    for segment in segments:
        text, style, control = segment
        if control:
            yield segment
            continue
        if style not in tinted:
            tinted[style] = next(iter(_tint(cls, [Segment(" ", style)], color))).style
        yield Segment(text, tinted[style], control)


BackgroundScreen.process_segments = classmethod(_process_segments)  # type: ignore[method-assign]
