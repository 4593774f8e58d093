"""A node of the browser's outline (tui/outline.py builds them), kept apart from Polars: the
tree can be drawn from stored nodes (tui/sketch.py) before Polars is imported."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

SEVERITY_ORDER = {"error": 0, "warning": 1, "rounding": 2, "info": 3}
#: Severities as the browser shows them (the data keeps its codes).
SEVERITY_ZH = {"error": "错误", "warning": "警告", "rounding": "舍入", "info": "信息"}


@dataclass(eq=False, slots=True)
class Node:
    """One node: what it stands for, its label parts, and its children."""

    kind: str  # document, resource, summary, subject, unit, project, section, finding
    doc_id: str
    name: str
    key: str | None = None
    resource: str | None = None
    code: str | None = None
    amounts: tuple[Decimal | None, ...] = ()
    mark: str = ""
    parent: Node | None = field(default=None, repr=False)
    children: list[Node] = field(default_factory=list, repr=False)

    @property
    def id(self) -> str:
        """A key unique across the outline: document, kind and key."""
        return f"{self.doc_id}|{self.kind}|{self.key or self.resource or self.name}"

    def add(self, child: Node) -> Node:
        child.parent = self
        self.children.append(child)
        return child

    @property
    def path(self) -> list[Node]:
        """The nodes from the document down to this one."""
        nodes: list[Node] = []
        node: Node | None = self
        while node is not None:
            nodes.append(node)
            node = node.parent
        return nodes[::-1]

    def crumbs(self) -> list[str]:
        """The path as a breadcrumb's steps (a step with a code shows it); in a corpus the
        place and year open the document's step (西安市 2022年 西安市医疗保障局), so a cut
        breadcrumb still names the document."""
        groups = [n.name for n in self.path if n.kind == "group"]
        steps = [f"{n.code} {n.name}" if n.code else n.name for n in self.path if n.kind != "group"]
        if not steps:
            return [" › ".join(groups)]
        if groups:
            steps[0] = " ".join([*groups, steps[0]])
        return steps

    def walk(self):
        """This node and every node below it, in tree order."""
        yield self
        for child in self.children:
            yield from child.walk()
