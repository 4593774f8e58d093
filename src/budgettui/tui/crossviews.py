"""Views across documents, built from the Budget without Textual.

- `subject_across`: one subject (a 功能科目 code of table 3) in every document that prints it,
  largest first, with each one's share of their sum and of its department's spending;
- `compare_years`: one department in two years side by side, by subject and by project
  (projects matched by name as the performance tables are, see linking.py);
- `group_view`: what a place or a year of the corpus tree holds.

Frames have Chinese column names: they are shown (and exported) as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl
from rapidfuzz import fuzz
from rich.text import Text

from budgettui.linking import THRESHOLD
from budgettui.performance import name_key
from budgettui.tui.outline import Node
from budgettui.tui.tree import money
from budgettui.tui.views import View, percent

ZERO = Decimal(0)
SHARE = pl.Decimal(8, 2)


@dataclass(frozen=True, slots=True)
class Where:
    """How a document is named across the corpus: its place, year and department."""

    place: str
    year: int | None
    department: str


def _totals(budget) -> dict[str, Decimal | None]:
    """Each document's total spending (table 3's 合计 row)."""
    spend = budget["expenditure_by_subject"].filter(pl.col("code").is_null())
    return dict(zip(spend["doc_id"].to_list(), spend["total"].to_list(), strict=True))


# ---------------------------------------------------------------- one subject, every document


@dataclass(slots=True)
class Across:
    facts: Text
    frame: pl.DataFrame  # one row per document, largest first
    doc_ids: list[str]  # the documents of the rows, in order


def subject_across(budget, code: str, where: dict[str, Where]) -> Across:
    """Subject `code` (table 3) in every document that prints it, largest amount first,
    with its share of their sum and of the department's total spending."""
    rows = budget["expenditure_by_subject"].filter(pl.col("code") == code)
    rows = rows.sort("total", descending=True, nulls_last=True, maintain_order=True)
    totals = _totals(budget)
    whole = sum((t for t in rows["total"].to_list() if t is not None), ZERO)
    doc_ids = rows["doc_id"].to_list()
    unknown = Where("", None, "")
    places = [where.get(d, unknown) for d in doc_ids]
    frame = pl.DataFrame({
        "地区": [w.place for w in places],
        "年度": [w.year for w in places],
        "部门": [w.department or d for w, d in zip(places, doc_ids, strict=True)],
        "科目名称": rows["name"],
        "合计": rows["total"],
        "基本支出": rows["basic"],
        "项目支出": rows["project"],
        "占比%": pl.Series([percent(t, whole) for t in rows["total"]], dtype=SHARE),
        "占部门支出%": pl.Series([percent(t, totals.get(d)) for t, d in zip(rows["total"], doc_ids, strict=True)],
                            dtype=SHARE),
        "文档": doc_ids,
    }, schema_overrides={"年度": pl.Int64})
    names = rows["name"].drop_nulls().unique(maintain_order=True).to_list()
    documents = budget["documents"].height
    facts = Text.assemble((f"{code} {names[0] if names else ''}", "bold"),
                          f"  表3 支出 · 所有文档\n{len(doc_ids)} 份文档有此科目（共 {documents} 份）"
                          f" · 合计 {money(whole)} 万元\n")
    if len(names) > 1:
        facts.append(f"各文档印的名称：{'、'.join(names)}\n", style="yellow")
    if not doc_ids:
        facts.append("没有文档印有此科目。\n", style="yellow")
    facts.append("enter 跳到该文档的此科目 · e 导出 · escape 返回", style="dim")
    return Across(facts, frame, doc_ids)


# ---------------------------------------------------------------- one department, two years


@dataclass(slots=True)
class Comparison:
    facts: Text
    subjects: pl.DataFrame
    projects: pl.DataFrame


def _status(old: Decimal | None, new: Decimal | None, present: tuple[bool, bool]) -> str:
    if not present[0]:
        return "新增"
    if not present[1]:
        return "取消"
    change = (new or ZERO) - (old or ZERO)
    return "增加" if change > 0 else "减少" if change < 0 else "不变"


