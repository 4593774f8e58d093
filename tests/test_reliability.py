"""Reliability (issue 13) and command-line habits (issue 11): no traceback whatever happens to
the output, writes that never lose data, answers that say what is wrong, and costs that grow
linearly with the input."""

from __future__ import annotations

import fcntl
import gc
import json
import os
import pty
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from conftest import SAMPLE

import budgettui
from budgettui import export, launch, narrative, sources, tables
from budgettui.checks import summary
from budgettui.package import bundle_name
from budgettui.performance import parse_performance
from budgettui.segment import segment
from budgettui.sources import InputError, split_lines

ROOT = Path(__file__).resolve().parents[1]
TEXT = SAMPLE.read_text(encoding="utf-8")
LINES = TEXT.split("\n")
BUNDLE = "gaopingshi-renliziyuan-shehuibaozhang-ju-2026"


def run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None,
        stdin: bytes | None = None, stdout: object = subprocess.PIPE, timeout: float = 120,
        ) -> subprocess.CompletedProcess[bytes]:
    """`python -m budgettui ARGS` in a subprocess (bytes: encodings are under test here)."""
    return subprocess.run(
        [sys.executable, "-m", "budgettui", *map(str, args)], input=stdin, stdout=stdout,
        stderr=subprocess.PIPE, cwd=cwd, env={**os.environ, **(env or {})}, timeout=timeout,
        check=False,
    )


def err(result: subprocess.CompletedProcess[bytes]) -> str:
    return result.stderr.decode("utf-8")


def main(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """The command line in this process (to monkeypatch): exit code, stdout, stderr."""
    try:
        launch.main([str(a) for a in args])
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "good.txt"
    shutil.copyfile(SAMPLE, path)
    return path


# -- 1. output that cannot be written ---------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["show", "documents", "DOC", "-f", "csv"],
    ["show", "documents", "DOC"],
    ["tables", "DOC"],
    ["check", "DOC"],
    ["export", "DOC", "--table", "documents", "-f", "csv", "-o", "-"],
])
def test_a_full_disk_is_one_line_and_exit_2(doc, args):
    with open("/dev/full", "wb") as full:
        result = run(*[doc if a == "DOC" else a for a in args], stdout=full)
    assert result.returncode == 2
    assert err(result) == "budgettui: cannot write output: No space left on device\n"


# -- 2. NDJSON with line separators inside a value ----------------------------------------------

def test_ndjson_export_keeps_values_holding_line_separators(tmp_path):
    at = next(i for i, line in enumerate(LINES) if line.startswith("2026年度高平市人力资源"))
    odd = "\u2028\u2029\u0085"
    path = tmp_path / "odd.txt"
    path.write_text("\n".join([*LINES[:at], LINES[at][:10] + odd + LINES[at][10:], *LINES[at + 1:]]),
                    encoding="utf-8")
    result = run("export", path, "-f", "ndjson", "-o", tmp_path / "b")
    assert result.returncode == 0, err(result)
    rows = [json.loads(line) for line in
            (tmp_path / "b/ndjson/narrative.ndjson").read_text(encoding="utf-8").split("\n") if line]
    assert sum(odd in row["text"] for row in rows) == 1


# -- 3. a stdout that is not UTF-8 --------------------------------------------------------------

@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "latin-1"},
                                 {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}])
def test_a_stdout_that_is_not_utf8_still_gets_utf8(doc, env):
    reference = run("show", "units", doc, "-f", "csv")
    result = run("show", "units", doc, "-f", "csv", env=env)
    assert result.returncode == 0, err(result)
    assert result.stdout == reference.stdout
    assert "高平市医疗保险服务中心" in result.stdout.decode("utf-8")


# -- 4. 5. bad settings ---------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["²", "１０", "-5", "0", "1e6"])
def test_a_bad_size_limit_is_one_line_naming_the_variable(doc, tmp_path, value):
    result = run("tables", doc, tmp_path / "other.txt", env={"BUDGETTUI_MAX_BYTES": value})
    assert result.returncode == 2
    assert err(result) == f"budgettui: BUDGETTUI_MAX_BYTES: must be a positive number of bytes, not {value!r}\n"


