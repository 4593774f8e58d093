"""The template family's vocabulary, as data: table titles, part headings, labels, units.

Every city prints the national template with its own words: `收支总表`, `收支预算总表`,
`财务收支预算总表`, `收支总体情况表` and `部门综合预算收支总表` are all table 1. What a table
is, is decided here from its printed title (label, year, department and filler words
removed), never from its number, its position or a file name. Column words live with the
tables that use them (`COLUMNS`), so a parser asks for a column by meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = "一二三四五六七八九十"


@dataclass(frozen=True, slots=True)
class TableKind:
    """A kind of table of the template: its number in the national template, the resource its
    rows go to, and the patterns its normalised title matches (whole)."""

    no: int
    resource: str
    titles: tuple[str, ...]

    def matches(self, body: str) -> bool:
        """Whether a normalised title is this kind's; a note in brackets at its end that does
        not tell kinds apart (（不含上年结转）, （汇总）) is ignored."""
        note = _NOTE.search(body)
        bodies = [body, body[: note.start()]] if note and not _TELLING.search(note.group()) else [body]
        return any(re.fullmatch(p, b) for p in self.titles for b in bodies)


_NOTE = re.compile(r"[（(][^（）()]{1,16}[)）]$")
#: Notes that tell two kinds apart: by function or by economic item, this year or carried over.
_TELLING = re.compile(r"经济|功能|(?<!含)上年结转|本年")


#: An optional note in brackets after a title: （按功能分类科目）, （不含上年结转）, （本年预算）.
_FUNCTIONAL = r"(?:[（(][^（）()经]*(?:功能|不含上年结转|本年)[^（）()经]*[)）])?"
_ECONOMIC = r"(?:[（(][^（）()功]*经济[^（）()功]*[)）])?"

#: The tables of the national template, most specific first (the first match wins).
TABLE_KINDS: tuple[TableKind, ...] = (
    TableKind(4, "fiscal_summary", (r"财政拨款收支(?:预算)?总(?:体情况)?表",)),
    TableKind(1, "budget_summary", (r"(?:预算)?(?:财务)?收支(?:预算)?总(?:体情况)?表",)),
    TableKind(2, "income_by_subject", (r"(?:预算)?收入(?:预算)?总(?:体情况)?表",)),
    TableKind(3, "expenditure_by_subject", (r"(?:本年)?(?:预算)?支出(?:预算)?总(?:体情况)?表" + _FUNCTIONAL,)),
    TableKind(6, "basic_expenditure_by_economic", (
        r"一般公共预算(?:安排)?基本支出分?(?:部门预算)?经济(?:科目|分类)(?:预算|情况)?表",
        r"一般公共预算基本支出(?:预算|情况|明细)?表" + _ECONOMIC,
    )),
    TableKind(5, "general_budget_expenditure", (
        r"一般公共预算(?:拨款)?支出(?:功能分类)?(?:预算|明细|情况)*表" + _FUNCTIONAL,
    )),
    TableKind(7, "fund_income", (
        r"政府性基金(?:预算)?收入(?:预算)?表",
        r"政府性基金(?:预算)?(?:拨款)?收支(?:预算|情况)*表",  # 西安: tables 7 and 8 in one summary
    )),
    TableKind(8, "fund_expenditure", (
        r"政府性基金(?:预算)?(?:拨款)?支出(?:功能分类)?(?:预算|情况)*表" + _FUNCTIONAL,
    )),
    TableKind(9, "state_capital", (
        r"国有资本经营(?:预算)?(?:拨款)?(?:收支|支出)(?:功能分类)?(?:预算|情况)*表" + _FUNCTIONAL,
    )),
    TableKind(10, "three_public_costs", (
        r"(?:财政拨款|一般公共预算)?(?:拨款)?(?:安排的?)?(?:行政经费及)?\W?三公\W?经费.*表",
    )),
    TableKind(11, "operating_costs", (
        r"(?:财政拨款安排的?|一般公共预算)?机关运行经费(?:支出)?(?:预算)?表",
    )),
    TableKind(13, "projects", (r"项目支出(?:预算)?表[（(]上年结转[)）]",)),
    TableKind(12, "projects", (
        r"项目支出(?:及其他支出)?(?:预算|情况)*表(?:[（(]本年预算?[)）])?",
        r"专项业务经费支出表",
        r"项目支出总表",  # 深圳 (its 支出总表, without 项目, is table 3)
    )),
)
BY_NUMBER: dict[int, TableKind] = {kind.no: kind for kind in TABLE_KINDS}

#: Titles of performance target tables: per project, or for the department as a whole.
PERFORMANCE_TITLES = re.compile(r"^[^，。；：:]{0,40}绩效目标(?:申报)?表(?:[（(][^）)]{0,12}[)）])?$")
#: The narrative heading that the performance tables of some templates follow.
PERFORMANCE_TITLE = "项目支出绩效目标表"

#: A label printed above or before a title, never part of it: 预算公开表1, 公开01表, 表1, 表一.
LABEL = re.compile(r"^(?:(?:预算|部门)?公开\s*\d*\s*表\s*\d*|附?表\s*[" + _NUM + r"\d]+)$")
_LEADING_LABEL = re.compile(
    r"^(?:(?:预算|部门)?公开\d*表\d*|附?表(?:[" + _NUM + r"]+(?![" + _NUM + r"])|\d{1,2}(?!\d))|"
    r"[（(][" + _NUM + r"\d]+[)）]|[" + _NUM + r"]+、|\d{1,2}[.．、](?!\d))"
)
_YEAR = re.compile(r"(\d{4})\s*(?:年度?|(?=部门|单位))")
#: Words before a table's name that say whose it is, not what it is.
_FILLER = re.compile(r"^(?:部门?综合预算|部门预算|预算单位|部门|单位|本级|市级)")
#: A title is short and ends in 表 (maybe with a note in brackets); a sentence is not a title.
_TABLE_LIKE = re.compile(r"^[^，。；：:,;]{2,40}(?<!报)表(?:[（(][^）)]{1,24}[)）])?$")

#: Parts of a document: `第二部分 2026年部门预算报表`, `第五部分：部门预算公开报表`, `二、表格部分`.
PART = re.compile(r"^(?:第([" + _NUM + r"]+)部分|([" + _NUM + r"]+)、(?=\S{0,6}部分$))[：:\s]*(.*)$")
#: What a part holds, from the words of its heading (first match).
PART_KINDS: tuple[tuple[str, str], ...] = (
    ("glossary", r"名词解释|名词说明"),
    ("tables", r"报表|预算表|表格|公开表"),
    ("overview", r"概况|基本情况|职责|机构"),
    ("narrative", r"."),
)
#: A section heading of the narrative that starts the glossary in templates without a 部分.
GLOSSARY_HEADING = re.compile(r"^(?:[" + _NUM + r"]+、|[（(][" + _NUM + r"]+[)）])\s*名词解释$")

#: A line saying the tables are published apart from this file, as an attachment (北京:
#: `附件：北京市信访办公室部门2026年度部门预算报表`, the tables a separate download).
ATTACHMENT = "附件"
TABLES_ATTACHED = re.compile(
    r"^附件\s*[\d" + _NUM + r"]*\s*[：:].*(?:报表|公开表|预算表|表格)|(?:详见|见)附件.{0,24}(?:报表|公开表|预算表)"
)


def tables_attached(text: str) -> bool:
    """Whether a line says the tables are attached (TABLES_ATTACHED; every match names the
    ATTACHMENT, so the other lines are passed over without the pattern)."""
    return ATTACHMENT in text and TABLES_ATTACHED.search(text.strip()) is not None

#: In a narrative sentence, the words that open the reason for a change (`主要原因是…该车辆运行
#: 维护经费12.5万元由省工信厅拨付`): an amount after them explains, it is no amount of a table.
NARRATIVE_REASON = re.compile(r"原因")

#: Table meta lines (who and which unit) and the unit they state.
META = re.compile(r"^(部门名称|单位名称|编制单位|预算单位|填报单位|部门|单位|金额单位)[：:]")
UNIT = re.compile(r"(?:金额)?单位[：:]\s*(万元|元|千元|亿元)")
#: Multiplier from each printed unit to 元.
UNIT_FACTORS = {"元": 1, "千元": 1000, "万元": 10000, "亿元": 100000000}
NO_DATA = re.compile(r"本表无数据|无数据|本表为空|空表")


def strip_year(text: str) -> tuple[str, int | None]:
    """The text after its year (`上海市2026年度…` → `…`, 2026), or the text and None."""
    match = _YEAR.search(text)
    if not match:
        return text, None
    return text[match.end():], int(match.group(1))


def title_body(text: str) -> tuple[str, int | None]:
    """A printed title reduced to what names the table, and its year: label, year, department
    and filler words removed (`表一2026年预算收支总表` → `预算收支总表`; `北京市统计局2026年度
    部门收支总表` → `收支总表`)."""
    body = re.sub(r"\s+", "", text).replace("“", "").replace("”", "").replace('"', "")
    body = _LEADING_LABEL.sub("", body)
    body, year = strip_year(body)
    body = _LEADING_LABEL.sub("", body)
    while True:
        stripped = _FILLER.sub("", body)
        if stripped == body:
            return body, year
        body = stripped


def table_kind(text: str) -> tuple[TableKind | None, int | None, bool]:
    """(kind, year, table-like) of a line's text: the kind of a template table, or None for a
    title that names some other table (table-like) or no table at all."""
    if "表" not in text[-24:]:  # every title ends in 表 (or 表 and a short note): most lines are not
        return None, None, False
    body, year = title_body(text)
    if not body or len(body) > 48:
        return None, year, False
    for kind in TABLE_KINDS:
        if kind.matches(body):
            return kind, year, True
    return None, year, bool(_TABLE_LIKE.match(body)) and not PERFORMANCE_TITLES.search(body)


def part_kind(words: str) -> str:
    """What a part holds (overview, tables, narrative, glossary), from its heading's words."""
    for kind, pattern in PART_KINDS:
        if re.search(pattern, words):
            return kind
    return "narrative"


