"""PDF input: the reader's lines and cells, provenance by page, units, cover facts, refusals.

The PDFs under tests/pdfs/ are real disclosures of the corpus (see its README); the values
below are read off their pages.
"""

from __future__ import annotations

import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE

import budgettui
from budgettui.pdf import read_pdf
from budgettui.sources import InputError, read_source

PDFS = ROOT / "tests" / "pdfs"
SHANGHAI = PDFS / "shanghai-haiyang-2026.pdf"
YANTAI = PDFS / "yantai-shenji-2026.pdf"
CORPUS = ROOT.parent / "shared" / "corpus"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "budgettui", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


# ---------------------------------------------------------------- the reader


def test_a_ruled_table_row_is_one_line_of_cells_in_grid_columns():
    pages = read_pdf(SHANGHAI.read_bytes())
    assert len(pages) == 20
    page = pages[7]  # page 8: 收入预算总表
    assert page[0] == "2026年预算单位收入预算总表"
    assert page[1] == "编制单位：上海市海洋监测预报中心\t单位：元"
    # 类 款 项 in three columns; the merged 功能分类科目编码 header spans them; empty cells kept
    assert "208\t05\t05\t机关事业单位基本养老保险缴费支出\t1,887,467\t1,887,467\t\t\t" in page
    # a header cell wrapped over two lines inside its cell is one cell
    assert any("\t事业单位经营收入\t" in line for line in page)
    # the table goes on over the page: the 合计 row is on page 9
    assert "合计\t\t\t\t180,366,183\t178,830,483\t1,187,700\t\t348,000" in pages[8]


def test_rotated_pages_read_in_reading_order():
    pages = read_pdf(YANTAI.read_bytes())
    text = "\n".join(line for page in pages for line in page)
    assert "201\t\t\t一般公共服务支出\t2,731.79\t1,950.19\t1,950.19\t\t\t\t\t\t781.60\t\t\t\t" in text
    assert "一、财政拨款收入\t2,776.75\t一、一般公共服务支出\t2731.79" in text


def test_page_numbers_are_left_out():
    pages = read_pdf(SHANGHAI.read_bytes())
    assert not any(line.strip().strip("-— ").isdigit() for page in pages for line in page[-1:])


# ---------------------------------------------------------------- provenance and units


@pytest.fixture(scope="module")
def shanghai() -> budgettui.Budget:
    return budgettui.load(SHANGHAI)


def test_rows_cite_their_page_and_the_line_within_it(shanghai):
    row = shanghai["expenditure_by_subject"].filter(budgettui_code("2080505")).row(0, named=True)
    assert (row["source_page"], row["source_line"]) == (10, 9)
    line = shanghai.source_lines(row["doc_id"], row["source_line"], page=row["source_page"])[0]
    assert line.text.startswith("208\t05\t05\t机关事业单位基本养老保险缴费支出\t1,887,467")
    assert shanghai.page_lines(row["doc_id"], 10)[0].text == "2026年预算单位支出预算总表"


def budgettui_code(code: str):
    import polars as pl

    return pl.col("code") == code


def test_amounts_printed_in_yuan_are_stored_exactly_in_wan(shanghai):
    row = shanghai["expenditure_by_subject"].filter(budgettui_code("2080505")).row(0, named=True)
    assert row["total"] == Decimal("188.7467")  # 1,887,467 元
    total = shanghai["income_by_subject"].filter(shanghai["income_by_subject"]["name"] == "合计")
    assert total["total"].to_list() == [Decimal("18036.6183")]  # 180,366,183 元
    assert shanghai["documents"]["amount_unit"].to_list() == ["元"]
    lines = shanghai["budget_lines"]
    first = lines.filter((lines["resource"] == "expenditure_by_subject") & (lines["code"] == "2080505")
                         & (lines["measure"] == "total")).row(0, named=True)
    assert (first["printed_unit"], first["printed"], first["amount_yuan"]) == ("元", "1887467.00", Decimal("1887467"))


def test_csv_prints_the_exact_amount_without_padding(shanghai):
    from budgettui.output import render

    text = render(shanghai["expenditure_by_subject"].filter(budgettui_code("2080505")), "csv")
    assert ",2080505,机关事业单位基本养老保险缴费支出,3,20805,188.7467,188.7467,,10,9\n" in text