@pytest.mark.parametrize("value", ["1E+999999999", "1000000000001", "NaN", "-1", "lots"])
def test_a_bad_tolerance_is_refused(doc, value):
    result = run("check", doc, "--tolerance", value)
    assert result.returncode == 2
    assert err(result) == ("budgettui: --tolerance must be an amount from 0 to 1000000000000 (万元), "
                           f"not {value!r}\n")


def test_the_largest_tolerance_is_accepted(doc):
    result = run("check", doc, "--tolerance", "1000000000000")
    assert result.returncode == 0, err(result)


# -- 6. 13. FIFOs, symlink loops ----------------------------------------------------------------

def test_a_fifo_nobody_writes_to_is_refused_not_waited_for(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = run("tables", fifo, timeout=30)
    assert result.returncode == 2
    assert err(result) == f"budgettui: {fifo}: a FIFO nothing was written to within 5 s\n"


def test_a_fifo_with_a_writer_is_read(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f"cat '{SAMPLE}' > '{fifo}'"])
    try:
        result = run("show", "units", fifo, "-f", "csv", timeout=30)
    finally:
        writer.wait(timeout=30)
    assert result.returncode == 0, err(result)
    assert len(result.stdout.decode().splitlines()) == 7


def test_special_files_in_a_folder_are_skipped_with_a_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sources, "FIFO_WAIT", 0.2)
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copyfile(SAMPLE, folder / "a.txt")
    os.mkfifo(folder / "b.txt")
    (folder / "c.txt").symlink_to("c.txt")
    (folder / "d.txt").symlink_to("nowhere.txt")
    (folder / "e.txt").mkdir()
    code, out, messages = main(capsys, "tables", folder)
    assert code == 0
    assert messages.splitlines() == [
        f"budgettui: skipped {folder}/b.txt: a FIFO nothing was written to within 0.2 s",
        f"budgettui: skipped {folder}/c.txt: symbolic link loop",
        f"budgettui: skipped {folder}/d.txt: broken symbolic link (to nowhere.txt)",
    ]
    assert "documents" in out


# -- 7. 8. writes that lose data ------------------------------------------------------------------

def test_show_refuses_to_write_over_a_source(tmp_path, doc):
    link = tmp_path / "link.csv"
    link.symlink_to(doc)
    for target in (doc, link):
        result = run("show", "documents", doc, "-o", target)
        assert result.returncode == 2
        assert err(result) == f"budgettui: {target}: refusing to write over the source document {doc}\n"
    assert doc.read_bytes() == SAMPLE.read_bytes()


def test_show_writes_through_a_device_and_keeps_it(doc):
    result = run("show", "units", doc, "-f", "csv", "-o", "/dev/null")
    assert result.returncode == 0, err(result)
    assert Path("/dev/null").is_char_device()


def test_show_writes_through_dev_stdout(doc):
    result = run("show", "units", doc, "-f", "csv", "-o", "/dev/stdout")
    assert result.returncode == 0, err(result)
    assert result.stdout.decode().startswith("doc_id,unit_id,name,kind,source_page,source_line\n")


def test_show_writes_through_a_fifo(tmp_path, doc):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run("show", "units", doc, "-f", "csv", "-o", fifo, timeout=30)
    reader.join(timeout=30)
    assert result.returncode == 0, err(result)
    assert fifo.is_fifo()
    assert received[0].decode().count("\n") == 7


def test_show_through_a_symlink_replaces_the_file_and_keeps_the_link(tmp_path, doc):
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    result = run("show", "units", doc, "-o", link)
    assert result.returncode == 0, err(result)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8").startswith("doc_id,unit_id,name")  # csv from .csv


def test_show_refuses_a_folder_as_output(tmp_path, doc):
    result = run("show", "units", doc, "-o", tmp_path)
    assert result.returncode == 2
    assert err(result) == f"budgettui: {tmp_path}: is a folder\n"


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_export_never_replaces_a_device_or_fifo(tmp_path, doc, force):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for target in (Path("/dev/null"), fifo):
        result = run("export", doc, "-f", "csv", "--table", "units", "-o", target, *force)
        assert result.returncode == 2
        assert err(result) == f"budgettui: {target}: a FIFO, device or socket, not a folder; a bundle is a folder\n"
    assert Path("/dev/null").is_char_device() and fifo.is_fifo()


