"""Any input gets a clear answer (issue 7): every bad input class through the real command line,
partial documents with their findings, folders with bad files, encodings, limits, linear
parsing, and exports that stay inside their folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SAMPLE

import budgettui
from budgettui import launch, sources
from budgettui.package import bundle_name, slug
from budgettui.sources import InputError, read_source

TEXT = SAMPLE.read_text(encoding="utf-8")
LINES = TEXT.split("\n")


def run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None,
        ) -> subprocess.CompletedProcess[str]:
    """`python -m budgettui ARGS` in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "budgettui", *map(str, args)], capture_output=True, text=True,
        cwd=cwd, env={**os.environ, **(env or {})}, timeout=120, check=False,
    )


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def replace_line(lines: list[str], old: str, new: str) -> list[str]:
    """The lines with the first line equal to `old` replaced."""
    at = lines.index(old)
    return [*lines[:at], new, *lines[at + 1:]]


# -- inputs that are refused: exit 2, one line naming the file, nothing on stdout ---------------

def _missing(tmp: Path) -> Path:
    return tmp / "missing.txt"


def _empty_folder(tmp: Path) -> Path:
    (tmp / "empty").mkdir()
    (tmp / "empty" / "notes.md").write_text("not a document")
    return tmp / "empty"


def _write(name: str, data: bytes) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        (tmp / name).write_bytes(data)
        return tmp / name
    return build


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
REFUSED: dict[str, tuple[Callable[[Path], Path], str, dict[str, str]]] = {
    "missing file": (_missing, "no such file or folder", {}),
    "folder without documents": (_empty_folder, "folder holds no documents", {}),
    "empty file": (_write("empty.txt", b""), "empty file", {}),
    "blank file": (_write("blank.txt", b" \n\r\n\t\n"), "empty file", {}),
    "utf-16 BOM only": (_write("bom.txt", b"\xff\xfe"), "empty file", {}),
    "binary file": (_write("image.txt", bytes(range(256)) * 64), "binary file, not text", {}),
    "nul bytes": (_write("zeros.txt", b"\x00" * 4096), "binary file, not text", {}),
    "PDF": (_write("budget.pdf", PDF), "damaged PDF, cannot be read", {}),
    "PDF named .txt": (_write("budget.txt", PDF), "damaged PDF, cannot be read", {}),
    "DOCX": (_write("budget.docx", b"PK\x03\x04" + bytes(200)), "ZIP archive", {}),
    "DOC": (_write("budget.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200)), "Word or Excel", {}),
    "not a budget": (_write("news.txt", "今天天气很好。\n我们去公园散步。\n".encode()), "not a budget disclosure", {}),
    "GBK, not a budget": (_write("gbk.txt", "本表无数据。\n天气很好。\n".encode("gbk")), "not UTF-8", {}),
    "over the size limit": (_write("big.txt", TEXT.encode()), "over the limit of 1000 bytes",
                            {"BUDGETTUI_MAX_BYTES": "1000"}),
    "bad size limit": (_write("doc.txt", TEXT.encode()), "must be a positive number of bytes",
                       {"BUDGETTUI_MAX_BYTES": "lots"}),
}
COMMANDS: dict[str, list[str]] = {
    "tables": ["tables"],
    "show": ["show", "budget_summary", "-f", "csv"],
    "check": ["check"],
    "export": ["export", "-o", "OUT"],
    "export to stdout": ["export", "--table", "documents", "-f", "csv", "-o", "-"],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", REFUSED)
def test_refused_input_exits_2_with_one_line_naming_the_file(tmp_path, case, command):
    build, message, env = REFUSED[case]
    path = build(tmp_path)
    args = [str(tmp_path / "out") if a == "OUT" else a for a in COMMANDS[command]]
    before = 2 if command == "show" else 1  # the command (and resource) come before the source
    result = run(*args[:before], path, *args[before:], env=env)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    where = "BUDGETTUI_MAX_BYTES" if case == "bad size limit" else str(path)
    assert result.stderr.splitlines() == [result.stderr.strip()]  # one line
    assert result.stderr.startswith(f"budgettui: {where}") and message in result.stderr
    assert not (tmp_path / "out").exists()


def test_permission_denied_names_the_file(tmp_path, monkeypatch, capsys):
    path = write_lines(tmp_path / "secret.txt", LINES)
    if os.geteuid() != 0:
        path.chmod(0)
    else:  # root reads anything: simulate the refusal
        real_open = Path.open

        def refuse(self: Path, *args, **kwargs):
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)

        monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(SystemExit) as exit_:
        launch.main(["show", "documents", str(path)])
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"budgettui: {path}: permission denied\n"


def test_an_unlistable_folder_names_the_folder(tmp_path, monkeypatch):
    def refuse(self: Path):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "iterdir", refuse)
    with pytest.raises(InputError, match=f"^{tmp_path}: permission denied$"):
        budgettui.load(tmp_path)


def test_the_size_limit_is_checked_before_reading(tmp_path, monkeypatch):
    path = write_lines(tmp_path / "doc.txt", LINES)
    monkeypatch.setenv("BUDGETTUI_MAX_BYTES", "100")

    def never(self, *args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", never)
    monkeypatch.setattr(Path, "read_bytes", never)
    with pytest.raises(InputError, match=r"over the limit of 100 bytes \(set BUDGETTUI_MAX_BYTES"):
        read_source(path)
    monkeypatch.delenv("BUDGETTUI_MAX_BYTES")
    assert sources.max_bytes() == sources.MAX_BYTES == 200 * 1024 * 1024


def test_a_pipe_is_read_up_to_the_limit(tmp_path, monkeypatch):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    monkeypatch.setenv("BUDGETTUI_MAX_BYTES", "5000")
    writer = subprocess.Popen(["sh", "-c", f"cat {SAMPLE} > {fifo}"])
    try:
        with pytest.raises(InputError, match="over the limit of 5000 bytes"):
            read_source(fifo)
    finally:
        writer.kill()
        writer.wait()


# -- damaged documents that still load: exit 0, findings, every readable row kept -------------

def _truncated(tmp: Path) -> Path:
    return write_lines(tmp / "truncated.txt", LINES[:300])


def _cover_only(tmp: Path) -> Path:
    return write_lines(tmp / "cover.txt", LINES[:8])


def _bad_number(tmp: Path) -> Path:
    row = "合计\t\t27761.28\t2408.41\t25352.86"
    return write_lines(tmp / "bad_number.txt", replace_line(LINES, row, row.replace("2408.41", "24O8.41")))


def _duplicate_table(tmp: Path) -> Path:
    title = LINES.index("2026年预算支出总表")
    return write_lines(tmp / "duplicate.txt", LINES[:title + 60] + LINES[title:title + 60] + LINES[title + 60:])


def _damaged_bytes(tmp: Path) -> Path:
    data = TEXT.encode()
    at = data.index("2026年预算收支总表".encode())  # in the table of contents, line 13
    path = tmp / "damaged.txt"
    path.write_bytes(data[:at] + b"\xff\x00\x9b" + data[at:] + b"\xe4\xb8")  # and a cut character
    return path


def _long_line(tmp: Path) -> Path:
    title = LINES.index("2026年预算收支总表")
    junk = "预算支出\t12.50\t" * 400_000  # 8 MB on one line, inside table 1
    return write_lines(tmp / "long.txt", [*LINES[:title + 4], junk, *LINES[title + 4:]])


PARTIAL: dict[str, tuple[Callable[[Path], Path], str, str | None]] = {
    "truncated": (_truncated, "parse.missing_table", "找不到表13"),
    "cover only": (_cover_only, "parse.missing_table", "找不到表1"),
    "malformed number": (_bad_number, "parse.bad_amount", "24O8.41"),
    "duplicated table": (_duplicate_table, "parse.duplicate_table", "表3重复印出"),
    "damaged bytes": (_damaged_bytes, "parse.damaged_bytes", "第13、2548行有不是"),
    "lines of megabytes": (_long_line, "parse.", None),
}


@pytest.mark.parametrize("case", PARTIAL)
def test_a_damaged_document_loads_with_findings(tmp_path, case):
    build, rule, text = PARTIAL[case]
    path = build(tmp_path)
    started = time.perf_counter()
    result = run("show", "findings", path, "-f", "csv")
    assert time.perf_counter() - started < 60
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and "Traceback" not in result.stderr
    assert rule in result.stdout
    if text:
        assert text in result.stdout
    for command in (["check"], ["tables"], ["export", "-o", tmp_path / "out"]):
        result = run(command[0], path, *command[1:])
        assert result.returncode == 0, (command, result.stderr)
        assert "Traceback" not in result.stderr


def test_a_truncated_document_keeps_every_row_before_the_cut(tmp_path, budget):
    partial = budgettui.load(_truncated(tmp_path))
    for name in ("budget_summary", "income_by_subject", "expenditure_by_subject"):
        assert partial[name].drop("doc_id").equals(budget[name].drop("doc_id")), name
    assert partial["projects"].is_empty() and partial["documents"]["line_count"].item() == 300


def test_a_malformed_number_keeps_its_raw_text(tmp_path):
    result = run("show", "findings", _bad_number(tmp_path), "-f", "json")
    bad = [f for f in json.loads(result.stdout) if f["rule"] == "parse.bad_amount"]
    assert [(f["actual"], f["source_line"], f["key"]) for f in bad] == [("24O8.41", 196, None)] or \
        [(f["actual"], f["source_line"]) for f in bad] == [("24O8.41", 196)]


def test_an_amount_too_long_for_its_column_is_a_finding_not_a_crash(tmp_path):
    row = "合计\t\t27761.28\t2408.41\t25352.86"
    lines = replace_line(LINES, row, row.replace("2408.41", "1" * 30 + ".00"))
    lines = [line.replace("220,000", "9" * 30).replace("≥80%", "≥" + "9" * 30 + "%") for line in lines]
    budget = budgettui.load(write_lines(tmp_path / "long_numbers.txt", lines))
    assert "1" * 30 + ".00" in budget["findings"]["actual"].to_list()
    indicators = budget["indicators"]
    assert indicators.filter(indicators["value"] == "≥" + "9" * 30 + "%")["number"].null_count() == 2


@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_other_newlines_give_the_same_tables(tmp_path, newline):
    path = tmp_path / SAMPLE.name  # the same doc_id
    path.write_bytes(TEXT.replace("\n", newline).encode())
    ours = run("show", "expenditure_by_subject", path, "-f", "csv")
    reference = run("show", "expenditure_by_subject", SAMPLE, "-f", "csv")
    assert ours.returncode == 0 and ours.stdout == reference.stdout


# -- encodings ----------------------------------------------------------------------------------

ENCODED: dict[str, tuple[Callable[[str], bytes], str]] = {
    "utf-8": (lambda t: t.encode(), "utf-8"),
    "utf-8 BOM": (lambda t: b"\xef\xbb\xbf" + t.encode(), "utf-8-sig"),
    "gb18030": (lambda t: t.encode("gb18030"), "gb18030"),
    "gbk": (lambda t: t.encode("gbk"), "gb18030"),
    "utf-16 LE BOM": (lambda t: b"\xff\xfe" + t.encode("utf-16-le"), "utf-16-le"),
    "utf-16 BE BOM": (lambda t: b"\xfe\xff" + t.encode("utf-16-be"), "utf-16-be"),
    "utf-16 LE, no BOM": (lambda t: t.encode("utf-16-le"), "utf-16-le"),
    "big5 (detected)": (lambda t: t.encode("big5", errors="replace"), "big5"),
}


@pytest.mark.parametrize("case", ENCODED)
def test_encodings_are_detected_and_recorded(tmp_path, case):
    encode, name = ENCODED[case]
    text = TEXT if case != "big5 (detected)" else "\n".join(LINES[:20]).replace("预算", "預算").replace("部门", "部門")
    path = tmp_path / SAMPLE.name  # the same doc_id
    path.write_bytes(encode(text))
    result = run("show", "documents", path, "-f", "json")
    assert result.returncode == 0, result.stderr
    [document] = json.loads(result.stdout)
    assert document["encoding"] == name
    if case != "big5 (detected)":
        assert document["line_count"] == len(read_source(SAMPLE).lines)
        ours = run("show", "projects", path, "-f", "csv").stdout
        assert ours == run("show", "projects", SAMPLE, "-f", "csv").stdout


def test_a_wrong_guess_is_not_taken_silently(tmp_path):
    """Budget text in Big5 decodes as GB18030 without an error, but as mojibake: refused by
    the vocabulary check, then the detector finds Big5."""
    text = "\n".join(LINES[:20]).replace("预算", "預算").replace("部门", "部門")
    data = text.encode("big5", errors="replace")
    data.decode("gb18030")  # no error: only the vocabulary tells
    assert not sources.has_vocabulary(data.decode("gb18030"))
    assert sources.decode(data, "x").encoding == "big5"


# -- folders: what can be loaded is, the rest is reported ----------------------------------------

def _folder(tmp: Path) -> tuple[Path, list[Path]]:
    folder = tmp / "docs"
    folder.mkdir()
    write_lines(folder / "b_good.txt", LINES)
    bad = [folder / "a_empty.txt", folder / "c_report.txt", folder / "d_news.txt"]
    bad[0].write_bytes(b"")
    bad[1].write_bytes(PDF)
    bad[2].write_text("今天天气很好。\n", encoding="utf-8")
    return folder, bad


def test_a_folder_loads_what_it_can_and_reports_the_rest(tmp_path):
    folder, bad = _folder(tmp_path)
    result = run("show", "projects", folder, "-f", "csv")
    assert result.returncode == 0
    assert result.stdout == run("show", "projects", folder / "b_good.txt", "-f", "csv").stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 3 and "Traceback" not in result.stderr
    for line, path in zip(lines, bad, strict=True):
        assert line.startswith(f"budgettui: skipped {path}: ")
    findings = json.loads(run("show", "findings", folder, "-f", "json").stdout)
    unreadable = [f for f in findings if f["rule"] == "parse.unreadable"]
    assert [f["doc_id"] for f in unreadable] == ["a_empty", "c_report", "d_news"]
    # in Chinese, like every finding (the reason comes from the worker process that read it)
    assert [f["message"] for f in unreadable] == [
        "「a_empty.txt」未能读入：空文件",
        "「c_report.txt」未能读入：PDF 已损坏，无法读取",
        "「d_news.txt」未能读入：不是部门预算公开文件：没有预算表标题（如「2026年预算收支总表」），封面也没有预算标题"]
    check = run("check", folder)
    assert check.returncode == 0 and "parse.unreadable" in check.stdout


def test_a_folder_with_bad_files_exports_a_valid_bundle(tmp_path):
    folder, _ = _folder(tmp_path)
    result = run("export", folder, "-o", tmp_path / "out", "-f", "csv")
    assert result.returncode == 0, result.stderr
    descriptor = json.loads((tmp_path / "out" / "datapackage.json").read_text())
    assert descriptor["name"].startswith("gaopingshi-renliziyuan-shehuibaozhang-ju-2026")


def test_a_folder_where_nothing_loads_exits_2(tmp_path):
    folder, bad = _folder(tmp_path)
    (folder / "b_good.txt").unlink()
    result = run("tables", folder)
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert [line.split(": ")[1] for line in lines[:-1]] == [f"skipped {p}" for p in bad]
    assert lines[-1] == f"budgettui: {folder}: no document could be loaded (3 files skipped)"


def test_python_api_lists_skipped_files(tmp_path):
    folder, bad = _folder(tmp_path)
    budget = budgettui.load(folder)
    assert [e.path for e in budget.skipped] == [str(p) for p in bad]
    documents = budget["documents"]
    assert documents["doc_id"].to_list() == ["a_empty", "b_good", "c_report", "d_news"]
    assert documents["line_count"].to_list() == [None, 2548, None, None]


async def test_browse_opens_a_damaged_document_with_its_findings(tmp_path):
    from budgettui.tui.app import BudgetApp
    from budgettui.tui.outline import findings_label
    from budgettui.tui.tree import BudgetTree

    budget = budgettui.load(_truncated(tmp_path))
    app = BudgetApp(budget, export_folder=tmp_path / "exports")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("G", "l")
        tree = app.query_one(BudgetTree)
        assert tree.cursor_node.data.name == findings_label(budget["findings"])
        names = [child.data.name for child in tree.cursor_node.children]
        assert len(names) == budget["findings"].height
        missing = budget["findings"].filter(budget["findings"]["rule"] == "parse.missing_table").height
        assert missing == 8 and sum(name.startswith("parse.missing_table") for name in names) == missing


# -- limits: linear time ------------------------------------------------------------------------

def _load_seconds(path: Path) -> float:
    started = time.perf_counter()
    budgettui.load(path, cache=False)  # the parsing, not a cached reload
    return time.perf_counter() - started


def test_parsing_time_grows_linearly(tmp_path):
    """The sample repeated 10 and 100 times as one document: 10× the input may take at most 30×
    the time (quadratic parsing would take 100×), and never more than a minute."""
    small, large = tmp_path / "x10.txt", tmp_path / "x100.txt"
    small.write_text(TEXT * 10, encoding="utf-8")
    large.write_text(TEXT * 100, encoding="utf-8")
    budgettui.load(small)  # warm up
    ten = min(_load_seconds(small) for _ in range(2))
    hundred = _load_seconds(large)
    assert hundred < 30 * ten, (ten, hundred)
    assert hundred < 60


# -- exports never leave their folder -----------------------------------------------------------

def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


def test_a_relative_source_path_with_dots_stays_out_of_the_bundle(tmp_path):
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    write_lines(tmp_path / "x.txt", LINES)
    before = _files(tmp_path)
    result = run("export", "../../x.txt", "-o", "out", "-f", "csv,json", cwd=inner)
    assert result.returncode == 0, result.stderr
    created = _files(tmp_path) - before
    assert created and all(p.is_relative_to(inner / "out") for p in created)
    descriptor = json.loads((inner / "out" / "datapackage.json").read_text())
    assert [s["path"] for s in descriptor["sources"]] == ["x.txt"]
    assert "../" not in (inner / "out" / "csv" / "documents.csv").read_text()


@pytest.mark.parametrize("department", ["../../etc/passwd局", "/tmp/x局", "..", "a/../../b", "..\\..\\c",
                                        "\x00\t", "高平市/人社局", "." * 300])
def test_department_names_cannot_steer_the_bundle_path(tmp_path, department):
    lines = [line.replace("高平市人力资源和社会保障局（高平市医疗保障局）", department) for line in LINES]
    path = write_lines(tmp_path / "doc.txt", lines)
    name = bundle_name(budgettui.load(path)["documents"])
    assert name == slug(department) + "-2026"
    assert name.replace("-", "").isalnum() and name.isascii() and not name.startswith(".")
    before = _files(tmp_path)
    result = run("export", path, "-f", "csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert all(p.is_relative_to(tmp_path / "exports" / name) or p == tmp_path / "exports"
               for p in _files(tmp_path) - before)


def test_export_refuses_a_folder_that_is_not_a_bundle_unless_forced(tmp_path):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    result = run("export", SAMPLE, "-o", target, "-f", "csv")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"budgettui: {target} exists and is not a budgettui bundle; use --force to replace it\n"
    assert (target / "notes.txt").read_text() == "keep me"
    assert run("export", SAMPLE, "-o", target, "-f", "csv", "--force").returncode == 0
    assert not (target / "notes.txt").exists() and (target / "datapackage.json").exists()


@pytest.mark.parametrize("year", ["0000", "0001", "9999"])
def test_an_implausible_year_is_a_finding_and_exports(tmp_path, year):
    path = write_lines(tmp_path / "doc.txt", [line.replace("2026年", f"{year}年") for line in LINES])
    result = run("export", path, "-o", tmp_path / "out", "-f", "csv")
    assert result.returncode == 0, result.stderr
    budget = budgettui.load(path)
    assert budget["documents"]["year"].item() is None
    assert "parse.implausible_year" in budget["findings"]["rule"].to_list()


async def test_browse_opens_a_folder_with_skipped_files(tmp_path):
    from budgettui.tui.app import BudgetApp
    from budgettui.tui.tree import BudgetTree

    folder, _ = _folder(tmp_path)
    budget = budgettui.load(folder)
    app = BudgetApp(budget, export_folder=tmp_path / "exports")
    async with app.run_test(size=(120, 40)) as pilot:
        tree = app.query_one(BudgetTree)
        # grouped by place and year: the unreadable ones under 地区未印 › 年度未印
        assert [node.data.name for node in tree.root.children] == ["地区未印", "高平市"]
        documents = {node.data.doc_id: node for node in tree.nodes.values() if node.data.kind == "document"}
        assert sorted(documents) == ["a_empty", "b_good", "c_report", "d_news"]
        for doc_id in ("a_empty", "c_report", "d_news"):
            node = documents[doc_id]
            assert node.data.name == f"{doc_id}.txt"
            tree.select_node(node)  # its detail pane shows, with its one finding below it
            await pilot.pause()
            assert node.children[-1].data.name == "核对 (1 错误)"