def test_the_text_command_prints_what_was_read_and_reads_back_the_same(tmp_path):
    result = run("text", str(SHANGHAI))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\f") == 20
    assert "\n208\t05\t05\t机关事业单位基本养老保险缴费支出\t1,887,467\t1,887,467\t\t\t\n" in result.stdout
    copy = tmp_path / "shanghai.txt"
    copy.write_text(result.stdout, encoding="utf-8")
    again = read_source(copy)
    assert again.page_starts == read_source(SHANGHAI).page_starts
    from_text = budgettui.load(copy)["expenditure_by_subject"].drop("doc_id")
    from_pdf = budgettui.load(SHANGHAI)["expenditure_by_subject"].drop("doc_id")
    assert from_text.equals(from_pdf)


# ---------------------------------------------------------------- document facts


COVERS = {
    "beijing-xinfang-2026": ("北京市信访办公室", 2026, "部门预算", None, 7),
    "changsha-zhijiao-2026": ("长沙职业教育基地综合协调办公室", 2026, "部门预算", None, 25),
    "fuzhou-zhian-2026": ("福州市公安局治安管理支队", 2026, "单位预算", None, 36),
    "guangzhou-xinfang-2026": ("广州市信访局", 2026, "部门预算", None, 25),
    "shanghai-haiyang-2026": ("上海市海洋监测预报中心", 2026, "单位预算", None, 20),
    "shanghai-shuichan-2026": ("上海水产老干部活动室", 2026, "单位预算", None, 16),
    "shenzhen-xinfang-2026": ("深圳市信访局", 2026, "部门预算", None, 33),
    "wuxi-yingji-zhifa-2026": ("无锡市应急管理综合行政执法监督局", 2026, "单位预算", None, 30),
    "xian-xuanchuan-2021": ("中共西安市委宣传部", 2021, "部门预算", None, 44),
    "yantai-shenji-2026": ("烟台市审计局", 2026, "部门预算", None, 38),
}


@pytest.fixture(scope="module")
def all_pdfs() -> budgettui.Budget:
    return budgettui.load(PDFS)


def test_department_year_kind_come_from_the_cover_not_the_file_name(all_pdfs):
    documents = all_pdfs["documents"]
    found = {r["doc_id"]: (r["department"], r["year"], r["kind"], r["scope"], r["pages"])
             for r in documents.iter_rows(named=True)}
    assert found == COVERS


def test_scope_from_the_tables_meta_lines():
    budget = budgettui.load(CORPUS / "深圳" / "2026年深圳市统计局部门预算.pdf") if CORPUS.exists() else None
    if budget is None:
        pytest.skip("the corpus is not beside this checkout")
    assert budget["documents"].select("department", "scope").row(0) == ("深圳市统计局", "本级")


def test_a_folder_mixing_pdfs_and_text_loads_as_one_budget(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "sample.txt").write_bytes(SAMPLE.read_bytes())
    (tmp_path / "haiyang.pdf").write_bytes(SHANGHAI.read_bytes())
    budget = budgettui.load(tmp_path)
    # in the order of their paths in the folder: a/sample.txt, then haiyang.pdf
    assert budget["documents"]["department"].to_list() == [
        "高平市人力资源和社会保障局（高平市医疗保障局）", "上海市海洋监测预报中心"]
    assert budget["documents"]["encoding"].to_list() == ["utf-8", "pdf"]
    assert budget["documents"]["pages"].to_list() == [None, 20]


def test_every_printed_table_is_listed_with_its_title_and_unit(all_pdfs):
    tables = all_pdfs["source_tables"]
    guangzhou = tables.filter(tables["doc_id"] == "guangzhou-xinfang-2026")
    unmapped = guangzhou.filter(guangzhou["status"] == "unmapped")["title"].to_list()
    assert unmapped == ["一般公共预算项目支出情况表（按经济分类科目）", "部门预算基本支出预算表"]
    lines = all_pdfs["budget_lines"]
    other = lines.filter((lines["doc_id"] == "guangzhou-xinfang-2026") & (lines["table_no"] == 0))
    assert set(other["table_title"]) == set(unmapped)
    assert other.height > 0
    shanghai = tables.filter(tables["doc_id"] == "shanghai-haiyang-2026")
    units = dict(zip(shanghai["table_no"], shanghai["printed_unit"], strict=True))
    # the document mixes units: its 三公 table prints 万元, every other table 元
    assert units == {1: "元", 2: "元", 3: "元", 4: "元", 5: "元", 6: "元", 8: "元", 9: "元", 10: "万元"}


# ---------------------------------------------------------------- refusals