def test_export_through_a_symlink_replaces_the_bundle_and_keeps_the_link(tmp_path, doc):
    assert run("export", doc, "-f", "csv", "--table", "units", "-o", tmp_path / "real").returncode == 0
    (tmp_path / "real" / "csv" / "units.csv").write_text("stale\n")
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "real")
    result = run("export", doc, "-f", "csv", "--table", "units", "-o", link)
    assert result.returncode == 0, err(result)
    assert link.is_symlink()
    assert (tmp_path / "real/csv/units.csv").read_text(encoding="utf-8").startswith("doc_id,")


# -- 9. 10. the swap, and what a killed export leaves ------------------------------------------------

def test_a_target_created_during_the_swap_does_not_strand_a_bundle(tmp_path, budget, monkeypatch):
    target = tmp_path / "bundle"
    export.export_bundle(budget, target, ("csv",), ["units"], validate=False)  # the other export
    tmp = Path(tempfile.mkdtemp(prefix=".bundle.", suffix=".tmp", dir=tmp_path))
    (tmp / "mine").write_text("new")
    real_exists = Path.exists
    # the target appears between the look and the rename
    monkeypatch.setattr(Path, "exists", lambda self: False if self == target else real_exists(self))
    export._replace(tmp, target)
    monkeypatch.undo()
    assert (target / "mine").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle"]


@pytest.mark.parametrize("swap", ["renameat2", "lock file"])
def test_concurrent_exports_both_succeed_and_leave_nothing_behind(tmp_path, budget, monkeypatch, swap):
    if swap == "lock file":  # a platform without renameat2
        monkeypatch.setattr(export, "_renameat2", lambda source, target, flags: False)
    target, errors = tmp_path / "bundle", []

    def exports() -> None:
        try:
            for _ in range(8):
                export.export_bundle(budget, target, ("csv",), ["units"], validate=False)
        except Exception as exc:  # the test reports any failure
            errors.append(exc)

    threads = [threading.Thread(target=exports) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle"]
    assert export.is_bundle(target)


def test_stale_temporaries_are_removed_by_the_next_export(tmp_path, doc):
    exports = tmp_path / "exports"
    exports.mkdir()
    stale = [exports / f".b.{suffix}" for suffix in ("k1ll3d_a.tmp", "0ldbundl.old")]
    for folder in stale:
        (folder / "csv").mkdir(parents=True)
    busy = exports / ".b.inuse123.tmp"
    busy.mkdir()
    kept = [exports / ".b.notours.tmp", exports / ".other.abcdefgh.tmp"]
    for folder in kept:
        folder.mkdir()
    fd = os.open(busy, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # an export writing it now
    try:
        result = run("export", doc, "-f", "csv", "--table", "units", "-o", exports / "b")
    finally:
        os.close(fd)
    assert result.returncode == 0, err(result)
    assert sorted(p.name for p in exports.iterdir()) == sorted(
        ["b", busy.name, *(p.name for p in kept)])


def test_a_killed_export_leaves_temporaries_the_next_one_removes(tmp_path, doc):
    target = tmp_path / "b"
    code = ("import os, signal, budgettui\n"
            "from budgettui import export\n"
            f"budget = budgettui.load({str(doc)!r})\n"
            "export.validate_bundle = lambda root, limit=10: os.kill(os.getpid(), signal.SIGKILL)\n"
            f"export.export_bundle(budget, export.Path({str(target)!r}), ('csv',), ['units'])\n")
    killed = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False, timeout=60)
    assert killed.returncode == -9
    assert [p.name.endswith(".tmp") for p in tmp_path.iterdir() if p.name.startswith(".b.")] == [True]
    assert run("export", doc, "-f", "csv", "--table", "units", "-o", target).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "good.txt") == ["b"]


# -- 11. 12. 14. 15. what is wrong, said in one line ---------------------------------------------------

def test_a_missing_source_among_several_is_skipped(tmp_path, doc):
    result = run("tables", tmp_path / "missing.txt", doc)
    assert result.returncode == 0
    assert err(result) == f"budgettui: skipped {tmp_path}/missing.txt: no such file or folder\n"
    assert b"documents" in result.stdout


