"""Parse the bundled sample N times; print the median time per document and peak memory.

    python benchmarks/parse.py [N]        (default N = 50)

Targets (issue 2): under 50 ms per document, under 150 MB peak. Issue 12: `model.parse_path`
(read, parse, frames; no cache) of the sample in at most 55 ms, printed as the best CPU time of
runs interleaved with reading the file (`read_source`, the floor) and as a ratio against it.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
import tracemalloc

from budgettui.model import load, parse_document, parse_path
from budgettui.performance import parse_performance
from budgettui.segment import segment
from budgettui.sources import default_source, read_source


def best_ms(funcs: dict[str, object], runs: int) -> dict[str, float]:
    """The best (least) process CPU time of each function over `runs` interleaved runs, in ms:
    on a shared machine the least time is the steadiest figure, and interleaving exposes the
    functions compared to the same load."""
    best = dict.fromkeys(funcs, float("inf"))
    for _ in range(runs):
        for name, func in funcs.items():
            start = time.process_time()
            func()
            best[name] = min(best[name], time.process_time() - start)
    return {name: value * 1000 for name, value in best.items()}


def median_ms(func, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    path = default_source()
    load(path, cache=False)  # warm up imports
    source = read_source(path)
    performance_lines = segment(source.lines).performance

    print(f"document: {path.name} ({len(source.lines)} lines), {runs} runs")
    read = median_ms(lambda: read_source(path), runs)
    print(f"read + decode + normalise   {read:8.2f} ms")
    print(f"segment                     {median_ms(lambda: segment(source.lines), runs):8.2f} ms")
    print(f"parse (all parsers)         "
          f"{median_ms(lambda: parse_document(source, 'bench'), runs):8.2f} ms")
    print(f"  of which performance      "
          f"{median_ms(lambda: parse_performance(performance_lines, 'bench'), runs):8.2f} ms")
    best = best_ms({"read": lambda: read_source(path), "parse": lambda: parse_path(path, "bench")}, runs)
    print(f"parse_path (read → frames)  {best['parse']:8.2f} ms per document (best CPU time) = "
          f"{best['parse'] / best['read']:5.1f} × read_source ({best['read']:.2f} ms)")
    print(f"load() to frames, median    {median_ms(lambda: load(path, cache=False), runs):8.2f} ms per document")
    print(f"  then the checks (findings) {median_ms(lambda: load(path, cache=False)['findings'], runs):8.2f} ms, "
          f"load included")

    tracemalloc.start()
    load(path, cache=False)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak traced allocation during one load: {peak / 2**20:.1f} MB")
    print(f"peak resident memory of this process:   {rss:.1f} MB")


if __name__ == "__main__":
    main()
