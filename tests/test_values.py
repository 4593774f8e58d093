"""Amounts and indicator targets: parse_amount, money_text, and parse_target on the sample's
values and on generated text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budgettui.values import AmountError, amount_of, is_amount, money_text, parse_amount, parse_target


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("≥400人", ("≥", Decimal("400"), "人")),
        ("≤22万元", ("≤", Decimal("22"), "万元")),
        ("100%", ("=", Decimal("100"), "%")),
        (">2000份", (">", Decimal("2000"), "份")),
        ("2辆", ("=", Decimal("2"), "辆")),
        ("≥1次", ("≥", Decimal("1"), "次")),
        ("≤42.5万元", ("≤", Decimal("42.5"), "万元")),
        ("≤32.22万人", ("≤", Decimal("32.22"), "万人")),
        ("≥500户(次)", ("≥", Decimal("500"), "户(次)")),
        ("≤3400元/人/月", ("≤", Decimal("3400"), "元/人/月")),
        ("≤45天", ("≤", Decimal("45"), "天")),
        ("5.8%", ("=", Decimal("5.8"), "%")),
        ("1699300元", ("=", Decimal("1699300"), "元")),
        ("≥1,000人", ("≥", Decimal("1000"), "人")),
        ("＞90％", (">", Decimal("90"), "%")),
        (">=95%", ("≥", Decimal("95"), "%")),
        ("<= 3 次", ("≤", Decimal("3"), "次")),
        ("不少于400人", ("≥", Decimal("400"), "人")),
        ("不超过7万元", ("≤", Decimal("7"), "万元")),
        ("90%以上", ("≥", Decimal("90"), "%")),
        ("5", ("=", Decimal("5"), None)),
    ],
)
def test_parse_target_quantitative(printed: str, expected: tuple) -> None:
    assert parse_target(printed) == expected


@pytest.mark.parametrize(
    "printed",
    [
        "提高", "有所提升", "当年9月前", "每月", "2026年全年", "原则上不高于当地最低工资标准",
        "9月", "12月底前", "2026年6月底前", "6月份12月份", "当年12月之前", "每月15号",
        "综合保障达90%", "60-200件", "加强 保障", "根据政策文件进行补贴", "", "   ", None,
        "≥", "1E5", "٣人",
    ],
)
def test_parse_target_qualitative(printed: str | None) -> None:
    assert parse_target(printed) == (None, None, None)


def test_parse_target_number_is_exact_decimal() -> None:
    number = parse_target("≤0.1万元")[1]
    assert isinstance(number, Decimal)
    assert number == Decimal("0.1") and str(number) == "0.1"


OPERATORS = st.sampled_from(["≥", "≤", ">", "<", "=", ""])
UNITS = st.sampled_from(["人", "万元", "%", "份", "次", "元/人/月", "个", "户(次)", "天", ""])
NUMBERS = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False,
                      allow_infinity=False)


@given(OPERATORS, NUMBERS, UNITS, st.booleans())
def test_parse_target_round_trip(operator: str, number: Decimal, unit: str, commas: bool) -> None:
    printed = f"{operator}{number:,f}{unit}" if commas else f"{operator}{number:f}{unit}"
    assert parse_target(printed) == (operator or "=", number, unit or None)


@given(st.text())
def test_parse_target_never_raises(text: str) -> None:
    operator, number, unit = parse_target(text)
    assert (operator is None) == (number is None)
    assert number is None or isinstance(number, Decimal)
    assert unit is None or (operator is not None and unit)


@pytest.mark.parametrize(
    ("printed", "expected"),
    [("27,761.28", Decimal("27761.28")), (" 25552.62 ", Decimal("25552.62")), ("1 234.5", Decimal("1234.5")),
     ("0", Decimal("0")), ("", None), ("-", None), ("——", None), (None, None)],
)
def test_parse_amount_reads_the_number_printed(printed: str | None, expected: Decimal | None) -> None:
    assert parse_amount(printed) == expected
    assert is_amount(printed) == (expected is not None)
    assert amount_of(printed) == expected


@pytest.mark.parametrize("printed", ["12.345", "abc", "1e5", "1,23", "9" * 13])
def test_parse_amount_refuses_what_is_no_amount_each_time(printed: str) -> None:
    """Finer than 分, text, or too large: an error on every call (the amounts are cached)."""
    for _ in range(2):
        assert not is_amount(printed)
        assert amount_of(printed) is None
        with pytest.raises(AmountError):
            parse_amount(printed)


@pytest.mark.parametrize(
    ("value", "text"),
    [("25552.620000", "25552.62"), ("319.688", "319.688"), ("0E-6", "0.00"), ("55", "55"), ("1E+2", "100"),
     ("3196880.0000", "3196880.00"), ("-12.5", "-12.50")],
)
def test_money_text_prints_the_places_the_amount_needs(value: str, text: str) -> None:
    assert money_text(Decimal(value)) == text
