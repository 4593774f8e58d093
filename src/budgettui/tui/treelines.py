"""The budget tree's lines, drawn as Textual's Tree._render_line draws them, cheaper.

For every line, Textual works out the guides' styles and characters again, builds a Rich
Text of the guides, has BudgetTree.render_label build a second Text of the label, copies it,
styles it, appends it, and renders the whole. Here what the lines of one repaint share is
worked out once, and each line goes straight from its strings and spans to segments, by
Rich's own rule (Text.render): a segment between every two span edges, styled with the
line's style and then, in order, the styles of the spans over it. The segments are the
same, one for one (tests/test_tui_speed.py compares them with Textual's).
"""

from __future__ import annotations

from itertools import pairwise
from operator import itemgetter
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.control import strip_control_codes
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

if TYPE_CHECKING:
    from budgettui.tui.tree import BudgetTree

_EDGES = itemgetter(0, 1)


class LineDrawing:
    """What the lines of one repaint of the tree share (Textual works it out line by line)."""

    def __init__(self, tree: BudgetTree, base_style: Style) -> None:
        self.tree = tree
        self.base_style = base_style
        styles = tree.get_component_styles
        self.base_hidden = styles("tree--guides").color.a == 0
        self.hover_hidden = styles("tree--guides-hover").color.a == 0
        self.selected_hidden = styles("tree--guides-selected").color.a == 0
        rich = tree.get_component_rich_style
        self.guide = rich("tree--guides", partial=True)
        self.guide_hover = self.guide + rich("tree--guides-hover", partial=True)
        self.guide_selected = self.guide + rich("tree--guides-selected", partial=True)
        self.label = rich("tree--label", partial=True)
        self.highlight = rich("tree--highlight", partial=True)
        self.cursor = rich("tree--cursor", partial=False)
        self.has_focus = tree.has_focus
        self.show_guides = tree.show_guides
        self.guide_depth = tree.guide_depth
        self.hover_line = tree.hover_line
        self.cursor_line = tree.cursor_line
        self.pad_width = max(tree.virtual_size.width, tree.size.width)
        self.get_style = tree.app.console.get_style
        self._guides: dict[tuple[Style, bool], tuple[str, str, str, str]] = {}
        self._named: dict[str, Style] = {}

    def guides(self, style: Style, hidden: bool) -> tuple[str, str, str, str]:
        """Tree.get_guides: space, vertical, terminator and cross for a guide style."""
        key = (style, hidden)
        guides = self._guides.get(key)
        if guides is None:
            if self.show_guides and not hidden:
                lines = self.tree.LINES["default"]
                if style.bold:
                    lines = self.tree.LINES["bold"]
                elif style.underline2:
                    lines = self.tree.LINES["double"]
            else:
                lines = ("  ", "  ", "  ", "  ")
            depth = max(0, self.guide_depth - 2)
            guides = self._guides[key] = tuple(f"{c[0]}{c[1] * depth} " for c in lines)  # type: ignore[assignment]
        return guides

    def named(self, name: str | Style) -> Style:
        """A span's style as Text.render looks it up."""
        if isinstance(name, Style):
            return name
        style = self._named.get(name)
        if style is None:
            style = self._named[name] = self.get_style(name, default=Style.null())
        return style

    def line(self, y: int, line) -> Strip:
        """Tree._render_line's strip for a line that is not hovered (before cropping)."""
        from budgettui.tui.tree import _MARK_STYLE, SEVERITY_ZH

        tree = self.tree
        line_style = self.base_style + Style(meta={"line": y})
        path = line.path
        parts: list[str] = []
        spans: list[tuple[int, int, Style | str]] = []
        offset = 0

        def add(text: str, style: Style | str | None = None) -> None:  # Text.append
            nonlocal offset
            text = strip_control_codes(text)
            parts.append(text)
            if style:
                spans.append((offset, offset + len(text), style))
            offset += len(text)

        # the guides
        has_focus = self.has_focus
        hover = path[0]._hover
        selected = path[0]._selected and has_focus
        guide_style = self.guide
        hidden = True
        node = path[-1]
        for step in path[1:]:
            hidden = self.base_hidden
            if hover:
                guide_style, hidden = self.guide_hover, self.hover_hidden
            if selected:
                guide_style, hidden = self.guide_selected, self.selected_hidden
            if step is not node:
                space, vertical, _, _ = self.guides(guide_style, hidden)
                add(space if step.is_last else vertical, guide_style)
            hover = hover or step._hover
            selected = (selected or step._selected) and has_focus
        if len(path) > 1:
            _, _, terminator, cross = self.guides(guide_style, hidden)
            add(terminator if line.last else cross, guide_style)

        # the label, as BudgetTree.render_label makes it
        label_style = self.label
        if self.hover_line == y:
            label_style += self.highlight
        if self.cursor_line == y:
            label_style += self.cursor
        data = node.data
        start = offset
        prefix = tree._icon(node)
        add(prefix, line_style)
        name_start, name_parts, name_spans = offset, len(parts), len(spans)
        if data.code:
            add(f"{data.code} ", "bold cyan")
        if data.mark:
            add(f"[{SEVERITY_ZH.get(data.mark, data.mark)}] ", _MARK_STYLE.get(data.mark, ""))
        add(data.name)
        length = offset - name_start
        if label_style and length:
            spans.append((name_start, offset, label_style))
        name_room, column = tree._columns(data, cell_len(prefix))
        name = "".join(parts[name_parts:])
        cells = cell_len(name)
        if cells > name_room:  # Text.truncate with an ellipsis; spans past the end are cut
            cut = strip_control_codes(set_cell_size(name, name_room - 1) + "…")
            if cut != name:
                parts[name_parts:] = [cut]
                if len(cut) < length:
                    end = name_start + len(cut)
                    spans[name_spans:] = [(s, min(e, end), style) for s, e, style in spans[name_spans:]
                                          if s < end]
                offset = name_start + len(cut)
        if column and cells < name_room:  # ... padded to its room
            parts.append(" " * (name_room - cells))
            offset += name_room - cells
        if column:
            add("  " + column, "green")
        if offset > start:  # Textual's stylize with the node's id
            spans.append((start, offset, Style(meta={"node": node._id})))

        # Text.render
        text = "".join(parts)
        named = self.named
        styles = [line_style, *(named(style) for _, _, style in spans)]
        edges = [(0, False, 0)]
        edges += [(s, False, index) for index, (s, _, _) in enumerate(spans, 1)]
        edges += [(e, True, index) for index, (_, e, _) in enumerate(spans, 1)]
        edges.append((len(text), True, 0))
        edges.sort(key=_EDGES)
        stack: list[int] = []
        combined: dict[tuple[Style, ...], Style] = {}
        segments = []
        for (at, leaving, index), (following, _, _) in pairwise(edges):
            if leaving:
                stack.remove(index)
            else:
                stack.append(index)
            if following > at:
                key = tuple(styles[i] for i in sorted(stack))
                style = combined.get(key)
                if style is None:
                    style = combined[key] = Style.combine(key)
                segments.append(Segment(text[at:following], style))
        pad = self.pad_width - cell_len(text)
        if pad:
            segments.append(Segment(" " * pad, line_style))
        return Strip(segments)