def _unreadable(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """`path` cannot be read (monkeypatched: the tests may run as root, who reads anything)."""
    real_open, real_access = Path.open, os.access

    def refuse(self: Path, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    monkeypatch.setattr(os, "access", lambda p, mode, *a, **k: str(p) != str(path) and real_access(p, mode))


def test_an_unreadable_source_among_several_is_skipped(tmp_path, doc, capsys, monkeypatch):
    secret = tmp_path / "secret.txt"
    shutil.copyfile(SAMPLE, secret)
    _unreadable(monkeypatch, secret)
    code, out, messages = main(capsys, "tables", secret, doc)
    assert code == 0
    assert messages == f"budgettui: skipped {secret}: permission denied\n"
    code, out, messages = main(capsys, "tables", secret)
    assert (code, out, messages) == (2, "", f"budgettui: {secret}: permission denied\n")


def test_a_socket_and_a_terminal_are_refused(tmp_path):
    import socket

    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "s.txt"))
    try:
        result = run("tables", tmp_path / "s.txt")
    finally:
        server.close()
    assert (result.returncode, err(result)) == (2, f"budgettui: {tmp_path}/s.txt: a socket, not a document\n")
    master, slave = pty.openpty()
    try:
        with pytest.raises(InputError, match=r": a terminal, not a document$"):
            sources.read_source(os.ttyname(slave))
    finally:
        os.close(master)
        os.close(slave)


def test_browsing_a_missing_file_says_so_before_painting(tmp_path):
    result = run(tmp_path / "missing.txt")
    assert (result.returncode, err(result)) == (2, f"budgettui: {tmp_path}/missing.txt: no such file or folder\n")


def test_a_symlink_loop_is_named_as_such(tmp_path):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    result = run("tables", loop)
    assert result.returncode == 2
    assert err(result) == f"budgettui: {loop}: symbolic link loop\n"


def test_a_file_mixing_utf8_and_gbk_says_so(tmp_path):
    at = len(LINES) // 2
    data = "\n".join(LINES[:at]).encode() + b"\n" + "\n".join(LINES[at:]).encode("gb18030")
    path = tmp_path / "mixed.txt"
    path.write_bytes(data)
    result = run("tables", path)
    assert result.returncode == 2
    assert err(result) == (f"budgettui: {path}:{at + 1}: mixes UTF-8 and GB18030 (GBK) text; "
                           "convert it to one encoding (UTF-8) first\n")


def test_an_unwritable_export_target_is_named(tmp_path, doc, capsys, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / ".out.x1y2z3w4.tmp"))

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    code, _, messages = main(capsys, "export", doc, "-o", tmp_path / "out")
    assert (code, messages) == (2, f"budgettui: {tmp_path}/out: Permission denied\n")


def test_control_characters_in_names_are_escaped(tmp_path):
    name = tmp_path / "evil\x1b[2J\nname\u2028.txt"
    result = run("tables", name)
    assert result.returncode == 2
    assert err(result) == f"budgettui: {tmp_path}/evil\\x1b[2J\\nname\\u2028.txt: no such file or folder\n"


@pytest.mark.parametrize(("args", "message"), [
    (["tables", ""], "'': an empty name is not a file or folder"),
    (["show", "units", "-o", ""], "-o: an empty name is not a file; use -o - for stdout"),
    (["export", "-o", ""], "-o: an empty name is not a folder; use -o - for stdout"),
    ([""], "'': an empty name is not a file or folder"),
])
def test_an_empty_path_is_an_error(tmp_path, args, message):
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert err(result) == f"budgettui: {message}\n"
    assert list(tmp_path.iterdir()) == []


def test_load_refuses_an_empty_path():
    with pytest.raises(InputError, match=r"^'': an empty name is not a file or folder$"):
        budgettui.load("")


def test_dash_reads_standard_input_in_every_command(tmp_path):
    data = SAMPLE.read_bytes()
    shown = run("show", "units", "-", "-f", "csv", stdin=data)
    assert shown.returncode == 0, err(shown)
    assert shown.stdout.decode().splitlines()[1].startswith("-,u01,高平市人力资源和社会保障局")
    assert run("tables", "-", stdin=data).returncode == 0
    assert run("check", "-", stdin=data).returncode == 0
    shutil.copyfile(SAMPLE, tmp_path / "-")
    named = run("show", "units", tmp_path / "-", "-f", "csv", stdin=b"")
    assert (named.returncode, named.stdout) == (0, shown.stdout)  # doc_id "-" both times
    browsed = run("-", stdin=data)
    assert browsed.returncode == 2
    assert err(browsed) == ("budgettui: -: the browser cannot read standard input (it reads the "
                            "keyboard); save the document to a file, or use budgettui show RESOURCE -\n")


