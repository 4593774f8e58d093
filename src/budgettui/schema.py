"""Every resource of a Budget: columns, types, Chinese and English titles, units, keys.

This module is the single description of the data model: the parsers build their frames
against it, `tables`/`show` list it, exports write their schemas from it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl

#: Decimal places of each exact type. Money: exact decimal in the column's unit (万元 for
#: tables 1–13, 元 for performance tables); six places hold a table printed in 元 to the 分
#: exactly once it is counted in 万元; text output trims the zeros the document did not print
#: (`25552.62`, `319.688`). Number: an indicator's target number (`≥42.5万元` → 42.5).
SCALES = {"money": 6, "number": 4}
#: The Polars types (24 digits): MONEY and NUMBER are module attributes made on first use,
#: so that the parsers, which read this module, do not import Polars (see `__getattr__`).
PRECISION = 24


@lru_cache(maxsize=1)
def _dtypes() -> dict[str, pl.DataType]:
    """Each logical type's Polars type (Polars imported here, on first use)."""
    import polars as pl

    return {
        "string": pl.String(),
        "integer": pl.Int64(),
        "money": pl.Decimal(PRECISION, SCALES["money"]),
        "number": pl.Decimal(PRECISION, SCALES["number"]),
        "date": pl.Date(),
        "boolean": pl.Boolean(),
    }


def __getattr__(name: str) -> pl.DataType:
    """MONEY and NUMBER: the Polars types of money and of target numbers."""
    if name in ("MONEY", "NUMBER"):
        return _dtypes()[name.lower()]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True, slots=True)
class Column:
    """One column: name, logical type, titles, unit, meaning."""

    name: str
    type: str
    zh: str
    en: str
    unit: str | None = None
    description: str = ""

    @property
    def dtype(self) -> pl.DataType:
        return _dtypes()[self.type]


