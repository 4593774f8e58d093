"""The browser on a corpus (issue 12, item 6): documents join the tree as they are read,
grouped by place › year › department; one subject across every document; one department in
two years side by side. Documents: the sample, the sample as its department's 2025 budget
(corpus_docs.last_year: amounts and projects changed) and the PDFs of tests/pdfs."""

from __future__ import annotations

import re
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SAMPLE
from corpus_docs import PDFS, last_year
from test_tui import column, crumb, cursor, rest, screen_text, visible
from textual.command import CommandList
from textual.widgets import DataTable

import budgettui
from budgettui.tui import loading
from budgettui.tui.app import BudgetApp
from budgettui.tui.crossscreens import AcrossScreen, YearsScreen
from budgettui.tui.groups import NO_PLACE, Grouping, Placed, department_key, place_of
from budgettui.tui.outline import Node
from budgettui.tui.tree import BudgetTree

GAOPING = "高平市人力资源和社会保障局（高平市医疗保障局）"


@pytest.fixture(scope="module")
def earlier(tmp_path_factory) -> Path:
    return last_year(tmp_path_factory.mktemp("years"))


@pytest.fixture(scope="module")
def corpus(earlier) -> budgettui.Budget:
    return budgettui.load(SAMPLE, earlier, PDFS)


def test_place_from_the_department_title_or_cover():
    # the departments and titles as the corpus prints them
    assert place_of("中国共产党广州市委员会宣传部", "第二部分 2026年部门预算表") == "广州市"
    assert place_of("中共西安市委宣传部", None) == "西安市"
    assert place_of("上海水产老干部活动室", "上海水产老干部活动室 上海市2026年市级单位预算") == "上海市"
    assert place_of("福州经济技术开发区生态环境局", None) == "福州经济技术开发区"
    assert place_of("长沙职业教育基地综合协调办公室", "长沙职业教育基地综合协调办公室 2026年部门预算公开",
                    ["长沙职业教育基地综合协调办公室", "2026年部门预算公开", "目 录"]) == NO_PLACE
    assert place_of("职业教育基地办公室", None, ["2026年", "2026年烟台市审计局部门预算"]) == "烟台市"
    assert department_key("中国共产党广州市委员会宣传部") == department_key("中共广州市委员会宣传部")


def test_a_district_goes_under_its_city_and_years_newest_first():
    grouping = Grouping()

    def add(doc_id: str, place: str, year: int, department: str) -> None:
        grouping.add(Placed(Node("document", doc_id, department), place, year, department))

    add("a", "福州市", 2026, "福州市医疗保障局")
    add("b", "福州经济技术开发区", 2026, "福州经济技术开发区生态环境局")
    add("c", "西安市", 2021, "中共西安市委宣传部")
    add("d", "西安市", 2026, "中共西安市委宣传部")
    add("e", "西安市", 2022, "西安市医疗保障局")
    assert [p.name for p in grouping.places] == ["福州市", "西安市"]
    assert [y.name for y in grouping.places[1].children] == ["2026年", "2022年", "2021年"]
    assert [p.root.doc_id for p in grouping.other_years("d")] == ["c"]
    assert grouping.other_years("e") == []


async def test_documents_join_the_tree_as_they_are_read(earlier, monkeypatch):
    """The first document is on screen, counted in the header, while the next is parsed."""
    gate = threading.Event()
    real = loading.parse_documents

    def held(*args):
        for number, doc in enumerate(real(*args)):
            if number == 1:
                gate.wait(30)
            yield doc

    monkeypatch.setattr(loading, "parse_documents", held)
    app = BudgetApp(sources=[SAMPLE, earlier, PDFS / "xian-xuanchuan-2021.pdf"])
    async with app.run_test(size=(160, 50)) as pilot:
        for _ in range(200):
            if app.query("#tree"):
                break
            await pilot.pause(0.05)
        await rest(pilot)
        assert app.sub_title == "已读 1/3"
        assert "budgettui · 3 份文档 — 已读 1/3" in screen_text(app)
        assert visible(app) == ["高平市", "2026年", GAOPING]
        gate.set()
        for _ in range(400):  # read, then checked
            if app.sub_title == "已读 3/3 · 已核对":
                break
            await pilot.pause(0.05)
        assert app.sub_title == "已读 3/3 · 已核对"
        assert visible(app) == ["高平市", "2026年", GAOPING, "2025年", GAOPING,
                                "西安市", "2021年", "中共西安市委宣传部"]
        assert app.budget is not None and app.budget["documents"]["year"].to_list() == [2026, 2025, 2021]
        # the checks ran on the whole corpus: each 核对 counts its own
        await pilot.press("j", "j", "l")
        checks = [line for line in visible(app) if line.startswith("核对")]
        assert checks == ["核对 (2 错误 · 41 警告 · 36 舍入 · 103 信息)"]
        assert crumb(app) == f"高平市 2026年 {GAOPING}"  # the breadcrumb names place and year


async def test_a_place_lists_its_documents_with_their_spending(corpus):
    app = BudgetApp(corpus)
    async with app.run_test(size=(160, 50)) as pilot:
        await rest(pilot)
        await pilot.pause(0.2)  # the table of documents laid out
        assert cursor(app) == "高平市"
        text = screen_text(app)
        assert "高平市  2 份文档 · 支出合计 55,522.56 万元（表3）" in text
        assert "2025年  高平市人力资源和社会保障局（高平市医 …  27,761.28  2,408.41  25,352.86      64" in text
        tree = app.query_one(BudgetTree)
        places = [n.data.name for n in tree.root.children]
        assert places == ["高平市", "北京市", NO_PLACE, "福州市", "广州市", "上海市", "深圳市", "无锡市",
                          "西安市", "烟台市"]
        shanghai = tree.root.children[5].children[0]
        assert [n.data.name for n in shanghai.children] == ["上海市海洋监测预报中心", "上海水产老干部活动室"]
        # a document shows its table 3 totals, a year the sum of its documents'
        assert [n.data.amounts[0] for n in shanghai.children] == [Decimal("18036.6183"), Decimal("86.6296")]
        assert shanghai.data.amounts == (Decimal("18123.2479"), Decimal("2547.6938"), Decimal("15575.5541"))