def test_readme_names_the_api_error_type():
    python = (ROOT / "README.md").read_text(encoding="utf-8").split("## Python", 1)[1].split("\n## ", 1)[0]
    assert "budgettui.InputError" in python and "describe(" in python


# -- 18. 19. cost that grows linearly ----------------------------------------------------------------

def _part(at: int, extra: list[str], times: int) -> list:
    """The sample's lines with `extra` inserted `times` times after line index `at`, segmented."""
    return segment(split_lines("\n".join([*LINES[:at], *extra * times, *LINES[at:]])))


def _glossary(seg) -> object:
    return narrative.parse_glossary(seg.glossary, "d")


def _narrative(seg) -> object:
    return narrative.parse_narrative(seg.narrative, "情况说明", "d")


def _tables(seg) -> object:
    return tables.parse_projects(tables.Context("d", None), tables.split_table(seg.tables[12]), "current")


def _performance(seg) -> object:
    return parse_performance(seg.performance, "d")


def _setup(part: str) -> tuple[int, list[str], int, object]:
    """Where to grow a part of the sample, with what, the ×1 count, and the parser to time."""
    seg = segment(split_lines(TEXT))
    if part == "glossary":
        term = next(i for i, line in enumerate(LINES) if line.startswith("一、基本支出："))
        return term + 1, ["续" * 100], 1000, _glossary
    if part == "narrative":
        at = next(i for i, line in enumerate(LINES) if line.startswith("2026年度高平市人力资源"))
        return at + 1, ["甲" * 100], 1000, _narrative
    if part == "tables":
        header = next(i for i, line in enumerate(LINES[seg.tables[12].title_line:])
                      if line.startswith("1\t2\t3")) + seg.tables[12].title_line
        return header + 1, LINES[header + 1: header + 6], 40, _tables
    start, stop = seg.performance[0].no - 1, seg.performance[-1].no
    return stop, LINES[start:stop], 1, _performance


@pytest.mark.parametrize("part", ["glossary", "narrative", "tables", "performance"])
def test_each_part_parses_in_linear_time(part):
    """The part grown 10× and 100×: 10× the input may take at most 30× the time."""
    at, extra, base, parse = _setup(part)
    small, large = _part(at, extra, base * 10), _part(at, extra, base * 100)

    def seconds(seg) -> float:
        started = time.process_time()
        parse(seg)
        return time.process_time() - started

    gc.disable()
    try:
        ten = min(seconds(small) for _ in range(5))
        hundred = min(seconds(large) for _ in range(2))
    finally:
        gc.enable()
    assert hundred < 30 * ten, (part, ten, hundred)


