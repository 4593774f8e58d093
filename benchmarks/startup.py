"""Time to first paint of `budgettui` on the sample against a bare Textual app, and key latency.

    python benchmarks/startup.py [RUNS]        (default RUNS = 7)

Each app starts in a fresh interpreter (imports included) and runs headless; "first paint"
is the moment Textual reports the app ready (its first screen composed and on display),
"tree filled" the first frame drawn with budgettui's tree holding the document's nodes
(opened before: drawn from the outline stored beside the cache entry, tui/sketch.py; the
first opening, with an empty cache folder, is measured too: parsed in a second process,
tui/ahead.py, and on one core, in the reading thread), and
"at rest" the moment after it when the process stops working (the checks have run and
filled 核对; Textual's idle test: 20 ms with under 1 ms of CPU). All are measured in the
same run, alternately, and the medians compared. Then each key of the browser, timed from
the key to the repaint that answers it, and the browser's peak resident memory once the
sample is parsed and the search index built. Targets (issues 4 and 11): budgettui under 1.5×
the bare app, the tree filled within 2×; every key answered within 50 ms; under 120 MB.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time

CHILD = r"""
import sys, time
START = time.perf_counter()
{imports}
from textual.screen import Screen

FILLED = []  # when the first frame showing the tree with its nodes was drawn
_refresh = Screen._compositor_refresh


def _drawn(screen, *args, **kwargs):
    result = _refresh(screen, *args, **kwargs)
    if not FILLED:
        tree = screen.query("#tree")
        root = getattr(tree.first(), "root", None) if tree else None
        if tree and tree.first().region.area and (root is None or root.children):
            FILLED.append(time.perf_counter() - START)
    return result


Screen._compositor_refresh = _drawn


async def painted(pilot):  # Textual calls this once the first screen is on display
    first = time.perf_counter() - START
    while not FILLED:
        await pilot.pause(0.005)
    await pilot.pause()  # until the process rests: the checks have run, 核对 is filled
    sys.stdout.write(f"{{first:.6f}} {{FILLED[0]:.6f}} {{time.perf_counter() - START:.6f}}\n")
    sys.stdout.flush()
    pilot.app.exit()

{make_app}.run(headless=True, size=(120, 40), auto_pilot=painted)
"""

BARE = CHILD.format(
    imports="from textual.app import App\nfrom textual.widgets import Static\n"
            "class Bare(App):\n    def compose(self):\n        yield Static('budgettui', id='tree')\n",
    make_app="Bare()",
)
#: What `budgettui` runs: its entry module, then the browser as browsing.py starts it (a first
#: opening read ahead in a second process, tui/ahead.py), which reads the document in a thread.
BUDGETTUI = CHILD.format(
    imports="import budgettui.launch\nfrom budgettui.sources import default_source\n"
            "from budgettui.browsing import app\nAPP = app([default_source()])\n",
    make_app="APP",
)
#: The same on one core (Linux): no second process to read a first opening ahead.
ONE_CORE = BUDGETTUI.replace(
    "import budgettui.launch\n",
    "import os\nos.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\nimport budgettui.launch\n", 1)


MEMORY = r"""
import resource, sys
from budgettui.sources import default_source
from budgettui.tui.app import BudgetApp

async def browse(pilot):
    app = pilot.app
    while app.index is None:  # parsed, painted, and the search index built
        await pilot.pause(0.05)
    for keys in (["slash", *"xxh", "enter"], ["3"], ["G", "g"], ["j", "j", "j"]):
        await pilot.press(*keys)
        await pilot.pause(0.2)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    app.exit()

BudgetApp(sources=[default_source()]).run(headless=True, size=(120, 40), auto_pilot=browse)
"""
BARE_MEMORY = r"""
import resource
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("budgettui")

async def done(pilot):
    await pilot.pause(0.2)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    pilot.app.exit()

Bare().run(headless=True, size=(120, 40), auto_pilot=done)
"""


#: The children run with their bytecode cached, as an installed program does: with
#: PYTHONDONTWRITEBYTECODE set (and stale .pyc files beside the sources), budgettui's own
#: modules would be compiled afresh in every run while Textual's come from site-packages'
#: .pyc files. The cache lives in a folder of its own, not beside the sources.
CHILD_ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
             "PYTHONPYCACHEPREFIX": os.path.join(tempfile.gettempdir(), "budgettui-benchmark-pyc")}


def child(code: str, cache: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter (with `cache` as budgettui's cache folder); its output."""
    env = CHILD_ENV if cache is None else {**CHILD_ENV, "BUDGETTUI_CACHE_DIR": cache}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)


def peak_memory(code: str) -> float:
    """Peak resident memory (MB) of a fresh interpreter running `code`."""
    result = child(code)
    return int(result.stdout.split()[-1]) / 1024