@dataclass(frozen=True, slots=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Resource:
    """One resource (a table of the data model)."""

    name: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    table_no: int | None = None
    description: str = ""
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def polars_schema(self) -> dict[str, pl.DataType]:
        return {c.name: c.dtype for c in self.columns}

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    def frame(self, rows: list[dict[str, Any]]) -> pl.DataFrame:
        """Build this resource's frame from row dicts (missing keys become null), column by
        column with each column's type."""
        import polars as pl

        values = _column_values(rows, [c.name for c in self.columns])
        return pl.DataFrame([_series(c, values[c.name]) for c in self.columns])

    def frame_of_columns(self, columns: dict[str, list[Any]], height: int) -> pl.DataFrame:
        """Build this resource's frame of `height` rows from its columns' values by name (a
        column not given is null), each with its type."""
        import polars as pl

        return pl.DataFrame([_series(c, columns[c.name] if c.name in columns else [None] * height)
                             for c in self.columns])


@lru_cache(maxsize=1)
def _plain_dtypes() -> dict[str, type[pl.DataType]]:
    """The types without parameters as classes: Polars builds a Series faster from the class
    than from an instance (the same type)."""
    return {name: type(dtype) for name, dtype in _dtypes().items() if type(dtype)() == dtype}


def _column_values(rows: list[dict[str, Any]], names: list[str]) -> dict[str, list[Any]]:
    """Each column's values over the rows (None where a row has no such key): the keys of the
    first row read from all rows at once, in C (falling back to one key at a time when a row
    lacks one of them)."""
    present = [name for name in names if rows and name in rows[0]]
    values: dict[str, list[Any]] = {}
    if len(present) > 1:
        try:
            values = dict(zip(present, map(list, zip(*map(itemgetter(*present), rows), strict=True)),
                              strict=True))
        except KeyError:
            values = {}
    return {name: values[name] if name in values else [row.get(name) for row in rows] for name in names}


def _series(column: Column, values: list[Any]) -> pl.Series:
    """One column's values as a Series of its type (strict: a value of another type raises)."""
    import polars as pl

    if column.type in SCALES and values:
        return decimal_series(column.name, values, column.dtype)
    return pl.Series(column.name, values, dtype=_plain_dtypes().get(column.type, column.dtype))


def decimal_series(name: str, values: list[Any], dtype: pl.DataType) -> pl.Series:
    """Decimals as a Series of `dtype`, through their text: the same values, the same rounding
    to the column's scale (half even) and the same overflow error as from the Decimals, 20×
    faster. Anything but finite Decimals and None takes Polars' own conversion."""
    import polars as pl

    decimals = [v for v in values if v is not None]
    if set(map(type, decimals)) <= _DECIMAL and all(map(Decimal.is_finite, decimals)):
        texts = [None if v is None else format(v, "f") for v in values]
        return pl.Series(name, texts, dtype=pl.String).cast(dtype)
    return pl.Series(name, values, dtype=dtype)


_DECIMAL = {Decimal}


def values_of(series: pl.Series) -> list[Any]:
    """A column's values as Python objects (what `to_list` gives); Decimals read back from their
    text (the same Decimals, scale included, at two thirds of the cost)."""
    import polars as pl

    if not isinstance(series.dtype, pl.Decimal):
        return series.to_list()
    return [None if text is None else Decimal(text) for text in series.cast(pl.String).to_list()]


def _c(name: str, type_: str, zh: str, en: str, unit: str | None = None, desc: str = "") -> Column:
    return Column(name, type_, zh, en, unit, desc)


# Columns shared by many resources.
DOC_ID = _c("doc_id", "string", "文档标识", "document id", desc="Which source document the row is from")
SEQ = _c("seq", "integer", "表内行序", "row number", desc="1-based order of the row in its table")
SOURCE_PAGE = _c(
    "source_page", "integer", "原文页码", "source page",
    desc="1-based page of the source (a PDF's page, or a form-feed page of a text extraction); "
         "null when the source has no pages",
)
SOURCE_LINE = _c(
    "source_line", "integer", "原文行号", "source line",
    desc="1-based line number in the source; within its page when source_page is set",
)
CODE = _c("code", "string", "科目编码", "subject code", desc="Functional classification code; null on the total row")
NAME = _c("name", "string", "科目名称", "subject name")
LEVEL = _c("level", "integer", "级次", "level", desc="0 total row, 1 类, 2 款, 3 项")
PARENT = _c("parent_code", "string", "上级科目编码", "parent code")
ROW_KIND = _c("row_kind", "string", "行类型", "row kind",
              desc="total, subtotal, group, item, or detail (a 其中 line or a breakdown printed under its item)")


def _money(name: str, zh: str, en: str, unit: str = "万元") -> Column:
    return _c(name, "money", zh, en, unit)


TOTAL = _money("total", "合计", "total")
BASIC = _money("basic", "基本支出", "basic expenditure")
PROJECT = _money("project", "项目支出", "project expenditure")
GENERAL = _money("general_budget", "一般公共预算", "general public budget")
FUND = _money("fund_budget", "政府性基金预算", "government fund budget")
STATE = _money("state_capital", "国有资本经营预算", "state capital operation budget")
SPECIAL = _money("special_account", "财政专户管理资金", "special fiscal account funds")
UNIT_FUNDS = _money("unit_funds", "单位资金", "unit's own funds")
CARRYOVER = _money("carryover", "上年结转", "carried over from last year")
#: Table 12's 上年结转 column (深圳 上年结余、结转): a part of the project's 合计 beside its funds.
PROJECT_CARRYOVER = _c("carryover", "money", "上年结转", "carried over from last year", "万元",
                       desc="The part of the total carried over from last year, where the table prints "
                            "it beside the funds (上年结余、结转); null when it does not")

SUBJECT_COLUMNS = (DOC_ID, SEQ, CODE, NAME, LEVEL, PARENT)
BY_FUND = (TOTAL, GENERAL, FUND, STATE)
BASIC_PROJECT = (TOTAL, BASIC, PROJECT)


def _fk_doc() -> ForeignKey:
    return ForeignKey(("doc_id",), "documents", ("doc_id",))


RESOURCES: tuple[Resource, ...] = (
    Resource(
        "documents", "文档", "documents",
        (
            DOC_ID,
            _c("title", "string", "标题", "title"),
            _c("department", "string", "部门", "department"),
            _c("year", "integer", "预算年度", "budget year"),
            _c("source_path", "string", "来源文件", "source path"),
            _c("sha256", "string", "SHA-256", "SHA-256 of the source bytes"),
            _c("encoding", "string", "编码", "text encoding"),
            _c("line_count", "integer", "行数", "number of lines"),
            _c("kind", "string", "文档类型", "kind", desc="部门预算, 单位预算 or 部门决算, from the cover"),
            _c("scope", "string", "范围", "scope",
               desc="本级 (the department's own budget) or 汇总 (with its units), when the cover says"),
            _c("pages", "integer", "页数", "pages", desc="Pages of a PDF (or of a paged text extraction)"),
            _c("amount_unit", "string", "金额单位", "printed unit",
               desc="The unit most of its tables print (万元 or 元); amounts are stored in 万元"),
        ),
        ("doc_id",),
        description="One row per source document, also for a file that could not be read (its finding says why).",
    ),
    Resource(
        "units", "单位", "units",
        (
            DOC_ID,
            _c("unit_id", "string", "单位标识", "unit id"),
            _c("name", "string", "单位名称", "unit name"),
            _c("kind", "string", "单位性质", "kind", desc="行政单位, 事业单位, or null when not stated"),
            SOURCE_LINE,
        ),
        ("doc_id", "unit_id"),
        description="The units the department consists of (机构设置, tables 11 and 12).",
        foreign_keys=(_fk_doc(),),
    ),
    Resource(
        "subjects", "功能分类科目", "functional subjects",
        (
            DOC_ID,
            _c("code", "string", "科目编码", "subject code"),
            NAME,
            _c("level", "integer", "级次", "level", desc="1 类, 2 款, 3 项"),
            PARENT,
            _c("is_leaf", "boolean", "末级", "leaf"),
            SOURCE_LINE,
        ),
        ("doc_id", "code"),
        description="Every functional classification code (支出功能分类) the tables use, with level and parent.",
        foreign_keys=(_fk_doc(), ForeignKey(("doc_id", "parent_code"), "subjects", ("doc_id", "code"))),
    ),
    Resource(
        "budget_summary", "预算收支总表", "budget summary",
        (
            DOC_ID, SEQ,
            _c("side", "string", "收支", "side", desc="income or expenditure"),
            _c("item", "string", "项目", "item"),
            ROW_KIND,
            _money("amount", "金额", "amount"),
            _money("current_year", "当年预算安排", "current-year budget"),
            _money("carryover", "上年结转安排", "carried over from last year"),
            SOURCE_LINE,
        ),
        ("doc_id", "side", "seq"),
        table_no=1,
        foreign_keys=(_fk_doc(),),
    ),
    Resource(
        "income_by_subject", "预算收入总表", "income by subject",
        (*SUBJECT_COLUMNS, TOTAL, GENERAL, FUND, STATE, SPECIAL, UNIT_FUNDS, CARRYOVER, SOURCE_LINE),
        ("doc_id", "seq"),
        table_no=2,
        foreign_keys=(_fk_doc(),),
    ),
    Resource(
        "expenditure_by_subject", "预算支出总表", "expenditure by subject",
        (*SUBJECT_COLUMNS, *BASIC_PROJECT, SOURCE_LINE),
        ("doc_id", "seq"),
        table_no=3,
        foreign_keys=(_fk_doc(),),
    ),
    Resource(
        "fiscal_summary", "财政拨款收支总表", "fiscal appropriation summary",
        (
            DOC_ID, SEQ,
            _c("side", "string", "收支", "side", desc="income or expenditure"),
            _c("group", "string", "分组", "group", desc="本年收入 or 上年结转 on the income side"),
            _c("item", "string", "项目", "item"),
            ROW_KIND,
            *BY_FUND,
            SOURCE_LINE,
        ),
        ("doc_id", "side", "seq"),
        table_no=4,
        foreign_keys=(_fk_doc(),),
    ),
    Resource(
        "general_budget_expenditure", "一般公共预算支出预算表", "general budget expenditure",
        (*SUBJECT_COLUMNS, *BASIC_PROJECT, SOURCE_LINE),
        ("doc_id", "seq"),
        table_no=5,
        foreign_keys=(_fk_doc(),),
    ),
    Resource(
        "basic_expenditure_by_economic", "一般公共预算基本支出分经济科目表",
        "basic expenditure by economic classification",
        (
            DOC_ID, SEQ,
            _c("dept_econ_name", "string", "部门预算支出经济科目", "departmental economic item"),
            _c("gov_econ_name", "string", "政府预算支出经济科目", "government economic item"),
            ROW_KIND,
            _c("group", "string", "经济分类", "economic group", desc="The group row the item belongs to"),
            TOTAL,
            _money("personnel", "人员经费", "personnel costs"),
            _money("public", "公用经费", "public (office) costs"),
            SOURCE_LINE,
        ),
        ("doc_id", "seq"),
        table_no=6,
        foreign_keys=(_fk_doc(),),
    ),
    Resource(
        "fund_income", "政府性基金预算收入表", "government fund income",
        (*SUBJECT_COLUMNS, TOTAL, SOURCE_LINE),
        ("doc_id", "seq"),
        table_no=7,
        foreign_keys=(_fk_doc(),),
    ),
    Resource(
        "fund_expenditure", "政府性基金预算支出表", "government fund expenditure",
        (*SUBJECT_COLUMNS, *BASIC_PROJECT, SOURCE_LINE),
        ("doc_id", "seq"),
        table_no=8,
        foreign_keys=(_fk_doc(),),
    ),
    Resource(
        "state_capital", "国有资本经营预算收支预算表", "state capital operation budget",
        (
            DOC_ID, SEQ,
            _c("side", "string", "收支", "side", desc="income or expenditure"),
            CODE, NAME, LEVEL, PARENT, *BASIC_PROJECT, SOURCE_LINE,
        ),
        ("doc_id", "side", "seq"),
        table_no=9,
        foreign_keys=(_fk_doc(),),
    ),
    Resource(
        "three_public_costs", "财政拨款安排“三公”经费支出预算表", "three public costs",
        (
            DOC_ID, SEQ,
            _c("item", "string", "项目", "item"),
            _c("parent_item", "string", "上级项目", "parent item"),
            ROW_KIND,
            *BY_FUND,
            SOURCE_LINE,
        ),
        ("doc_id", "seq"),
        table_no=10,
        foreign_keys=(_fk_doc(),),
    ),
    Resource(
        "operating_costs", "财政拨款安排机关运行经费预算表", "operating costs",
        (DOC_ID, SEQ, _c("unit", "string", "单位名称", "unit"), ROW_KIND, *BY_FUND, SOURCE_LINE),
        ("doc_id", "seq"),
        table_no=11,
        foreign_keys=(_fk_doc(),),
    ),
    Resource(
        "projects", "项目支出预算表", "projects",
        (
            DOC_ID,
            _c("project_id", "string", "项目标识", "project id"),
            _c("kind", "string", "类型", "kind", desc="current (表12 本年预算) or carryover (表13 上年结转)"),
            SEQ,
            _c("unit_id", "string", "单位标识", "unit id"),
            _c("unit", "string", "单位名称", "unit"),
            _c("name", "string", "项目名称", "project name"),
            TOTAL, GENERAL, FUND, STATE, SPECIAL, UNIT_FUNDS, PROJECT_CARRYOVER,
            SOURCE_LINE,
        ),
        ("doc_id", "project_id"),
        table_no=12,
        description="Projects of table 12 (current) and table 13 (carried over).",
        foreign_keys=(_fk_doc(), ForeignKey(("doc_id", "unit_id"), "units", ("doc_id", "unit_id"))),
    ),
    Resource(
        "project_subtotals", "项目支出合计行", "project subtotals",
        (
            DOC_ID,
            _c("kind", "string", "类型", "kind", desc="current or carryover"),
            SEQ,
            _c("level", "string", "层级", "level", desc="department (部门合计) or unit (单位小计)"),
            _c("unit_id", "string", "单位标识", "unit id"),
            _c("unit", "string", "单位名称", "unit"),
            TOTAL, GENERAL, FUND, STATE, SPECIAL, UNIT_FUNDS, PROJECT_CARRYOVER,
            SOURCE_LINE,
        ),
        ("doc_id", "kind", "seq"),
        table_no=12,
        description="The department total and unit subtotal rows of tables 12 and 13.",
        foreign_keys=(_fk_doc(),),
    ),
    Resource(
        "performance_targets", "项目支出绩效目标表", "performance targets",
        (
            DOC_ID,
            _c("perf_id", "string", "绩效表标识", "performance table id"),
            _c("project_id", "string", "项目标识", "project id", desc="Null when no project matches"),
            _c("kind", "string", "表类型", "kind",
               desc="project (项目支出绩效目标表 and the like) or department (部门整体支出绩效目标表)"),
            _c("layout", "string", "版式", "layout",
               desc="two_period (实施期 and 年度 grids side by side, footer with 填报日期), "
                    "single_period (one grid), wide (a row of a table with a row per project), "
                    "project_column (the text in a project table's 绩效目标 column) or narrative "
                    "(a row of a 项目 | 预算数 | 绩效目标 table in the 情况说明)"),
            _c("name", "string", "项目名称", "project name",
               desc="As printed in the performance table; the department or unit for kind department"),
            _c("dept_code", "string", "主管部门代码", "department code"),
            _c("dept_name", "string", "主管部门", "department"),
            _c("unit", "string", "实施单位", "implementing unit"),
            _c("attribute", "string", "项目属性", "attribute"),
            _c("period", "string", "项目期", "project period"),
            _money("total_funds", "实施期资金总额", "implementation-period funds", "元"),
            _money("total_central", "实施期中央财政资金", "implementation: central", "元"),
            _money("total_provincial", "实施期省级财政资金", "implementation: provincial", "元"),
            _money("total_local", "实施期市县（区）财政资金", "implementation: city/county", "元"),
            _money("total_self", "实施期单位自筹", "implementation: self-raised", "元"),
            _money("total_other", "实施期其他资金", "implementation: other", "元"),
            _money("total_fiscal", "实施期财政拨款", "implementation: fiscal appropriation", "元"),
            _money("annual_funds", "年度资金总额", "annual funds", "元"),
            _money("annual_central", "年度中央财政资金", "annual: central", "元"),
            _money("annual_provincial", "年度省级财政资金", "annual: provincial", "元"),
            _money("annual_local", "年度市县（区）财政资金", "annual: city/county", "元"),
            _money("annual_self", "年度单位自筹", "annual: self-raised", "元"),
            _money("annual_other", "年度其他资金", "annual: other", "元"),
            _money("annual_fiscal", "年度财政拨款", "annual: fiscal appropriation", "元"),
            _c("funds_unit", "string", "资金单位", "printed funds unit",
               desc="元 or 万元 as the table prints its amounts; the amounts here are in 元"),
            _c("overview", "string", "项目概况", "overview"),
            _c("basis", "string", "立项依据", "legal basis"),
            _c("necessity", "string", "项目设立必要性", "necessity"),
            _c("measures", "string", "保证项目实施的制度、措施", "safeguards"),
            _c("plan", "string", "项目实施计划", "implementation plan"),
            _c("goal_implementation", "string", "实施期总体目标", "overall goal (implementation)"),
            _c("goal_annual", "string", "年度总体目标", "overall goal (annual)"),
            _c("tasks", "string", "年度主要任务", "main tasks",
               desc="Department tables: one task a line, its cells joined by ` | `"),
            _c("fill_date", "date", "填报日期", "fill date"),
            _c("fill_time", "string", "填报时间", "fill timestamp as printed"),
            SOURCE_LINE,
            _c("last_line", "integer", "末行行号", "last source line"),
            _c("pages", "integer", "页数", "pages", desc="Printed pages merged into this table (continuations)"),
            _c("match_score", "number", "匹配分", "match score", desc="0–100 name similarity"),
        ),
        ("doc_id", "perf_id"),
        description="One row per 项目支出绩效目标表 (a table continued on the next page is one row), "
                    "or per 部门整体支出绩效目标表 (kind department, no project).",
        foreign_keys=(_fk_doc(),),
    ),
    Resource(
        "indicators", "绩效指标", "performance indicators",
        (
            DOC_ID,
            _c("perf_id", "string", "绩效表标识", "performance table id"),
            _c("project_id", "string", "项目标识", "project id"),
            _c("period", "string", "目标期", "period", desc="implementation (实施期) or annual (年度)"),
            SEQ,
            _c("level1", "string", "一级指标", "level-1 indicator"),
            _c("level2", "string", "二级指标", "level-2 indicator"),
            _c("name", "string", "三级指标", "indicator"),
            _c("value", "string", "指标值", "target as printed"),
            _c("operator", "string", "运算符", "operator", desc="≥ ≤ > < = or null when qualitative"),
            _c("number", "number", "目标数值", "target number"),
            _c("value_unit", "string", "计量单位", "target unit"),
            _c("flag", "string", "修复标记", "flag", desc="null, repaired or unplaced"),
            _c("weight", "string", "分值权重", "weight", desc="As printed, when the grid has a 分值 column"),
            _c("raw", "string", "原始单元格", "raw cells", desc="The source cells, TAB-separated"),
            SOURCE_LINE,
        ),
        ("doc_id", "perf_id", "period", "seq"),
        foreign_keys=(
            _fk_doc(),
            ForeignKey(("doc_id", "perf_id"), "performance_targets", ("doc_id", "perf_id")),
        ),
    ),
    Resource(
        "narrative", "情况说明", "narrative",
        (
            DOC_ID, SEQ,
            _c("part", "string", "部分", "part", desc="概况 (part one) or 情况说明 (part three)"),
            _c("section", "string", "章节", "section"),
            _c("heading", "string", "小标题", "heading"),
            _c("text", "string", "正文", "text"),
            SOURCE_LINE,
        ),
        ("doc_id", "seq"),
        description="Paragraphs of 第一部分 概况 and 第三部分 情况说明, with their section and heading.",
        foreign_keys=(_fk_doc(),),
    ),
    Resource(
        "glossary", "名词解释", "glossary",
        (DOC_ID, SEQ, _c("term", "string", "名词", "term"),
         _c("definition", "string", "解释", "definition"), SOURCE_LINE),
        ("doc_id", "seq"),
        foreign_keys=(_fk_doc(),),
    ),
    Resource(
        "findings", "核对结果", "findings",
        (
            DOC_ID,
            _c("rule", "string", "规则", "rule"),
            _c("severity", "string", "严重程度", "severity", desc="error, warning, rounding or info"),
            _c("message", "string", "说明", "message"),
            _c("resource", "string", "资源", "resource"),
            _c("key", "string", "键", "key"),
            _c("expected", "string", "应为", "expected"),
            _c("actual", "string", "实为", "actual"),
            SOURCE_LINE,
        ),
        (),
        description="Damaged input and consistency findings, each pointing at its source line.",
        foreign_keys=(_fk_doc(),),
    ),
    Resource(
        "budget_lines", "预算明细（长表）", "budget lines",
        (
            DOC_ID,
            _c("line_id", "string", "明细标识", "line id",
               desc="doc_id:table:resource:row key:measure; the same on every run"),
            _c("year", "integer", "预算年度", "budget year"),
            _c("table_no", "integer", "表号", "table number", desc="1–13 (carried-over projects: 13)"),
            _c("resource", "string", "来源资源", "source resource"),
            _c("row_key", "string", "来源行键", "source row key",
               desc="The source row's primary key without doc_id (seq zero-padded)"),
            _c("side", "string", "收支", "side", desc="income or expenditure, where the table has sides"),
            _c("direction", "string", "收支方向", "direction", desc="revenue or expenditure"),
            _c("classification", "string", "分类", "classification",
               desc="functional, revenue, economic, administrative, project, item or summary"),
            _c("code", "string", "科目编码", "code", desc="Functional or revenue code; null when none"),
            _c("item", "string", "项目", "item", desc="Subject, item, economic, unit or project name"),
            ROW_KIND,
            _c("unit_id", "string", "单位标识", "unit id"),
            _c("project_id", "string", "项目标识", "project id"),
            _c("measure", "string", "金额列", "measure",
               desc="The source column: total, basic, project, general_budget, carryover, …"),
            _c("fund_source", "string", "资金来源", "fund source",
               desc="general_budget, fund_budget, state_capital, special_account, unit_funds, "
                    "carryover, current_year, or null for all sources"),
            _c("expenditure_type", "string", "支出类型", "expenditure type", desc="basic, project or null"),
            _money("amount_wan", "金额（万元）", "amount (10k yuan)"),
            _money("amount_yuan", "金额（元）", "amount (yuan)", "元"),
            _c("table_title", "string", "表名", "table title", desc="The table's title as printed"),
            _c("column_label", "string", "列名", "column", desc="The column's header as printed"),
            _c("printed_unit", "string", "原表单位", "printed unit", desc="万元 or 元, as the table prints"),
            _c("printed", "string", "原文金额", "printed amount", desc="The cell as printed"),
            SOURCE_LINE,
        ),
        ("doc_id", "line_id"),
        description="One printed amount of the tables per row (empty cells skipped), in 万元 and 元; "
                    "subtotal and total rows included, so filter on row_kind before summing. Tables "
                    "of no template kind (table_no 0) are here too, with their printed titles.",
        foreign_keys=(_fk_doc(),),
    ),
    Resource(
        "source_tables", "原文表格", "source tables",
        (
            DOC_ID,
            SEQ,
            _c("table_no", "integer", "表号", "table number",
               desc="Number of the template table it is (1–13), 0 for a table of no template kind"),
            _c("resource", "string", "资源", "resource", desc="The resource its rows went to; null for none"),
            _c("title", "string", "表名", "title", desc="The title as printed"),
            _c("printed_unit", "string", "金额单位", "printed unit", desc="万元 or 元, as the table states"),
            _c("rows", "integer", "数据行数", "data rows"),
            _c("pages", "integer", "页数", "pages", desc="Pages it spans (continued tables)"),
            _c("status", "string", "状态", "status", desc="parsed, duplicate, or unmapped (no template kind)"),
            SOURCE_LINE,
        ),
        ("doc_id", "seq"),
        description="Every table the document prints, recognised or not, with its title and unit.",
        foreign_keys=(_fk_doc(),),
    ),
)


def _with_page(resource: Resource) -> Resource:
    """Every row that cites its source line also cites the page: source_page before source_line."""
    names = resource.column_names
    if "source_line" not in names:
        return resource
    at = names.index("source_line")
    return replace(resource, columns=(*resource.columns[:at], SOURCE_PAGE, *resource.columns[at:]))


RESOURCES = tuple(_with_page(r) for r in RESOURCES)
BY_NAME: dict[str, Resource] = {r.name: r for r in RESOURCES}


def resource(name: str) -> Resource:
    """The resource called `name`; KeyError with the known names otherwise."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown resource {name!r}; known: {', '.join(BY_NAME)}") from None


def cited(name: str) -> str:
    """A resource as a findings message names it, in Chinese: `表2（预算收入总表）` for a
    template table, its Chinese title otherwise; an unknown name as it is."""
    found = BY_NAME.get(name)
    if found is None:
        return name
    return f"表{found.table_no}（{found.zh}）" if found.table_no else found.zh


__all__ = ["BY_NAME", "PRECISION", "RESOURCES", "SCALES", "Column", "ForeignKey", "Resource", "cited", "resource"]
