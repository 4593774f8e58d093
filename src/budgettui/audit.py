"""The audit: the rule engine (checks.py) with every rule module registered.

The rule modules register themselves with the engine when imported; this module is where they
are imported, so that neither the engine nor the model imports a rule (and the model asks for
findings through `run_checks` alone).
"""

from __future__ import annotations

from budgettui import narrative_rules, table_rules, target_rules
from budgettui.checks import (
    DEFAULT_TOLERANCE,
    RULES,
    SEVERITIES,
    Report,
    check_budget,
    document_checks,
    is_check_finding,
    merged_findings,
    render_text,
    run_checks,
    summary,
)

RULE_MODULES = (table_rules, narrative_rules, target_rules)

__all__ = ["DEFAULT_TOLERANCE", "RULES", "RULE_MODULES", "SEVERITIES", "Report", "check_budget",
           "document_checks", "is_check_finding", "merged_findings", "render_text", "run_checks", "summary"]
