"""`export --dataset`: a corpus as a Hive-partitioned Parquet dataset, read back by Polars and
DuckDB as the in-memory load has it."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest
from conftest import ROOT, SAMPLE

import budgettui
from budgettui import dataset, export, schema
from budgettui.cli import app

PDF = ROOT / "tests" / "pdfs" / "xian-xuanchuan-2021.pdf"
_AMOUNT = re.compile(r"(?<![\d.])(\d+\.\d{2})(?![\d%％])")


def copy_of_sample(folder: Path, name: str, city: str, year: int, factor: int) -> Path:
    """The sample under another city's name and budget year, its amounts × factor (as
    benchmarks/corpus.py makes its documents: sums stay exact)."""
    text = SAMPLE.read_text(encoding="utf-8").replace("高平市", city)
    text = re.sub(r"2026(?=\s*年)", str(year), text)
    text = _AMOUNT.sub(lambda m: f"{Decimal(m.group(1)) * factor:.2f}", text)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    copy_of_sample(folder, "dongping-2026.txt", "东平市", 2026, 2)
    copy_of_sample(folder, "xiping-2025.txt", "西平市", 2025, 3)
    shutil.copy(PDF, folder / PDF.name)
    return folder


@pytest.fixture(scope="module")
def loaded(corpus: Path) -> budgettui.Budget:
    return budgettui.load(corpus, jobs=1, cache=False)


@pytest.fixture(scope="module")
def written(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("out") / "dataset"
    summary = dataset.export_dataset([corpus], target, jobs=1, cache=False)
    assert summary.documents == 4 and summary.resources == len(schema.RESOURCES)
    return target


def test_the_dataset_is_partitioned_by_year_with_few_files(written):
    assert sorted(p.name for p in (written / "projects").iterdir()) == ["year=2021", "year=2025", "year=2026"]
    # one file per resource and year: the two 2026 documents share theirs
    assert [p.relative_to(written).as_posix() for p in sorted((written / "projects").rglob("*.parquet"))] == [
        "projects/year=2021/part-0.parquet", "projects/year=2025/part-0.parquet",
        "projects/year=2026/part-0.parquet"]
    descriptor = json.loads((written / "datapackage.json").read_text(encoding="utf-8"))
    projects = next(r for r in descriptor["resources"] if r["name"] == "projects")
    assert projects["rows"] == 64 + 64 + 64 + 22
    assert [s["docId"] for s in descriptor["sources"]] == [
        "000_6fa2890cbbd11825", "dongping-2026", "xian-xuanchuan-2021", "xiping-2025"]
    assert descriptor["fiscalPeriod"] == {"start": "2021-01-01", "end": "2026-12-31"}


def test_polars_reads_every_resource_as_loaded(written, loaded):
    for name in schema.BY_NAME:
        back = pl.scan_parquet(written / name / "**" / "*.parquet", hive_partitioning=True).collect()
        assert back.height == loaded[name].height, name
        expected = export.export_frame(loaded, name)
        for doc_id in loaded["documents"]["doc_id"]:
            mine = back.filter(pl.col("doc_id") == doc_id)
            theirs = expected.filter(pl.col("doc_id") == doc_id)
            if "year" not in theirs.columns:
                theirs = theirs.with_columns(pl.lit(mine["year"][0] if mine.height else None, pl.Int64).alias("year"))
            assert mine.select(theirs.columns).equals(theirs), (name, doc_id)


def test_polars_sees_the_amounts_and_the_years(written):
    projects = pl.scan_parquet(written / "projects" / "**" / "*.parquet", hive_partitioning=True)
    assert projects.collect_schema()["total"] == schema.MONEY
    first = projects.filter(pl.col("doc_id") == "000_6fa2890cbbd11825", pl.col("project_id") == "p002").collect()
    assert first.select("name", "total", "year").row(0) == ("就业金专项", Decimal("20"), 2026)
    sums = dict(projects.group_by("year").agg(pl.col("total").sum()).collect().iter_rows())
    assert sums[2026] == Decimal("25352.87") * 3  # the sample and its copy × 2
    assert sums[2025] == Decimal("25352.87") * 3
    assert sums[2021] == Decimal("23542.16")


def test_duckdb_reads_it_across_departments(written):
    glob = (written / "{}" / "**" / "*.parquet").as_posix()
    rows = duckdb.sql(f"""
        select d.department, d.year, sum(e.total) as total
        from read_parquet('{glob.format("expenditure_by_subject")}', hive_partitioning=true) e
        join read_parquet('{glob.format("documents")}', hive_partitioning=true) d using (doc_id)
        where e.code = '2080505'
        group by all order by total
    """).fetchall()
    assert rows == [
        ("高平市人力资源和社会保障局（高平市医疗保障局）", 2026, Decimal("198.79")),
        ("东平市人力资源和社会保障局（东平市医疗保障局）", 2026, Decimal("397.58")),
        ("西平市人力资源和社会保障局（西平市医疗保障局）", 2025, Decimal("596.37")),
    ]
    per_year = duckdb.sql(f"select year, count(*) from read_parquet('{glob.format('projects')}', "
                          "hive_partitioning=true) group by year order by year").fetchall()
    assert per_year == [(2021, 22), (2025, 64), (2026, 128)]


def test_the_same_bytes_whatever_the_jobs(corpus, written, tmp_path):
    again = dataset.export_dataset([corpus], tmp_path / "two", jobs=2, cache=False)
    assert again.files > len(schema.RESOURCES)
    for path in written.rglob("*"):
        if path.is_file():
            assert (tmp_path / "two" / path.relative_to(written)).read_bytes() == path.read_bytes(), path


def test_a_small_row_group_and_file_size_still_read_back(corpus, tmp_path, monkeypatch, loaded):
    """Past FILE_ROWS a resource's year goes on in part-1, part-2 …; rows keep their order."""
    monkeypatch.setattr(dataset, "ROW_GROUP_ROWS", 50)
    monkeypatch.setattr(dataset, "FILE_ROWS", 100)
    monkeypatch.setattr(dataset, "BUFFERED_ROWS", 120)
    dataset.export_dataset([corpus / SAMPLE.name, corpus / "dongping-2026.txt"], tmp_path / "d", cache=False)
    parts = sorted(p.name for p in (tmp_path / "d" / "budget_lines" / "year=2026").iterdir())
    assert len(parts) > 2 and "part-1.parquet" in parts
    back = dataset.scan(tmp_path / "d", "budget_lines").collect()
    assert back.height == loaded["budget_lines"].filter(pl.col("year") == 2026).height


