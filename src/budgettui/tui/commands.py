"""The command palette's "go to": every subject, unit and project of the loaded budget."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

_KINDS = {"subject": "功能科目", "unit": "单位", "project": "项目", "section": "情况说明"}


class GoToProvider(Provider):
    """Go to a subject, unit, project or narrative section."""

    def _targets(self):
        for root in self.app.outlines:  # type: ignore[attr-defined]
            for node in root.walk():
                if node.kind in _KINDS:
                    label = f"{node.code} {node.name}" if node.code else node.name
                    yield node, f"go to {label}", _KINDS[node.kind]

    async def discover(self) -> Hits:
        for node, text, help_text in list(self._targets())[:30]:
            yield DiscoveryHit(text, partial(self.app.go_to, node), help=help_text)  # type: ignore[attr-defined]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for node, text, help_text in self._targets():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self.app.go_to, node),  # type: ignore[attr-defined]
                          help=help_text)
