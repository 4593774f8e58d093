"""`budgettui export`: a valid, exact, deterministic and atomic open-data bundle."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from conftest import SAMPLE

import budgettui
from budgettui import export, fiscal, launch, package, schema
from budgettui.output import records

ROOT = Path(__file__).resolve().parents[1]
BUNDLE_NAME = "gaopingshi-renliziyuan-shehuibaozhang-ju-2026"
ALL_FORMATS = ("parquet", "csv", "json", "ndjson")


def run(*args: str, cwd: Path, shell: str | None = None) -> subprocess.CompletedProcess[bytes]:
    """`python -m budgettui ARGS` (or a shell pipeline using `budgettui`) in `cwd`."""
    command: list[str] | str
    if shell:
        command = shell.replace("budgettui", f"{sys.executable} -m budgettui")
    else:
        command = [sys.executable, "-m", "budgettui", *args]
    return subprocess.run(command, shell=bool(shell), capture_output=True, cwd=cwd, timeout=120)


def digests(folder: Path) -> dict[str, str]:
    """sha256 of every file under `folder`, by relative path."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def bundle(budget, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("export") / BUNDLE_NAME
    export.export_bundle(budget, target, ALL_FORMATS)
    return target


@pytest.fixture(scope="session")
def descriptor(bundle) -> dict:
    return json.loads((bundle / "datapackage.json").read_text(encoding="utf-8"))


def resource_of(descriptor: dict, name: str) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == name)


def field_of(descriptor: dict, resource: str, name: str) -> dict:
    return next(f for f in resource_of(descriptor, resource)["schema"]["fields"] if f["name"] == name)


# -- validity ------------------------------------------------------------------------------


def test_bundle_passes_frictionless_validate_in_process(bundle):
    from frictionless import validate

    report = validate(bundle / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])[:5]
    assert len(report.tasks) == len(schema.RESOURCES) == 23


