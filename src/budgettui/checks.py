"""Consistency rules over a Budget → rows of the `findings` resource.

Each rule is a small function registered with `@rule(id, severity, zh, en)`. It receives a
`Ctx` for one document and reports through it: `ctx.compare(...)` counts one check of an
amount against the sum of its terms and, when they differ, adds a finding that is
`rounding` when the difference is within the tolerance (0.02 万元 by default; ×10000 for
元 amounts) and the rule's own severity otherwise. `ctx.add(...)` adds any other finding.

The rules live in `table_rules` (tables 1–13 and cross-table identities), `target_rules`
(项目支出绩效目标表) and `narrative_rules` (figures of 第三部分 against the tables). Every
amount is a Decimal; a printed empty cell counts as zero in the arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import polars as pl

from budgettui import schema
from budgettui.parsed import Checks
from budgettui.values import money_text

if TYPE_CHECKING:
    from budgettui.model import Budget

Row = dict[str, Any]

SEVERITIES = ("error", "warning", "rounding", "info")
#: Largest difference (万元) reported as rounding rather than as an error.
DEFAULT_TOLERANCE = Decimal("0.02")
TEN_THOUSAND = Decimal(10000)
ZERO = Decimal(0)
#: Rule-id prefixes of the parsers' own findings (never produced here).
PARSER_PREFIXES = ("parse.", "perf.", "link.")
#: What a rule's finding holds, in this order (a row of `findings` without `source_page`).
FINDING_KEYS = ("doc_id", "rule", "severity", "message", "resource", "key", "expected", "actual",
                "source_line")


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered rule: id, default severity, what it checks in Chinese and English."""

    id: str
    severity: str
    zh: str
    en: str
    func: Callable[[Ctx], None]


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: str, zh: str, en: str) -> Callable[[Callable[[Ctx], None]], Callable[[Ctx], None]]:
    """Register the decorated function as the rule `rule_id`."""
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}")

    def register(func: Callable[[Ctx], None]) -> Callable[[Ctx], None]:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id!r} registered twice")
        RULES[rule_id] = Rule(rule_id, severity, zh, en, func)
        return func

    return register


def fmt(value: Decimal | int | None) -> str:
    """An amount as the document prints it (`19676.13`); an empty cell as `—`."""
    if value is None:
        return "—"
    return money_text(value) if isinstance(value, Decimal) else str(value)


def text(value: Decimal | int | None) -> str | None:
    """An amount as an exact decimal string for the expected/actual columns."""
    return None if value is None else fmt(value)


def total(values: Iterable[Decimal | None]) -> Decimal:
    """Sum with empty cells as zero."""
    return sum((v for v in values if v is not None), ZERO)


def _dicts(frame: pl.DataFrame) -> list[Row]:
    """The frame's rows as dicts (what `to_dicts` gives), built column by column: faster."""
    names = frame.columns
    return [dict(zip(names, values, strict=True))
            for values in zip(*(schema.values_of(series) for series in frame.iter_columns()), strict=True)]


@dataclass(slots=True)
class Doc:
    """One document's rows per resource (plain dicts, in table order)."""

    doc_id: str
    rows: dict[str, list[Row]]
    cache: dict[str, Any] = field(default_factory=dict)
    budget: Budget | None = None

    def __getitem__(self, resource: str) -> list[Row]:
        """A resource's rows of this document, turned into dicts the first time a rule asks."""
        if resource not in self.rows and self.budget is not None and resource in self.budget:
            # split by document once per budget ("findings": the parsers' own, as asking for
            # the resource would run these very rules), so each document costs the same
            # however many there are
            part = self.budget.by_document(resource).get(self.doc_id)
            self.rows[resource] = _dicts(part) if part is not None else []
        return self.rows.get(resource, [])

    def columns(self, resource: str, names: tuple[str, ...]) -> list[Row]:
        """A resource's rows of this document with only the columns `names` (once per set of
        names): for a bulky resource whose other columns no rule reads (indicators' `raw`)."""
        key = f"{resource}:{','.join(names)}"
        if key not in self.rows:
            if resource in self.rows or self.budget is None or resource not in self.budget:
                self.rows[key] = self[resource]
            else:
                part = self.budget.by_document(resource).get(self.doc_id)
                self.rows[key] = _dicts(part.select(names)) if part is not None else []
        return self.rows[key]

    def missing_tables(self) -> set[int]:
        """Table numbers the parser reported as not found."""
        return {int(f["key"][1:]) for f in self["findings"]
                if f["rule"] == "parse.missing_table" and (f["key"] or "").startswith("表")}


