"""The figures of 第三部分 情况说明 against the tables, each reported (checked or not).

Every figure `figures.narrative_figures` finds gets exactly one finding, so `--verbose`
shows the coverage:

- `narrative.amount`: an amount against the table that states it (表1 收入总计, 表5 205 …);
- `narrative.percent`: `占X%` = the amount before it / the paragraph's first amount (the
  total the paragraph is about), rounded as printed (`5.30%` to two places, `100%` to none);
- `narrative.change`: a year-on-year percentage against its change: `比上年减少1736.37万元，
  下降5.89%` with last year = this year + 1736.37; and the "三公" total change against the
  changes stated for its items. Last year's budget itself is not in the document;
- `narrative.count`: a number of units, projects or performance tables against the tables;
- `narrative.sum`: totals of parts no table states (政府采购 货物 + 工程 + 服务, the project
  kinds of 绩效管理, the vehicles of 国有资产) against the parts printed;
- `narrative.unchecked` (info): a figure that cannot be checked, with the reason.

A figure that differs is an error (`rounding` within the tolerance, or one unit of the last
printed place of a percentage).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from budgettui import vocabulary as vocab
from budgettui.checks import ZERO, Ctx, Row, fmt, rule, total
from budgettui.figures import Figure, narrative_figures
from budgettui.table_rules import (
    classes,
    clean,
    department_total,
    expenditure_lines,
    find_item,
    label,
    side,
    total_row,
)

HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class Ref:
    """What a table says: the value, where it is printed, its line, the table's number; or
    why the figure cannot be checked against it (`reason`)."""

    value: Decimal | None
    where: str
    line: int | None = None
    table: int | None = None
    reason: str | None = None


Resolver = Callable[[Ctx, Figure], Ref | None]


@dataclass(slots=True)
class Claim:
    """One figure, the rule that reports it, and how (a check, or the reason it has none)."""

    figure: Figure
    rule_id: str
    check: Callable[[Ctx], None]


# ---------------------------------------------------------------- what the tables say

def _row_ref(row: Row | None, column: str, where: str, table: int | None = None) -> Ref:
    if row is None:
        return Ref(None, f"{where}（表中无此行）", None, table)
    return Ref(row[column] if row[column] is not None else ZERO, where, row["source_line"], table)


def _summary_row(ctx: Ctx, resource: str, side_name: str, kind: str, pattern: str = "") -> Row | None:
    rows = [r for r in side(ctx.doc[resource], side_name) if r["row_kind"] == kind]
    return find_item(rows, pattern) if pattern else (rows[0] if rows else None)


def t1(side_name: str, kind: str, column: str, pattern: str = "") -> Callable[[Ctx, Figure], Ref]:
    def ref(ctx: Ctx, figure: Figure) -> Ref:
        row = _summary_row(ctx, "budget_summary", side_name, kind, pattern)
        return _row_ref(row, column, f"表1 {row['item'] if row else pattern or kind}", 1)
    return ref


def t4(side_name: str, kind: str, column: str, pattern: str = "") -> Callable[[Ctx, Figure], Ref]:
    resource = "fiscal_summary"

    def ref(ctx: Ctx, figure: Figure) -> Ref:
        row = _summary_row(ctx, resource, side_name, kind, pattern)
        name = f"{row['item'] if row else pattern or kind} {'' if column == 'total' else label(resource, column)}"
        return _row_ref(row, column, f"表4 {name}".strip(), 4)
    return ref


_FUND_COLUMNS = ("general_budget", "fund_budget", "state_capital")


def t4_fund(fund: str, column: str) -> Resolver:
    """A fund in 财政拨款收支: `…拨款收入` is the fund's row of 本年收入 (table 4's income side);
    else the fund's column on the 支出总计 row, which some templates do not print (西安: one
    amount column, the funds as income rows)."""
    by_column = t4("expenditure", "total", column)

    def ref(ctx: Ctx, figure: Figure) -> Ref | None:
        rows = ctx.doc["fiscal_summary"]
        if "收入" in figure.label:
            current = [r for r in side(rows, "income") if r["row_kind"] == "item"
                       and not re.search(vocab.SUMMARY_CARRY_IN, r["group"] or "")]
            row = find_item(current, fund)
            if row is not None:
                return _row_ref(row, "total", f"表4 {row['item']}", 4)
        if rows and all(r[c] is None for r in rows for c in _FUND_COLUMNS):  # no fund column printed
            return Ref(None, "", reason="表4未分资金列示支出")
        return by_column(ctx, figure)
    return ref


def head(resource: str, no: int, column: str) -> Callable[[Ctx, Figure], Ref]:
    def ref(ctx: Ctx, figure: Figure) -> Ref:
        rows = ctx.doc[resource]
        row = total_row(rows) if rows and "code" in rows[0] else next(
            (r for r in rows if r["row_kind"] == "total"), None)
        return _row_ref(row, column, f"表{no} 合计行 {label(resource, column)}", no)
    return ref


def basic_split(column: str) -> Resolver:
    """人员经费 or 公用经费 of table 6: its 合计 row, or — the table printing one amount column by
    economic class — 工资福利支出 + 对个人和家庭的补助 (公用经费: the 合计 less those). A sum the
    page does not print: a figure that differs is reported unchecked, with the sum."""
    printed = head("basic_expenditure_by_economic", 6, column)

    def ref(ctx: Ctx, figure: Figure) -> Ref | None:
        rows = ctx.doc["basic_expenditure_by_economic"]
        whole = next((r for r in rows if r["row_kind"] == "total"), None)
        if whole is None or whole[column] is not None or any(r[column] is not None for r in rows):
            return printed(ctx, figure)
        classes = [r for r in rows if r["row_kind"] == "group"
                   and re.search(vocab.PERSONNEL_CLASSES, clean(r["dept_econ_name"]))]
        if not classes or whole["total"] is None:
            return Ref(None, "", reason="表6未分人员经费、公用经费列示")
        personnel = total(r["total"] for r in classes)
        value = personnel if column == "personnel" else whole["total"] - personnel
        names = " + ".join(r["dept_econ_name"] for r in classes)
        where = f"表6 {names}" if column == "personnel" else f"表6 合计 − （{names}）"
        if value != figure.value:
            return Ref(None, "", reason=f"表6未分人员经费、公用经费列示；按经济分类 {where} = {fmt(value)}")
        return Ref(value, where, classes[0]["source_line"], 6)
    return ref


def t10(role: str | None) -> Callable[[Ctx, Figure], Ref]:
    """A row of table 10 by its role (vocabulary.THREE_PUBLIC_ITEMS: 购置费 is 公务用车购置费
    or 公务用车购置经费), or its total row (None: 合计, or the “三公”经费 row that heads the
    items) whatever its label."""
    def ref(ctx: Ctx, figure: Figure) -> Ref:
        rows = ctx.doc["three_public_costs"]
        if role is None:
            row = next((r for r in rows if r["row_kind"] == "total"), None)
        else:
            row = next((r for r in rows if r["row_kind"] != "total" and three_public_role(r["item"]) == role),
                       None)
        where = row["item"] if row else dict(vocab.THREE_PUBLIC_NAMES).get(role or "total", role)
        return _row_ref(row, "total", f"表10 {where}", 10)
    return ref


def three_public_role(text: str) -> str | None:
    """The 三公 item a label or row names (the first of THREE_PUBLIC_ITEMS that matches)."""
    return next((role for role, pattern in vocab.THREE_PUBLIC_ITEMS if re.search(pattern, text)), None)


def carryover_fund(fund: str) -> Resolver:
    """`上年结转结余的一般公共预算收入`: the carried-over row of that fund on table 4's income
    side (table 1 states only the carried-over total)."""
    def ref(ctx: Ctx, figure: Figure) -> Ref | None:
        rows = [r for r in side(ctx.doc["fiscal_summary"], "income")
                if r["row_kind"] == "item" and re.search(vocab.SUMMARY_CARRY_IN, r["group"] or "")]
        row = find_item(rows, fund)
        if row is None:
            return Ref(None, "", reason="表中未分资金列示上年结转")
        return _row_ref(row, "total", f"表4 上年结转 {row['item']}", 4)
    return ref


def carryover_by_side(ctx: Ctx, figure: Figure) -> Ref:
    """上年结转 in 一: of the expenditure total when the sentence is about 支出."""
    if "支出" in figure.before:
        return t1("expenditure", "total", "carryover")(ctx, figure)
    return t1("income", "item", "amount", "^上年结转")(ctx, figure)


def class_line(resource: str, no: int) -> Callable[[Ctx, Figure], Ref | None]:
    """An expenditure 类 named by the label (教育支出) in table 4 or 5."""
    def ref(ctx: Ctx, figure: Figure) -> Ref | None:
        name = clean(figure.label)
        if resource == "fiscal_summary":
            row = next((r for r in expenditure_lines(ctx.doc[resource]) if clean(r["item"]) == name), None)
            return _row_ref(row, "total", f"表{no} {row['item']}", no) if row else None
        found = classes(ctx.doc[resource]).get(name)
        return _row_ref(found, "total", f"表{no} {found['code']} {found['name']}", no) if found else None
    return ref


def quoted_project(ctx: Ctx, figure: Figure) -> Ref | None:
    """`“医保局城乡医疗救助代办服务费”…总金额 30 万元`: the project named last before it."""
    text = "".join(r["text"] for r in ctx.doc["narrative"]
                   if r["part"] == "情况说明" and r["seq"] <= figure.seq and r["section"] and
                   figure.section in r["section"])
    names = re.findall(r"“([^”]+)”", text)
    if not names:
        return None
    projects = [p for p in ctx.doc["projects"] if clean(p["name"]) == clean(names[-1])]
    if not projects:
        return Ref(None, f"表12 项目“{names[-1]}”（无此项目）", None, 12)
    return Ref(total(p["total"] for p in projects), f"表12 {projects[0]['project_id']} {projects[0]['name']}",
               projects[0]["source_line"], 12)

#: Per section (title without number): label patterns of amounts and where the tables state them.
AMOUNTS: tuple[tuple[str, tuple[tuple[str, Resolver], ...]], ...] = (
    (r"收支数据|收支.*变动", (
        (r"收入总计|收入合计", t1("income", "total", "amount")),
        (r"支出总计|支出合计", t1("expenditure", "total", "amount")),
        (r"本年收入", t1("income", "subtotal", "amount")),
        (r"本年预算安排|本年支出", t1("expenditure", "total", "current_year")),
        (r"上年结转", carryover_by_side),
    )),
    (r"^收入预算", (
        (r"上年结转\S*的\S*一般公共预算", carryover_fund("一般公共预算")),
        (r"上年结转\S*的\S*政府性基金", carryover_fund("政府性基金")),
        (r"上年结转\S*的\S*国有资本", carryover_fund("国有资本")),
        (r"上年结转\S*的", lambda ctx, f: Ref(None, "", reason="表中未分资金列示上年结转")),
        (r"一般公共预算", t1("income", "item", "amount", "一般公共预算")),
        (r"政府性基金", t1("income", "item", "amount", "政府性基金")),
        (r"国有资本", t1("income", "item", "amount", "国有资本")),
        (r"财政专户", t1("income", "item", "amount", "财政专户")),
        (r"单位资金", t1("income", "item", "amount", "单位资金")),
        (r"上年结转", t1("income", "item", "amount", "^上年结转")),
        (r"预算收入$|收入总计|收入合计", t1("income", "total", "amount")),
    )),
    (r"^支出预算", (
        (r"基本支出", head("expenditure_by_subject", 3, "basic")),
        (r"项目支出", head("expenditure_by_subject", 3, "project")),
        (r"支出预算|支出总计|支出合计", head("expenditure_by_subject", 3, "total")),
    )),
    (r"财政拨款收支", (
        (r"支出$", class_line("fiscal_summary", 4)),
        (r"总预算|收支总", t4("income", "total", "total")),
        (r"当年拨款|本年收入", t4("income", "subtotal", "total", "本年收入")),
        (r"上年结转", t4("income", "subtotal", "total", "上年")),
        (r"一般公共预算", t4_fund("一般公共预算", "general_budget")),
        (r"政府性基金", t4_fund("政府性基金", "fund_budget")),
        (r"国有资本", t4_fund("国有资本", "state_capital")),
    )),
    (r"基本支出", (
        (r"人员经费", basic_split("personnel")),
        (r"公用经费", basic_split("public")),
        (r"基本支出", head("basic_expenditure_by_economic", 6, "total")),
    )),
    (r"一般公共预算(?:拨款)?支出", (
        (r"支出$", class_line("general_budget_expenditure", 5)),
        (r"当年\S*支出$|支出合计|支出总计", head("general_budget_expenditure", 5, "total")),
    )),
    (r"三公", (
        *((pattern, t10(role)) for role, pattern in vocab.THREE_PUBLIC_ITEMS),
        (vocab.THREE_PUBLIC_WORD, t10(None)),
    )),
    (r"机关运行", ((r"机关运行经费", head("operating_costs", 11, "total")),)),
    (r"其他说明", ((r"金额", quoted_project),)),
)

CHANGE = re.compile(r"(比上年|比\d{4}年|与上年|较上年|同比).*(减少|增加|下降|增长|上升|降低)")
CHANGE_PERCENT = re.compile(r"^(下降|增长|减少|增加|上升|降低)")
DOWN = ("减少", "下降", "降低")
SAME = re.compile(r"与上年(预算数)?相同|持平")


def _resolvers(figure: Figure) -> list[Resolver]:
    """The resolvers whose section and label patterns match, most specific first."""
    return list(_resolvers_of(figure.section, figure.label))


@lru_cache(maxsize=4096)
def _resolvers_of(section: str, label: str) -> tuple[Resolver, ...]:
    """_resolvers of a figure's section and label (cached: documents repeat their sentences)."""
    for pattern, pairs in AMOUNTS:
        if re.search(pattern, section):
            return tuple(resolver for label_pattern, resolver in pairs if re.search(label_pattern, label))
    return ()