def test_bundle_passes_the_frictionless_command_line(bundle):
    validator = Path(sys.executable).with_name("frictionless")
    result = subprocess.run([str(validator), "validate", "datapackage.json"], cwd=bundle,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "INVALID" not in result.stdout


def test_bundle_layout(bundle, descriptor):
    names = [r.name for r in schema.RESOURCES]
    assert [r["name"] for r in descriptor["resources"]] == names
    for name in names:
        for fmt in ALL_FORMATS:
            assert (bundle / fmt / f"{name}.{fmt}").is_file()
        assert (bundle / "json" / f"{name}.schema.json").is_file()
    assert (bundle / "README.md").read_text(encoding="utf-8").count("\n### ") == 23
    files = digests(bundle)
    assert len(files) == 23 * 5 + 2


def test_hashes_and_sizes_of_every_file(bundle, descriptor):
    for item in descriptor["resources"]:
        for entry in [item, *item.get("alternates", [])]:
            data = (bundle / entry["path"]).read_bytes()
            assert entry["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
            assert entry["bytes"] == len(data)
    projects = resource_of(descriptor, "projects")
    assert (projects["path"], projects["format"]) == ("csv/projects.csv", "csv")
    assert [a["format"] for a in projects["alternates"]] == ["parquet", "json", "ndjson"]


def test_a_tampered_file_fails_validation(bundle, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(bundle, copy)
    path = copy / "csv" / "expenditure_by_subject.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("19676.13", "19676.14"), encoding="utf-8")
    (copy / "parquet" / "units.parquet").write_bytes(b"PAR1")
    errors = export.validate_bundle(copy)
    assert any("parquet/units.parquet: hash or size differs" in e for e in errors)
    assert any(e.startswith("expenditure_by_subject:") and "hash" in e for e in errors)


# -- exact values in every format ----------------------------------------------------------


@pytest.mark.parametrize("name", [r.name for r in schema.RESOURCES])
def test_parquet_reads_back_with_decimals_equal_to_the_frame(bundle, budget, name):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(bundle / "parquet" / f"{name}.parquet")
    resource = schema.resource(name)
    for column in resource.columns:
        if column.type == "money":
            assert table.schema.field(column.name).type == pa.decimal128(24, 6)
    assert pl.from_arrow(table).cast(resource.polars_schema).equals(export.export_frame(budget, name))


def test_parquet_metadata(bundle):
    import pyarrow as pa
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(bundle / "parquet" / "expenditure_by_subject.parquet")
    total = parquet.schema_arrow.field("total")
    assert total.type == pa.decimal128(24, 6)
    assert total.metadata[b"unit"].decode() == "万元"
    assert total.metadata[b"factor_to_yuan"] == b"10000"
    assert total.metadata[b"title"].decode() == "合计"
    meta = parquet.schema_arrow.metadata
    assert json.loads(meta[b"datapackage"])["name"] == BUNDLE_NAME
    assert json.loads(meta[b"datapackage.resource"])["schema"]["primaryKey"] == ["doc_id", "seq"]
    assert parquet.metadata.row_group(0).column(0).compression == "ZSTD"
    assert parquet.metadata.created_by.startswith("parquet-cpp-arrow version")
    rows = pq.read_table(bundle / "parquet" / "expenditure_by_subject.parquet").to_pylist()
    row_208 = next(r for r in rows if r["code"] == "208")
    assert row_208["total"] == Decimal("19676.13") and row_208["basic"] == Decimal("1469.23")


@pytest.mark.parametrize("name", [r.name for r in schema.RESOURCES])
def test_csv_and_json_round_trip(bundle, budget, name):
    resource = schema.resource(name)
    frame = export.export_frame(budget, name)
    csv_frame = pl.read_csv(bundle / "csv" / f"{name}.csv", schema=resource.polars_schema)
    assert csv_frame.equals(frame)
    assert json.loads((bundle / "json" / f"{name}.json").read_text(encoding="utf-8")) == records(frame)
    lines = (bundle / "ndjson" / f"{name}.ndjson").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == records(frame)


def test_csv_prints_amounts_as_the_document(bundle):
    text = (bundle / "csv" / "expenditure_by_subject.csv").read_text(encoding="utf-8")
    assert text.startswith("doc_id,seq,code,name,level,parent_code,total,basic,project,source_page,source_line\n")
    assert "000_6fa2890cbbd11825,1,,合计,0,,27761.28,2408.41,25352.86,,196\n" in text
    assert ",2080101,行政运行,3,20801,235.74,235.74,,,202\n" in text


def test_json_matches_its_json_schema(bundle):
    from jsonschema import Draft202012Validator, FormatChecker

    for resource in schema.RESOURCES:
        spec = json.loads((bundle / "json" / f"{resource.name}.schema.json").read_text(encoding="utf-8"))
        data = json.loads((bundle / "json" / f"{resource.name}.json").read_text(encoding="utf-8"))
        Draft202012Validator(spec, format_checker=FormatChecker()).validate(data)
    bad = [{**data[0], "amount_wan": 1.5}] if data else []
    assert bad and not Draft202012Validator(spec).is_valid(bad)


def test_documents_carry_the_file_name_not_the_local_path(bundle, budget):
    row = json.loads((bundle / "json" / "documents.json").read_text(encoding="utf-8"))[0]
    assert row["source_path"] == "000_6fa2890cbbd11825.txt"
    assert row["sha256"] == budget["documents"]["sha256"][0]


# -- datapackage.json ---------------------------------------------------------------------


def test_package_metadata(descriptor, budget):
    assert descriptor["name"] == BUNDLE_NAME
    assert descriptor["title"] == "高平市人力资源和社会保障局（高平市医疗保障局） 2026年部门预算"
    source = descriptor["sources"][0]
    assert source["path"] == "000_6fa2890cbbd11825.txt"
    assert source["sha256"] == budget["documents"]["sha256"][0]
    assert len(source["sha256"]) == 64
    assert descriptor["licenses"][0]["name"] == "other-pd"
    assert descriptor["fiscalPeriod"] == {"start": "2026-01-01", "end": "2026-12-31"}
    assert descriptor["budgettui"] == {"formats": list(ALL_FORMATS)}


def test_created_is_the_documents_latest_fill_date_not_the_clock(descriptor, budget):
    # perf-054 was filled 20260119155401, the latest date in the preparation window;
    # perf-026 prints 20261027 (after publication, a misprint) and is not taken.
    assert descriptor["created"] == "2026-01-19T15:54:01+08:00"
    dates = budget["performance_targets"]["fill_date"].drop_nulls()
    assert str(dates.max()) == "2026-10-27"
    no_dates = budget["performance_targets"].clear()
    assert package.created(budget["documents"], no_dates) == "2026-01-01T00:00:00+08:00"


def test_money_field_carries_unit_currency_and_factor(descriptor):
    total = field_of(descriptor, "expenditure_by_subject", "total")
    assert total == {
        "name": "total", "type": "number", "title": "合计", "titleEn": "total", "unit": "万元",
        "columnType": "value", "currency": "CNY", "factor": 10000, "phase": "approved",
        "measure": "total", "direction": "expenditure",
    }
    basic = field_of(descriptor, "expenditure_by_subject", "basic")
    assert (basic["expenditureType"], basic["factor"]) == ("basic", 10000)
    funds = field_of(descriptor, "performance_targets", "annual_funds")
    assert (funds["unit"], funds["factor"], funds["currency"]) == ("元", 1, "CNY")
    general = field_of(descriptor, "income_by_subject", "general_budget")
    assert (general["direction"], general["fundSource"]) == ("revenue", "general_budget")
    assert field_of(descriptor, "budget_summary", "amount")["directionField"] == "side"
    assert field_of(descriptor, "budget_lines", "amount_yuan")["factor"] == 1


def test_project_columns_carry_the_carryover_part(bundle, descriptor):
    # 上年结转 (深圳 上年结余、结转) follows the funds; the sample prints none, so it is empty
    header = (bundle / "csv" / "projects.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == ("doc_id,project_id,kind,seq,unit_id,unit,name,total,general_budget,fund_budget,"
                      "state_capital,special_account,unit_funds,carryover,source_page,source_line")
    subtotals = (bundle / "csv" / "project_subtotals.csv").read_text(encoding="utf-8").splitlines()[0]
    assert subtotals.endswith(",total,general_budget,fund_budget,state_capital,special_account,unit_funds,"
                              "carryover,source_page,source_line")
    for name in ("projects", "project_subtotals"):
        field = field_of(descriptor, name, "carryover")
        assert (field["title"], field["unit"], field["factor"], field["fundSource"]) == (
            "上年结转", "万元", 10000, "carryover")
    rows = pl.read_csv(bundle / "csv" / "projects.csv", infer_schema_length=0)
    assert rows.height == 64 and rows["carryover"].null_count() == 64


def test_classification_columns(descriptor):
    code = field_of(descriptor, "expenditure_by_subject", "code")
    assert code["columnType"] == "functional-classification:generic:code"
    econ = field_of(descriptor, "basic_expenditure_by_economic", "dept_econ_name")
    assert econ["columnType"] == "economic-classification:generic:label"
    assert field_of(descriptor, "fund_income", "code")["columnType"] == "revenue-classification:generic:code"
    assert field_of(descriptor, "budget_lines", "line_id")["columnType"] == "budget-line-id"


def test_keys(descriptor):
    projects = resource_of(descriptor, "projects")["schema"]
    assert projects["primaryKey"] == ["doc_id", "project_id"]
    assert {"fields": ["doc_id", "unit_id"],
            "reference": {"resource": "units", "fields": ["doc_id", "unit_id"]}} in projects["foreignKeys"]
    indicators = resource_of(descriptor, "indicators")["schema"]
    assert {"fields": ["doc_id", "perf_id"],
            "reference": {"resource": "performance_targets", "fields": ["doc_id", "perf_id"]}
            } in indicators["foreignKeys"]
    subjects = resource_of(descriptor, "subjects")["schema"]
    assert {"fields": ["parent_code"], "reference": {"resource": "subjects", "fields": ["code"]}
            } in subjects["foreignKeys"]
    assert "primaryKey" not in resource_of(descriptor, "findings")["schema"]
    assert field_of(descriptor, "income_by_subject", "seq")["constraints"] == {"required": True}


def test_the_declared_subject_self_reference_would_not_validate(budget, tmp_path, monkeypatch):
    """schema.py's (doc_id, parent_code) → (doc_id, code) fails on the 类 rows: frictionless
    skips a foreign key only when all its cells are null. The bundle rewrites it (FK_OVERRIDES);
    without that, the export fails validation and leaves the previous bundle in place."""
    target = tmp_path / "bundle"
    export.export_bundle(budget, target, ("csv",), validate=False)
    before = digests(target)
    monkeypatch.setattr(package, "FK_OVERRIDES", {})
    with pytest.raises(export.ValidationFailed) as failed:
        export.export_bundle(budget, target, ("csv",))
    assert failed.value.errors[0].startswith("subjects: Row at position \"2\" violates the foreign key")
    assert len(failed.value.errors) == 5  # 205, 208, 210, 212, 221
    assert digests(target) == before
    assert [p.name for p in tmp_path.iterdir()] == ["bundle"]


# -- budget_lines --------------------------------------------------------------------------


def test_budget_lines_totals(bundle):
    lines = pl.read_csv(bundle / "csv" / "budget_lines.csv",
                        schema=schema.resource("budget_lines").polars_schema)
    assert lines.height == 581
    assert lines["line_id"].is_unique().all()
    assert lines["amount_wan"].null_count() == 0
    row = lines.filter(pl.col("table_no") == 3, pl.col("code") == "208", pl.col("measure") == "total").row(
        0, named=True)
    assert row["amount_wan"] == Decimal("19676.13")
    assert row["amount_yuan"] == Decimal("196761300.00")
    assert row["line_id"] == "000_6fa2890cbbd11825:03:expenditure_by_subject:0005:total"
    assert (row["row_kind"], row["direction"], row["classification"]) == ("subtotal", "expenditure", "functional")
    assert (lines["amount_yuan"] == lines["amount_wan"] * 10000).all()
    counts = dict(lines.group_by("table_no").len().iter_rows())
    assert counts == {1: 23, 2: 93, 3: 96, 4: 22, 5: 90, 6: 83, 7: 4, 8: 8, 10: 8, 11: 4, 12: 132, 13: 18}
    projects = lines.filter(pl.col("table_no") == 12, pl.col("resource") == "projects",
                            pl.col("measure") == "total")
    assert projects.height == 58 and projects["amount_wan"].sum() == Decimal("24615.35")
    assert set(projects["expenditure_type"]) == {"project"}
    personnel = lines.filter(pl.col("table_no") == 6, pl.col("measure") == "personnel")
    assert set(personnel["expenditure_type"]) == {"basic"} and set(personnel["fund_source"]) == {"general_budget"}
    assert "performance_targets" not in set(lines["resource"])


def test_budget_lines_leaves_show_the_documents_rounding(budget):
    lines = export.export_frame(budget, "budget_lines")
    table3 = lines.filter(pl.col("table_no") == 3, pl.col("measure") == "total")
    assert table3.filter(pl.col("row_kind") == "total")["amount_wan"].to_list() == [Decimal("27761.28")]
    assert table3.filter(pl.col("row_kind") == "item")["amount_wan"].sum() == Decimal("27761.29")


def test_budget_line_ids_are_stable_between_runs(budget):
    again = budgettui.load(SAMPLE)
    first = fiscal.budget_lines({n: budget[n] for n in budget.resources})
    assert first.equals(fiscal.budget_lines({n: again[n] for n in again.resources}))


# -- determinism and atomicity --------------------------------------------------------------


def test_two_exports_are_byte_identical(budget, bundle, tmp_path):
    again = tmp_path / BUNDLE_NAME
    export.export_bundle(budget, again, ALL_FORMATS)
    assert digests(again) == digests(bundle)


@pytest.mark.parametrize("exception", [KeyboardInterrupt, RuntimeError])
def test_an_interrupted_export_leaves_the_previous_bundle(budget, tmp_path, monkeypatch, exception):
    target = tmp_path / "bundle"
    export.export_bundle(budget, target, ("parquet", "csv"), validate=False)
    before = digests(target)
    calls = []
    real = export.parquet_bytes

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == 5:
            raise exception("stop")
        return real(*args, **kwargs)

    monkeypatch.setattr(export, "parquet_bytes", interrupted)
    with pytest.raises(exception):
        export.export_bundle(budget, target, ("parquet", "csv", "json"))
    assert digests(target) == before
    assert [p.name for p in tmp_path.iterdir()] == ["bundle"]


def test_an_existing_bundle_is_replaced(budget, tmp_path):
    target = tmp_path / "bundle"
    export.export_bundle(budget, target, ("csv", "json"), validate=False)
    export.export_bundle(budget, target, ("csv",), tables=["units"])
    assert sorted(digests(target)) == ["README.md", "csv/units.csv", "datapackage.json"]


def test_a_folder_that_is_not_a_bundle_is_refused_without_force(budget, tmp_path):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(export.ExportError, match="not a budgettui bundle; use --force"):
        export.export_bundle(budget, target, ("csv",))
    assert (target / "notes.txt").read_text(encoding="utf-8") == "keep me"
    export.export_bundle(budget, target, ("csv",), force=True)
    assert not (target / "notes.txt").exists() and export.is_bundle(target)


def test_the_source_folder_or_the_current_folder_is_never_replaced(budget, tmp_path, monkeypatch):
    with pytest.raises(export.ExportError, match="holding the source"):
        export.export_bundle(budget, SAMPLE.parent, ("csv",), force=True)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(export.ExportError, match="current, home or root"):
        export.export_bundle(budget, Path("."), ("csv",), force=True)


# -- Excel CSV -----------------------------------------------------------------------------


def test_excel_csv_has_a_bom_and_neutralised_formulas(budget, tmp_path):
    target = tmp_path / "excel"
    export.export_bundle(budget, target, ("csv",), excel=True)
    data = (target / "csv" / "indicators.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfdoc_id,perf_id,")
    frame = pl.read_csv(io.BytesIO(data[3:]), infer_schema=False)
    assert frame.filter(pl.col("operator") == "'=").height == 198
    assert frame.filter(pl.col("operator") == "=").height == 0
    assert frame.filter(pl.col("operator") == "≥").height > 0
    item = resource_of(json.loads((target / "datapackage.json").read_text(encoding="utf-8")), "indicators")
    assert item["encoding"] == "utf-8-sig"


def test_neutralising_keeps_numbers_and_negative_amounts():
    frame = pl.DataFrame(
        {"text": ["=SUM(A1)", "+1", "-2", "@x", "\t=1", "a=b", "≥80%", None],
         "amount": [Decimal("-5.00"), Decimal("1.00"), None, Decimal("0.00"), None, None, None, None]},
        schema={"text": pl.String, "amount": pl.Decimal(18, 2)},
    )
    text = export.csv_bytes(frame, excel=True).decode("utf-8-sig")
    assert text.splitlines() == [
        "text,amount", "'=SUM(A1),-5.00", "'+1,1.00", "'-2,", "'@x,0.00", "'\t=1,", "a=b,", "≥80%,", ",",
    ]


# -- command line --------------------------------------------------------------------------


def test_cli_default_folder_and_message(tmp_path):
    result = run("export", "-f", "csv", str(SAMPLE), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.decode() == f"wrote exports/{BUNDLE_NAME}/ (23 resources, 1 format)\n"
    assert result.stdout == b""
    assert export.is_bundle(tmp_path / "exports" / BUNDLE_NAME)
    assert sorted(p.name for p in (tmp_path / "exports").iterdir()) == [BUNDLE_NAME]


def test_cli_refuses_a_folder_that_is_not_a_bundle(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "x.txt").write_text("x", encoding="utf-8")
    result = run("export", "-o", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.decode() == ("budgettui: out exists and is not a budgettui bundle; "
                                      "use --force to replace it\n")
    assert run("export", "-o", "out", "-f", "csv", "--force", cwd=tmp_path).returncode == 0


def test_cli_streams_one_table_through_a_pipe(tmp_path):
    result = run(cwd=tmp_path, shell="budgettui export --table indicators -f ndjson -o - | head -n 2")
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 2 and result.stderr == b""
    first = json.loads(lines[0])
    assert (first["perf_id"], first["name"], first["value"], first["number"]) == (
        "perf-001", "统筹地区实现即时结算数量", "≥80%", "80.0000")
    csv_text = run("export", "--table", "projects", "-f", "csv", "-o", "-", cwd=tmp_path).stdout.decode()
    assert csv_text.count("\n") == 65 and ",p001,current,1,u01," in csv_text
    assert not (tmp_path / "exports").exists()


def test_cli_streams_parquet_into_a_pipe(tmp_path):
    import pyarrow.parquet as pq

    result = run("export", "--table", "projects", "-f", "parquet", "-o", "-", cwd=tmp_path)
    assert result.returncode == 0
    table = pq.read_table(io.BytesIO(result.stdout))
    rows = {row["project_id"]: row for row in table.to_pylist()}
    assert table.num_rows == 64 and rows["c001"]["total"] == Decimal("11.31")
    assert table.column("project_id")[0].as_py() == "p001"  # document order, as `show` prints


def test_cli_refuses_parquet_to_a_terminal(monkeypatch, capsys):
    class Terminal(io.StringIO):
        buffer = io.BytesIO()

        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdout", Terminal())
    with pytest.raises(SystemExit) as exited:
        launch.main(["export", "--table", "projects", "-f", "parquet", "-o", "-"])
    assert exited.value.code == 2
    assert capsys.readouterr().err == (
        "budgettui: refusing to write Parquet to a terminal; redirect stdout to a file or pipe\n")


@pytest.mark.parametrize("args", [
    ["-o", "-", "-f", "csv"],
    ["-o", "-", "--table", "units", "--table", "projects", "-f", "csv"],
    ["-o", "-", "--table", "units", "-f", "csv,json"],
])
def test_cli_refuses_several_tables_or_formats_on_stdout(tmp_path, args):
    result = run("export", *args, cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == b""
    assert result.stderr.decode() == ("budgettui: -o - writes one table in one format: "
                                      "give one --table NAME and one -f FORMAT\n")


def test_cli_bad_format_and_table(tmp_path):
    result = run("export", "-f", "xlsx", cwd=tmp_path)
    assert (result.returncode, result.stderr.decode()) == (
        2, "budgettui: unknown format xlsx; use parquet, csv, json, ndjson\n")
    result = run("export", "--table", "nope", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.decode().startswith("budgettui: unknown table 'nope'")


def test_cli_invalid_bundle_exits_1_and_keeps_the_old_one(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert run("export", "-f", "csv", "-o", "b", cwd=tmp_path).returncode == 0
    before = digests(tmp_path / "b")
    monkeypatch.setattr(package, "FK_OVERRIDES", {})
    with pytest.raises(SystemExit) as exited:
        launch.main(["export", "-f", "csv", "-o", "b"])
    assert exited.value.code == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "budgettui: b: the bundle is not valid; the previous one is kept"
    assert err[1].startswith("  subjects: Row at position \"2\" violates the foreign key")
    assert digests(tmp_path / "b") == before


def test_cli_table_subset_keeps_only_keys_inside_the_bundle(tmp_path):
    result = run("export", "-f", "csv", "--table", "projects", "--table", "units", "-o", "b", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    descriptor = json.loads((tmp_path / "b" / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in descriptor["resources"]] == ["units", "projects"]
    assert resource_of(descriptor, "projects")["schema"]["foreignKeys"] == [
        {"fields": ["doc_id", "unit_id"], "reference": {"resource": "units", "fields": ["doc_id", "unit_id"]}}]


def test_cli_import_stays_light():
    code = ("import sys, budgettui.cli; "
            "print(sorted(m for m in ('pyarrow', 'frictionless', 'textual', 'rich.progress') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]"


# -- several documents and names -------------------------------------------------------------


def test_several_documents_make_one_valid_bundle(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "a.txt")
    (folder / "b.txt").write_bytes(SAMPLE.read_bytes() + b"\n")  # not byte-identical
    budget = budgettui.load(folder)
    name = package.bundle_name(budget["documents"])
    assert name == f"{BUNDLE_NAME}-and-1-more-{package.sources_digest(budget['documents'])}"
    assert len(name) == len(BUNDLE_NAME) + len("-and-1-more-") + 8
    summary = export.export_bundle(budget, tmp_path / name, ("csv",))
    assert summary.resources == 23
    lines = pl.read_csv(tmp_path / name / "csv" / "budget_lines.csv", infer_schema=False)
    assert lines.height == 2 * 581


def test_slug_is_ascii_readable_and_bounded():
    assert package.slug("高平市人力资源和社会保障局（高平市医疗保障局）") == "gaopingshi-renliziyuan-shehuibaozhang-ju"
    assert package.slug("北京市朝阳区教育委员会") == "beijingshi-chaoyangqu-jiaoyu-weiyuanhui"
    long = package.slug("山西省晋城市高平市农业农村和乡村振兴与生态环境保护综合行政执法服务中心")
    assert len(long) <= package.SLUG_MAX and long.isascii() and long.startswith("shanxisheng-jinchengshi")
    assert package.slug(None) == "budget"