@dataclass(slots=True)
class Ctx:
    """What a rule sees: one document, the tolerance, and where findings go."""

    doc: Doc
    tolerance: Decimal = DEFAULT_TOLERANCE
    findings: list[Row] = field(default_factory=list)
    checked: int = 0
    #: Checks whose two sides differ by more than the tolerance.
    broken: int = 0
    rule: Rule | None = None

    def add(self, severity: str, message: str, resource: str | None, key: str | None,
            expected: str | None, actual: str | None, line: int | None,
            rule_id: str | None = None) -> None:
        """Add one finding of the current rule (or of `rule_id`)."""
        self.findings.append(dict(zip(FINDING_KEYS, (
            self.doc.doc_id, rule_id or self._rule.id, severity, message, resource, key, expected,
            actual, line), strict=True)))

    @property
    def _rule(self) -> Rule:
        assert self.rule is not None, "ctx.add outside a rule"
        return self.rule

    def describe(self, subject: str, formula: str) -> str:
        """`subject: formula — 规则`: one language, the document's (the rule's English
        description stays in the registry, where rules are listed)."""
        return f"{subject}: {formula} — {self._rule.zh}"

    def severity_of(self, difference: Decimal, scale: Decimal = Decimal(1)) -> str | None:
        """None when equal; rounding within the tolerance (× scale); else the rule's severity."""
        if difference == 0:
            return None
        return "rounding" if abs(difference) <= self.tolerance * scale else self._rule.severity

    def compare(self, resource: str | None, key: str | None, line: int | None, subject: str,
                actual: tuple[str, Decimal | None], terms: list[tuple[str, Decimal | None]],
                scale: Decimal = Decimal(1)) -> bool:
        """Check `actual` = sum of `terms`; a finding when they differ. Nothing printed on
        either side is not a check. True when equal."""
        label, value = actual
        printed = [v for _, v in terms if v is not None]
        if value is None and not printed:
            return True
        self.checked += 1
        expected = sum(printed, ZERO)
        severity = self.severity_of((value or ZERO) - expected, scale)
        if severity is None:
            return True
        if severity != "rounding":
            self.broken += 1
        shown = " + ".join(f"{name} {fmt(v)}" for name, v in terms)
        if len(terms) > 1:
            shown += f" = {fmt(expected)}"
        self.add(severity, self.describe(subject, f"{label} {fmt(value)} ≠ {shown}"), resource, key,
                 fmt(expected), fmt(value or ZERO), line)
        return False


@dataclass(slots=True)
class Report:
    """Findings of every rule over a budget, and how many checks were made."""

    findings: list[Row]
    checked: int
    #: Per document: (checks made, checks that do not hold beyond rounding).
    per_document: dict[str, tuple[int, int]] = field(default_factory=dict)


def _documents(budget: Budget) -> Iterator[Doc]:
    """Each document, its rows turned into plain dicts as the rules ask for them (and let go
    once its rules have run: a corpus's rows are never all dicts at once)."""
    for doc_id in budget["documents"]["doc_id"].to_list():
        yield Doc(doc_id, {}, budget=budget)


