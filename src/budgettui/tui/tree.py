"""The budget tree: the outline shown lazily, amounts right-aligned, vim keys, depth and sort."""

from __future__ import annotations

from decimal import Decimal

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.css.styles import RenderStyles
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from budgettui.tui.nodes import SEVERITY_ZH, Node
from budgettui.tui.treelines import LineDrawing

AMOUNT_WIDTH = 11
#: Tree width (cells) from which three amount columns are shown.
WIDE = 66
SORTS = ("code", "amount", "name")
_MARK_STYLE = {"结转": "yellow", "error": "bold red", "warning": "yellow", "rounding": "cyan",
               "info": "dim"}


def money(value: Decimal | None) -> str:
    """An amount as printed in the browser: thousands separated, with the places it needs (at
    least two: 25,552.62; a table printed in 元 gives 319.688 万元), `–` when the cell is empty."""
    if value is None:
        return "–"
    if value == value.quantize(_CENT):
        return f"{value:,.2f}"
    return f"{value.normalize():,f}"


_CENT = Decimal("0.01")


#: Titles of the tree's amount columns (one column when the tree is narrow).
AMOUNT_TITLES = ("合计", "基本支出", "项目支出")


class TreeHeader(Widget):
    """The titles of the tree's amount columns, right above them."""

    def __init__(self, tree: BudgetTree, **kwargs) -> None:
        super().__init__(**kwargs)
        self.budget_tree = tree

    def on_mount(self) -> None:
        self.call_after_refresh(self.refresh)

    def on_resize(self) -> None:
        self.call_after_refresh(self.refresh)

    def render(self) -> Text:
        tree = self.budget_tree
        content = tree.scrollable_content_region
        if not content.width:
            return Text("")
        end = tree.region.x + content.right - self.region.x  # where the amounts end, here
        columns = AMOUNT_TITLES if content.width >= WIDE else AMOUNT_TITLES[:1]
        titles = "".join(" " * (AMOUNT_WIDTH - cell_len(t)) + t for t in columns)
        text = Text.assemble(("万元", "dim"), " " * max(end - cell_len(titles) - 4, 1), (titles, "bold"))
        text.truncate(self.size.width)
        return text


def sort_key(mode: str):
    """Key for ordering sibling nodes: by code (printed order), amount (largest first) or name."""
    if mode == "amount":
        return lambda n: -(n.amounts[0] if n.amounts and n.amounts[0] is not None else Decimal(-1))
    if mode == "name":
        return lambda n: n.name
    return lambda n: n.code or ""


def _documents(group: Node) -> list[Node]:
    """The documents below a group (a place, a year), in order."""
    if group.kind != "group":
        return [group]
    return [document for child in group.children for document in _documents(child)]