# ---- summaries (tables 1 and 4)
# The two-sided summaries print income (收入) on the left and expenditure (支出) on the right,
# each an item column and one or more amount columns. Row labels are compared without spaces.

#: The header group over the expenditure half (`支 出`, `本年支出`, `财政拨款支出`).
SUMMARY_EXPENDITURE_SIDE = re.compile(r"支出")
#: Columns that number the rows (`序号`): neither items nor amounts.
SUMMARY_ROW_NUMBER_COLUMN = re.compile(r"^(?:序号|行次|栏次)$")
#: A line of header words only (no amount, no item), printed again where the header is two
#: lines deep or a page continues the table: `总计 一般公共预算 政府性基金预算 …`.
SUMMARY_HEADER_WORD = re.compile(
    r"^(?:项目|收入|支出|本年收入|本年支出|财政拨款收入|财政拨款支出|总计|合计|小计|金额|预算数?|"
    r"本年预算|\d{4}年?度?(?:预算数?|合计)?|当年预算安排|上年结转安排|基本支出|项目支出|人员经费|"
    r"公用经费|一般公共预算|政府性基金(?:预算)?|国有资本经营(?:预算)?|序号)$"
)

#: Row kinds from labels (spaces removed, numbering such as `一、` or `（一）` removed).
SUMMARY_TOTAL = re.compile(r"^(?:收入|支出)?总计$")
#: `收入合计` / `支出合计`: the grand total where no 总计 row is printed, else a subtotal.
SUMMARY_TOTAL_UNLESS_GRAND = re.compile(r"^(?:收入|支出)合计$")
SUMMARY_SUBTOTAL = re.compile(r"^本年(?:收入|支出)(?:合计|小计)?$")
#: On the income side of table 4, the heading of the carried-over group (上年结转).
SUMMARY_CARRY_IN = re.compile(r"^上年(?:财政拨款)?(?:结转|结余)")
#: `其中：…`: a part of the line above, not added into any sum.
SUMMARY_OF_WHICH = re.compile(r"^其中[：:]")
#: Item numbering styles, outermost first as templates print them; a row's level is the
#: order in which its style first appears within a block of rows.
SUMMARY_NUMBERING: tuple[tuple[str, str], ...] = (
    ("cn", r"^[" + _NUM + r"]+[、.．]"),
    ("cn_paren", r"^[（(][" + _NUM + r"]+[)）]"),
    ("arabic", r"^\d{1,2}[、.．](?!\d)"),
    ("paren", r"^[（(]\d{1,2}[)）]"),
    ("circled", r"^[①②③④⑤⑥⑦⑧⑨⑩]"),
)