def test_validation_reads_every_row_for_the_keys(written, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(written, copy)
    assert dataset.validate_dataset(copy) == []
    # a second part repeating the 2025 projects, listed with its true hash: only the key check sees it
    descriptor = json.loads((copy / "datapackage.json").read_text(encoding="utf-8"))
    projects = next(r for r in descriptor["resources"] if r["name"] == "projects")
    shutil.copy(copy / "projects/year=2025/part-0.parquet", copy / "projects/year=2025/part-1.parquet")
    first = next(p for p in projects["parts"] if p["path"] == "projects/year=2025/part-0.parquet")
    extra = {**first, "path": "projects/year=2025/part-1.parquet"}
    projects["parts"].append(extra)
    projects["path"].append(extra["path"])
    (copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    assert dataset.validate_dataset(copy) == ["projects: 64 rows repeat a key doc_id, project_id"]
    (copy / "projects/year=2021/part-0.parquet").write_bytes(b"PAR1")
    assert dataset.validate_dataset(copy) == [
        "projects/year=2021/part-0.parquet: hash or size differs from datapackage.json"]


def test_an_invalid_dataset_keeps_the_previous_one(corpus, written, tmp_path, monkeypatch):
    target = tmp_path / "kept"
    shutil.copytree(written, target)
    before = (target / "datapackage.json").read_bytes()
    monkeypatch.setattr(dataset, "validate_dataset", lambda root: ["projects: broken"])
    with pytest.raises(export.ValidationFailed):
        dataset.export_dataset([corpus / SAMPLE.name], target, cache=False)
    assert (target / "datapackage.json").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["kept"]  # no temporary left


def test_an_error_halfway_leaves_nothing(corpus, tmp_path, monkeypatch):
    real, seen = dataset.document_frames, []

    def failing(doc, names):
        seen.append(doc.doc_id)
        if len(seen) == 2:
            raise OSError(28, "No space left on device")
        return real(doc, names)

    monkeypatch.setattr(dataset, "document_frames", failing)
    with pytest.raises(OSError, match="No space"):
        dataset.export_dataset([corpus], tmp_path / "ds", jobs=1, cache=False)
    assert seen == ["000_6fa2890cbbd11825", "dongping-2026"]
    assert list(tmp_path.iterdir()) == []


def test_a_foreign_folder_is_refused(corpus, tmp_path):
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep")
    with pytest.raises(export.ExportError, match="not a budgettui bundle"):
        dataset.export_dataset([corpus / SAMPLE.name], foreign, cache=False)
    assert (foreign / "notes.txt").read_text() == "keep"


def test_the_command(corpus, tmp_path):
    from typer.testing import CliRunner

    runner = CliRunner()
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    target = tmp_path / "ds"
    result = runner.invoke(app, ["export", str(corpus / SAMPLE.name), str(empty), "--dataset", str(target),
                                 "--table", "projects", "--table", "documents", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert f"skipped {empty}: empty file" in result.output
    assert f"wrote {target}/ (2 documents, 2 resources, 3 files)" in result.output
    documents = dataset.scan(target, "documents").collect()
    assert documents.select("doc_id", "year").rows() == [("000_6fa2890cbbd11825", 2026), ("empty", None)]
    assert sorted(p.name for p in target.iterdir()) == ["README.md", "datapackage.json", "documents", "projects"]
    bad = runner.invoke(app, ["export", str(corpus / SAMPLE.name), "--dataset", str(target), "-o", "x"])
    assert bad.exit_code == 2 and "--dataset writes Parquet" in bad.output


# -- the bundle's name without pypinyin's 0.3 s import ---------------------------------------

NAMES = ["高平市人力资源和社会保障局（高平市医疗保障局）", "重庆市行政审批服务局", "成都市教育局",
         "中国人民银行长沙中心支行", "长沙市住房和城乡建设局", "甘孜藏族自治州统计局", "都江堰市会计核算中心",
         "吕梁市绿化局", "北京市朝阳区教育委员会",
         "上海市文化广电旅游体育局", "深圳市发展和改革委员会", "西安市人民政府办公厅", "无锡市城市管理和综合执法局",
         "广州市国有资产监督管理委员会", "烟台市科技创新局", "福州市公安局", "〇号院 ABC 中心", "𠀀字局"]


def test_the_slug_reads_as_pypinyin_does():
    from pypinyin import lazy_pinyin

    from budgettui import package, romanize

    for name in NAMES:
        for word in [name, *package._words(name)]:
            expected = [package.unicodedata.normalize("NFKD", r).encode("ascii", "ignore").decode().lower()
                        for r in lazy_pinyin(word, errors=lambda chars: list(chars))]
            got = [package.unicodedata.normalize("NFKD", r).encode("ascii", "ignore").decode().lower()
                   for r in romanize.lazy_pinyin(word)]
            assert got == expected, word
    assert package.slug("重庆市行政审批服务局") == "chongqingshi-xingzhengshenpifuwu-ju"  # 重庆, not zhongqing
    assert package.slug("成都市教育局") == "chengdushi-jiaoyu-ju"


def test_every_entry_is_found_in_pypinyin_files():
    """The lookups bisect pypinyin's files: their keys must be sorted, their layout as read."""
    import random

    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

    from budgettui import romanize

    pick = random.Random(12)
    for phrase in [*pick.sample(sorted(PHRASES_DICT), 400), "一丁不识", "龟龙麟凤"]:
        assert romanize._phrase(phrase) == [readings[0] for readings in PHRASES_DICT[phrase]], phrase
        assert romanize._is_prefix(phrase[:-1])
    for code in [*pick.sample(sorted(PINYIN_DICT), 400), min(PINYIN_DICT), max(PINYIN_DICT)]:
        assert romanize._reading(chr(code)) == PINYIN_DICT[code].split(",")[0], code
    assert romanize._reading("a") is None and romanize._phrase("不是一个词语吧") is None


def test_naming_a_bundle_does_not_import_pypinyin():
    import subprocess
    import sys

    code = ("import sys, budgettui; from budgettui.package import bundle_name; "
            f"print(bundle_name(budgettui.load({str(SAMPLE)!r}, cache=False)['documents'])); "
            "print('pypinyin' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["gaopingshi-renliziyuan-shehuibaozhang-ju-2026", "False"]