# ---------------------------------------------------------------- reporting one figure

_OWNER = re.compile(r"^(本部门)?\d{4}年度?(本部门)?|^.*?[)）](?=[^()（）]{2,})")


def _label(figure: Figure) -> str:
    """The figure with its label, less the year and department that open most sentences."""
    label = _OWNER.sub("", figure.label, count=1) if len(figure.label) > 12 else figure.label
    return f"{label}{figure.printed}"


def report(ctx: Ctx, figure: Figure, rule_id: str, expected: Decimal | None, where: str,
           line: int | None, severity: str | None, note: str = "") -> None:
    """One finding for the figure: info when it agrees, `severity` when not."""
    ctx.checked += 1
    sign = "=" if severity is None else "≠"
    place = f"（第{line}行）" if line else ""
    message = f"{_label(figure)} {sign} {where} {fmt(expected)}{place}{note}"
    ctx.add(severity or "info", ctx.describe(f"情况说明 {figure.section}", message), "narrative",
            str(figure.seq), fmt(expected), fmt(figure.value), figure.line, rule_id)


def compare_amount(ctx: Ctx, figure: Figure, rule_id: str, ref: Ref, note: str = "") -> None:
    expected = ref.value
    difference = figure.value - (expected or ZERO)
    severity = "error" if expected is None else ctx.severity_of(difference)
    report(ctx, figure, rule_id, expected, ref.where, ref.line, severity, note)


