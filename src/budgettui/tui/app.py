"""The browser: the budget tree on the left, the focused node's detail on the right.

The outline is built from the Budget without Textual (outline.py); the tree shows it and
loads a branch when it is opened; search (search.py) and "go to" work on all of it.

Given sources instead of a Budget, the app paints first and parses in a thread: nothing
that imports Polars is imported before the first screen is up.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Static, Tree

from budgettui.tui.commands import GoToProvider
from budgettui.tui.screens import ExportScreen, HelpScreen

if TYPE_CHECKING:
    import polars as pl

    from budgettui.model import Budget
    from budgettui.tui.outline import Node
    from budgettui.tui.search import SearchIndex

#: Seconds the cursor must rest before the detail pane is rebuilt.
DETAIL_DELAY = 0.08

_NEEDS_BUDGET = {"search", "next_hit", "sort", "copy", "export"}


class BudgetApp(App[None]):
    """Browse a Budget from the keyboard (or the mouse)."""

    CSS_PATH = "app.tcss"
    TITLE = "budgettui"
    AUTO_FOCUS = "#tree"
    COMMANDS = App.COMMANDS | {GoToProvider}
    BINDINGS = [  # noqa: RUF012
        # A priority binding: the keys typed right after `/` must reach the search box.
        Binding("slash", "search", "Search", priority=True),
        Binding("n", "next_hit", "Next hit", show=False),
        Binding("N", "next_hit(-1)", "Previous hit", show=False),
        Binding("s", "sort", "Sort"),
        Binding("y", "copy", "Copy"),
        Binding("e", "export", "Export"),
        Binding("t", "toggle_theme", "Theme", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, budget: Budget | None = None, export_folder: Path | None = None,
                 sources: list[Path] | None = None) -> None:
        super().__init__()
        self.budget = budget
        self.sources = sources or []
        self.export_folder = export_folder or Path("exports")
        self.outlines: list[Node] = []
        self.by_id: dict[str, Node] = {}
        self.index: SearchIndex | None = None
        self.hits: list[Node] = []
        self.hit = 0
        self.status = ""
        self.error: str | None = None
        self._pending: Node | None = None
        self._detail_timer: Timer | None = None
        self._opened_by_search: list = []
        if budget is not None:
            self._prepare(budget)

    def _prepare(self, budget: Budget) -> None:
        from budgettui.tui import outline

        self.budget = budget
        self.outlines = outline.build(budget)
        self.by_id = {node.id: node for root in self.outlines for node in root.walk()}
        titles = budget["documents"]["title"].to_list()
        self.title = titles[0] if len(titles) == 1 else f"budgettui · {len(titles)} 份文档"

    def _panes(self):
        from budgettui.tui.detail import Detail
        from budgettui.tui.tree import BudgetTree

        return BudgetTree(self.outlines, id="tree"), Detail(self.budget, id="detail")

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("正在读取文档…" if self.budget is None else "", id="crumb")
        with Horizontal(id="main"):
            if self.budget is not None:
                yield from self._panes()
            else:
                yield Static("正在读取文档…", id="loading")
        yield Input(placeholder="search: name, code or pinyin initials", id="search")
        yield Footer()

    def on_mount(self) -> None:
        if self.budget is None:
            self.run_worker(self._load, thread=True, group="load")
        else:
            self._start_browsing()

    def _load(self) -> None:
        """Parse the sources (in a thread) and hand the Budget to the app."""
        from budgettui.model import load
        from budgettui.sources import InputError

        try:
            budget = load(*self.sources)
        except InputError as exc:
            self.error = str(exc)
            self.call_from_thread(self.exit, None, 2)
            return
        self._prepare(budget)
        self.call_from_thread(self._loaded)

    async def _loaded(self) -> None:
        main = self.query_one("#main")
        await main.remove_children()
        await main.mount(*self._panes())
        self.screen.set_focus(self.query_one("#tree"))
        self._start_browsing()

    def _start_browsing(self) -> None:
        tree = self.query_one("#tree", Tree)
        if tree.root.children:
            tree.cursor_line = 0  # on the first document; its detail follows the first paint
        gc.freeze()  # see _build_index
        # The search index needs pypinyin (~130 ms to import): build it once the screen is up.
        self.set_timer(1.0, lambda: self.run_worker(self._build_index, thread=True, group="index"))

    def _build_index(self) -> None:
        from budgettui.tui.search import SearchIndex

        self.index = SearchIndex(self.outlines)
        # The budget, the outline and the index live as long as the app: leave them out of
        # the garbage collector's full passes, which otherwise stall a key for ~70 ms.
        gc.freeze()

    # ---------------------------------------------------------------- focus and detail

    def _tree(self):
        return self.query_one("#tree", Tree)

    def _detail(self):
        return self.query_one("#detail")

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[Node]) -> None:
        self._focus_node(event.node)

    def _focus_node(self, tree_node) -> None:
        """Breadcrumb now; the detail once the cursor rests (holding `j` repaints it once)."""
        node = tree_node.data
        if node is None:
            return
        self.status = ""
        self._set_crumb(node)
        self._pending = node
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(DETAIL_DELAY, self.flush_detail)

    def _set_crumb(self, node: Node) -> None:
        crumbs = [n.name if not n.code else f"{n.code} {n.name}" for n in node.path]
        crumbs[0] = "部门" if len(self.outlines) == 1 else crumbs[0]
        text = Text(" › ".join(crumbs))
        if self.status:
            text.append(f"   {self.status}", style="bold yellow")
        self.query_one("#crumb", Static).update(text)

    def flush_detail(self) -> None:
        """Show the focused node's detail now, if it is not on display yet."""
        detail = self.screen_stack[0].query_one_optional("#detail") if self.screen_stack else None
        if detail is not None and self._pending is not None and self._pending is not detail.node:
            detail.show(self._pending)

    def on_tree_node_selected(self, event: Tree.NodeSelected[Node]) -> None:
        node = event.node.data
        if node is not None and node.kind == "finding":
            target = self.finding_target(node)
            if target is not None:
                self.go_to(target)

    def go_to(self, node: Node) -> None:
        """Open the tree down to `node` and focus it."""
        tree = self._tree()
        tree.reveal(node)
        tree.focus()

    def finding_target(self, finding: Node) -> Node | None:
        """The node a finding concerns: its project, unit, subject, section or table."""
        from budgettui.tui.outline import target_of

        return target_of(self.budget, self.by_id, finding)

    # ---------------------------------------------------------------- search

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Nothing acts on the budget before it is loaded; `/` searches only from the main
        screen and not while typing into a box."""
        if self.budget is None and action in _NEEDS_BUDGET:
            return False
        if action == "search":
            return self.screen is self.screen_stack[0] and not isinstance(self.focused, Input)
        return True

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.value = ""
        self.screen.set_focus(search)  # now, not after a refresh

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "search":
            return
        if self.index is None:
            self._build_index()
        self.hits = self.index.find(event.value) if self.index else []
        self.hit = 0
        event.input.border_title = f"{len(self.hits)} hits" if event.value else None
        if self.hits:
            self._show_hit(self.hits[0])

    def _show_hit(self, node: Node) -> None:
        """Reveal a hit; branches opened only for the previous hit close again."""
        tree = self._tree()
        keep = {n.id for n in node.path}
        for branch in reversed(self._opened_by_search):
            if branch.data is not None and branch.data.id not in keep:
                branch.collapse()
        self._opened_by_search = [b for b in self._opened_by_search
                                  if b.data is not None and b.data.id in keep]
        self._opened_by_search += tree.reveal(node)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self._close_search()

    def on_key(self, event) -> None:
        if event.key == "escape" and self.query_one("#search", Input).has_focus:
            self._close_search()
            event.stop()

    def _close_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = False
        self._opened_by_search = []  # what the chosen hit needed stays open
        self.screen.set_focus(self._tree())

    def action_next_hit(self, step: int = 1) -> None:
        if not self.hits:
            self.notify("no search hits; / searches", severity="warning")
            return
        self.hit = (self.hit + step) % len(self.hits)
        self._show_hit(self.hits[self.hit])
        self._tree().focus()
        self.status = f"hit {self.hit + 1} of {len(self.hits)}"
        self._set_crumb(self.hits[self.hit])

    # ---------------------------------------------------------------- sort, copy, export

    def action_sort(self) -> None:
        tree = self._tree()
        node = tree.cursor_node
        if node is None:
            return
        focused = node.data
        target = node if focused and focused.children else node.parent
        mode = tree.sort_children(target) if target is not None else None
        if mode is None:
            self.notify("nothing to sort here", severity="warning")
            return
        if focused is not None:
            tree.reveal(focused)
            self._pending = focused
            self._detail().show(focused)
            self.status = f"sorted by {mode}"
            self._set_crumb(focused)

    def action_copy(self) -> None:
        """Copy the focused table row (TAB-separated) or the focused tree node."""
        self.flush_detail()
        focused = self.focused
        if isinstance(focused, DataTable) and focused.row_count:
            text = "\t".join(cell.plain if isinstance(cell, Text) else str(cell)
                             for cell in focused.get_row_at(focused.cursor_row))
        else:
            node = self._tree().cursor_node
            data = node.data if node is not None else None
            if data is None:
                return
            from budgettui.tui.tree import money

            text = " ".join(p for p in (data.code, data.name, *(money(a) for a in data.amounts[:1])) if p)
        self.copy_to_clipboard(text)
        self.clipboard_text = text
        self.notify(f"copied: {text[:60]}", timeout=2)

    def action_export(self) -> None:
        self.flush_detail()
        detail = self._detail()
        if detail.frame is None:
            self.notify("no table here to export", severity="warning")
            return
        frame, name = detail.frame, detail.frame_name

        def done(choice: tuple[str, Path] | None) -> None:
            if choice is not None:
                fmt, path = choice
                save(frame, fmt, path)
                self.notify(f"exported {frame.height} rows to {path}")

        self.push_screen(ExportScreen(name, self.export_folder), done)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"


def save(frame: pl.DataFrame, fmt: str, path: Path) -> None:
    """Write one table atomically as csv, tsv, json, ndjson or parquet."""
    from budgettui.output import atomic_path, render, write_atomic

    if fmt != "parquet":
        write_atomic(path, render(frame, fmt))
        return
    with atomic_path(path) as tmp:
        frame.write_parquet(tmp, compression="zstd")
