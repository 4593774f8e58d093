"""Dialogs: the help screen listing every key, and the export dialog."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static

#: Every key of the browser, as the help screen lists it.
KEYS: tuple[tuple[str, str], ...] = (
    ("↑ ↓  j k", "move up and down the tree"),
    ("→ ←  l h", "open a branch / close it or go to the parent"),
    ("enter  space", "open or close a branch; on a finding, jump to what it concerns"),
    ("g  G", "first / last line of the tree"),
    ("1 … 9", "open the tree to that depth"),
    ("/", "search every node by name, code or pinyin initials (jyzx)"),
    ("n  N", "next / previous search hit"),
    ("s", "sort the children: by code, by amount, by name"),
    ("y", "copy the focused value or row"),
    ("e", "export the table on display (CSV, TSV, JSON, NDJSON, Parquet)"),
    ("tab  shift+tab", "move between the tree and the detail pane"),
    ("t", "light or dark theme"),
    ("ctrl+p", "command palette: go to any subject, unit or project"),
    ("?", "this help"),
    ("q", "quit"),
)


class HelpScreen(ModalScreen[None]):
    """Every key, in one table."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]  # noqa: RUF012

    def compose(self) -> ComposeResult:
        table = Table(title="budgettui keys", box=None, show_header=False, pad_edge=False)
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for key, meaning in KEYS:
            table.add_row(key, meaning)
        with Vertical(id="help"):
            yield Static(table)
            yield Static(Text("escape closes", style="dim"))


FORMATS = ("csv", "tsv", "json", "ndjson", "parquet")


class ExportScreen(ModalScreen[tuple[str, Path] | None]):
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
