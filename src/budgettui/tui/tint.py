"""Dialogs dim the screen behind them faster.

Textual tints that screen segment by segment, working out the same tinted style again for
each of its thousands of segments; here each distinct style is tinted once per frame. And a
dialog (DimmedBehind) draws the screen behind it strip by strip, where Textual renders it
to one stream of segments, then splits that stream into lines again. The output is the same,
segment for segment."""

from __future__ import annotations

from collections.abc import Iterable

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.css.styles import RulesMap
from textual.renderables.background_screen import BackgroundScreen
from textual.strip import Strip
from textual.visual import RenderOptions, RichVisual, Visual
from textual.visual import Style as VisualStyle

_tint = BackgroundScreen.process_segments.__func__  # Textual's own, used once per style


def tinted(style: Style | None, color: Color) -> Style:
    """`style` as Textual dims it behind a dialog (its colours tinted with `color`)."""
    return next(iter(_tint(BackgroundScreen, [Segment(" ", style)], color))).style


def _process_segments(cls, segments: Iterable[Segment], color: Color) -> Iterable[Segment]:
    done: dict[Style | None, Style | None] = {}
    for segment in segments:
        text, style, control = segment
        if control:
            yield segment
            continue
        if style not in done:
            done[style] = tinted(style, color)
        yield Segment(text, done[style], control)


BackgroundScreen.process_segments = classmethod(_process_segments)  # type: ignore[method-assign]


class DimmedScreen(Visual):
    """What Textual draws for a BackgroundScreen (through a RichVisual, with the dialog's
    base style over every segment), made from the strips of the screen below directly."""

    def __init__(self, widget, background: BackgroundScreen) -> None:
        self._widget = widget
        self._background = background
        self._rich = RichVisual(widget, background)  # measures as Textual does

    def render_strips(self, width: int, height: int | None, style: VisualStyle,
                      options: RenderOptions) -> list[Strip]:
        base = style.rich_style
        widget = self._widget
        link = widget.link_style if widget.auto_links else None
        color = self._background.color
        styles: dict[Style | None, Style] = {}  # by the style below
        plain: dict[Style | None, Style] = {}  # by the style below without links and meta

        def final(segment_style: Style | None) -> Style:
            # as _Styled (Widget.post_render) applies the base style, then the link style;
            # the tint drops links and meta (the tree's give nearly every line styles of its own)
            key = None if segment_style is None else segment_style.clear_meta_and_links()
            result = plain.get(key)
            if result is None:
                result = tinted(key, color)
                if base:
                    result = base + result
                if link and result._meta is not None and "@click" in result.meta:
                    result = result + link
                plain[key] = result
            return result

        strips = []
        for strip in self._background.screen._compositor.render_strips()[:height]:
            line = []
            for text, segment_style, control in strip:
                if control:  # Textual's tint passes these through untinted
                    line.append(Segment(text, base + segment_style if base else segment_style,
                                        None if base else control))
                    continue
                new = styles.get(segment_style)
                if new is None:
                    new = styles[segment_style] = final(segment_style)
                line.append(Segment(text, new, None if base else control))
            if strip.cell_length > width:
                line = Segment.adjust_line_length(line, width, pad=False)
            strips.append(Strip(line))
        return strips

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._rich.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self._rich.get_height(rules, width)


class DimmedBehind:
    """A dialog's mixin (before ModalScreen): the screen behind it is drawn by DimmedScreen."""

    def render(self):
        rendered = super().render()  # type: ignore[misc]
        if isinstance(rendered, BackgroundScreen):
            return DimmedScreen(self, rendered)
        return rendered
