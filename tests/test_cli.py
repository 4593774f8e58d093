"""The command line: data on stdout, messages on stderr, exit codes, no tracebacks."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE
from expected import T3

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, shell: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m budgettui ARGS` (or a shell pipeline) in the repository root."""
    if shell:
        cmd: list[str] | str = shell.replace("budgettui", f"{sys.executable} -m budgettui")
    else:
        cmd = [sys.executable, "-m", "budgettui", *args]
    return subprocess.run(cmd, shell=bool(shell), capture_output=True, text=True, cwd=ROOT,
                          timeout=60)


def test_show_table_3_as_csv_every_row_exact():
    result = run("show", "expenditure_by_subject", "-f", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(T3) == 42
    for row, (line, code, name, total, basic, project) in zip(rows, T3, strict=True):
        assert (row["code"], row["name"], row["source_line"]) == (code or "", name, str(line))
        assert (row["total"], row["basic"], row["project"]) == (total, basic or "", project or "")
    assert result.stderr == ""


def test_show_json_and_ndjson_keep_amounts_as_strings(tmp_path):
    result = run("show", "projects", str(SAMPLE), "-f", "json")
    records = json.loads(result.stdout)
    assert len(records) == 64
    assert records[0]["name"] == "医保局违法违规使用医疗保障基金举报奖励经费"
    assert records[0]["total"] == "1.00" and records[0]["fund_budget"] is None
    lines = run("show", "units", "-f", "ndjson").stdout.splitlines()
    assert [json.loads(line)["unit_id"] for line in lines] == [f"u0{i}" for i in range(1, 7)]


def test_show_tsv_and_table_formats():
    tsv = run("show", "operating_costs", "-f", "tsv").stdout.splitlines()
    assert tsv[0].split("\t")[:4] == ["doc_id", "seq", "unit", "row_kind"]
    assert tsv[1].split("\t")[2:5] == ["部门合计", "total", "39.10"]
    table = run("show", "three_public_costs").stdout
    assert "“三公”经费" in table and "公务用车运行维护费" in table and "8.90" in table


def test_tsv_escapes_tabs_inside_values():
    lines = run("show", "indicators", "-f", "tsv").stdout.splitlines()
    assert {line.count("\t") for line in lines} == {16}  # 17 indicator columns
    first = dict(zip(lines[0].split("\t"), lines[1].split("\t"), strict=True))
    half = ["数量指标", "统筹地区实现即时结算数量", "≥80%"]
    cells = ["", "产出指标", *half, *half]
    assert first["raw"] == "\\t".join(cells)
    assert (first["name"], first["value"], first["source_line"]) == ("统筹地区实现即时结算数量", "≥80%", "643")


def test_show_to_a_file(tmp_path):
    target = tmp_path / "out" / "t10.csv"
    result = run("show", "three_public_costs", "-f", "csv", "-o", str(target))
    assert result.returncode == 0 and result.stdout == ""
    assert "wrote" in result.stderr
    assert target.read_text(encoding="utf-8").splitlines()[-1].endswith(",合计,,total,8.90,8.90,,,,439")


def test_tables_lists_resources_with_counts():
    result = run("tables", "-f", "csv")
    rows = {r["resource"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["expenditure_by_subject"]["rows"] == "42"
    assert rows["expenditure_by_subject"]["table"] == "3"
    assert rows["projects"]["rows"] == "64" and rows["projects"]["title"] == "项目支出预算表"
    assert rows["state_capital"]["rows"] == "0"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "nosuch"], "unknown resource 'nosuch'"),
        (["show", "projects", "missing.txt"], "missing.txt: no such file or folder"),
        (["show", "projects", "-f", "xml"], "unknown format 'xml'"),
        (["tables", "src"], "src: folder holds no documents"),
    ],
)
def test_bad_usage_exits_2_with_one_line(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_pipe_closed_early_gives_no_traceback():
    result = run(shell="budgettui show narrative -f csv | head -1")
    assert result.stdout.startswith("doc_id,seq,part,section")
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


def test_cli_core_does_not_import_textual():
    code = (
        "import sys\n"
        "from budgettui import launch\n"
        "try:\n    launch.main(['show', 'projects', '-f', 'csv'])\n"
        "except SystemExit:\n    pass\n"
        "sys.stderr.write('TEXTUAL=' + str(any(m.split('.')[0] == 'textual' for m in sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert "TEXTUAL=False" in result.stderr
    assert result.stdout.count("\n") == 65


def test_written_files_get_the_usual_permissions(tmp_path):
    import os
    import stat

    target = tmp_path / "t10.csv"
    assert run("show", "three_public_costs", "-f", "csv", "-o", str(target)).returncode == 0
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    bundle = tmp_path / "bundle"
    assert run("export", "-f", "csv", "-o", str(bundle)).returncode == 0
    assert stat.S_IMODE(bundle.stat().st_mode) == 0o777 & ~mask
