"""The browser on a corpus: when the first document shows, when all are read and checked,
against loading the same corpus without the browser (`budgettui.load`, checks included),
measured in the same run.

    python benchmarks/corpus_browser.py [DIR] [--cold]

DIR defaults to ../shared/corpus. With --cold each run starts from an empty parse cache (a
folder of its own), so every document is parsed; without it, the cache is filled first and
every run reads from it. Each measurement runs in a fresh interpreter.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BROWSER = r"""
import sys, time
START = time.perf_counter()
from pathlib import Path
from budgettui.tui.app import BudgetApp

marks = {}

async def watch(pilot):
    app = pilot.app
    marks["paint"] = time.perf_counter() - START
    while True:
        if "first" not in marks and app.outlines:
            marks["first"] = time.perf_counter() - START
        if "read" not in marks and app.growing is None and app.outlines:
            marks["read"] = time.perf_counter() - START
        if app.sub_title.endswith("已核对"):
            marks["checked"] = time.perf_counter() - START
            break
        await pilot.pause(0.1)
    print(" ".join(f"{k}={v:.3f}" for k, v in marks.items()), len(app.outlines))
    app.exit()

if __name__ == "__main__":  # worker processes import this script again: they must not run it
    BudgetApp(sources=[Path(sys.argv[1])]).run(headless=True, size=(160, 50), auto_pilot=watch)
"""

LOAD = r"""
import sys, time
START = time.perf_counter()
import budgettui
if __name__ == "__main__":
    budget = budgettui.load(sys.argv[1])
    budget["findings"]
    print(f"load={time.perf_counter() - START:.3f}", budget["documents"].height)
"""


def run(code: str, folder: str, cache: str) -> dict[str, float]:
    script = Path(cache).parent / "child.py"
    script.write_text(code, encoding="utf-8")
    env = {"BUDGETTUI_CACHE_DIR": cache, "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, str(script), folder], capture_output=True, text=True, env=env,
                         check=True).stdout.split()
    return {k: float(v) for k, v in (part.split("=") for part in out[:-1])} | {"documents": float(out[-1])}


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    folder = args[0] if args else str(ROOT.parent / "shared" / "corpus")
    cold = "--cold" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        def cache(name: str) -> str:
            path = Path(tmp) / name
            return str(path)

        if not cold:
            run(LOAD, folder, cache("warm"))  # fill the cache
        load = run(LOAD, folder, cache("load" if cold else "warm"))
        browser = run(BROWSER, folder, cache("browser" if cold else "warm"))
    base = load["load"]
    print(f"{int(load['documents'])} documents, {'cold' if cold else 'cached'}; budgettui.load + checks: {base:.2f} s")
    for mark, title in (("paint", "first paint"), ("first", "first document in the tree"),
                        ("read", "all documents in the tree"), ("checked", "checked (已核对)")):
        print(f"  browser, {title:28} {browser[mark]:6.2f} s  = {browser[mark] / base:5.2f} × the load")


if __name__ == "__main__":
    main()