#: Amount columns of each side, by header label (first match wins; an unlabelled first
#: amount column is the side's amount). Table 1: amount (合计), current year, carried over.
SUMMARY_T1_EXPENDITURE = (
    ("current_year", r"当年预算|本年预算安排"),
    ("carryover", r"上年结转"),
    ("amount", r"^(?:\d{4}年?度?)?(?:合计|总计|小计|预算数?|金额|本年预算|预算数)$"),
)
#: Table 4 expenditure: total (小计) and one column per fund.
SUMMARY_T4_EXPENDITURE = (
    ("general_budget", r"一般公共预算"),
    ("fund_budget", r"政府性基金"),
    ("state_capital", r"国有资本"),
    ("total", r"^(?:\d{4}年?度?)?(?:合计|总计|小计|预算数?|金额|本年预算|预算数)$"),
)
#: Expenditure lines of table 1 that split it by nature, not by class (长沙: 一、基本支出
#: 二、项目支出): the table 3 column each equals.
SUMMARY_BY_NATURE = (("basic", r"^基本支出$"), ("project", r"^项目支出$"))
#: Income lines of table 1 that are no fiscal appropriation (table 4 = table 1 only without them).
SUMMARY_NON_FISCAL_INCOME = (
    r"财政专户|单位资金|事业收入|经营收入|其他收入|其它收入|上级补助|附属单位|非财政拨款|事业基金|实户资金"
)