def compare_exact(ctx: Ctx, figure: Figure, rule_id: str, expected: Decimal | int, where: str,
                  line: int | None = None, note: str = "") -> None:
    """Counts: any difference is an error."""
    severity = None if figure.value == expected else "error"
    report(ctx, figure, rule_id, Decimal(expected), where, line, severity, note)


def compare_percent(ctx: Ctx, figure: Figure, rule_id: str, part: Decimal, base: Decimal,
                    where: str) -> None:
    """`part / base` in per cent, rounded as printed; one unit of the last place is rounding."""
    if base == 0:
        unchecked(ctx, figure, f"{where}：分母为0")
        return
    unit = Decimal(1).scaleb(-figure.places)
    computed = (part / base * HUNDRED).quantize(unit, rounding=ROUND_HALF_UP)
    difference = abs(figure.value - computed)
    severity = None if difference == 0 else ("rounding" if difference <= unit else "error")
    report(ctx, figure, rule_id, computed, where, None, severity)


def unchecked(ctx: Ctx, figure: Figure, reason: str) -> None:
    """A figure that cannot be checked, with the reason (info, rule narrative.unchecked)."""
    message = f"{_label(figure)} 未核对：{reason}"
    ctx.add("info", ctx.describe(f"情况说明 {figure.section}", message), "narrative", str(figure.seq),
            None, fmt(figure.value), figure.line, "narrative.unchecked")


