"""A corpus at scale: N documents made from the bundled sample, loaded and checked.

    python benchmarks/corpus.py [N]        (default N = 200)

Writes N text documents into a temporary folder — the sample with a distinct department name
and its amounts multiplied by a per-document factor (sums stay exact) — then, each measurement
in a fresh process:

- load + checks (cold, no cache) with 1 and with 2 jobs, and their ratio (the checks run in the
  worker processes, beside the parse; here they are the `findings` resource);
- the floor, every document read and split into lines (`read_source`) in one process, and the
  load + checks as multiples of it (the machine is shared: its speed and load move both);
- the peak resident memory of the loading process and of its worker processes;
- a second load with the cache, as a fraction of the first (cold) one, and its memory once
  every resource is unpacked (budget_lines and indicators wait, packed, until asked for);
- the rules alone per document, run again in one process, at 10 and at N documents (and their
  ratio: 1 is linear);
- `export --dataset` (2 jobs, no cache, validation included): its time and peak RSS as ratios
  of the load alone (2 jobs, no cache, no checks) measured in the same run, and its peak RSS
  at N/5 and at N documents (constant memory: the ratio stays near 1).

    python benchmarks/corpus.py N --dataset-only    (only the last figure)
    python benchmarks/corpus.py --folder DIR        (a real corpus, e.g. ../shared/corpus: load +
                                                     checks with 1 and 2 jobs, cold and cached)

Times are compared within the run (the ratios), as the machine may be shared; the checks are
also timed in CPU seconds of their process, which other load on the machine hardly changes.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from budgettui.sources import default_source

#: Characters of the generated department names (N up to 24³ distinct names).
_NAME_CHARS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥东西"
_AMOUNT = re.compile(r"(?<![\d.])(\d+\.\d{2})(?![\d%％])")
_DEPARTMENT = "高平市"


def city(i: int) -> str:
    chars = []
    for _ in range(3):
        i, digit = divmod(i, len(_NAME_CHARS))
        chars.append(_NAME_CHARS[digit])
    return "".join(chars) + "市"


def generate(folder: Path, count: int) -> list[Path]:
    """`count` documents: the sample under another city's name, amounts × (1 + i mod 7)."""
    sample = default_source().read_text(encoding="utf-8")
    paths = []
    for i in range(count):
        factor = 1 + i % 7
        text = _AMOUNT.sub(lambda m, f=factor: f"{Decimal(m.group(1)) * f:.2f}", sample)
        path = folder / f"{i:05d}_{city(i)}.txt"
        path.write_text(text.replace(_DEPARTMENT, city(i)), encoding="utf-8")
        paths.append(path)
    return paths