#: A 政府性基金 table printing income and expenditure side by side (西安 政府性基金收支表): its
#: income side is table 7, its expenditure by class table 8, in the form of a summary.
FUND_SUMMARY_TITLE = re.compile(r"政府性基金(?:预算)?(?:拨款)?收支")
#: In such a summary, the lines of the expenditure by nature (部门预算支出经济分类 by 大类)
#: that are the 基本支出 and 项目支出 of the table 8 合计 row.
FUND_SUMMARY_NATURE = (("basic", r"^(?:人员经费和公用经费|基本)支出$"), ("project", r"^(?:专项业务经费|项目)支出$"))

# ---- subject tables (2, 3, 5, 7, 8, 9)
#: Header labels (spaces removed) of the subject code column: 科目编码, 功能分类科目编码, 类款项.
#: A PDF may print the last character of a header over the next cell (上海: 功能分类科目编 |
#: 码功能分类科目名称): the code label without its 码, the name label with it.
SUBJECT_CODE_LABEL = re.compile(r"^(?!单位|预算单位|部门)\S{0,8}(?:科目)?(?:编码|代码)$|^类款项$|^\S{0,6}科目编$")
#: Header labels of the subject name column: 科目名称, 功能科目, 功能分类科目名称, 功能科目名称.
SUBJECT_NAME_LABEL = re.compile(r"^码?(?:支出)?(?:功能(?:分类)?)?科目(?:名称)?$|^码?功能(?:分类)?科目(?:名称)?$")
#: Header labels of a unit column before the codes (深圳 预算单位) or instead of them (a table
#: printed by unit: 广州, 福州, 无锡 部门代码/部门名称, 西安 table 2).
SUBJECT_UNIT_LABEL = re.compile(r"^(?:预算)?(?:单位|部门)(?:名称|编码|代码)?$")
#: The label of a total row (合计 at the top or the bottom, 合 计 read without spaces).
SUBJECT_TOTAL_ROW = re.compile(r"^(?:合计|总计|收入总计|支出总计|总合计|本年收入合计|本年支出合计)$")
#: A column label that says "the sum of the group above me" (its meaning is the group's).
SUBJECT_SUBTOTAL_WORD = re.compile(r"^(?:小计|合计|金额|总计)$")
#: "Of which": a column that is a part of the one to its left (其中：专项资金列入部门预算项目).
SUBJECT_OF_WHICH = re.compile(r"^其中[:：]?")
#: A header label of a table's total column.
SUBJECT_TOTAL_COLUMN = re.compile(
    r"^(?:合计|总计|小计|收入总计|支出总计|本年支出合计|本年收入合计|金额|预算数|"
    r"\d{4}年?度?(?:合计|预算数?)|(?:收入|支出)预算(?:数)?|政府性基金(?:预算)?收入(?:预算)?(?:数)?)$"
)
#: Per resource column: (pattern of a column that is the whole amount, pattern of a column
#: that is one part of it — summed when the table prints no whole column).
SUBJECT_EXPENDITURE_COLUMNS: dict[str, tuple[str, str | None]] = {
    "basic": (r"基本支出", r"人员(?:经费|支出)|(?:日常)?公用(?:经费|支出)"),
    "project": (r"^项目支出|专项业务经费|^专项支出", None),
}
SUBJECT_INCOME_COLUMNS: dict[str, tuple[str, str | None]] = {
    "carryover": (r"^上年(?:财政拨款)?(?:结转|结余)", None),
    "general_budget": (r"一般公共预算|^公共预算拨款", None),
    "fund_budget": (r"政府性基金", None),
    "state_capital": (r"国有资本", None),
    "special_account": (r"财政专户", r"^教育收费|专户收入"),
    "unit_funds": (r"^单位资金$|^其他资金收入$",
                   r"事业收入|经营(?:服务)?收入|上级补助|附属单位上缴|其[他它]收入|事业基金|"
                   r"非财政拨款结余|实户资金"),
}
#: A fiscal appropriation column that is the general budget when no 一般公共预算 column is
#: printed (上海 财政拨款收入, 长沙 本级财政拨款 金额).
SUBJECT_FISCAL_COLUMN = re.compile(r"^(?:本级)?财政拨款(?:收入)?$")
#: A line that ends a subject table's rows: a note under it.
SUBJECT_NOTE = re.compile(r"^[（(]?(?:注|备注|说明)[：:]")