def part_of(ctx: Ctx, figure: Figure, total_figure: Figure) -> None:
    """A part whose sum is checked at `total_figure`'s finding."""
    ctx.checked += 1
    message = f"{_label(figure)}: 计入 {_label(total_figure)} 的核对"
    ctx.add("info", ctx.describe(f"情况说明 {figure.section}", message), "narrative", str(figure.seq),
            None, fmt(figure.value), figure.line, "narrative.sum")


# ---------------------------------------------------------------- planning: a claim per figure

def plan(ctx: Ctx) -> list[Claim]:
    """One claim per narrative figure (computed once per document)."""
    if "narrative" not in ctx.doc.cache:
        figures = narrative_figures(ctx.doc["narrative"])
        claims: dict[int, Claim] = {}
        paragraphs: dict[int, list[Figure]] = {}
        for figure in figures:
            paragraphs.setdefault(figure.seq, []).append(figure)
        for seq, own in paragraphs.items():
            for claim in _special(ctx, own, paragraphs, seq):
                claims.setdefault(id(claim.figure), claim)
            for figure in own:
                if id(figure) not in claims:
                    claims[id(figure)] = _generic(figure, own, figures)
        ctx.doc.cache["narrative"] = [claims[id(f)] for f in figures]
    return ctx.doc.cache["narrative"]


