"""Fuzzing the reader and parsers with mutated copies of the sample (hypothesis).

Whatever is done to the document (lines deleted, duplicated, swapped, cut off; cells shifted by
a TAB; junk bytes; another encoding), loading either gives a Budget or raises InputError, and
the tables a mutation did not touch parse to the same values. Deterministic (derandomize) and
small by default; BUDGETTUI_FUZZ_EXAMPLES=500 runs a longer hunt.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest
from conftest import SAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import budgettui
from budgettui import package, schema
from budgettui.export import export_frame
from budgettui.output import render
from budgettui.segment import segment
from budgettui.sources import InputError, split_lines

EXAMPLES = int(os.environ.get("BUDGETTUI_FUZZ_EXAMPLES", "15"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

LINES = SAMPLE.read_text(encoding="utf-8").split("\n")
SEGMENTS = segment(split_lines("\n".join(LINES)))
#: 0-based index ranges [start, stop) of the lines of each table, without its title line.
TABLE_SPANS = {no: (t.title_line, t.title_line + len(t.lines)) for no, t in SEGMENTS.tables.items()}
PERF_SPAN = (SEGMENTS.performance[0].no - 1, SEGMENTS.performance[-1].no)
#: The resources of tables 1–13, by table number.
TABLE_RESOURCES = {
    1: "budget_summary", 2: "income_by_subject", 3: "expenditure_by_subject", 4: "fiscal_summary",
    5: "general_budget_expenditure", 6: "basic_expenditure_by_economic", 7: "fund_income",
    8: "fund_expenditure", 9: "state_capital", 10: "three_public_costs", 11: "operating_costs",
    12: "projects", 13: "projects",
}
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-be-bom")


@dataclass(frozen=True)
class Mutation:
    """One change to the document's lines: `kind` at line `at` (with `other` and `junk`)."""

    kind: str
    at: int
    other: int
    junk: bytes

    def apply(self, lines: list[str]) -> list[str]:
        """The lines after this mutation (junk is applied to the bytes, see `encode`)."""
        if not lines:
            return []
        out, at, other = list(lines), self.at % len(lines), self.other % len(lines)
        if self.kind == "delete":
            del out[at]
        elif self.kind == "duplicate":
            out.insert(at, out[at])
        elif self.kind == "swap":
            out[at], out[other] = out[other], out[at]
        elif self.kind == "add_tab":
            text = out[at]
            cut = other % (len(text) + 1)
            out[at] = text[:cut] + "\t" + text[cut:]
        elif self.kind == "drop_tab" and "\t" in out[at]:
            cells = out[at].split("\t")
            i = other % (len(cells) - 1)
            out[at] = "\t".join([*cells[:i], cells[i] + cells[i + 1], *cells[i + 2:]])
        elif self.kind == "truncate_line":
            out[at] = out[at][: other % (len(out[at]) + 1)]
        return out


KINDS = ("delete", "duplicate", "swap", "add_tab", "drop_tab", "truncate_line", "junk")


def mutations(count: int) -> st.SearchStrategy[Mutation]:
    """Mutations of a list of `count` lines (junk: inserted into line `at`)."""
    return st.builds(
        Mutation,
        kind=st.sampled_from(KINDS),
        at=st.integers(0, count - 1),
        other=st.integers(0, count - 1),
        junk=st.binary(min_size=1, max_size=8),
    )


def encode(lines: list[str], encoding: str, junk: dict[int, bytes]) -> bytes:
    """The document's bytes in `encoding`, with junk bytes inserted in the middle of some lines."""
    if encoding.startswith("utf-16"):  # junk would shift every byte pair after it
        data = "\n".join(lines).encode("utf-16-be" if encoding == "utf-16-be-bom" else "utf-16")
        return b"\xfe\xff" + data if encoding == "utf-16-be-bom" else data
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    parts = []
    for i, line in enumerate(lines):
        data = line.encode(codec)
        if i in junk:
            middle = len(data) // 2
            data = data[:middle] + junk[i] + data[middle:]
        parts.append(data)
    return (b"\xef\xbb\xbf" if encoding == "utf-8-sig" else b"") + b"\n".join(parts)