# ---- itemised tables (6, 10, 11, 12, 13)

#: Table 6 column labels: the economic code (科目编码, 部门经济科目编码), the item's name, the
#: government economic item, and the amounts 合计 / 人员经费 / 公用经费 in each city's words.
ECON_CODE_LABEL = r"编码|代码"
ECON_NAME_LABEL = r"名称"
GOV_ECON_NAME_LABEL = r"^政府.*名称"
ECON_TOTAL_LABEL = r"^(?:合计|小计|总计|预算数?|金额|\d{4}年?预算数)$"
PERSONNEL_LABEL = r"人员"
PUBLIC_LABEL = r"公用"
#: The economic classes that make up 人员经费 where table 6 prints no 人员经费 column (福州
#: prints one 预算数 column by class): 工资福利支出 and 对个人和家庭的补助; 公用经费 is the rest.
PERSONNEL_CLASSES = r"^(?:工资福利支出|对个人和家庭的补助)$"
#: Table 10/11 amount columns: the total, and each fund (column name, label pattern).
FUND_TOTAL_LABEL = r"^(?:合计|总计|小计|预算数?|金额|\d{4}年?预算数|机关运行经费(?:支出|预算数?)?)$"
FUND_LABELS = (("general_budget", r"一般公共预算"), ("fund_budget", r"政府性基金"),
               ("state_capital", r"国有资本"))