def _claim(figure: Figure, rule_id: str, check: Callable[[Ctx, Figure], None]) -> Claim:
    return Claim(figure, rule_id, lambda ctx: check(ctx, figure))


def _skip(figure: Figure, reason: str) -> Claim:
    return _claim(figure, "narrative.unchecked", lambda ctx, f: unchecked(ctx, f, reason))


def _subject(figure: Figure, own: list[Figure]) -> Figure | None:
    """The sentence's first amount (what a change in the sentence is about)."""
    return next((f for f in own if f.sentence == figure.sentence and f.amount), None)


def _previous(figure: Figure, own: list[Figure]) -> Figure | None:
    return own[figure.index - 1] if figure.index > 0 else None


def _generic(figure: Figure, own: list[Figure], figures: list[Figure]) -> Claim:
    """Amounts, shares and changes of any section."""
    previous = _previous(figure, own)
    if figure.percent and "占" in figure.label:
        base = share_base(figure, previous, figures) if previous is not None and previous.amount else None
        if previous is None or base is None:
            named = _named(_SHARE_WORDS.sub("", figure.label))
            return _skip(figure, f"文中未列出「{named}」的金额" if named and previous is not None
                         and previous.amount else "找不到所占的金额")
        return _claim(figure, "narrative.percent", lambda ctx, f: compare_percent(
            ctx, f, "narrative.percent", previous.value, base[0], f"{previous.printed} / {base[1]} × 100"))
    if figure.percent and previous is not None and CHANGE.search(previous.label) and CHANGE_PERCENT.match(
            figure.label):
        return _change_percent(figure, previous, own)
    if figure.amount and CHANGE.search(figure.label):
        following = own[figure.index + 1] if figure.index + 1 < len(own) else None
        if following is not None and following.percent and CHANGE_PERCENT.match(following.label):
            return _claim(figure, "narrative.change", lambda ctx, f: part_of_change(ctx, f, following))
        return _skip(figure, "同比变动，上年数不在本文件中")
    if figure.amount and vocab.NARRATIVE_REASON.search(figure.before):
        return _skip(figure, "原因说明中的金额，不是表中所列的金额")
    resolvers = _resolvers(figure) if figure.amount else []
    if resolvers:
        return _claim(figure, "narrative.amount", lambda ctx, f: _amount(ctx, f, resolvers))
    return _skip(figure, _reason(figure))


def _amount(ctx: Ctx, figure: Figure, resolvers: list[Resolver]) -> None:
    """The first resolver that finds the figure's row decides. A table the document does not
    print cannot contradict it (unchecked, with the reason); a row the table does not print
    states zero, so a figure of 0 agrees with it."""
    for resolver in resolvers:
        ref = resolver(ctx, figure)
        if ref is None:
            continue
        if ref.reason:
            unchecked(ctx, figure, ref.reason)
        elif ref.value is None and ref.table in ctx.doc.missing_tables():
            unchecked(ctx, figure, f"本文件未印出表{ref.table}，无从核对")
        elif ref.value is None and figure.value == 0:
            report(ctx, figure, "narrative.amount", ZERO, ref.where.replace("（表中无此行）", "（表中无此行，即为0）"),
                   None, None)
        else:
            compare_amount(ctx, figure, "narrative.amount", ref)
        return
    unchecked(ctx, figure, "无对应的表")


_SHARE_WORDS = re.compile(r"^.*?占")
_SHARE_FILLER = re.compile(r"的?(?:比重|比例)?(?:为|是)?$|^\d{1,2}[.．、]|^[（(][一二三四五六七八九十\d]+[)）]|"
                           r"[“”\"'\s]|^(?:本部门|部门)|^.*?\d{4}年度?")


@lru_cache(maxsize=4096)
def _named(label: str) -> str:
    """A label as a share names it: without year, owner, numbering, quotes (`2026年支出预算`,
    `占本年支出预算` → `支出预算`)."""
    label = clean(label)
    for _ in range(3):
        label = _SHARE_FILLER.sub("", label)
    return label