class BudgetTree(Tree[Node]):
    """The outline in a Textual tree: a branch's children are added when it is first opened."""

    BINDINGS = [  # noqa: RUF012 - Textual's binding list
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("l", "open", "Open", show=False),
        Binding("h", "close_or_parent", "Parent", show=False),
        Binding("g", "top", "Top", show=False),
        Binding("G", "bottom", "Bottom", show=False),
        *(Binding(str(d), f"depth({d})", f"Depth {d}", show=False) for d in range(1, 10)),
    ]

    def __init__(self, roots: list[Node], **kwargs) -> None:
        super().__init__("部门预算", **kwargs)
        self.show_root = False
        self.guide_depth = 3
        self.nodes: dict[str, TreeNode[Node]] = {}
        self.sorts: dict[str, str] = {}
        self._drawing: dict | None = None  # what the lines of the repaint under way share
        for root in roots:
            if root.kind == "group":
                for document in _documents(root):
                    self.insert(document)
            else:
                self._add(self.root, root).expand()

    def insert(self, node: Node) -> None:
        """Show a node added to the outline (a document arriving, under its place and year),
        and every group above it not shown yet; groups open, documents closed."""
        for step in node.path:
            if step.id in self.nodes:
                continue
            parent = self.nodes[step.parent.id] if step.parent is not None else self.root
            siblings = step.parent.children if step.parent is not None else None
            at = siblings.index(step) if siblings is not None else len(parent.children)
            before = at if at < len(parent.children) else None
            tree_node = parent.add(Text(step.name), step, before=before, allow_expand=bool(step.children))
            self.nodes[step.id] = tree_node
            if step.kind == "document":
                self.load(tree_node)
            else:
                tree_node.expand()
        for step in node.path:  # a group that was empty can open now; its total has grown
            tree_node = self.nodes[step.id]
            if step.kind == "group":
                tree_node.allow_expand = True
                tree_node.expand()
                tree_node.set_label(Text(step.name))

    # ------------------------------------------------------------------ lazy children

    def _add(self, parent: TreeNode[Node], node: Node) -> TreeNode[Node]:
        tree_node = parent.add(Text(node.name), node, allow_expand=bool(node.children))
        self.nodes[node.id] = tree_node
        if node.kind == "document":
            self.load(tree_node)
        return tree_node

    def load(self, tree_node: TreeNode[Node]) -> None:
        """Add the children of a node from its outline, once."""
        node = tree_node.data
        if node is None or tree_node.children or not node.children:
            return
        for child in node.children:
            self._add(tree_node, child)

    def refill(self, node: Node) -> None:
        """Show a node's new name and children (核对, once the checks have run)."""
        tree_node = self.nodes.get(node.id)
        if tree_node is None:
            return
        tree_node.set_label(Text(node.name))
        tree_node.allow_expand = bool(node.children)
        was_open = tree_node.is_expanded
        tree_node.remove_children()
        if was_open:
            self.load(tree_node)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Node]) -> None:
        self.load(event.node)

    def on_resize(self) -> None:
        for header in self.screen.query(TreeHeader):
            header.refresh()

    def reveal(self, node: Node) -> list[TreeNode[Node]]:
        """Open every branch above `node` and move the cursor to it; returns the branches
        this opened (so a search can close them again when it moves on)."""
        opened = []
        for ancestor in node.path[:-1]:
            tree_node = self.nodes[ancestor.id]
            self.load(tree_node)
            if not tree_node.is_expanded:
                tree_node.expand()
                opened.append(tree_node)
        target = self.nodes[node.id]
        _ = self.last_line  # lays the opened branches out, so the target's line is current
        self.move_cursor(target)
        self.scroll_to_node(target, animate=False)
        return opened

    # ------------------------------------------------------------------ labels

    def _columns(self, data: Node, prefix: int) -> tuple[int, str]:
        """Where a label's name is cut (cells), and its amounts as one right-aligned string."""
        width = self._content_width()
        room = width - (len(data.path) - 1) * self.guide_depth - prefix
        # A wide tree shows total, basic and project in three columns (rows with one amount
        # fill the first); a narrow one shows the total only.
        columns = 3 if width >= WIDE else 1
        shown = [money(amount) for amount in data.amounts[:columns]]
        amounts = (*shown, *[""] * (columns - len(shown))) if shown else ()
        # an amount wider than its column (25,859.600179) keeps a space before it
        column = "".join(amount.rjust(AMOUNT_WIDTH) if len(amount) < AMOUNT_WIDTH else f" {amount}"
                         for amount in amounts)
        return max(8, room - len(column) - 2), column

    def _icon(self, node: TreeNode[Node]) -> str:
        """The branch's ▶ or ▼ before its label (nothing before a leaf)."""
        if not node.allow_expand:
            return ""
        return self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE

    def render_label(self, node: TreeNode[Node], base_style: Style, style: Style) -> Text:
        """Name (and code) on the left, amounts right-aligned in columns."""
        data = node.data
        if data is None:
            return super().render_label(node, base_style, style)
        label = Text()
        if data.code:
            label.append(f"{data.code} ", style="bold cyan")
        if data.mark:
            label.append(f"[{SEVERITY_ZH.get(data.mark, data.mark)}] ", style=_MARK_STYLE.get(data.mark, ""))
        label.append(data.name)
        label.stylize(style)
        prefix = self._icon(node)
        name_room, column = self._columns(data, cell_len(prefix))
        # One span for all the amounts: every span costs a style combination each time a
        # new line is drawn.
        label.truncate(name_room, overflow="ellipsis", pad=bool(column))
        return Text.assemble((prefix, base_style), label, ("  " + column, "green") if column else "")

    # ------------------------------------------------------------------ drawing

    def render_lines(self, crop: Region) -> list[Strip]:
        """Textual's, with what every line of one repaint shares worked out once for them
        all (the tree's style, its width, its components' styles), not once per line."""
        self._drawing = {}
        try:
            return super().render_lines(crop)
        finally:
            self._drawing = None

    def render_line(self, y: int) -> Strip:
        """Textual's, with the tree's style taken once per repaint."""
        drawing = self._drawing
        if drawing is None:
            return super().render_line(y)
        style = drawing.get("style")
        if style is None:
            style = drawing["style"] = self.rich_style
        scroll_x, scroll_y = self.scroll_offset
        return self._render_line(y + scroll_y, scroll_x, scroll_x + self.size.width, style)

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        """Textual's (and its cache of lines), with the lines of a repaint drawn by
        LineDrawing; a line under the mouse is left to Textual."""
        drawing = self._drawing
        lines = self._tree_lines
        if drawing is None or y >= len(lines):
            return super()._render_line(y, x1, x2, base_style)
        line = lines[y]
        if line.node.data is None or (self.hover_line >= 0 and any(node._hover for node in line.path)):
            return super()._render_line(y, x1, x2, base_style)
        key = (y, False, self.size.width, self._updates, self._pseudo_class_state,
               tuple(node._updates for node in line.path))
        strip = self._line_cache.get(key)
        if strip is None:
            lines_drawing = drawing.get("lines")
            if lines_drawing is None:
                lines_drawing = drawing["lines"] = LineDrawing(self, base_style)
            strip = self._line_cache[key] = lines_drawing.line(y, line)
        return strip.crop(x1, x2)

    def get_component_styles(self, *names: str) -> RenderStyles:
        """Textual's, kept for the rest of a repaint (each line asks for the same three)."""
        drawing = self._drawing
        if drawing is None:
            return super().get_component_styles(*names)
        styles = drawing.get(names)
        if styles is None:
            styles = drawing[names] = super().get_component_styles(*names)
        return styles

    def _content_width(self) -> int:
        drawing = self._drawing
        if drawing is None:
            return self.scrollable_content_region.width
        width = drawing.get("width")
        if width is None:
            width = drawing["width"] = self.scrollable_content_region.width
        return width

    def get_label_width(self, node: TreeNode[Node]) -> int:
        """render_label's width, worked out without drawing the label (Textual asks for the
        width of every line shown each time a branch opens or closes)."""
        data = node.data
        if data is None:
            return super().get_label_width(node)
        prefix = cell_len(self._icon(node))
        name_room, column = self._columns(data, prefix)
        if column:
            return prefix + name_room + 2 + len(column)
        mark = f"[{SEVERITY_ZH.get(data.mark, data.mark)}] " if data.mark else ""
        name = cell_len(f"{data.code} " if data.code else "") + cell_len(mark) + cell_len(data.name)
        return prefix + min(name, name_room)

    # ------------------------------------------------------------------ actions

    def action_open(self) -> None:
        if self.cursor_node is not None:
            self.load(self.cursor_node)
            self.cursor_node.expand()

    def action_close_or_parent(self) -> None:
        node = self.cursor_node
        if node is not None and node.is_expanded and node.children:
            node.collapse()
        else:
            self.action_cursor_parent()

    def action_top(self) -> None:
        self.move_cursor_to_line(0)

    def action_bottom(self) -> None:
        self.move_cursor_to_line(self.last_line)

    def action_depth(self, depth: int) -> None:
        """Show every branch down to `depth` levels below the documents, and no deeper.

        The findings of 核对 are a list, not a level of the budget: they open only on request."""
        def visit(tree_node: TreeNode[Node], level: int) -> None:
            data = tree_node.data
            if data is not None and data.kind == "group":  # places and years stay open
                tree_node.expand()
                for child in tree_node.children:
                    visit(child, level)
                return
            if level < depth and not (data is not None and data.resource == "findings"):
                self.load(tree_node)
                tree_node.expand()
                for child in tree_node.children:
                    visit(child, level + 1)
            else:
                tree_node.collapse()

        for top in self.root.children:
            visit(top, 0)

    def sort_children(self, tree_node: TreeNode[Node]) -> str | None:
        """Cycle the order of a node's children (code → amount → name); returns the new order."""
        node = tree_node.data
        if node is None or len(node.children) < 2:
            return None
        mode = SORTS[(SORTS.index(self.sorts.get(node.id, "code")) + 1) % len(SORTS)]
        self.sorts[node.id] = mode
        node.children.sort(key=sort_key(mode))
        if tree_node.children:
            expanded = {child.data.id for child in tree_node.children
                        if child.data is not None and child.is_expanded}
            tree_node.remove_children()
            for child in node.children:
                added = self._add(tree_node, child)
                if child.id in expanded:
                    self.load(added)
                    added.expand()
        return mode