def measure(folder: str, jobs: int, cache: bool, checks: str) -> None:
    """(in a child process) Load the folder, then the checks; print times and peak memory.

    `checks`: "" none; "findings" the findings resource (the checks run where the documents
    were parsed, in the workers, or read from the cache); "rules" every rule run again in this
    process (what the checks cost per document, whatever runs them)."""
    import resource

    import budgettui
    from budgettui.audit import RULES, check_budget

    start = time.perf_counter()
    budget = budgettui.load(folder, jobs=jobs, cache=cache)
    loaded, cpu = time.perf_counter(), time.process_time()
    findings = None
    if checks == "findings":
        findings = budget["findings"].height
    elif checks == "rules":
        findings = len(check_budget(budget, only=list(RULES)).findings) + budget.parsed_findings.height
    checked = time.perf_counter()
    figures = {
        "documents": budget["documents"].height, "load": loaded - start, "checks": checked - loaded,
        "checks_cpu": time.process_time() - cpu, "findings": findings,
        "rss_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }
    if cache:  # then every resource unpacked (budget_lines and indicators wait until asked for)
        for name in budget.resources:
            budget[name]
        figures["rss_unpacked_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))


def measure_dataset(folder: str, jobs: int, target: str) -> None:
    """(in a child process) `export --dataset` of the folder, no cache; print times and memory."""
    import resource

    from budgettui.dataset import export_dataset

    marks: dict[str, float] = {}
    written = []  # the peak RSS once every document is written, before the validation

    def step(label: str) -> None:
        marks.setdefault(label, time.perf_counter())
        if label == "validating":
            written.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

    start = time.perf_counter()
    summary = export_dataset([folder], Path(target), jobs=jobs, cache=False, step=step)
    done = time.perf_counter()
    print(json.dumps({
        "documents": summary.documents, "files": summary.files, "bytes": summary.bytes,
        "export": done - start, "validation": done - marks.get("validating", done),
        "rss_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_written_mb": written[0] if written else None,
        "rss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }))


def dataset_child(folder: Path, jobs: int, target: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--measure-dataset", str(folder), str(jobs), str(target)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def dataset_figures(root: Path, large: Path, count: int, cache_dir: Path) -> None:
    """Export of the dataset against the load alone, both with 2 jobs and no cache; and the
    export's memory at N against N/5 documents (past the rows it lets wait: the same)."""
    fifth = root / "fifth"
    fifth.mkdir(exist_ok=True)
    generate(fifth, max(10, count // 5))
    load = child(large, 2, False, "", cache_dir)
    export = dataset_child(large, 2, root / "dataset")
    less = dataset_child(fifth, 2, root / "dataset-fifth")
    print(f"load alone, 2 jobs:     {load['load']:7.1f} s   peak RSS {load['rss_self_mb']:.0f} MB "
          f"(workers {load['rss_children_mb']:.0f} MB each at most)")
    print(f"export --dataset, 2 jobs: {export['export']:5.1f} s (validation {export['validation']:.1f} s)"
          f"   peak RSS {export['rss_self_mb']:.0f} MB, {export['rss_written_mb']:.0f} MB before the "
          f"validation (workers {export['rss_children_mb']:.0f} MB)   "
          f"{export['files']} files, {export['bytes'] / 2**20:.1f} MiB")
    print(f"  export / load: time {export['export'] / load['load']:.2f}, "
          f"peak RSS {export['rss_self_mb'] / load['rss_self_mb']:.2f} "
          f"({export['rss_written_mb'] / load['rss_self_mb']:.2f} before the validation)")
    print(f"  export peak RSS at {count} / at {less['documents']} documents: "
          f"{export['rss_self_mb'] / less['rss_self_mb']:.2f} "
          f"({export['rss_written_mb'] / less['rss_written_mb']:.2f} before the validation)")


def measure_floor(folder: str) -> None:
    """(in a child process) The floor: every document read and split into lines, one process."""
    from budgettui.sources import read_source

    paths = sorted(Path(folder).glob("*.txt"))
    start = time.perf_counter()
    for path in paths:
        read_source(path)
    print(json.dumps({"floor": time.perf_counter() - start}))


def floor(folder: Path) -> float:
    out = subprocess.run([sys.executable, __file__, "--measure-floor", str(folder)], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout)["floor"]


def child(folder: Path, jobs: int, cache: bool, checks: str, cache_dir: Path) -> dict:
    env = {**os.environ, "BUDGETTUI_CACHE_DIR": str(cache_dir)}
    out = subprocess.run([sys.executable, __file__, "--measure", str(folder), str(jobs), str(int(cache)),
                          checks], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout)


def real_corpus(folder: Path) -> None:
    """Load + checks of an existing folder: 1 and 2 jobs without the cache, then with a cache
    of its own, cold and again."""
    with tempfile.TemporaryDirectory(prefix="budgettui-cache-") as temporary:
        cache_dir = Path(temporary)
        print(f"{folder}; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        one = child(folder, 1, False, "findings", cache_dir)
        two = child(folder, 2, False, "findings", cache_dir)
        cold = child(folder, 2, True, "findings", cache_dir)
        warm = child(folder, 2, True, "findings", cache_dir)
        for label, run in (("1 job, no cache", one), ("2 jobs, no cache", two),
                           ("2 jobs, cache cold", cold), ("2 jobs, cache again", warm)):
            print(f"{label:20} {run['documents']} documents: load + checks "
                  f"{run['load'] + run['checks']:6.2f} s   peak RSS {run['rss_self_mb']:.0f} MB")
        print(f"  2 jobs / 1 job {(two['load'] + two['checks']) / (one['load'] + one['checks']):.2f}; "
              f"again / cold {(warm['load'] + warm['checks']) / (cold['load'] + cold['checks']):.3f}")


def main() -> None:
    if "--folder" in sys.argv:
        real_corpus(Path(sys.argv[sys.argv.index("--folder") + 1]))
        return
    count = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 200
    with tempfile.TemporaryDirectory(prefix="budgettui-corpus-") as temporary:
        root = Path(temporary)
        small, large, cache_dir = root / "small", root / "large", root / "cache"
        small.mkdir()
        large.mkdir()
        started = time.perf_counter()
        generate(small, 10)
        generate(large, count)
        print(f"{count} documents generated in {time.perf_counter() - started:.1f} s ({large}); "
              f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        if "--dataset-only" in sys.argv:
            dataset_figures(root, large, count, cache_dir)
            return

        one = child(large, 1, False, "findings", cache_dir)
        two = child(large, 2, False, "findings", cache_dir)
        print(f"load + checks, 1 job:  {one['load']:7.1f} s + {one['checks']:6.1f} s "
              f"= {one['load'] + one['checks']:7.1f} s   peak RSS {one['rss_self_mb']:.0f} MB")
        print(f"load + checks, 2 jobs: {two['load']:7.1f} s + {two['checks']:6.1f} s "
              f"= {two['load'] + two['checks']:7.1f} s   peak RSS {two['rss_self_mb']:.0f} MB "
              f"(workers {two['rss_children_mb']:.0f} MB each at most)")
        print(f"  2 jobs / 1 job: load {two['load'] / one['load']:.2f}, "
              f"load + checks {(two['load'] + two['checks']) / (one['load'] + one['checks']):.2f}")
        assert one["findings"] == two["findings"]
        base = floor(large)
        print(f"  the floor, every document read and split (read_source) in one process: {base:.1f} s; "
              f"load + checks = {(one['load'] + one['checks']) / base:.1f} × it with 1 job, "
              f"{(two['load'] + two['checks']) / base:.1f} × with 2 (a machine's speed and load move both)")

        cold = child(large, 2, True, "", cache_dir)
        warm = child(large, 2, True, "", cache_dir)
        print(f"load with the cache: cold {cold['load']:.1f} s, again {warm['load']:.2f} s "
              f"({warm['load'] / cold['load']:.3f} of the cold load)   peak RSS {warm['rss_self_mb']:.0f} MB, "
              f"{warm['rss_unpacked_mb']:.0f} MB with every resource unpacked "
              f"({warm['rss_unpacked_mb'] / count:.2f} MB per document)")

        # the rules themselves, run again in one process over the documents (cached above)
        ten = child(small, 1, True, "rules", cache_dir)
        rules = child(large, 1, True, "rules", cache_dir)
        assert rules["findings"] == two["findings"]
        for clock, key in (("wall", "checks"), ("CPU", "checks_cpu")):
            per_small, per_large = ten[key] / 10, rules[key] / count
            print(f"rules per document ({clock}): {per_small * 1000:.0f} ms at 10, "
                  f"{per_large * 1000:.0f} ms at {count} (ratio {per_large / per_small:.2f})")
        dataset_figures(root, large, count, cache_dir)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        measure(sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1", sys.argv[5] if len(sys.argv) > 5 else "")
    elif len(sys.argv) > 1 and sys.argv[1] == "--measure-floor":
        measure_floor(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "--measure-dataset":
        measure_dataset(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        main()
