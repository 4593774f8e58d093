"""The first opening of a document, read ahead in a second process (tui/ahead.py): the tree
comes from the outline that process stores, the document from the cache entry it writes."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys

import polars  # noqa: F401  (imported in this process: a fork of it is not safe)
from conftest import SAMPLE
from test_tui_sketch import RECORD_FILLED

from budgettui import cache
from budgettui.tui import ahead, sketch

CHILD = """
import sys
from pathlib import Path
from budgettui.browsing import app

APP = app([Path(sys.argv[1])])  # as `budgettui FILE` starts it: before Textual is imported
""" + RECORD_FILLED + """
async def until_checked(pilot):
    while not filled or "核对 (2 错误" not in str(pilot.app.outlines[0].children[-1].name):
        await pilot.pause(0.01)
    pilot.app.exit()

forked = APP.ahead is not None and APP.ahead.pid is not None
APP.run(headless=True, size=(100, 30), auto_pilot=until_checked)
parsed_here = "budgettui.document" in sys.modules  # imported only to parse a document
print(repr((forked, *filled[0], parsed_here, APP.budget["projects"].height)))
"""


def test_the_first_opening_is_parsed_by_a_second_process(tmp_path):
    """`budgettui FILE`, nothing cached: the second process (a fork) parses the document and
    stores its outline; the tree is drawn from it before this process imports Polars, and the
    document is then read from the cache entry that process wrote, never parsed here. The
    second opening draws the same tree."""
    env = {**os.environ, cache.CACHE_ENV: str(tmp_path / "cache")}
    source = tmp_path / "doc.txt"
    shutil.copy(SAMPLE, source)
    runs = [subprocess.run([sys.executable, "-c", CHILD, str(source)], capture_output=True, text=True,
                           timeout=120, env=env) for _ in range(2)]
    first, second = (ast.literal_eval(run.stdout.strip().splitlines()[-1]) for run in runs)
    assert first[0] is True, runs[0].stderr  # forked
    assert first[1] is False  # the tree was drawn before Polars was imported here
    assert first[2][:3] == ["高平市人力资源和社会保障局（高平市医疗保障局）", "收支总览", "功能科目"]
    assert first[3] is False and first[4] == 64  # read from the cache, with its checks
    assert second == (False, False, first[2], False, 64)  # opened before: nothing to read ahead
    entries = cache.entries(tmp_path / "cache")
    assert len(entries) == 1 and entries[0].path.with_suffix(".outline").is_file()


def test_a_second_process_run_as_a_module(tmp_path, monkeypatch):
    """Where a fork is not safe (here: Polars is imported, threads run), the second process
    is `python -m budgettui.tui.ahead FILE`; it stores the outline, then the checked document."""
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    source = tmp_path / "doc.txt"
    shutil.copy(SAMPLE, source)
    assert not ahead._may_fork()
    found = ahead.start([source])
    assert found is not None and found.pid is None and found.popen is not None
    drawn = found.outline()
    assert drawn.root is not None and drawn.root.name == "高平市人力资源和社会保障局（高平市医疗保障局）"
    assert drawn.title == "高平市人力资源和社会保障局（高平市医疗保障局） 2026年度部门预算公开"
    found.finish()
    assert found.popen.returncode == 0
    digest = cache.file_sha256(source)
    meta, frames, _ = cache.read_entry(cache.entry_path(cache.cache_dir(), digest, "doc", "doc.txt"), digest)
    assert frames["projects"].height == 64 and meta["checked"]
    assert frames["checks"].height > 0  # the checks' findings are stored with it
    assert ahead.start([source]).popen is None  # the outline is there now: nothing to read ahead


def test_nothing_is_read_ahead_without_a_spare_core_or_a_document(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    source = tmp_path / "doc.txt"
    shutil.copy(SAMPLE, source)
    monkeypatch.setattr(ahead, "default_jobs", lambda: 1)
    one_core = ahead.start([source])
    assert one_core is not None and one_core.pipe is None and one_core.outline().root is None
    monkeypatch.undo()
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    assert ahead.start([tmp_path]) is None and ahead.start([source, source]) is None
    # Not a budget: the second process stores nothing, and says so by ending; the reading
    # thread then reads it itself and tells why.
    other = tmp_path / "other.txt"
    other.write_text("一份会议纪要\n与预算无关\n", encoding="utf-8")
    failed = ahead.start([other])
    assert failed is not None and failed.outline().root is None
    failed.finish()
    assert failed.popen.returncode == 1 and cache.entries(tmp_path / "cache") == []
    assert not sketch.find([other]).path.exists()


def test_a_forked_process_that_fails_ends_and_leaves_the_reading_to_this_one(tmp_path, monkeypatch):
    """Whatever goes wrong in the fork, it ends (no traceback, no return into this program)
    and the reading thread learns that no outline came."""
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    source = tmp_path / "doc.txt"
    shutil.copy(SAMPLE, source)

    def broken(source, pipe):
        raise RuntimeError("a bug")

    monkeypatch.setattr(ahead, "read", broken)
    pipe, pid = ahead._fork(source)
    forked = ahead.Ahead(sketch.find([source]), pipe, pid)
    assert forked.outline().root is None
    forked.finish()
    assert forked.pipe is None
    assert cache.entries(tmp_path / "cache") == []


def test_a_parse_does_not_import_polars_and_its_rows_give_the_outline_of_its_frames():
    """The second process draws the outline from the parse's rows before it imports Polars:
    that outline is the one the browser builds from the frames (loading.arrive), node for node
    and amount for amount (Decimal scale included), place and title too."""
    from corpus_docs import PDFS

    code = ("import sys; from budgettui.document import parse_document; from budgettui.sources import read_source; "
            "from budgettui.tui.ahead import outline_of; "
            f"placed = outline_of(parse_document(read_source({str(SAMPLE)!r}), 'doc')); "
            "kinds = [n.kind for n in placed.root.walk()]; "
            "print('polars' in sys.modules, placed.root.name, kinds.count('project'), kinds.count('subject'))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    department = "高平市人力资源和社会保障局（高平市医疗保障局）"
    assert result.stdout.split() == ["False", department, "64", "41"], result.stderr

    from budgettui.document import frames_of, parse_document
    from budgettui.sources import read_source
    from budgettui.tui.loading import arrive

    for path in (SAMPLE, *sorted(PDFS.glob("*.pdf"))):
        document = parse_document(read_source(path), path.stem)
        rows = ahead.outline_of(document)
        frames = arrive(frames_of(path.stem, document)).placed
        assert sketch.dumps(rows.title, rows.root) == sketch.dumps(frames.title, frames.root), path.name
        assert (rows.place, rows.year, rows.department) == (frames.place, frames.year, frames.department)
        units = next(n for n in rows.root.children if n.key == "单位与项目")
        assert all(n.amounts[0].as_tuple().exponent == -6 for n in units.walk() if n.amounts)  # as framed


async def test_a_first_opening_read_here_with_a_cache_that_cannot_be_written(tmp_path, monkeypatch):
    """No second process (the app made directly) and no cache folder to write: the reading
    thread draws the tree from the parse's rows, and reads the document once, all the same."""
    from test_tui import rest, visible

    from budgettui.tui.app import BudgetApp

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocked / "cache"))
    parses = []
    original = ahead.read

    def counted(source, shown):
        parses.append(source)
        return original(source, shown)

    monkeypatch.setattr(ahead, "read", counted)
    app = BudgetApp(sources=[SAMPLE])
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(200):
            if app.query("#detail") and "核对 (2 错误 · 41 警告 · 36 舍入 · 103 信息)" in visible(app):
                break
            await pilot.pause(0.05)
        await rest(pilot)
        assert "核对 (2 错误 · 41 警告 · 36 舍入 · 103 信息)" in visible(app)
        assert app._sketch is app.outlines[0] and app.budget["projects"].height == 64
    assert parses == [SAMPLE]
    assert blocked.read_text() == ""
