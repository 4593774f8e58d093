"""Run parse_performance over text dumps (TAB-separated lines, one per printed grid row) and
print, per file and per city, the tables (project / department), indicators and findings.

    python benchmarks/perf_survey.py [DIR] [-v]        (default DIR = /tmp/ctxt)

Each file's lines are cut at its first performance-table title after the table of contents
(the first 40 lines); -v lists every table and every finding other than perf.continuation.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from budgettui.performance import parse_performance, title_kind
from budgettui.sources import Line

CONTENTS = 40  # lines of a dump that may hold the table of contents


def survey(path: Path, verbose: bool) -> Counter[str]:
    text = path.read_text(encoding="utf-8")
    lines = [Line(no, row) for no, row in enumerate(text.split("\n"), start=1)]
    start = next((i for i, line in enumerate(lines) if i >= CONTENTS and title_kind(line.text)), None)
    if start is None:
        return Counter()
    result = parse_performance(lines[start:], path.stem)
    kinds = Counter(t["kind"] for t in result.targets)
    rules = Counter(f["rule"] for f in result.findings)
    print(f"{path.stem[:32]:32} project={kinds['project']:3} department={kinds['department']} "
          f"indicators={len(result.indicators):4} findings={len(result.findings):3} {dict(rules)}")
    if verbose:
        for t in result.targets:
            count = sum(i["perf_id"] == t["perf_id"] for i in result.indicators)
            print(f"    {t['perf_id']} {t['kind']:10} line {t['source_line']:5} {t['name']} "
                  f"total={t['total_funds']} annual={t['annual_funds']} ({t['funds_unit']}) {count}")
        for f in result.findings:
            if f["rule"] != "perf.continuation":
                print(f"      ! {f['rule']} line {f['source_line']}: {f['message'][:100]}")
    return Counter(tables=len(result.targets), indicators=len(result.indicators),
                   findings=len(result.findings))


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "-v"]
    folder = Path(args[0] if args else "/tmp/ctxt")
    cities: dict[str, Counter[str]] = {}
    for path in sorted(folder.glob("*.txt")):
        found = survey(path, "-v" in sys.argv)
        if found:
            cities.setdefault(path.stem.split("_")[0], Counter()).update(found)
    for city, found in cities.items():
        print(f"{city}: {found['tables']} tables, {found['indicators']} indicators, "
              f"{found['findings']} findings")


if __name__ == "__main__":
    main()