def share_base(figure: Figure, part: Figure, figures: list[Figure]) -> tuple[Decimal, str] | None:
    """The total a share `占X%` is of, and how it is shown. Named (`占本年支出预算`, `占“三公”
    经费的`): the nearest earlier amount so labelled, else the section's first amount whose
    label holds the name, else — the name printed with no amount of its own — the sum of the
    parts whose shares of it add up to 100% (北京: 基本支出 and 项目支出 of 本年支出预算, the
    年终结转结余 left out); a total less something (`财政性资金(人员类…除外)总额`) that no
    amount states, none. Unnamed, or the name not found: the paragraph's first amount; when
    that is the part itself (a list of items, one per paragraph: `基本支出3,604.32万元，占
    39.62%；`), the first amount of the nearest earlier paragraph of the section that is not
    such an item."""
    earlier = [f for f in figures if f.amount and (f.seq, f.index) < (part.seq, part.index)]
    name = _named(_SHARE_WORDS.sub("", figure.label))
    if name:
        same = next((f for f in reversed(earlier) if _named(f.label) == name), None)
        if same is None:
            same = next((f for f in earlier if f.section == figure.section and name in _named(f.label)), None)
        if same is not None:
            return same.value, same.printed
        parts = _shares_of(name, figure, figures)
        if parts:
            return total(p.value for p in parts), f"（{' + '.join(p.printed for p in parts)}）"
        if _EXCLUDING.search(name):
            return None
    own = [f for f in figures if f.seq == part.seq]
    first = next((f for f in own if f.amount), None)
    if first is not part:
        return (first.value, first.printed) if first is not None else None
    shared = {id(figures[i - 1]) for i, f in enumerate(figures) if i > 0 and f.percent and "占" in f.label}
    firsts = {f.seq: f for f in reversed(earlier)}
    found = next((f for f in reversed(earlier) if f.section == figure.section and firsts[f.seq] is f
                  and id(f) not in shared), None)
    return (found.value, found.printed) if found is not None else None


_EXCLUDING = re.compile(r"除外|不含|扣除")


def _shares_of(name: str, figure: Figure, figures: list[Figure]) -> list[Figure]:
    """The amounts whose shares of `name` are printed in the figure's section, when those shares
    add up to 100% (each rounded as printed); else none."""
    shares = [(f, figures[i - 1]) for i, f in enumerate(figures)
              if f.percent and "占" in f.label and f.section == figure.section and i > 0
              and figures[i - 1].seq == f.seq and figures[i - 1].amount
              and _named(_SHARE_WORDS.sub("", f.label)) == name]
    if len(shares) < 2:
        return []
    slack = sum(Decimal(1).scaleb(-f.places) for f, _ in shares)
    if abs(total(f.value for f, _ in shares) - HUNDRED) > slack:
        return []
    return [amount for _, amount in shares]


def part_of_change(ctx: Ctx, figure: Figure, percent: Figure) -> None:
    ctx.checked += 1
    message = f"{_label(figure)}: 与 {_label(percent)} 一并核对"
    ctx.add("info", ctx.describe(f"情况说明 {figure.section}", message), "narrative", str(figure.seq),
            None, fmt(figure.value), figure.line, "narrative.change")


def _change_percent(figure: Figure, change: Figure, own: list[Figure]) -> Claim:
    """`比上年减少C万元，下降P%`: P = C / (current + C) for a decrease, C / (current − C) else."""
    current = _subject(change, own)
    if current is None or current is change:
        return _skip(figure, "找不到本年金额")
    down = any(word in change.label for word in DOWN)
    last_year = current.value + change.value if down else current.value - change.value
    sign = "+" if down else "−"
    where = f"{change.printed} / 上年 {fmt(last_year)}（{current.printed} {sign} {change.printed}）× 100"
    return _claim(figure, "narrative.change", lambda ctx, f: compare_percent(
        ctx, f, "narrative.change", change.value, last_year, where))


def _reason(figure: Figure) -> str:
    """Why a figure no rule covers is not checked."""
    if figure.unit == "平方米":
        return "办公用房面积，表中无此数据"
    if figure.unit == "台":
        return "通用设备数量，表中无此数据"
    if figure.unit == "辆" and "编制" in figure.label:
        return "公务用车编制数，表中无此数据"
    if figure.amount and ("以上" in figure.after or "价值" in figure.label):
        return "价值门槛，不是预算金额"
    return "无对应的表"


# ---------------------------------------------------------------- sections with their own logic

def _special(ctx: Ctx, own: list[Figure], paragraphs: dict[int, list[Figure]], seq: int) -> list[Claim]:
    section = own[0].section
    if "政府采购" in section:
        return _sum_of_parts(own, r"总额|合计", r"货物|工程|服务")
    if "绩效" in section:
        return _performance(own)
    if "国有资产" in section:
        return _sum_of_parts([f for f in own if f.unit == "辆"], r"实有|共有(?!.*编制)", r"用车")
    if "机关运行" in section:
        return [_claim(f, "narrative.count", _unit_count) for f in own
                if f.unit in ("家", "个") and re.match(r"^(行政)?单位|^行政", f.after)]
    if "三公" in section:
        return _three_public_changes(own, paragraphs, seq)
    return []