def _change(old: Decimal | None, new: Decimal | None) -> tuple[Decimal, Decimal | None]:
    change = (new or ZERO) - (old or ZERO)
    return change, percent(change, old) if old else None


def _subjects(budget, old: str, new: str, years: tuple[str, str]) -> pl.DataFrame:
    spend = budget["expenditure_by_subject"].filter(pl.col("code").is_not_null())
    before = {r["code"]: r for r in spend.filter(pl.col("doc_id") == old).iter_rows(named=True)}
    after = {r["code"]: r for r in spend.filter(pl.col("doc_id") == new).iter_rows(named=True)}
    rows = []
    for code in sorted(before.keys() | after.keys()):
        a, b = before.get(code), after.get(code)
        was, now = (a["total"] if a else None), (b["total"] if b else None)
        change, pct = _change(was, now)
        rows.append((code, (b or a)["name"], was, now, change, pct, _status(was, now, (a is not None, b is not None))))
    return _frame(rows, ["科目编码", "科目名称"], years)


def _frame(rows: list[tuple], lead: list[str], years: tuple[str, str], tail: tuple[str, ...] = ()) -> pl.DataFrame:
    """Rows of (lead…, old, new, change, change %, status, tail…) as a frame: the status
    first, then the names, the amounts, and the tail."""
    money_type = pl.Decimal(24, 6)
    columns = {**{name: pl.String for name in lead}, years[0]: money_type, years[1]: money_type,
               "增减": money_type, "增减%": SHARE, "变化": pl.String, **{name: pl.String for name in tail}}
    frame = pl.DataFrame(rows, schema=columns, orient="row")
    return frame.select("变化", *lead, years[0], years[1], "增减", "增减%", *tail)


def match_projects(before: list[dict], after: list[dict]) -> list[tuple[int | None, int | None, float]]:
    """Pairs (old index, new index, score) of projects of two years: equal names (after
    `name_key`) first, then the most similar (rapidfuzz ratio ≥ linking.THRESHOLD), each
    project at most once, the same unit breaking ties; the rest alone (dropped, or new)."""
    keys_a = [name_key(p["name"]) for p in before]
    keys_b = [name_key(p["name"]) for p in after]
    pairs = []
    for i, a in enumerate(keys_a):
        for j, b in enumerate(keys_b):
            score = 100.0 if a and a == b else fuzz.ratio(a, b)
            if score >= THRESHOLD:
                pairs.append((score, before[i]["unit"] == after[j]["unit"], -i, -j))
    pairs.sort(reverse=True)
    taken_a: dict[int, tuple[int, float]] = {}
    taken_b: set[int] = set()
    for score, _, i, j in pairs:
        if -i not in taken_a and -j not in taken_b:
            taken_a[-i] = (-j, score)
            taken_b.add(-j)
    matched: list[tuple[int | None, int | None, float]] = [
        (i, j, score) for i, (j, score) in sorted(taken_a.items())]
    matched += [(i, None, 0.0) for i in range(len(before)) if i not in taken_a]
    matched += [(None, j, 0.0) for j in range(len(after)) if j not in taken_b]
    return matched


def _projects(budget, old: str, new: str, years: tuple[str, str]) -> pl.DataFrame:
    projects = budget["projects"]
    before = projects.filter(pl.col("doc_id") == old).to_dicts()
    after = projects.filter(pl.col("doc_id") == new).to_dicts()
    rows = []
    for i, j, score in match_projects(before, after):
        a = before[i] if i is not None else None
        b = after[j] if j is not None else None
        was, now = (a["total"] if a else None), (b["total"] if b else None)
        change, pct = _change(was, now)
        status = _status(was, now, (a is not None, b is not None))
        if a and b and score < 100:
            status += "（更名）"
        renamed = a["name"] if a and b and a["name"] != b["name"] else None
        rows.append(((b or a)["name"], was, now, change, pct, status, renamed, (b or a)["unit"]))
    frame = _frame(rows, ["项目名称"], years, ("上年名称", "单位"))
    return frame.sort(pl.col("增减").abs(), descending=True, maintain_order=True)