def check_budget(budget: Budget, tolerance: Decimal = DEFAULT_TOLERANCE,
                 only: Iterable[str] | None = None) -> Report:
    """Run every registered rule (or the rules in `only`) over each document of the budget.
    The engine imports no rule module: `budgettui.audit` brings the engine and the rules
    together. A document whose checks were run where it was parsed (`Budget.stored_checks`)
    is not checked again, unless other rules or another tolerance are asked for."""
    report = Report([], 0)
    for doc_id, found in _checked_documents(budget, tolerance, only):
        report.findings += found.findings.select(FINDING_KEYS).to_dicts() if isinstance(found, Checks) \
            else found.findings
        report.checked += found.checked
        report.per_document[doc_id] = (found.checked, found.broken)
    return report


def _checked_documents(budget: Budget, tolerance: Decimal, only: Iterable[str] | None
                       ) -> Iterator[tuple[str, Checks | Ctx]]:
    """Each document's results, in document order: stored, or the rules' run here."""
    selected = [RULES[r] for r in only] if only is not None else list(RULES.values())
    stored = budget.stored_checks if only is None and tolerance == DEFAULT_TOLERANCE else {}
    for doc in _documents(budget):
        found = stored.get(doc.doc_id)
        if found is not None:
            yield doc.doc_id, found
            continue
        ctx = Ctx(doc, tolerance)
        for item in selected:
            ctx.rule = item
            item.func(ctx)
        yield doc.doc_id, ctx


def run_checks(budget: Budget) -> pl.DataFrame:
    """Every rule over the budget: the rows of the `findings` resource they add, in document
    order (the stored results of documents checked where they were parsed taken as they are)."""
    parts: list[pl.DataFrame] = []
    rows: list[Row] = []
    for _, found in _checked_documents(budget, DEFAULT_TOLERANCE, None):
        if isinstance(found, Checks):
            if rows:
                parts.append(schema.resource("findings").frame(rows))
                rows = []
            parts.append(found.findings)
        else:
            rows += found.findings
    if rows or not parts:
        parts.append(schema.resource("findings").frame(rows))
    return pl.concat(parts) if len(parts) > 1 else parts[0]


def document_checks(budget: Budget) -> Checks:
    """The checks of a budget of one document (as a worker process runs them, to store them
    with the document): its findings, figures checked, and those that do not hold."""
    report = check_budget(budget)
    checked, broken = report.per_document.get(budget["documents"]["doc_id"][0], (0, 0))
    return Checks(schema.resource("findings").frame(report.findings), checked, broken)


def is_check_finding(rule_id: str) -> bool:
    """True for a finding of these rules (not of the parsers)."""
    return not rule_id.startswith(PARSER_PREFIXES)


# ---------------------------------------------------------------- the `check` command's report

def merged_findings(budget: Budget, report: Report) -> list[Row]:
    """The parsers' findings of the budget, then the rules' findings of `report`, each citing
    its page and line there for paged sources."""
    return budget.cite(budget.parsed_findings.to_dicts() + report.findings)


def summary(findings: list[Row], checked: int) -> str:
    """`N errors, N warnings, N rounding, N info (M figures checked)`, in the singular for 1."""
    from budgettui.messages import plural

    counts = {s: sum(1 for f in findings if f["severity"] == s) for s in SEVERITIES}
    return (f"{plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, "
            f"{counts['rounding']} rounding, {counts['info']} info "
            f"({plural(checked, 'figure')} checked)")


def render_text(findings: list[Row], verbose: bool = False) -> str:
    """Findings grouped by severity (info only when verbose), each with its source line."""
    several = len({f["doc_id"] for f in findings}) > 1
    lines = []
    for severity in SEVERITIES:
        if severity == "info" and not verbose:
            continue
        for f in sorted((f for f in findings if f["severity"] == severity),
                        key=lambda f: (f["doc_id"], f.get("source_page") or 0, f["source_line"] or 0)):
            where = ""
            if f["source_line"]:
                page = f.get("source_page")
                where = f"  (page {page}, line {f['source_line']})" if page else f"  (line {f['source_line']})"
            doc = f"{f['doc_id']}: " if several else ""
            lines.append(f"{severity:<8} {f['rule']:<26} {doc}{f['message']}{where}")
    return "".join(line + "\n" for line in lines)