def _sum_of_parts(own: list[Figure], whole: str, parts: str) -> list[Claim]:
    """The figure labelled `whole` = Σ the figures after it labelled `parts` (same unit)."""
    claims: list[Claim] = []
    for figure in own:
        if not re.search(whole, figure.label):
            continue
        members = [f for f in own if f.index > figure.index and f.unit == figure.unit
                   and re.search(parts, f.label) and not re.search(whole, f.label)]
        if not members:
            continue
        claims.append(_claim(figure, "narrative.sum", lambda ctx, f, m=members: _check_sum(ctx, f, m)))
        claims += [_claim(m, "narrative.sum", lambda ctx, f, t=figure: part_of(ctx, f, t)) for m in members]
    return claims


def _check_sum(ctx: Ctx, figure: Figure, members: list[Figure]) -> None:
    expected = total(m.value for m in members)
    where = " + ".join(_label(m) for m in members)
    if figure.amount:
        report(ctx, figure, "narrative.sum", expected, where, None, ctx.severity_of(figure.value - expected))
    else:
        compare_exact(ctx, figure, "narrative.sum", expected, where)


def _unit_count(ctx: Ctx, figure: Figure) -> None:
    units = [r for r in ctx.doc["operating_costs"] if r["row_kind"] == "item"]
    compare_exact(ctx, figure, "narrative.count", len(units), "表11 单位行数",
                  units[0]["source_line"] if units else None)


_TOTAL_COUNT = re.compile(r"二级项目|纳入绩效目标管理|项目总数")
_PUBLISHED_COUNT = re.compile(r"公开.*绩效目标|绩效目标表")
_KIND_COUNT = re.compile(r"类项目|类$")


def _performance(own: list[Figure]) -> list[Claim]:
    """`二级项目58个，共计金额X万元。其中：其他运转类项目21个，涉及金额…；特定目标类…。
    公开项目绩效目标58个，涉及项目金额…，占…100%。其中：…`: each total against the tables
    (projects of table 12, printed performance tables), the kinds against their total."""
    claims: list[Claim] = []
    group: tuple[Figure, Figure | None] | None = None
    parts: list[tuple[Figure, Figure | None]] = []

    def close() -> None:
        if group is None or not parts:
            return
        counts = [c for c, _ in parts]
        claims.extend(_sum_claims(group[0], counts))
        amounts = [a for _, a in parts if a is not None]
        if group[1] is not None and amounts:
            claims.extend(_sum_claims(group[1], amounts))

    for figure in own:
        previous = _previous(figure, own)
        if figure.unit == "个" and (_TOTAL_COUNT.search(figure.label) or _PUBLISHED_COUNT.search(figure.label)):
            close()
            published = bool(_PUBLISHED_COUNT.search(figure.label))
            claims.append(_claim(figure, "narrative.count", _published_count if published else _project_count))
            group, parts = (figure, None), []
        elif figure.unit == "个" and group is not None and _KIND_COUNT.search(figure.label):
            parts.append((figure, None))
        elif figure.amount and previous is not None and previous.unit == "个" and group is not None:
            if parts and parts[-1][0] is previous:
                parts[-1] = (previous, figure)
            elif group[0] is previous:
                published = bool(_PUBLISHED_COUNT.search(previous.label))
                claims.append(_claim(figure, "narrative.amount",
                                     _published_amount if published else _project_amount))
                group = (previous, figure)
    close()
    return claims


def _sum_claims(whole: Figure, members: list[Figure]) -> list[Claim]:
    """The last member carries the check `whole = Σ members`; the others are parts of it."""
    *first, last = members
    claims = [_claim(m, "narrative.sum", lambda ctx, f, w=last: part_of(ctx, f, w)) for m in first]
    claims.append(_claim(last, "narrative.sum", lambda ctx, f: _members_sum(ctx, f, whole, members)))
    return claims


def _members_sum(ctx: Ctx, figure: Figure, whole: Figure, members: list[Figure]) -> None:
    """Reported on the last member, as what it must be for the members to add up to the
    total: 特定目标类项目37个 = 58 − 21."""
    others = [m for m in members if m is not figure]
    expected = whole.value - total(m.value for m in others)
    where = f"{_label(whole)} − {' − '.join(m.printed for m in others)} ="
    difference = figure.value - expected
    severity = ctx.severity_of(difference) if figure.amount else (None if difference == 0 else "error")
    report(ctx, figure, "narrative.sum", expected, where, None, severity)


def _current_projects(ctx: Ctx) -> list[Row]:
    return [p for p in ctx.doc["projects"] if p["kind"] == "current"]


