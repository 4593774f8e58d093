"""PDF input speed: `budgettui.load()` (the whole model) against pdfplumber's own
`extract_tables()` over every page of the same file (raw cells only), measured in the same run.

    python benchmarks/pdf.py [PDF ...]      (default: three corpus files of different templates)

Prints, per file, the median of a few runs of each and their ratio (target: at most 0.5). The
load is cold (`cache=False`: every run reads and parses the PDF); a cached reload is shown
beside it.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
DEFAULT = [
    CORPUS / "上海" / "2026年上海市财政局_部门预算.pdf",
    CORPUS / "深圳" / "2026年深圳市统计局部门预算.pdf",
    CORPUS / "烟台" / "2026年烟台市审计局部门预算.pdf",
]
RUNS = 3


def _median(func) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(paths: list[Path]) -> None:
    import pdfplumber

    import budgettui

    budgettui.load(paths[0], cache=False)  # imports and first-use costs outside the measurements

    def plumber(path: Path) -> None:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_tables()

    print(f"{'file':44} {'pages':>5} {'load()':>9} {'pdfplumber':>11} {'ratio':>6} {'cached':>8}")
    ratios = []
    for path in paths:
        ours = _median(lambda p=path: budgettui.load(p, cache=False))
        theirs = _median(lambda p=path: plumber(p))
        pages = budgettui.load(path)["documents"]["pages"][0]
        cached = _median(lambda p=path: budgettui.load(p))
        ratios.append(ours / theirs)
        print(f"{path.parent.name + '/' + path.name:44} {pages:>5} {ours * 1000:>7.0f}ms {theirs * 1000:>9.0f}ms "
              f"{ours / theirs:>6.2f} {cached * 1000:>6.0f}ms")
    print(f"median ratio {statistics.median(ratios):.2f} (target ≤ 0.5)")


if __name__ == "__main__":
    main([Path(a) for a in sys.argv[1:]] or DEFAULT)