def compare_years(budget, old: str, new: str, where: dict[str, Where]) -> Comparison:
    """Department of `old` and of `new` (two years) side by side: table 3's subjects, and
    the projects of tables 12 and 13, with what changed, what is new and what was dropped."""
    years = tuple(f"{where[d].year}年" if d in where and where[d].year else d for d in (old, new))
    subjects = _subjects(budget, old, new, years)  # type: ignore[arg-type]
    projects = _projects(budget, old, new, years)  # type: ignore[arg-type]
    totals = _totals(budget)
    change, pct = _change(totals.get(old), totals.get(new))
    counts = projects["变化"].str.replace("（更名）", "").value_counts()
    by = dict(zip(counts["变化"], counts["count"], strict=True))
    renamed = projects["变化"].str.ends_with("（更名）").sum()
    title = where[new].department if new in where else new
    facts = Text.assemble(
        (f"{title}  {years[0]} → {years[1]}", "bold"), "\n",
        f"支出合计（表3） {money(totals.get(old))} → {money(totals.get(new))} 万元，"
        f"增减 {money(change)}{f'（{pct}%）' if pct is not None else ''}\n",
        f"项目 {projects['变化'].len() - by.get('新增', 0)} → {projects['变化'].len() - by.get('取消', 0)} 个："
        f"新增 {by.get('新增', 0)} · 取消 {by.get('取消', 0)} · 增加 {by.get('增加', 0)} · "
        f"减少 {by.get('减少', 0)} · 不变 {by.get('不变', 0)} · 更名 {renamed}\n",
        ("tab 换表 · e 导出当前表 · escape 返回", "dim"),
    )
    return Comparison(facts, subjects, projects)


# ---------------------------------------------------------------- a place or a year


def group_view(budget, node: Node) -> View:
    """A place or a year of the corpus tree: its documents with their spending."""
    from rich.table import Table

    documents = [n for n in node.walk() if n.kind == "document"]
    doc_ids = [n.doc_id for n in documents]
    spend = budget["expenditure_by_subject"].filter(pl.col("code").is_null() & pl.col("doc_id").is_in(doc_ids))
    by_doc = {r["doc_id"]: r for r in spend.iter_rows(named=True)}
    projects = budget["projects"]["doc_id"].value_counts()
    count = dict(zip(projects["doc_id"].to_list(), projects["count"].to_list(), strict=True))
    empty: dict = {}
    frame = pl.DataFrame({
        "年度": [n.parent.name if n.parent is not None else "" for n in documents],
        "部门": [n.name for n in documents],
        "支出合计": [by_doc.get(d, empty).get("total") for d in doc_ids],
        "基本支出": [by_doc.get(d, empty).get("basic") for d in doc_ids],
        "项目支出": [by_doc.get(d, empty).get("project") for d in doc_ids],
        "项目数": [count.get(d, 0) for d in doc_ids],
        "文档": doc_ids,
    }, schema_overrides={"支出合计": pl.Decimal(24, 6), "基本支出": pl.Decimal(24, 6),
                         "项目支出": pl.Decimal(24, 6), "项目数": pl.Int64})
    whole = sum((t for t in frame["支出合计"].to_list() if t is not None), ZERO)
    path = " › ".join(n.name for n in node.path)
    facts = Text.assemble((path, "bold"), f"  {len(doc_ids)} 份文档 · 支出合计 {money(whole)} 万元（表3）\n",
                          ("在功能科目上按 a：该科目在所有文档 · 在文档上按 c：同一部门两年对比", "dim"))
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("年度", "部门", "支出合计", "基本支出", "项目支出", "项目数"):
        table.add_column(column, justify="left" if column in ("年度", "部门") else "right",
                         no_wrap=column != "部门")
    for row in frame.iter_rows(named=True):
        table.add_row(row["年度"], row["部门"], money(row["支出合计"]), money(row["基本支出"]),
                      money(row["项目支出"]), str(row["项目数"]))
    return View(facts, prose=table, frame=frame, name=f"documents-{node.name}")  # type: ignore[arg-type]
