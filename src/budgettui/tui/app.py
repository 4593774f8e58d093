"""The browser: the budget tree on the left, the focused node's detail on the right.

The outline is built from the Budget without Textual (outline.py); the tree shows it and
loads a branch when it is opened; search (search.py) and "go to" work on all of it.

Given sources instead of a Budget, the app paints first and parses in a thread: nothing
that imports Polars is imported before the first screen is up.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import DataTable, Header, Input, Static, Tree

from budgettui.messages import plural
from budgettui.tui.acrosscommand import AcrossProvider
from budgettui.tui.commands import GoToProvider
from budgettui.tui.corpus import GC_REST, CorpusBrowsing, start_resource_tracker
from budgettui.tui.footer import KeysFooter
from budgettui.tui.screens import ExportScreen, HelpScreen

if TYPE_CHECKING:
    import polars as pl

    from budgettui.model import Budget
    from budgettui.tui.ahead import Ahead
    from budgettui.tui.groups import Grouping
    from budgettui.tui.loading import Growing
    from budgettui.tui.outline import Node
    from budgettui.tui.search import SearchIndex

#: Seconds the cursor must rest before the detail pane is rebuilt.
DETAIL_DELAY = 0.08
#: Below this many columns the tree and the detail pane are stacked, not side by side.
NARROW = 60

_ON_THE_TREE = {"next_hit", "sort", "tab", "pick_tab", "across", "compare"}
_NEEDS_BUDGET = {"search", "next_hit", "sort", "copy", "export", "tab", "pick_tab", "across", "compare"}


class BudgetApp(CorpusBrowsing, App[None]):
    """Browse a Budget from the keyboard (or the mouse)."""

    CSS_PATH = "app.tcss"
    TITLE = "budgettui"
    AUTO_FOCUS = "#tree"
    COMMANDS = App.COMMANDS | {GoToProvider, AcrossProvider}
    BINDINGS = [  # noqa: RUF012
        # A priority binding: the keys typed right after `/` must reach the search box.
        Binding("slash", "search", "Search", priority=True),
        Binding("n", "next_hit", "Next hit", show=False),
        Binding("N", "next_hit(-1)", "Previous hit", show=False),
        Binding("s", "sort", "Sort"),
        Binding("y", "copy", "Copy"),
        Binding("e", "export", "Export"),
        Binding("t", "toggle_theme", "Theme", show=False),
        Binding("a", "across", "All documents", show=False),
        Binding("c", "compare", "Compare years", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("left_square_bracket", "tab(-1)", "Previous tab", show=False),
        Binding("right_square_bracket", "tab(1)", "Next tab", show=False),
        *(Binding(f"f{n}", f"pick_tab({n})", f"Tab {n}", show=False) for n in range(1, 5)),
        Binding("q", "quit", "Quit"),
        # Quits at any time, even while a document is still being read.
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(self, budget: Budget | None = None, export_folder: Path | None = None,
                 sources: list[Path] | None = None, ahead: Ahead | None = None) -> None:
        super().__init__()
        from budgettui.tui.themes import ThemedStylesheet

        self.stylesheet = ThemedStylesheet(variables=self.get_css_variables())
        self.budget = budget
        self.sources = sources or []
        self.ahead = ahead
        self.export_folder = export_folder or Path("exports")
        self.outlines: list[Node] = []  # one per document
        self.tops: list[Node] = []  # the tree's top level: the documents, or their places
        self.grouping: Grouping | None = None
        self.growing: Growing | None = None
        self.by_id: dict[str, Node] = {}
        self.index: SearchIndex | None = None
        self.hits: list[Node] = []
        self.hit = 0
        self.status = ""
        self.error: str | None = None
        self._pending: Node | None = None
        self._detail_timer: Timer | None = None
        self._opened_by_search: list = []
        self._before_search: Node | None = None
        self._sketch: Node | None = None  # the tree drawn from a stored outline, if any
        self._browsing = False  # the tree and the detail pane are up
        if budget is not None:
            self._prepare(budget)
        elif len(self.sources) > 1 or any(s.is_dir() or s.suffix.lower() == ".pdf" for s in self.sources):
            start_resource_tracker()


    def _prepare(self, budget: Budget, findings: bool = True) -> None:
        from budgettui.tui import outline

        self.budget = budget
        self.outlines = outline.build(budget, findings)
        self.by_id = {node.id: node for root in self.outlines for node in root.walk()}
        documents = budget["documents"]
        titles = documents["title"].to_list()
        self.title = titles[0] if len(titles) == 1 else f"budgettui · {len(titles)} 份文档"
        self.tops = self.outlines
        if len(self.outlines) > 1:
            self._group(budget)

    def _panes(self):
        return self._tree_pane(), self._detail_pane()

    def _tree_pane(self) -> Vertical:
        from budgettui.tui.tree import BudgetTree, TreeHeader

        tree = BudgetTree(self.tops, id="tree")
        return Vertical(TreeHeader(tree, id="tree-header"), tree, id="left")

    def _detail_pane(self):
        from budgettui.tui.detail import Detail

        return Detail(self.budget, id="detail")

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("正在读取文档…" if self.budget is None else "", id="crumb")
        with Horizontal(id="main"):
            if self.budget is not None:
                yield from self._panes()
            else:
                yield Static("正在读取文档…  q 退出", id="loading")
        yield Input(placeholder="search: name, code or pinyin initials", id="search")
        yield KeysFooter()  # Textual's, rebuilt only when the keys it shows change

    def on_mount(self) -> None:
        if self.budget is None:
            # A daemon thread, not a Textual worker: a source that never ends (a FIFO, a
            # stalled network file) must not keep `q` from ending the process.
            threading.Thread(target=self._load, name="budgettui-load", daemon=True).start()
            self.set_timer(GC_REST, gc.enable)  # the thread rests the garbage collector: not for ever
        else:
            self._start_browsing()

    def on_resize(self, event) -> None:
        self.screen.set_class(event.size.width < NARROW, "narrow")

    async def _loaded(self) -> None:
        # The tree on screen first; the detail pane (a dozen widgets, blank until the cursor
        # rests) and the focus, which redraws the footer, a frame later.
        if await self._tree_drawn():
            await self._detail_mounted()

    async def _tree_drawn(self) -> bool:
        """Put the tree of `self.tops` in place of what #main shows, and wait until it is
        drawn; False when the app is closing meanwhile (`q` as the tree came up)."""
        found = self.query("#main")
        if not found:  # the app is closing (`q` as the document was read)
            return False
        main = found.first()
        await main.remove_children()
        await main.mount(self._tree_pane())
        drawn = asyncio.Event()
        self.call_after_refresh(drawn.set)
        await drawn.wait()
        return main.is_attached

    async def _sketched(self, title: str, root: Node) -> None:
        """A document's stored outline (tui/sketch.py): its tree, drawn before the document
        is read; the reading thread waits for the frame, then imports Polars and reads."""
        self.outlines, self.tops = [root], [root]
        self.by_id = {node.id: node for node in root.walk()}
        self.title = title
        self._sketch = root
        await self._tree_drawn()

    async def _detail_mounted(self) -> None:
        found = self.query("#main")
        if not found or not found.first().is_attached:  # the app is closing
            return
        main = found.first()
        await main.mount(self._detail_pane())
        self.screen.set_focus(self.query_one("#tree"))
        self._start_browsing(index=False)  # indexed once 核对 is filled

    def _start_browsing(self, index: bool = True) -> None:
        self._browsing = True
        tree = self.query_one("#tree", Tree)
        if tree.root.children:
            tree.cursor_line = 0  # on the first document; its detail follows the first paint
        gc.freeze()  # see _build_index
        if index:
            self._index_later()

    def _index_later(self) -> None:
        # The search index reads pypinyin's table: build it once the screen is up.
        self.set_timer(1.0, lambda: threading.Thread(target=self._in_background, name="budgettui-index",
                                                     daemon=True).start())

    def _in_background(self) -> None:
        """Once the screen is up: the search index, then the other theme's CSS (for `t`)."""
        self._build_index()
        self._prepare_themes()

    def _findings_ready(self) -> None:
        """The checks have run: fill 核对 in the outline and the tree, then index everything."""
        from budgettui.tui import outline

        tree = self._tree()
        for branch in outline.add_findings(self.budget, self.outlines):
            self.by_id.update((node.id, node) for node in branch.walk())
            tree.refill(branch)
        # Views built meanwhile saw the parsers' findings only (a document's counts, 核对).
        detail = self._detail()
        detail.views.forget()
        if detail.node is not None:
            detail.show(detail.node)
        with self._index_lock:
            self.index = None  # built again with the findings
        self._index_later()
        if len(self.outlines) > 1:
            self.sub_title = f"已读 {len(self.outlines)}/{len(self.outlines)} · 已核对"

    def _build_index(self) -> None:
        from budgettui.tui.search import SearchIndex

        with self._index_lock:
            if self.index is None:
                self.index = SearchIndex(self.outlines)
        # The budget, the outline and the index live as long as the app: leave them out of
        # the garbage collector's full passes, which otherwise stall a key for ~70 ms.
        gc.freeze()

    _index_lock = threading.Lock()

    def _prepare_themes(self) -> None:
        """Parse the CSS of the other theme ahead of `t` (here, off the main thread)."""
        from budgettui.tui.themes import theme_variables

        other = "textual-light" if self.current_theme.dark else "textual-dark"
        with contextlib.suppress(Exception):  # only a head start: `t` parses what is missing
            self.stylesheet.prepare(theme_variables(self, other))

    def search_index(self) -> SearchIndex | None:
        """The search index (built now if the background thread has not yet)."""
        if self.index is None and self.outlines:
            self._build_index()
        return self.index

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
        if not (self.hits and node is self.hits[self.hit]):  # a search hit keeps its "hit 2 of 5"
            self.status = ""
        self._set_crumb(node)
        self._pending = node
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(DETAIL_DELAY, self.flush_detail)

    def _set_crumb(self, node: Node) -> None:
        crumbs = node.crumbs()
        crumbs[0] = "部门" if len(self.outlines) == 1 and node.path[0].kind == "document" else crumbs[0]
        status = f"   {self.status}" if self.status else ""
        crumb = self.query_one("#crumb", Static)
        room = (crumb.size.width or self.size.width) - 2 - cell_len(status)
        text = Text(fit_crumbs(crumbs, room))
        if status:
            text.append(status, style="bold yellow")
        crumb.update(text)

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
        if action in _NEEDS_BUDGET and (self.budget is None or not self._browsing):
            return False
        if action == "search":
            return self.screen is self.screen_stack[0] and not isinstance(self.focused, Input)
        if action in _ON_THE_TREE:  # the tree's actions, not over a view across documents
            return self.screen is self.screen_stack[0]
        return True

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.value = ""
        cursor = self._tree().cursor_node
        self._before_search = cursor.data if cursor is not None else None
        self.screen.set_focus(search)  # now, not after a refresh

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "search":
            return
        index = self.search_index()
        self.hits = index.find(event.value) if index else []
        self.hit = 0
        event.input.border_title = plural(len(self.hits), "hit") if event.value else None
        if self.hits:
            self._show_hit(self.hits[0])
            self.status = self._hit_status()
            self._set_crumb(self.hits[0])

    def _hit_status(self) -> str:
        """`hit 2 of 5` (with several documents the breadcrumb starts with the hit's own)."""
        return f"hit {self.hit + 1} of {len(self.hits)}"

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
            self._close_search(go_back=True)
            event.stop()

    def _close_search(self, go_back: bool = False) -> None:
        """Close the search box: on the hit (enter), or back where the cursor was (escape)."""
        search = self.query_one("#search", Input)
        search.display = False
        tree = self._tree()
        if go_back:
            for branch in reversed(self._opened_by_search):
                branch.collapse()
            self.hits, self.status = [], ""
            if self._before_search is not None:
                tree.reveal(self._before_search)
                self._set_crumb(self._before_search)
        self._opened_by_search = []  # what the chosen hit needed stays open
        self.screen.set_focus(tree)

    def action_next_hit(self, step: int = 1) -> None:
        if not self.hits:
            self.notify("no search hits; / searches", severity="warning")
            return
        self.hit = (self.hit + step) % len(self.hits)
        self._show_hit(self.hits[self.hit])
        self._tree().focus()
        self.status = self._hit_status()
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
                self.notify(f"exported {plural(frame.height, 'row')} to {path}")

        self.push_screen(ExportScreen(name, self.export_folder), done)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_tab(self, step: int) -> None:
        """The project's previous or next tab (`[` `]`)."""
        self.flush_detail()
        if not self._detail().step_tab(step):
            self.notify("[ ] switch a project's tabs; this node has none", severity="warning", timeout=2)

    def action_pick_tab(self, number: int) -> None:
        """A project's tab by its number (F1 年度目标 … F4 原文)."""
        self.flush_detail()
        if not self._detail().pick_tab(number - 1):
            self.notify("F1–F4 pick a project's tab; this node has none", severity="warning", timeout=2)

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"