def _cjk_pdf(*lines: str, encrypt: str | None = None) -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=pdfencrypt.StandardEncryption(encrypt) if encrypt else None)
    pdf.setFont("STSong-Light", 14)
    for index, text in enumerate(lines):
        pdf.drawString(72, 760 - 30 * index, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _scanned_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for _ in range(3):
        pdf.rect(72, 72, 300, 300, fill=1)  # stands in for a scanned page image: no text
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


HTML = ('<!DOCTYPE html><html><head><title>2026年部门预算公开</title></head><body>'
        '<a href="/upload/2026/bumen_yusuan.pdf">部门预算</a><a href="/news/1.html">新闻</a></body></html>')

REFUSED = {
    "scanned": (_scanned_pdf, "scanned PDF: no text layer, it needs OCR first"),
    "encrypted": (lambda: _cjk_pdf("2026年部门预算", encrypt="secret"), "encrypted PDF (password protected)"),
    "not a budget": (lambda: _cjk_pdf("关于做好2026年春节期间安全生产工作的通知", "各区人民政府："),
                     "not a budget disclosure"),
    "damaged": (lambda: SHANGHAI.read_bytes()[:3000], "damaged PDF, cannot be read"),
    "html page": (lambda: HTML.encode(), "an HTML page, not a budget document (a web page saved under "
                                         "this name); document links in it: /upload/2026/bumen_yusuan.pdf"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_unusable_pdfs_exit_2_with_one_line_naming_the_file(tmp_path, case):
    make, message = REFUSED[case]
    path = tmp_path / "budget.pdf"
    path.write_bytes(make())
    result = run("tables", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith(f"budgettui: {path}: ") and message in result.stderr
    with pytest.raises(InputError, match=r"budget\.pdf"):
        budgettui.load(path)


# ---------------------------------------------------------------- cells against pdfplumber


def _plumber_cells(path: Path) -> list[set[str]]:
    import pdfplumber

    pages = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            cells = set()
            for table in page.extract_tables():
                for row in table:
                    cells |= {"".join(c.split()) for c in row if c and c.strip()}
            pages.append(cells)
    return pages


def _our_cells(path: Path) -> list[set[str]]:
    return [{"".join(c.split()) for line in page for c in line.split("\t") if c.strip()}
            for page in read_pdf(path.read_bytes())]


def _agreement(paths: list[Path]) -> tuple[int, int, list[str]]:
    found = total = 0
    missing: list[str] = []
    for path in paths:
        for number, (theirs, ours) in enumerate(zip(_plumber_cells(path), _our_cells(path), strict=True), 1):
            total += len(theirs)
            found += len(theirs & ours)
            missing += [f"{path.name} p{number}: {c}" for c in sorted(theirs - ours)[:3]]
    return found, total, missing


def test_cells_agree_with_pdfplumber_on_the_test_pdfs():
    found, total, missing = _agreement(sorted(PDFS.glob("*.pdf")))
    assert total > 5000
    assert found / total >= 0.99, missing[:20]


@pytest.mark.skipif(not CORPUS.exists(), reason="the corpus is not beside this checkout")
def test_cells_agree_with_pdfplumber_over_the_whole_corpus():
    found, total, missing = _agreement(sorted(CORPUS.glob("*/*.pdf")))
    assert total > 35000  # 39,661 cells in pdfplumber's tables; 6 of them differ (measured)
    assert found / total >= 0.999, missing[:20]


# ---------------------------------------------------------------- the browser on a PDF


async def test_the_browser_cites_a_pdf_row_by_page_and_line(shanghai, tmp_path):
    from test_tui import column, cursor, rest
    from textual.widgets import DataTable, Static

    from budgettui.tui.app import BudgetApp
    from budgettui.tui.detail import Detail

    app = BudgetApp(shanghai, export_folder=tmp_path / "exports")
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("j", "j", "l", "j")  # 功能科目 › 208 社会保障和就业支出
        assert cursor(app) == "社会保障和就业支出"
        await rest(pilot)
        detail = app.query_one(Detail)
        facts = str(detail.query_one(".facts", Static).render())
        # 3,196,880 元 printed, 319.688 万元 stored; the row is on page 10, line 6 of that page
        assert "合计 319.688 万元" in facts and "第10页第6行" in facts
        grid = detail.query_one(DataTable)
        assert column(grid, "code") == ["20805"]
        assert column(grid, "source_page") == ["10"]