def test_the_text_table_costs_about_what_csv_costs(budget):
    """`show -f table` of 100K rows: within a small multiple of the CSV's time (Rich's table
    took minutes), and linear."""
    import polars as pl

    from budgettui.output import render

    lines = budget["budget_lines"]
    big = pl.concat([lines] * (100_000 // lines.height + 1)).head(100_000)
    small = big.head(10_000)

    def seconds(frame: pl.DataFrame, fmt: str) -> float:
        started = time.process_time()
        render(frame, fmt, "t")
        return time.process_time() - started

    table = min(seconds(big, "table") for _ in range(2))
    assert table < 20 * min(seconds(big, "csv") for _ in range(2)) + 2.0
    assert table < 30 * min(seconds(small, "table") for _ in range(3))


# -- issue 11: habits ----------------------------------------------------------------------------

def test_default_bundle_names_differ_for_different_sources(tmp_path):
    a, b, c = (tmp_path / n for n in ("a_2026.txt", "b_2025.txt", "c.txt"))
    shutil.copyfile(SAMPLE, a)
    b.write_text(TEXT.replace("2026", "2025"), encoding="utf-8")
    c.write_text(TEXT.replace("本年", "本年 "), encoding="utf-8")
    first = run("export", a, b, "-f", "csv", "--table", "units", cwd=tmp_path)
    second = run("export", a, c, "-f", "csv", "--table", "units", cwd=tmp_path)
    assert first.returncode == second.returncode == 0
    names = sorted(p.name for p in (tmp_path / "exports").iterdir())
    assert len(names) == 2 and all(n.startswith(f"{BUNDLE}-and-1-more-") for n in names)
    assert names[0] != names[1]
    again = run("export", a, b, "-f", "csv", "--table", "units", cwd=tmp_path)
    name = bundle_name(budgettui.load(a, b)["documents"])
    assert err(again).splitlines()[0] == (
        f"budgettui: replaced exports/{name}/ (it held a bundle of a_2026.txt, b_2025.txt)")


def test_the_same_file_twice_is_loaded_once_with_a_warning(tmp_path, doc):
    copy = tmp_path / "copy.txt"
    shutil.copyfile(doc, copy)
    result = run("show", "documents", doc, copy, "-f", "csv")
    assert result.returncode == 0
    assert err(result) == (f"budgettui: warning: {copy} is the same document as {doc} "
                           "(same sha256); loaded once\n")
    assert len(result.stdout.decode().splitlines()) == 2
    with pytest.warns(UserWarning, match="same sha256"):
        assert budgettui.load(doc, copy)["documents"].height == 1


@pytest.mark.parametrize(("name", "first"), [
    ("p.csv", "doc_id,project_id,kind"), ("p.tsv", "doc_id\tproject_id\tkind"),
    ("p.json", "["), ("p.ndjson", '{"doc_id"'), ("p.out", " "),
])
def test_show_takes_the_format_from_the_file_name(tmp_path, doc, name, first):
    result = run("show", "projects", doc, "-o", tmp_path / name)
    assert result.returncode == 0, err(result)
    assert (tmp_path / name).read_text(encoding="utf-8").startswith(first)


def test_version():
    result = run("--version")
    assert (result.returncode, result.stdout) == (0, f"budgettui {budgettui.__version__}\n".encode())


def test_a_mistyped_command_gets_a_suggestion(tmp_path):
    result = run("tabels", cwd=tmp_path)
    assert result.returncode == 2
    assert err(result) == "budgettui: no command or file 'tabels'; did you mean 'budgettui tables'?\n"


def _in_a_terminal(*args: str | Path) -> tuple[int, bytes]:
    """Run the command with stderr on a pseudo-terminal: its exit code and what it showed there."""
    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "budgettui", *map(str, args)],
                               stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        try:
            chunk = os.read(master, 65536) if ready else b""
        except OSError:
            chunk = b""
        if not chunk:
            break
        seen += chunk
    os.close(master)
    return process.wait(timeout=60), seen


@pytest.mark.parametrize(("args", "label"), [
    (["check", "DOC"], b"checking"),
    (["tables", "DOC", "OTHER"], b"loading 2 documents"),
    (["tables", "FOLDER"], b"loading 2 documents"),
    (["export", "DOC", "OTHER", "-f", "csv", "-o", "OUT"], b"exporting"),
])
def test_progress_only_on_a_terminal(tmp_path, doc, args, label):
    other = tmp_path / "b.txt"
    other.write_text(TEXT.replace("本年", "本年 "), encoding="utf-8")
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copyfile(doc, folder / "a.txt")
    shutil.copyfile(other, folder / "b.txt")
    names = {"DOC": doc, "OTHER": other, "OUT": tmp_path / "out", "FOLDER": folder}
    args = [names.get(a, a) for a in args]
    piped = run(*args)
    assert piped.returncode == 0, err(piped)
    assert label.decode() not in err(piped) and "\x1b" not in err(piped)
    code, seen = _in_a_terminal(*args)
    assert code == 0, seen.decode(errors="replace")
    assert label in seen and b"Traceback" not in seen


def test_export_keeps_document_order_like_show(tmp_path, doc):
    shown = run("show", "projects", doc, "-f", "csv").stdout
    result = run("export", doc, "--table", "projects", "-f", "csv", "-o", "-")
    assert result.stdout == shown


def test_check_counts_in_the_singular_for_one():
    one = [{"severity": "error"}, {"severity": "warning"}, {"severity": "warning"}]
    assert summary(one, 1) == "1 error, 2 warnings, 0 rounding, 0 info (1 figure checked)"


def test_the_api_is_discoverable(doc):
    assert {"load", "Budget", "InputError", "describe"} <= set(dir(budgettui))
    budget = budgettui.load(doc)
    before = repr(budget)
    budget["findings"]
    assert repr(budget) == before and "findings" not in before
    columns = budget.describe("projects")
    row = columns.filter(columns["column"] == "total").row(0, named=True)
    assert (row["title"], row["type"], row["unit"]) == ("合计", "money", "万元")