def save(frame: pl.DataFrame, fmt: str, path: Path) -> None:
    """Write one table atomically as csv, tsv, json, ndjson or parquet."""
    from budgettui.atomic import atomic_path, write_atomic
    from budgettui.output import render

    if fmt != "parquet":
        write_atomic(path, render(frame, fmt))
        return
    with atomic_path(path) as tmp:
        frame.write_parquet(tmp, compression="zstd")


def fit_crumbs(crumbs: list[str], room: int) -> str:
    """The breadcrumb in `room` cells: the middle steps give way to `…` first, so the
    document and the focused node stay; then the focused node's name is cut at its end."""
    sep = " › "
    parts = list(crumbs)
    text = sep.join(parts)
    while cell_len(text) > room and len(parts) > 2:
        middle = [i for i, part in enumerate(parts) if part != "…"][1:-1]
        if not middle:
            break
        del parts[middle[0]]
        if "…" not in parts:
            parts.insert(1, "…")
        text = sep.join(parts)
    if cell_len(text) > room and len(parts) > 1:  # only the first and last left: shorten the first
        head = sep.join(parts[:-1])
        keep = max(room - cell_len(sep + parts[-1]), 2)
        text = Text(head)
        text.truncate(keep, overflow="ellipsis")
        text = text.plain + sep + parts[-1]
    if cell_len(text) > room:
        cut = Text(text)
        cut.truncate(max(room, 1), overflow="ellipsis")
        text = cut.plain
    return text
