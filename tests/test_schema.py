"""Resource.frame: row dicts → a frame of the resource's exact types."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from budgettui import schema


def test_frame_keeps_each_amount_exactly_and_rounds_finer_ones_half_even() -> None:
    rows = [
        {"doc_id": "d", "seq": 1, "name": "一般公共服务支出", "total": Decimal("25552.62")},
        {"doc_id": "d", "seq": 2, "name": "（元）", "total": Decimal("319.688")},
        {"doc_id": "d", "seq": 3, "total": Decimal("1.1234565")},  # finer than 6 places
        {"doc_id": "d", "seq": 4, "total": Decimal("1E+2")},
        {"doc_id": "d", "seq": 5, "total": None},
    ]
    frame = schema.resource("expenditure_by_subject").frame(rows)
    assert frame.schema["total"] == schema.MONEY
    assert frame["total"].to_list() == [Decimal("25552.620000"), Decimal("319.688000"),
                                        Decimal("1.123456"), Decimal("100.000000"), None]
    assert frame["seq"].to_list() == [1, 2, 3, 4, 5]
    assert frame["name"].to_list() == ["一般公共服务支出", "（元）", None, None, None]
    assert frame["basic"].null_count() == 5  # a key no row has: a column of nulls


def test_frame_refuses_an_amount_too_large_for_its_column() -> None:
    with pytest.raises(pl.exceptions.InvalidOperationError):
        schema.resource("expenditure_by_subject").frame([{"doc_id": "d", "total": Decimal("1e19")}])


def test_frame_leaves_other_values_to_polars_own_conversion() -> None:
    """Only Decimals go through text: an int is a whole amount, mixed with Decimals an error."""
    money = schema.resource("expenditure_by_subject")
    assert money.frame([{"doc_id": "d", "total": 3}])["total"].to_list() == [Decimal("3.000000")]
    with pytest.raises(TypeError):
        money.frame([{"doc_id": "d", "total": 3}, {"doc_id": "d", "total": Decimal("1.5")}])


def test_frame_of_columns_takes_values_by_column_and_nulls_the_rest() -> None:
    frame = schema.resource("source_tables").frame_of_columns(
        {"doc_id": ["d", "d"], "table_no": [1, 12], "title": ["2026年部门收支总表", "项目支出表"]}, 2)
    assert frame.columns == schema.resource("source_tables").column_names
    assert frame["table_no"].to_list() == [1, 12]
    assert frame["title"].to_list() == ["2026年部门收支总表", "项目支出表"]
    assert frame["rows"].dtype == pl.Int64 and frame["rows"].to_list() == [None, None]


def test_frame_reads_keys_missing_from_some_rows_as_nulls() -> None:
    """The keys of the first row are read from every row at once; a key the first row lacks,
    or one a later row lacks, is read row by row."""
    resource = schema.resource("units")
    later = resource.frame([{"doc_id": "d", "unit_id": "u01"},
                            {"doc_id": "d", "unit_id": "u02", "name": "高平市医疗保障局", "kind": "行政单位"}])
    assert later["name"].to_list() == [None, "高平市医疗保障局"]
    assert later["kind"].to_list() == [None, "行政单位"]
    first = resource.frame([{"doc_id": "d", "unit_id": "u01", "name": "高平市医疗保障局"},
                            {"doc_id": "d", "unit_id": "u02"}])
    assert first["name"].to_list() == ["高平市医疗保障局", None]
    assert first["unit_id"].to_list() == ["u01", "u02"]


def test_values_of_gives_the_decimals_to_list_gives() -> None:
    """Decimals read back through their text keep their scale (25552.620000), nulls stay."""
    frame = schema.resource("expenditure_by_subject").frame(
        [{"doc_id": "d", "total": Decimal("25552.62")}, {"doc_id": "d", "total": None},
         {"doc_id": "d", "total": Decimal("-0.000001")}, {"doc_id": "d", "total": Decimal("0")}])
    values = schema.values_of(frame["total"])
    assert values == frame["total"].to_list() == [Decimal("25552.62"), None, Decimal("-0.000001"), Decimal(0)]
    assert [str(v) for v in values] == ["25552.620000", "None", "-0.000001", "0.000000"]
    assert schema.values_of(frame["doc_id"]) == ["d"] * 4