async def test_one_subject_in_every_document_by_amount(corpus):
    app = BudgetApp(corpus)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("slash", *"2080505", "enter")
        assert cursor(app) == "机关事业单位基本养老保险缴费支出"
        await pilot.press("a")
        await pilot.pause(0.2)
        assert isinstance(app.screen, AcrossScreen)
        table = app.screen.query_one(DataTable)
        assert column(table, "部门") == ["烟台市审计局", "深圳市信访局", "广州市信访局", GAOPING,
                                       "上海市海洋监测预报中心", "福州市公安局治安管理支队", GAOPING,
                                       "无锡市应急管理综合行政执法监督局"]
        assert column(table, "年度") == ["2026"] * 6 + ["2025", "2026"]
        assert column(table, "合计") == ["221.01", "201.65", "199.06", "198.79", "188.7467", "188.72",
                                       "180.50", "90.04"]
        # shares of their sum, 1,468.5167 万元: 221.01 / 1468.5167 = 15.05%
        assert column(table, "占比%") == ["15.05", "13.73", "13.56", "13.54", "12.85", "12.85", "12.29", "6.13"]
        assert column(table, "占部门支出%")[3] == "0.72"  # 198.79 of the sample's 27,761.28
        assert "8 份文档有此科目（共 12 份） · 合计 1,468.5167 万元" in screen_text(app)
        # enter: to the subject in that row's document
        await pilot.press("j", "j", "enter")
        await rest(pilot)
        assert not isinstance(app.screen, AcrossScreen)
        assert cursor(app) == "机关事业单位基本养老保险缴费支出"
        assert crumb(app).startswith("广州市 2026年 广州市信访局 › ")


async def test_a_elsewhere_says_where_it_works(corpus):
    app = BudgetApp(corpus)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await pilot.press("a")
        await pilot.pause(0.2)
        assert not isinstance(app.screen, AcrossScreen)
        assert "on a 功能科目 subject" in screen_text(app)


async def test_the_palette_opens_a_subject_across_documents(corpus):
    app = BudgetApp(corpus)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("ctrl+p", *"2080505")
        await pilot.pause(0.5)
        assert "所有文档中的 2080505 机关事业单位基本养老保险缴费支出" in screen_text(app)
        commands = app.screen.query_one(CommandList)
        prompts = [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]
        wanted = next(i for i, p in enumerate(prompts) if "所有文档中的 2080505" in p)
        for _ in range(wanted + 2):
            if commands.highlighted == wanted:
                break
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, AcrossScreen)
        assert app.screen.code == "2080505"


async def test_one_department_in_two_years(corpus):
    app = BudgetApp(corpus)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await pilot.press("j", "j", "c")  # on the 2026 sample
        await pilot.pause(0.3)
        assert isinstance(app.screen, YearsScreen)
        text = screen_text(app)
        assert f"{GAOPING}  2025年 → 2026年" in text
        assert "项目 64 → 64 个：新增 1 · 取消 1 · 增加 1 · 减少 0" in text
        subjects, projects = app.screen.query(DataTable)
        row = column(subjects, "科目编码").index("2080505")
        assert [column(subjects, c)[row] for c in ("2025年", "2026年", "增减", "增减%", "变化")] == [
            "180.50", "198.79", "18.29", "10.13", "增加"]
        # projects: the largest changes first; one renamed, one new, one dropped
        names = column(projects, "项目名称")
        assert names[:3] == ["就业金专项", "劳动保障监察专项经费", "工伤认定调查核实经费"]
        assert column(projects, "变化")[:3] == ["增加", "取消", "新增"]
        assert column(projects, "增减")[:3] == ["5.00", "-3.50", "3.50"]
        renamed = names.index("创业担保贷款追诉经费")
        assert column(projects, "上年名称")[renamed] == "创业担保贷款追诉工作经费"
        assert column(projects, "变化")[renamed] == "不变（更名）"
        await pilot.press("escape")
        assert not isinstance(app.screen, YearsScreen)
        # a department published once: said so
        await pilot.press("G", "c")
        await pilot.pause(0.2)
        assert not isinstance(app.screen, YearsScreen)
        assert "没有「烟台市审计局」其他年度的文档" in screen_text(app)


def test_compared_amounts_are_exact(corpus):
    from budgettui.tui.crossviews import compare_years

    where = {}
    comparison = compare_years(corpus, "gaoping-2025", "000_6fa2890cbbd11825", where)
    moved = comparison.projects.filter(comparison.projects["项目名称"] == "就业金专项")
    assert moved["增减"].to_list() == [Decimal("5")]
    assert moved["增减%"].to_list() == [Decimal("33.33")]


async def test_help_lists_the_corpus_keys(corpus):
    app = BudgetApp(corpus)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("question_mark", "end")
        await pilot.pause(0.2)
        text = screen_text(app)
        assert "跨文档 · corpus" in text
        assert re.search(r" a +on a 功能科目 subject: it in every document, largest first,", text)
        assert re.search(r" c +in a document: the same department in another year", text)