def write(tmp_path, lines: list[str], changes: list[Mutation], encoding: str = "utf-8",
          span: tuple[int, int] | None = None) -> str:
    """Apply the mutations to lines[span] (all lines by default), write the document under the
    sample's name (same doc_id)."""
    start, stop = span or (0, len(lines))
    head, middle, tail = lines[:start], lines[start:stop], lines[stop:]
    for change in changes:
        middle = change.apply(middle) if change.kind != "junk" else middle
    junk = {start + c.at % len(middle): c.junk for c in changes if c.kind == "junk" and middle}
    path = tmp_path / SAMPLE.name
    path.write_bytes(encode([*head, *middle, *tail], encoding, junk))
    return str(path)


def load_or_input_error(path: str) -> budgettui.Budget | None:
    """Load; InputError is an answer, anything else fails the test."""
    try:
        return budgettui.load(path)
    except InputError as error:
        assert str(error).startswith(path)
        return None


def assert_usable(budget: budgettui.Budget) -> None:
    """Every resource renders and exports, every finding names its rule, the bundle's name and
    metadata come out."""
    for name in budget.resources:
        render(budget[name], "csv")
        export_frame(budget, name)
    name = package.bundle_name(budget["documents"])
    assert name.replace("-", "").isalnum() and name.isascii()
    package.package_descriptor(budget["documents"], budget["performance_targets"], name, ("csv",))
    assert budget["findings"]["rule"].null_count() == 0
    assert budget["documents"].height == 1


def assert_same(budget: budgettui.Budget, reference: budgettui.Budget, resources: set[str],
                lines_moved: bool = False) -> None:
    """The resources hold the same rows (line numbers aside when lines before them moved)."""
    for name in sorted(resources):
        ours, theirs = budget[name], reference[name]
        if lines_moved:
            ours, theirs = ours.drop("source_line"), theirs.drop("source_line")
        assert ours.equals(theirs), name


@FUZZ
@given(changes=st.lists(mutations(len(LINES)), min_size=1, max_size=6),
       encoding=st.sampled_from(ENCODINGS), cut=st.integers(0, len(LINES)))
def test_any_mutation_loads_or_is_refused(tmp_path_factory, changes, encoding, cut):
    lines = LINES[: max(cut, 1)] if cut < len(LINES) // 4 else LINES
    budget = load_or_input_error(write(tmp_path_factory.mktemp("fuzz"), lines, changes, encoding))
    if budget is not None:
        assert_usable(budget)


@FUZZ
@given(changes=st.lists(mutations(PERF_SPAN[1] - PERF_SPAN[0]), min_size=1, max_size=8),
       encoding=st.sampled_from(ENCODINGS))
def test_performance_mutations_leave_tables_1_to_13(tmp_path_factory, budget, changes, encoding):
    mutated = budgettui.load(write(tmp_path_factory.mktemp("fuzz"), LINES, changes, encoding, PERF_SPAN))
    assert_usable(mutated)
    assert_same(mutated, budget, set(TABLE_RESOURCES.values()) | {"units", "subjects"})
    label = "utf-16-be" if encoding == "utf-16-be-bom" else "utf-16-le" if encoding == "utf-16" else encoding
    assert mutated["documents"]["encoding"].item() == label


