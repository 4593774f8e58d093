"""Reading and normalising sources keeps every line number."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import SAMPLE

from budgettui.sources import InputError, default_source, expand_sources, normalise, read_source
from budgettui.values import AmountError, parse_amount


def test_normalise_spaces_and_fullwidth_numbers():
    assert normalise("合计\u00a0\u3000２７，７６１．２８") == "合计  27,761.28"
    # A full-width comma between words is punctuation, not part of a number.
    assert normalise("教育，卫生") == "教育，卫生"
    # only between two digits, each one of a run: after a word or before one it stays
    assert normalise("3，4，5．0；共，1 和 2，") == "3,4,5.0；共，1 和 2，"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_newlines_keep_line_numbers(tmp_path, newline):
    path = tmp_path / "doc.txt"
    path.write_bytes(newline.join(["第一行", "", "第三行\t１２．５０"]).encode("utf-8"))
    lines = read_source(path).lines
    assert [(line.no, line.text) for line in lines] == [(1, "第一行"), (2, ""), (3, "第三行\t12.50")]
    assert lines[2].cells == ["第三行", "12.50"]


def test_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "2026年预算收支总表\n".encode())
    source = read_source(path)
    assert source.encoding == "utf-8-sig"
    assert source.lines[0].text == "2026年预算收支总表"


def test_sample_reads_with_its_hash():
    source = read_source(SAMPLE)
    assert len(source.lines) == 2548
    assert source.lines[89].no == 90 and source.lines[89].text == "2026年预算收支总表"
    assert source.sha256 == "d6b7fbfd0fbc60e9a318f924a194eb6a727fa6636078b6ab13db2541ea927471"


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"), (b"", "empty file"), (b"\xb1\xbe\xb1\xed\n", "not UTF-8")],
)
def test_bad_input_names_the_file(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as error:
        read_source(path)
    assert str(error.value).startswith(str(path)) and message in str(error.value)


def test_folder_source_and_default(tmp_path):
    (tmp_path / "b.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    assert [p.name for p in expand_sources([tmp_path])] == ["a.txt", "b.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="holds no documents"):
        expand_sources([empty])
    assert expand_sources([]) == [default_source()]
    assert default_source().name == SAMPLE.name


@pytest.mark.parametrize(
    ("text", "value"),
    [("25552.62", Decimal("25552.62")), ("27,761.28", Decimal("27761.28")), ("0", Decimal("0")),
     ("", None), ("  ", None), ("-", None), ("0.01", Decimal("0.01"))],
)
def test_parse_amount(text, value):
    assert parse_amount(text) == value


@pytest.mark.parametrize("text", ["12.3.4", "abc", "1,23", "１2万"])
def test_parse_amount_rejects_text(text):
    with pytest.raises(AmountError):
        parse_amount(text)