def _project_count(ctx: Ctx, figure: Figure) -> None:
    projects = _current_projects(ctx)
    compare_exact(ctx, figure, "narrative.count", len(projects), "表12 项目数",
                  projects[0]["source_line"] if projects else None)


def _published_count(ctx: Ctx, figure: Figure) -> None:
    tables = [t for t in ctx.doc["performance_targets"] if t.get("kind") != "department"]
    compare_exact(ctx, figure, "narrative.count", len(tables), "印出的项目支出绩效目标表数",
                  tables[0]["source_line"] if tables else None,
                  "；缺表的项目见 link.project_without_table" if len(tables) != figure.value else "")


def _project_amount(ctx: Ctx, figure: Figure) -> None:
    row = department_total(ctx, "current")
    compare_amount(ctx, figure, "narrative.amount", _row_ref(row, "total", "表12 部门合计"))


def _published_amount(ctx: Ctx, figure: Figure) -> None:
    """The amount of the projects whose performance table is printed (each project once)."""
    linked = {t["project_id"] for t in ctx.doc["performance_targets"] if t["project_id"]}
    value = total(p["total"] for p in ctx.doc["projects"] if p["project_id"] in linked)
    compare_amount(ctx, figure, "narrative.amount", Ref(value, f"有绩效目标表的{len(linked)}个项目在表12/13的金额之和"))


def _three_public_changes(own: list[Figure], paragraphs: dict[int, list[Figure]], seq: int) -> list[Claim]:
    """The "三公" total's change = Σ the changes of 出国, 接待 and 车辆 (相同 = 0), stated in
    the next paragraph of the section."""
    total_change = next((f for f in own if f.amount and CHANGE.search(f.label)
                         and "三公" in (_subject(f, own) or f).label), None)
    if total_change is None:
        return []
    items = next((p for s, p in sorted(paragraphs.items()) if s > seq and p[0].section == own[0].section), [])
    changes: list[Figure | None] = []
    for pattern in (r"出国", r"接待", r"购置及运行"):
        item = next((f for f in items if f.amount and re.search(pattern, f.label)), None)
        if item is None:
            return []
        after = next((f for f in items if f.index == item.index + 1 and f.sentence == item.sentence), None)
        if after is not None and CHANGE.search(after.label):
            changes.append(after)
        elif SAME.search(item.sentence_text):
            changes.append(None)
        else:
            return []
    stated = [c for c in changes if c is not None]
    claims = [_claim(c, "narrative.change", lambda ctx, f, t=total_change: part_of(ctx, f, t)) for c in stated]
    claims.append(_claim(total_change, "narrative.change",
                         lambda ctx, f: _change_sum(ctx, f, changes)))
    return claims


def _signed(figure: Figure) -> Decimal:
    return -figure.value if any(word in figure.label for word in DOWN) else figure.value


def _change_sum(ctx: Ctx, figure: Figure, changes: list[Figure | None]) -> None:
    expected = total(_signed(c) for c in changes if c is not None)
    shown = " + ".join("0（与上年相同）" if c is None else fmt(_signed(c)) for c in changes)
    actual = _signed(figure)
    severity = ctx.severity_of(actual - expected)
    ctx.checked += 1
    message = (f"{_label(figure)} {'=' if severity is None else '≠'} 出国 + 接待 + 车辆的变动 "
               f"{shown} = {fmt(expected)}")
    ctx.add(severity or "info", ctx.describe(f"情况说明 {figure.section}", message), "narrative",
            str(figure.seq), fmt(-expected if actual < 0 else expected), fmt(figure.value), figure.line,
            "narrative.change")


# ---------------------------------------------------------------- the rules

def _run(ctx: Ctx) -> None:
    assert ctx.rule is not None
    for claim in plan(ctx):
        if claim.rule_id == ctx.rule.id:
            claim.check(ctx)


for _id, _zh, _en in (
    ("narrative.amount", "情况说明金额 = 表中金额", "a narrative amount = the table's"),
    ("narrative.percent", "情况说明占比 = 金额 / 总额", "a narrative share = amount / total"),
    ("narrative.change", "同比变动率 = 变动额 / 上年数；各项变动之和 = 总变动",
     "a year-on-year rate = change / last year; item changes add up"),
    ("narrative.count", "情况说明个数 = 表中个数", "a narrative count = the tables'"),
    ("narrative.sum", "情况说明分项之和 = 总数", "narrative parts add up to their total"),
    ("narrative.unchecked", "无法核对的数字（附原因）", "figures that cannot be checked, with the reason"),
):
    rule(_id, "error" if _id != "narrative.unchecked" else "info", _zh, _en)(_run)
