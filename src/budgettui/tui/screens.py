"""Dialogs: the help screen listing every key, and the export dialog."""

from __future__ import annotations

import gc
from pathlib import Path

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import Segment
from rich.table import Table
from rich.text import Text
from textual._context import active_app
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.css.styles import RulesMap
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.visual import RenderOptions, RichVisual
from textual.visual import Style as VisualStyle
from textual.widgets import Input, OptionList, Static

from budgettui.tui.tint import DimmedBehind

#: Every key of the browser, grouped as the help screen lists them.
KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("树 · tree", (
        ("↑ ↓  j k", "move up and down"),
        ("→ ←  l h", "open a branch / close it or go to the parent"),
        ("enter  space", "open or close a branch; on a finding, jump to what it concerns"),
        ("g  G", "first / last line"),
        ("1 … 9", "open the tree to that depth"),
        ("s", "sort the children: by code, by amount, by name"),
    )),
    ("搜索 · search", (
        ("/", "search names, codes and pinyin initials (xxh → 信息化经费)"),
        ("n  N", "next / previous hit"),
        ("enter", "keep the hit and close the search box"),
        ("escape", "close the search box and go back to where you were"),
        ("ctrl+p", "command palette: go to any subject, unit or project"),
    )),
    ("详情 · detail", (
        ("tab  shift+tab", "move between the tree and the detail pane"),
        ("[  ]", "previous / next tab of a project"),
        ("F1 … F4", "tab 年度目标 / 实施期目标 / 项目概况 / 原文"),
        ("y", "copy the focused row, or the focused node"),
        ("e", "export the table on display (CSV, TSV, JSON, NDJSON, Parquet)"),
    )),
    ("跨文档 · corpus", (
        ("a", "on a 功能科目 subject: it in every document, largest first, with shares"),
        ("c", "in a document: the same department in another year, side by side"),
        ("ctrl+p", "所有文档中的 … : a subject across documents, from its name or code"),
    )),
    ("其他 · other", (
        ("t", "light or dark theme"),
        ("?", "this help (escape closes it)"),
        ("q  ctrl+c", "quit, also while a document is still loading"),
    )),
)


def collect_garbage() -> None:
    """Collect Python's garbage now, at rest: once a key is answered and the browser waits
    for the next (the detail pane shows the cursor's node, a dialog is up).

    Each repaint leaves thousands of cached strips behind, and Python's full collection,
    which looks at all of them, would otherwise start in the middle of a later key and stall
    it 15 to 40 ms; collected at rest, the next one is rarely due before the next rest."""
    gc.collect()


class HelpScreen(DimmedBehind, ModalScreen[None]):
    """Every key, grouped, in a box that scrolls when the terminal is small."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]  # noqa: RUF012
    AUTO_FOCUS = "#help"  # the arrows, page keys, home and end scroll the list

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help") as box:
            box.border_title = "budgettui keys"
            box.border_subtitle = "escape closes · ↑ ↓ scroll"
            yield HelpKeys(id="help-keys")

    def on_mount(self) -> None:
        self.call_after_refresh(collect_garbage)  # once the keys are on display


class _Drawn:
    """Segments drawn before, as a renderable."""

    def __init__(self, segments: list[Segment]) -> None:
        self.segments = segments

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.segments


class DrawnOnce(RichVisual):
    """A Rich renderable drawn once per width: Textual draws a renderable once to measure its
    height and again to show it (the help's table of thirty rows, twice as `?` opens)."""

    def __init__(self, widget, renderable: RenderableType) -> None:
        super().__init__(widget, renderable)
        self._drawn: dict[int, list[Segment]] = {}

    def _segments(self, width: int) -> list[Segment]:
        segments = self._drawn.get(width)
        if segments is None:
            app = active_app.get()
            options = app.console_options.update_width(width).update(highlight=False)
            segments = self._drawn[width] = list(app.console.render(self._renderable, options))
        return segments

    def get_height(self, rules: RulesMap, width: int) -> int:
        """RichVisual's: the lines of the renderable drawn at `width`."""
        return sum(text.count("\n") for text, _, _ in self._segments(width))

    def render_strips(self, width: int, height: int | None, style: VisualStyle,
                      options: RenderOptions) -> list[Strip]:
        """RichVisual's, from the segments drawn before."""
        drawn = RichVisual(self._widget, _Drawn(self._segments(width)))
        return drawn.render_strips(width, height, style, options)


class HelpKeys(Static):
    """The table of keys, drawn once per width."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._keys: DrawnOnce | None = None

    def render(self) -> DrawnOnce:
        if self._keys is None:
            self._keys = DrawnOnce(self, keys_table())
        return self._keys


def keys_table() -> Table:
    """Every key, group by group: a group's title, then each key and what it does."""
    table = Table(box=None, show_header=False, pad_edge=False, expand=True)
    table.add_column(style="bold cyan", no_wrap=True, width=16)
    table.add_column(ratio=1)
    for number, (group, keys) in enumerate(KEYS):
        table.add_row(Text(group, style="bold underline"), "", end_section=False)
        for key, meaning in keys:
            table.add_row(key, meaning)
        if number < len(KEYS) - 1:
            table.add_row("", "")
    return table


FORMATS = ("csv", "tsv", "json", "ndjson", "parquet")


class ExportScreen(DimmedBehind, ModalScreen[tuple[str, Path] | None]):
    """Choose a format (and a path) for the table on display."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]  # noqa: RUF012

    def __init__(self, name: str, folder: Path) -> None:
        super().__init__()
        self.table_name = name
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical(id="export"):
            yield Static(Text.assemble(("Export ", "bold"), self.table_name))
            yield OptionList(*FORMATS, id="formats")
            yield Input(str(self._path("csv")), id="path")
            yield Static(Text("enter on a format exports; escape cancels", style="dim"))

    def on_mount(self) -> None:
        formats = self.query_one("#formats", OptionList)
        formats.highlighted = 0
        formats.focus()
        self.call_after_refresh(collect_garbage)  # once the dialog is on display

    def _path(self, fmt: str) -> Path:
        return self.folder / f"{self.table_name}.{fmt}"

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one("#path", Input).value = str(self._path(FORMATS[event.option_index]))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        path = Path(self.query_one("#path", Input).value)
        self.dismiss((FORMATS[event.option_index], path))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        index = self.query_one("#formats", OptionList).highlighted or 0
        self.dismiss((FORMATS[index], Path(event.value)))
