"""Export the bundled sample in all formats N times; print the median time with and without
validation, the bundle's size and file count.

    python benchmarks/export.py [N]        (default N = 10)

Target (issue 5): under 1 s for the sample in all formats. Parsing is not included (see
benchmarks/parse.py); the first, cold run (imports of pyarrow and frictionless) is reported
separately.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from budgettui import export
from budgettui.model import load
from budgettui.sources import default_source

FORMATS = ("parquet", "csv", "json", "ndjson")


def timed(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def median_ms(func: Callable[[], object], runs: int) -> float:
    return statistics.median(timed(func) for _ in range(runs)) * 1000


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    budget = load(default_source())
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "bundle"
        cold = timed(lambda: export.export_bundle(budget, target, FORMATS, validate=False))
        write = median_ms(lambda: export.export_bundle(budget, target, FORMATS, validate=False), runs)
        check = median_ms(lambda: export.validate_bundle(target), runs)
        both = median_ms(lambda: export.export_bundle(budget, target, FORMATS), runs)
        files = [p for p in target.rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
    print(f"sample, formats {','.join(FORMATS)}, {runs} runs (median)")
    print(f"first export (cold imports), no validation  {cold * 1000:8.1f} ms")
    print(f"export without validation                   {write:8.1f} ms")
    print(f"validation alone (frictionless + hashes)    {check:8.1f} ms")
    print(f"export with validation                      {both:8.1f} ms")
    print(f"bundle: {len(files)} files, {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