def first_paint(code: str, first_opening: bool = False) -> tuple[float, float, float]:
    """Seconds from launching a fresh interpreter to (the first painted screen, the first
    frame showing the tree filled with the budget, the process at rest after it), all
    counted from the child's first line of Python and shifted by the interpreter's own
    start-up, as measured from here. `first_opening`: with an empty cache folder, so the
    document is parsed and its outline built (else both come from the cache, as on every
    opening after the first)."""
    with tempfile.TemporaryDirectory(prefix="budgettui-benchmark-cache-") as empty:
        start = time.perf_counter()
        result = child(code, empty if first_opening else None)
        total = time.perf_counter() - start
    first, filled, rest = (float(x) for x in result.stdout.split())
    startup = total - rest  # interpreter start before the child's clock, and exit after it
    return startup + first, startup + filled, startup + rest


KEYS = ["j", "j", "l", "j", "j", "l", "s", "s", "s", "k", "h", "g", "G", "g", "2", "3", "1",
        "slash", "x", "x", "h", "enter", "n", "N", "y", "question_mark", "escape", "e", "escape",
        "t", "t"]
#: Keys that open a screen: they are answered when that screen is first painted.
OPENS = {"question_mark": "HelpScreen", "e": "ExportScreen"}


async def key_latency(app, keys: list[str]) -> dict[str, list[tuple[float, float]]]:
    """Per key, milliseconds from sending it to (the first repaint that answers it, the last
    repaint before the screen rests: the detail pane follows the cursor once it rests).

    Repaints are taken from Textual's compositor, so the test pilot's own waiting is not
    counted."""
    from textual.screen import Screen

    paints: list[tuple[float, str]] = []
    refresh = Screen._compositor_refresh

    def recorded(screen, *args, **kwargs):
        result = refresh(screen, *args, **kwargs)
        paints.append((time.perf_counter(), type(screen).__name__))
        return result

    Screen._compositor_refresh = recorded  # type: ignore[method-assign]
    times: dict[str, list[tuple[float, float]]] = {}
    try:
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.pause(1.5)  # the search index is built a second after start
            for key in keys:
                paints.clear()
                start = time.perf_counter()
                await pilot.press(key)
                await pilot.pause(0.3)
                after = [(t, name) for t, name in paints if t > start]
                answers = [t for t, name in after if OPENS.get(key, name) == name]
                if answers:
                    times.setdefault(key, []).append(
                        ((answers[0] - start) * 1000, (after[-1][0] - start) * 1000))
    finally:
        Screen._compositor_refresh = refresh  # type: ignore[method-assign]
    return times


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    first_paint(BARE), first_paint(BUDGETTUI)  # warm the file cache and the bytecode cache
    one_core = hasattr(os, "sched_setaffinity")
    bare, ours, firsts, alone = [], [], [], []
    for _ in range(runs):
        bare.append(first_paint(BARE))
        ours.append(first_paint(BUDGETTUI))
        firsts.append(first_paint(BUDGETTUI, first_opening=True))
        if one_core:
            alone.append(first_paint(ONE_CORE, first_opening=True))
    b = statistics.median(t[0] for t in bare) * 1000
    o = statistics.median(t[0] for t in ours) * 1000
    filled = statistics.median(t[1] for t in ours) * 1000
    rest = statistics.median(t[2] for t in ours) * 1000
    print(f"first paint, median of {runs} fresh processes (imports included):")
    print(f"  bare Textual app              {b:7.0f} ms")
    print(f"  budgettui sample              {o:7.0f} ms   ratio {o / b:4.2f}×  (target < 1.5×)")
    cold = statistics.median(t[1] for t in firsts) * 1000
    print(f"  budgettui tree filled         {filled:7.0f} ms   ratio {filled / b:4.2f}×  (target < 2×; opened before)")
    print(f"    the first opening           {cold:7.0f} ms   ratio {cold / b:4.2f}×  "
          "(nothing cached: parsed in a second process)")
    if alone:
        single = statistics.median(t[1] for t in alone) * 1000
        print(f"    the first opening, one core {single:7.0f} ms   ratio {single / b:4.2f}×  "
              "(no second process: parsed in the reading thread)")
    print(f"  budgettui at rest (checked)   {rest:7.0f} ms   ratio {rest / b:4.2f}×  (核对 filled, nothing running)")
    cold_rest = statistics.median(t[2] for t in firsts) * 1000
    print(f"    the first opening           {cold_rest:7.0f} ms   ratio {cold_rest / b:4.2f}×")
    bare_mb, ours_mb = peak_memory(BARE_MEMORY), peak_memory(MEMORY)
    print("peak resident memory:")
    print(f"  bare Textual app              {bare_mb:7.1f} MB")
    print(f"  budgettui sample, index built {ours_mb:7.1f} MB   ratio {ours_mb / bare_mb:4.2f}×  (target < 120 MB)")
    from budgettui.model import load
    from budgettui.tui.app import BudgetApp

    latency = asyncio.run(key_latency(BudgetApp(load()), KEYS))
    print("keys: ms from the key to the repaint that answers it / to the screen at rest")
    for key, values in latency.items():
        answers, rests = [a for a, _ in values], [r for _, r in values]
        print(f"  {key:<14} answered {statistics.median(answers):6.1f} (max {max(answers):6.1f})"
              f"   at rest {statistics.median(rests):6.1f}")
    worst = max(a for values in latency.values() for a, _ in values)
    print(f"  slowest answer {worst:.1f} ms (target < 50 ms)")


if __name__ == "__main__":
    main()
