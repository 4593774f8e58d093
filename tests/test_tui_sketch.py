"""A document opened before: its tree drawn from the stored outline (tui/sketch.py) before
Polars is imported, and never trusted beyond that: a stale or damaged outline is replaced."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal

from conftest import SAMPLE
from test_tui import rest, visible

from budgettui import cache
from budgettui.tui import outline, sketch
from budgettui.tui.app import BudgetApp

TITLE = "高平市人力资源和社会保障局（高平市医疗保障局） 2026年度部门预算公开"


def fields(root):
    return [(n.id, n.kind, n.doc_id, n.name, n.key, n.resource, n.code, tuple(map(str, n.amounts)), n.mark,
             len(n.children), n.parent.id if n.parent else None) for n in root.walk()]


def test_a_stored_outline_reads_back_as_built(budget):
    """Every node, with its amounts to the last printed digit (Decimal exponent included)."""
    root = outline.build(budget, findings=False)[0]
    back = sketch._node(json.loads(sketch.dumps(TITLE, root))["root"])
    assert fields(back) == fields(root)
    subject = next(n for n in back.walk() if n.code == "2080505")
    assert subject.name == "机关事业单位基本养老保险缴费支出"
    assert subject.amounts == (Decimal("198.790000"), Decimal("198.790000"), None)
    assert str(subject.amounts[0]) == "198.790000"
    assert subject.crumbs()[-2:] == ["20805 行政事业单位养老支出", "2080505 机关事业单位基本养老保险缴费支出"]


def test_damaged_or_foreign_outlines_are_not_read(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    source = tmp_path / "doc.txt"
    shutil.copy(SAMPLE, source)
    found = sketch.find([source])
    assert found is not None and found.stored is None and found.root is None
    assert found.path.name.endswith(".outline") and cache.file_sha256(source) in found.path.name
    node = ["document", "doc", "X", "doc", "documents", None, [], "", []]
    for stored in ("{not json", json.dumps({"format": sketch.FORMAT, "code": "0" * 16, "title": "T", "root": node}),
                   json.dumps({"format": sketch.FORMAT, "code": sketch.code(), "title": "T", "root": [1, 2]}),
                   json.dumps({"format": sketch.FORMAT, "code": sketch.code(), "title": "T", "root": node[:-1]})):
        found.path.parent.mkdir(parents=True, exist_ok=True)
        found.path.write_text(stored, encoding="utf-8")
        again = sketch.find([source])
        assert again is not None and again.stored == stored and again.root is None
    found.path.write_text(json.dumps({"format": sketch.FORMAT, "code": sketch.code(), "title": "T", "root": node}))
    assert sketch.find([source]).root.name == "X"
    assert sketch.find([tmp_path]) is None  # a folder: a corpus is drawn as it is read
    assert sketch.find([source, source]) is None


async def open_and_rest(source):
    app = BudgetApp(sources=[source])
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(200):
            if app.query("#detail") and "核对 (2 错误 · 41 警告 · 36 舍入 · 103 信息)" in visible(app):
                break
            await pilot.pause(0.05)
        await rest(pilot)
        return app, visible(app)


async def test_a_stale_outline_is_replaced_by_the_document(tmp_path, monkeypatch):
    """An outline that no longer matches the document (here: a project renamed, a subject's
    amount changed, as a stale file would) is drawn first, then replaced by the document's
    own tree; the file is rewritten with it, and the next opening draws and keeps that."""
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    source = tmp_path / "doc.txt"
    shutil.copy(SAMPLE, source)
    app, first = await open_and_rest(source)
    # Nothing stored yet: the tree drawn from the parse's rows (tui/ahead.py) stands, and is stored.
    assert app._sketch is app.outlines[0]
    path = sketch.find([source]).path
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["title"] == TITLE and stored["root"][2] == "高平市人力资源和社会保障局（高平市医疗保障局）"
    text = path.read_text(encoding="utf-8").replace('"功能科目"', '"功能科目（旧）"', 1).replace(
        '"27761.280000"', '"1.000000"', 1)
    assert text != path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")

    app, lines = await open_and_rest(source)
    assert app._sketch is not None and app._sketch is not app.outlines[0]  # drawn, then replaced
    assert "功能科目" in lines and "功能科目（旧）" not in lines and lines == first
    assert app.outlines[0].children[1].amounts[0] == Decimal("27761.280000")
    rewritten = path.read_text(encoding="utf-8")
    assert rewritten != text and "功能科目（旧）" not in rewritten and '"27761.280000"' in rewritten

    app, lines = await open_and_rest(source)
    assert app._sketch is app.outlines[0]  # the tree drawn from the file stands
    assert lines == first and app.budget["projects"].height == 64
    assert app.by_id[app.outlines[0].id] is app.outlines[0]
    assert path.read_text(encoding="utf-8") == rewritten
    assert cache.clear(tmp_path / "cache") == (1, 0)  # the outline goes with the document's entry
    assert not path.exists() and not path.parent.exists()


#: Child-process code that records the first frame showing the tree filled: whether Polars
#: was imported by then, and the names on the tree's lines (in `filled`).
RECORD_FILLED = """
from textual.screen import Screen

refresh = Screen._compositor_refresh
filled = []

def drawn(screen, *args, **kwargs):
    result = refresh(screen, *args, **kwargs)
    tree = screen.query("#tree")
    if tree and not filled and tree.first().root.children:
        tree = tree.first()
        names = [tree.get_node_at_line(i).data.name for i in range(tree.last_line + 1)]
        filled.append(("polars" in sys.modules, names))
    return result

Screen._compositor_refresh = drawn
"""

CHILD = """
import sys
from pathlib import Path
from budgettui.tui.app import BudgetApp
""" + RECORD_FILLED + """
async def until_filled(pilot):
    while not filled:
        await pilot.pause(0.005)
    pilot.app.exit()

app = BudgetApp(sources=[Path(sys.argv[1])])
app.run(headless=True, size=(100, 30), auto_pilot=until_filled)
print(repr(filled[0]))
"""


def test_both_openings_draw_the_tree_before_polars_is_imported(tmp_path):
    env = {**os.environ, cache.CACHE_ENV: str(tmp_path / "cache")}
    source = tmp_path / "doc.txt"
    shutil.copy(SAMPLE, source)
    runs = [subprocess.run([sys.executable, "-c", CHILD, str(source)], capture_output=True, text=True,
                           timeout=120, env=env) for _ in range(2)]
    (polars_first, lines_first), (polars_second, lines_second) = (ast.literal_eval(run.stdout.strip()) for run in runs)
    # The first time, the tree is drawn from the parse's rows, the second from the stored outline:
    # both before Polars is imported.
    assert polars_first is False, runs[0].stderr
    assert polars_second is False, runs[1].stderr
    assert lines_second == lines_first
    assert lines_second[:3] == ["高平市人力资源和社会保障局（高平市医疗保障局）", "收支总览", "功能科目"]


def test_pruning_an_entry_removes_its_outline(tmp_path):
    folder = tmp_path / cache.tag() / "ab"
    folder.mkdir(parents=True)
    entry = folder / ("ab" + "0" * 62 + "-000000000000.budget")
    entry.write_bytes(b"x" * 1000)
    entry.with_suffix(".outline").write_text("{}")
    assert cache.prune(tmp_path, 100) == 1
    assert not entry.exists() and not entry.with_suffix(".outline").exists() and not folder.exists()