@FUZZ
@given(data=st.data(), no=st.sampled_from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))
def test_one_damaged_table_leaves_the_others(tmp_path_factory, budget, data, no):
    start, stop = TABLE_SPANS[no]
    changes = data.draw(st.lists(mutations(stop - start - 1), min_size=1, max_size=4))
    mutated = budgettui.load(write(tmp_path_factory.mktemp("fuzz"), LINES, changes, span=(start + 1, stop)))
    assert_usable(mutated)
    others = {name for n, name in TABLE_RESOURCES.items() if n != no}
    assert_same(mutated, budget, others - {"units", "subjects"}, lines_moved=True)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_encoding_gives_the_same_budget(tmp_path, budget, encoding):
    mutated = budgettui.load(write(tmp_path, LINES, [], encoding))
    for name in budget.resources:
        if name not in ("documents", "findings"):
            assert mutated[name].equals(budget[name]), name
    assert mutated["findings"].drop("message").equals(budget["findings"].drop("message"))
    assert mutated["documents"].select(pl.exclude("sha256", "encoding", "source_path")).equals(
        budget["documents"].select(pl.exclude("sha256", "encoding", "source_path")))


# -- the output side: whatever stdout or -o is, data arrives whole or a one-line message -----------

OUTPUT_RESOURCES = ("units", "three_public_costs", "glossary")
OUTPUT_FORMATS = ("table", "csv", "tsv", "json", "ndjson")
TARGETS = ("stdout", "full stdout", "-o /dev/full", "-o /dev/null", "-o /dev/stdout", "-o fifo",
           "-o symlink", "-o file")
STDOUT_ENCODINGS = ({}, {"PYTHONIOENCODING": "latin-1"}, {"PYTHONIOENCODING": "ascii:strict"},
                    {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"})


def _expected(budget: budgettui.Budget, resource: str, fmt: str) -> bytes:
    meta = schema.resource(resource)
    return render(budget[resource], fmt, f"{meta.zh} ({meta.en})" if fmt == "table" else None).encode()


@FUZZ
@given(resource=st.sampled_from(OUTPUT_RESOURCES), fmt=st.sampled_from(OUTPUT_FORMATS),
       target=st.sampled_from(TARGETS), env=st.sampled_from(STDOUT_ENCODINGS))
def test_any_output_target_gets_the_data_or_one_line(tmp_path_factory, budget, resource, fmt, target, env):
    tmp = tmp_path_factory.mktemp("out")
    args = [sys.executable, "-m", "budgettui", "show", resource, str(SAMPLE), "-f", fmt]
    stdout: object = subprocess.PIPE
    received: list[bytes] = []
    reader = None
    out = None
    if target == "full stdout":
        stdout = open("/dev/full", "wb")  # noqa: SIM115 - closed below
    elif target in ("-o /dev/full", "-o /dev/null", "-o /dev/stdout"):
        out = target[3:]
    elif target == "-o fifo":
        out = str(tmp / "out.fifo")
        os.mkfifo(out)
        reader = threading.Thread(target=lambda: received.append(Path(out).read_bytes()))
        reader.start()
    elif target == "-o symlink":
        (tmp / "real").write_text("old")
        (tmp / "link").symlink_to(tmp / "real")
        out = str(tmp / "link")
    elif target == "-o file":
        out = str(tmp / "file")
    try:
        result = subprocess.run([*args, *(["-o", out] if out else [])], stdout=stdout,
                                stderr=subprocess.PIPE, env={**os.environ, **env}, timeout=60,
                                check=False)
    finally:
        if target == "full stdout":
            stdout.close()  # type: ignore[attr-defined]
    if reader is not None:
        reader.join(timeout=60)
    messages = result.stderr.decode("utf-8")
    assert "Traceback" not in messages
    expected = _expected(budget, resource, fmt)
    if target == "full stdout":
        assert (result.returncode, messages) == (2, "budgettui: cannot write output: No space left on device\n")
    elif target == "-o /dev/full":
        assert (result.returncode, messages) == (2, "budgettui: /dev/full: No space left on device\n")
    else:
        assert (result.returncode, messages) == (0, "" if out is None else f"wrote {out}\n")
        if target in ("stdout", "-o /dev/stdout"):
            data = result.stdout
        elif target == "-o /dev/null":
            data = expected
        elif target == "-o fifo":
            data = received[0]
        elif target == "-o symlink":
            assert (tmp / "link").is_symlink()
            data = (tmp / "real").read_bytes()
        else:
            data = (tmp / "file").read_bytes()
        assert data == expected