#: Table 10 items (role, pattern), matched on a row's item or a wide header's text; the order
#: matters: 购置及运行 before 购置 and 运行.
THREE_PUBLIC_ITEMS = (
    ("travel", r"出国"),
    ("reception", r"接待"),
    ("vehicles", r"购置(?:及|和|与)运行|车辆购置及运"),
    ("purchase", r"购置"),
    ("operation", r"运行"),
)
#: How each item is named where a table prints no row for it.
THREE_PUBLIC_NAMES = (("travel", "因公出国（境）费"), ("reception", "公务接待费"),
                      ("vehicles", "公务用车购置及运行维护费"), ("purchase", "公务用车购置费"),
                      ("operation", "公务用车运行维护费"), ("total", "“三公”经费合计"))
THREE_PUBLIC_TOTAL = r"^(?:合计|总计|小计)$"
THREE_PUBLIC_WORD = r"三公"
#: Measures printed in or beside a 三公 table that are not 三公 items.
THREE_PUBLIC_OTHER = r"会议费|培训费|行政经费|机关运行经费"
#: Period headers of wide tables (2025年预算数, 上年, 当年, 增减变化情况) and the change column.
PERIOD_LABEL = r"\d{4}年|^(?:上年|当年|本年|增减|比上年)"
CHANGE_LABEL = r"增减|变化|比上年|增长"
CURRENT_PERIOD = r"当年|本年"
ROW_PERIOD_LABEL = r"年度|年份"
#: Tables 12/13: the project (or unit) name column, and the total column in order of
#: preference (广州 prints 总计 beside the 财政拨款 合计).
PROJECT_NAME_LABEL = r"名称|支出项目类别|^项目$"
PROJECT_TOTAL_LABELS = (r"^总计$", r"^合计$", r"^(?:项目金额|金额|预算数|\d{4}年?预算数|小计)$")
#: Table 12's column of the part carried over from last year, printed beside the funds (深圳
#: 上年结余、结转; also 上年结转, 上年结余结转, 上年财政拨款结转).
PROJECT_CARRYOVER_LABEL = r"^上年(?:财政拨款)?(?:结转|结余)"
#: A note under a table (注：…, （注：…）, 说明：…): the table ends there.
NOTE_START = r"^[（(]?(?:注|说明|备注)[:：]"
#: 机关运行经费: table 11, or a column of 上海's combined 三公 table.
OPERATING_WORD = "机关运行经费"
#: 单位资金, which 广州 prints as 其他资金 (the funds that are not 财政拨款 or 财政专户).
UNIT_FUNDS_LABEL = r"单位资金|其他资金"
#: How a unit's name ends (a row so named may be a unit's subtotal row in tables 12/13).
UNIT_SUFFIX = (r"(局|中心|学校|学院|院|所|站|队|馆|委员会|办公室|处|讲师团)"
               r"(\([^()]*(局|中心|院|所|站|队|馆|会|室|处|本级)\))?$")

# ---- performance targets printed as text (广州 表12 and 七、重点项目预算绩效目标情况, 深圳 第七部分)
#: Columns of a table of targets with one row per project: `项目 | 预算数（单位：万元） | 绩效目标`,
#: `二级预算单位名称 | 一级项目名称 | 预算数（万元） | 绩效目标` (labels compared without spaces;
#: a header needs a name, a funds and a goal column).
TARGET_TEXT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("goal", r"^(?:项目|年度|整体)?绩效目标(?:[（(].*[)）])?$"),
    ("name", r"^(?:[一二三]级)?项目(?:名称)?$"),
    ("funds", r"^(?:预算数|预算金额|金额|资金总额|预算安排|年度预算|本年预算)"),
    ("unit", r"^(?:[一二三]级)?(?:预算)?单位(?:名称)?$"),
)
#: The goal column of a project table (广州 表12 `… | 其他资金 | 绩效目标`): the text target of
#: each project row.
PROJECT_GOAL_LABEL = r"^(?:项目)?绩效目标$"
#: The unit a funds label prints: `预算数（单位：万元）`, `预算数（万元）`.
TARGET_FUNDS_UNIT = re.compile(r"(万元|千元|亿元|元)")
