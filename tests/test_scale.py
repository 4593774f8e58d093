"""A corpus at scale: parallel load, the parse cache, compact source lines, linear checks."""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from conftest import SAMPLE

import budgettui
from budgettui import cache, model, schema, snapshot
from budgettui.audit import RULES, check_budget
from budgettui.sources import read_source

ROOT = Path(__file__).resolve().parents[1]
NAMES = ("alpha", "beta", "gamma")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder of three copies of the sample under different names (each with one more blank
    line at its end than the one before: the same bytes twice would be loaded once)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for n, name in enumerate(NAMES):
        (folder / f"{name}.txt").write_bytes(SAMPLE.read_bytes() + b"\n" * n)
    return folder


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    return folder


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The doc_id of every document parsed in this process from now on."""
    calls: list[str] = []
    real = model.parse_document

    def counted(source, doc_id):
        calls.append(doc_id)
        return real(source, doc_id)

    monkeypatch.setattr(model, "parse_document", counted)
    return calls


def same(one: budgettui.Budget, other: budgettui.Budget) -> None:
    for name in schema.BY_NAME:
        assert one[name].equals(other[name]), name
        assert one.frame(name).equals(other.frame(name)), name


def test_two_jobs_give_the_frames_of_one(corpus, monkeypatch):
    pools = []
    real_pool = model.ProcessPoolExecutor

    def pool(*args, **kwargs):
        pools.append(args)
        return real_pool(*args, **kwargs)

    monkeypatch.setattr(model, "ProcessPoolExecutor", pool)
    monkeypatch.setattr(model, "PARALLEL_MINIMUM", 2)
    serial = budgettui.load(corpus, jobs=1, cache=False)
    assert pools == []
    parallel = budgettui.load(corpus, jobs=2, cache=False)
    assert pools == [(2,)]  # three documents, two worker processes
    same(serial, parallel)
    assert serial["documents"]["doc_id"].to_list() == list(NAMES)
    assert serial["projects"].height == 3 * 64
    assert serial["findings"].equals(parallel["findings"])  # the checks too
    for doc_id in NAMES:
        assert parallel.source_lines(doc_id, 90, 92) == serial.source_lines(doc_id, 90, 92)
        assert parallel.source_lines(doc_id, 90)[0].text == "2026年预算收支总表"


def test_each_document_of_a_corpus_is_as_when_loaded_alone(corpus):
    alone = budgettui.load(corpus / "beta.txt", cache=False)
    several = budgettui.load(corpus, jobs=1, cache=False)
    for name in schema.BY_NAME:
        mine = several[name].filter(pl.col("doc_id") == "beta")
        expected = alone[name].with_columns(pl.lit("beta").alias("doc_id"))
        if name == "budget_lines":  # line ids start with the doc_id
            expected = expected.with_columns(pl.col("line_id").str.replace(r"^[^:]+:", "beta:"))
        if name == "documents":
            expected = expected.with_columns(pl.lit(str(corpus / "beta.txt")).alias("source_path"))
        assert mine.equals(expected), name


def test_a_skipped_document_is_reported_from_a_worker(corpus, monkeypatch):
    (corpus / "empty.txt").write_text("")
    monkeypatch.setattr(model, "PARALLEL_MINIMUM", 2)
    serial = budgettui.load(corpus, jobs=1, cache=False)
    parallel = budgettui.load(corpus, jobs=2, cache=False)
    assert [str(e) for e in parallel.skipped] == [str(e) for e in serial.skipped] == [
        f"{corpus / 'empty.txt'}: empty file"]
    assert parallel.skipped[0].sha256 == serial.skipped[0].sha256 is not None
    same(serial, parallel)


def test_parse_path_is_picklable_and_pure():
    import pickle

    parsed = model.parse_path(SAMPLE, "sample")
    again = pickle.loads(pickle.dumps(parsed))
    assert again.doc_id == "sample" and again.page_starts == parsed.page_starts
    assert set(again.frames) == set(schema.BY_NAME)
    assert all(again.frames[n].equals(parsed.frames[n]) for n in schema.BY_NAME)
    assert again.text.texts() == [line.text for line in read_source(SAMPLE).lines]


def test_source_lines_are_made_on_demand(budget):
    lines = read_source(SAMPLE).lines
    assert len(lines) == 2548
    assert budget.source_lines("000_6fa2890cbbd11825", 1, 2548) == lines
    assert budget.source_lines("000_6fa2890cbbd11825", 2547, 3000) == lines[2546:]
    assert budget.source_lines("000_6fa2890cbbd11825", 0) == []
    assert budget.source_lines("nothing", 1) == []
    assert budget.page_lines("000_6fa2890cbbd11825", 1) == []  # a text without form feeds
    text = budget._texts["000_6fa2890cbbd11825"]
    assert len(text.packed) < SAMPLE.stat().st_size / 3  # kept compressed


def test_a_second_load_reads_the_cache_and_parses_nothing(corpus, own_cache, parses):
    first = budgettui.load(corpus, jobs=1)
    assert parses == list(NAMES)
    entries = sorted(own_cache.rglob("*.budget"))
    assert len(entries) == 3 and all(e.parent.parent.name == cache.tag() for e in entries)
    second = budgettui.load(corpus, jobs=1)
    assert parses == list(NAMES)  # not parsed again
    same(first, second)
    assert first["findings"].equals(second["findings"])
    assert second.source_lines("gamma", 90, 92) == first.source_lines("gamma", 90, 92)
    fresh = budgettui.load(corpus, jobs=1, cache=False)
    same(fresh, second)
    assert parses == [*NAMES, *NAMES]


def test_a_moved_corpus_cites_its_new_paths(corpus, own_cache, parses, tmp_path):
    budgettui.load(corpus, jobs=1)
    moved = corpus.rename(tmp_path / "moved")
    again = budgettui.load(moved, jobs=1)
    assert parses == list(NAMES)
    assert again["documents"]["source_path"].to_list() == [str(moved / f"{n}.txt") for n in NAMES]


def test_a_renamed_copy_is_parsed_under_its_own_name(corpus, own_cache, parses):
    budgettui.load(corpus / "alpha.txt")
    (corpus / "alpha.txt").rename(corpus / "delta.txt")
    renamed = budgettui.load(corpus / "delta.txt")
    assert parses == ["alpha", "delta"]
    assert set(renamed["budget_lines"]["line_id"].str.split(":").list.first()) == {"delta"}


def test_a_changed_document_is_parsed_again(corpus, own_cache, parses):
    budgettui.load(corpus / "alpha.txt")
    path = corpus / "alpha.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("2026年预算收支总表", "2026年预算收支总表 "),
                    encoding="utf-8")
    budgettui.load(path)
    assert parses == ["alpha", "alpha"]


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "garbage"])
def test_a_damaged_entry_is_parsed_again_and_replaced(corpus, own_cache, parses, damage):
    path = corpus / "alpha.txt"
    first = budgettui.load(path)
    (entry,) = own_cache.rglob("*.budget")
    data = bytearray(entry.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x01
    elif damage == "truncate":
        data = data[: len(data) - 100]
    elif damage == "empty":
        data = bytearray()
    else:
        data = bytearray(b"\x00" * 64 + data[64:])
    entry.write_bytes(bytes(data))
    again = budgettui.load(path)
    assert parses == ["alpha", "alpha"]
    same(first, again)
    assert cache.read_entry(entry, first["documents"]["sha256"][0]) is not None  # rewritten whole
    budgettui.load(path)
    assert parses == ["alpha", "alpha"]


def test_a_corpus_loaded_before_is_read_back_whole(corpus, own_cache, parses, monkeypatch, tmp_path):
    first = budgettui.load(corpus, jobs=1)
    (whole,) = own_cache.rglob("*.corpus")
    assert whole.parent.name == "corpora" and whole.parent.parent.name == cache.tag()

    def never(*args):
        raise AssertionError("a document's entry was read")

    monkeypatch.setattr(model, "read_entry", never)
    moved = corpus.rename(tmp_path / "moved")
    again = budgettui.load(moved, jobs=1)
    assert parses == list(NAMES)  # parsed once, then read back whole
    assert again["documents"]["source_path"].to_list() == [str(moved / f"{n}.txt") for n in NAMES]
    assert "budget_lines" in again._packed and again.height("budget_lines") == 1743
    for name in schema.BY_NAME:
        if name != "documents":
            assert again[name].equals(first[name]), name
    assert set(again.stored_checks) == set(NAMES) and again["findings"].equals(first["findings"])
    assert again.source_lines("gamma", 90, 92) == first.source_lines("gamma", 90, 92)
    assert again.pages("alpha") == first.pages("alpha")


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty"])
def test_a_damaged_corpus_is_read_from_its_documents_and_replaced(corpus, own_cache, parses, damage):
    first = budgettui.load(corpus, jobs=1)
    (whole,) = own_cache.rglob("*.corpus")
    data = whole.read_bytes()
    whole.write_bytes({"flip": data[:5000] + bytes([data[5000] ^ 1]) + data[5001:],
                       "truncate": data[:-100], "empty": b""}[damage])
    again = budgettui.load(corpus, jobs=1)
    assert parses == list(NAMES)  # from the documents' entries, not parsed again
    same(first, again)
    assert again["findings"].equals(first["findings"])
    rewritten = snapshot.restore(whole, list(NAMES), [corpus / f"{n}.txt" for n in NAMES])
    assert rewritten is not None and rewritten["findings"].equals(first["findings"])  # written again, whole


def test_a_corpus_with_a_repeated_document_reads_back_its_duplicates(corpus, own_cache, parses):
    (corpus / "zeta.txt").write_bytes((corpus / "alpha.txt").read_bytes())
    with pytest.warns(UserWarning, match="zeta.txt: the same document as"):
        first = budgettui.load(corpus, jobs=1)
    with pytest.warns(UserWarning, match="zeta.txt: the same document as"):
        again = budgettui.load(corpus, jobs=1)
    assert again.duplicates == first.duplicates == ((corpus / "zeta.txt", corpus / "alpha.txt"),)
    assert again["documents"]["doc_id"].to_list() == list(NAMES)
    assert len(list(own_cache.rglob("*.corpus"))) == 1


def test_an_entry_of_another_parser_version_is_not_trusted(corpus, own_cache, parses, monkeypatch):
    path = corpus / "alpha.txt"
    budgettui.load(path)
    (entry,) = own_cache.rglob("*.budget")
    monkeypatch.setattr(cache, "PARSER_VERSION", cache.PARSER_VERSION + 1)
    budgettui.load(path)
    assert parses == ["alpha", "alpha"]
    # an old entry where the new version looks for its own: its header says what it is
    (newer,) = (e for e in own_cache.rglob("*.budget") if e != entry)
    newer.write_bytes(entry.read_bytes())
    budgettui.load(path)
    assert parses == ["alpha", "alpha", "alpha"]


def test_an_unwritable_cache_does_not_stop_the_load(corpus, tmp_path, monkeypatch, parses):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "cache"))
    assert budgettui.load(corpus / "alpha.txt")["projects"].height == 64
    assert budgettui.load(corpus / "alpha.txt")["projects"].height == 64
    assert parses == ["alpha", "alpha"]


def test_cache_dir_is_the_users_unless_configured(monkeypatch, tmp_path):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    assert cache.cache_dir() == tmp_path
    monkeypatch.delenv(cache.CACHE_ENV)
    from platformdirs import user_cache_dir

    assert cache.cache_dir() == Path(user_cache_dir("budgettui", appauthor=False))


def run(*args: str, env_cache: Path) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, cache.CACHE_ENV: str(env_cache)}
    return subprocess.run([sys.executable, "-m", "budgettui", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)


def test_cache_clear_and_no_cache_on_the_command_line(corpus, tmp_path):
    folder = tmp_path / "cli-cache"
    result = run("tables", str(corpus), "--no-cache", "--jobs", "1", env_cache=folder)
    assert result.returncode == 0, result.stderr
    assert not folder.exists()
    result = run("show", "documents", str(corpus), "-f", "csv", "-j", "1", env_cache=folder)
    assert result.returncode == 0, result.stderr
    assert len(list(folder.rglob("*.budget"))) == 3
    mine = folder / "notes.txt"
    mine.write_text("not budgettui's")
    result = run("cache", "clear", env_cache=folder)
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"removed 3 cached documents and 1 corpus from {folder}\n"
    assert list(folder.rglob("*.budget")) == [] and mine.read_text() == "not budgettui's"
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    assert run("cache", "clear", env_cache=folder).stderr == f"removed 0 cached documents from {folder}\n"
    assert run("check", str(corpus), "--jobs", "0", env_cache=folder).returncode == 2


def test_check_with_two_jobs_prints_what_one_job_prints(corpus, tmp_path):
    for n, name in enumerate(("delta", "epsilon"), start=3):  # five documents: worker processes
        (corpus / f"{name}.txt").write_bytes(SAMPLE.read_bytes() + b"\n" * n)
    one = run("check", str(corpus), "-f", "json", "--jobs", "1", "--no-cache", env_cache=tmp_path / "c")
    two = run("check", str(corpus), "-f", "json", "--jobs", "2", "--no-cache", env_cache=tmp_path / "c")
    assert one.returncode == two.returncode == 0, two.stderr
    assert one.stdout == two.stdout and one.stderr == two.stderr
    assert one.stdout.count('"doc_id": "epsilon"') > 10


def test_checks_split_each_resource_once(corpus):
    budget = budgettui.load(corpus, jobs=1, cache=False)
    report = check_budget(budget, only=list(RULES))  # the rules run here, not their stored results
    assert set(report.per_document) == set(NAMES)
    assert len({report.per_document[n] for n in NAMES}) == 1  # the same document thrice
    assert set(budget._parts) >= {"findings", "documents", "expenditure_by_subject", "projects"}
    assert [*budget.by_document("projects")] == list(NAMES)


def test_the_checks_run_where_documents_parse_and_are_cached(corpus, own_cache, monkeypatch):
    budget = budgettui.load(corpus, jobs=2)  # three documents, one worker process each
    assert set(budget.stored_checks) == set(NAMES)
    stored = check_budget(budget)
    assert budget._parts == {}  # no rule ran in this process
    fresh = check_budget(budget, only=list(RULES))
    assert stored.findings == fresh.findings and stored.per_document == fresh.per_document
    assert stored.checked == fresh.checked == 3 * 1953  # the sample's figures, thrice
    assert sum(f["rule"] == "narrative.sum" for f in stored.findings) == 3 * 21

    def never(ctx):
        raise AssertionError("a rule ran on a cached document")

    monkeypatch.setitem(RULES, "t2.row_sum", RULES["t2.row_sum"].__class__("t2.row_sum", "error", "", "", never))
    again = budgettui.load(corpus, jobs=1)
    assert again.stored_checks.keys() == budget.stored_checks.keys()
    assert again["findings"].equals(budget["findings"])
    with pytest.raises(AssertionError, match="a rule ran"):  # another tolerance runs the rules
        check_budget(again, Decimal("0.05"))


def test_the_findings_of_a_cached_load_import_no_rule(corpus, own_cache):
    budgettui.load(corpus / "alpha.txt")  # parsed, checked and cached
    code = (f"import sys, budgettui; budget = budgettui.load({str(corpus / 'alpha.txt')!r}); "
            "print(budget['findings'].height, 'budgettui.audit' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout == "182 False\n", result.stderr  # the parsers' and the rules' findings


def test_budget_lines_stay_packed_until_asked_for(corpus):
    budget = budgettui.load(corpus, jobs=1, cache=False)
    assert "budget_lines" in budget and "budget_lines" in budget._packed
    assert budget.height("budget_lines") == 3 * 581 and "budget_lines=1743" in repr(budget)
    assert set(budget._packed) == {"budget_lines", "indicators"}  # still packed
    assert budget.height("indicators") == 3 * 846
    lines = budget["budget_lines"]
    assert lines.height == 1743 and "budget_lines" not in budget._packed
    assert lines.filter(pl.col("doc_id") == "beta").equals(budgettui.load(corpus / "beta.txt")["budget_lines"])
    backwards = budgettui.load(corpus / "gamma.txt", corpus / "alpha.txt", jobs=1, cache=False)
    assert backwards["documents"]["doc_id"].to_list() == ["gamma", "alpha"]
    assert backwards["budget_lines"]["doc_id"].unique(maintain_order=True).to_list() == ["alpha", "gamma"]
    assert backwards["budget_lines"]["line_id"][0] == "alpha:01:budget_summary:expenditure.0005:amount"


def test_the_readme_example_runs(tmp_path, corpus):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```python\n(# map parse_path.*?)```", readme, re.S)
    script = tmp_path / "example.py"
    script.write_text(example.replace('"corpus/"', repr(str(corpus))), encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "3 documents, 192 projects\n"


def test_the_cache_reads_no_file_over_the_size_limit(corpus, own_cache, monkeypatch):
    monkeypatch.setenv("BUDGETTUI_MAX_BYTES", "100")

    def never(self, *args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", never)
    monkeypatch.setattr(Path, "read_bytes", never)
    with pytest.raises(budgettui.InputError, match=r"over the limit of 100 bytes"):
        budgettui.load(corpus / "alpha.txt")


def test_a_pipe_is_not_hashed_for_the_cache(tmp_path, own_cache):
    import os
    import threading

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(SAMPLE.read_bytes()))
    writer.start()
    budget = budgettui.load(fifo)
    writer.join(5)
    assert budget["projects"].height == 64
    assert list(own_cache.rglob("*.budget")) == []


def test_split_by_document_slices_runs_and_partitions_the_rest():
    runs = pl.DataFrame({"doc_id": ["a", "a", "b", "c", "c"], "x": [1, 2, 3, 4, 5]})
    assert {k: v["x"].to_list() for k, v in model._split(runs).items()} == {"a": [1, 2], "b": [3], "c": [4, 5]}
    mixed = pl.DataFrame({"doc_id": ["a", "b", "a"], "x": [1, 2, 3]})
    assert {k: v["x"].to_list() for k, v in model._split(mixed).items()} == {"a": [1, 3], "b": [2]}
    assert model._split(runs.head(0)) == {}


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_same_bytes_twice_are_loaded_once_parsed_or_cached(corpus, own_cache, monkeypatch, jobs):
    monkeypatch.setattr(model, "PARALLEL_MINIMUM", 2)
    (corpus / "zeta.txt").write_bytes((corpus / "alpha.txt").read_bytes())
    for _ in range(2):  # parsed, then read from the cache
        with pytest.warns(UserWarning, match="zeta.txt: the same document as .*alpha.txt"):
            budget = budgettui.load(corpus, jobs=jobs)
        assert budget["documents"]["doc_id"].to_list() == list(NAMES)
        assert budget.duplicates == ((corpus / "zeta.txt", corpus / "alpha.txt"),)
    assert len(list(own_cache.rglob("*.budget"))) == 3


def test_the_same_unreadable_bytes_twice_are_each_skipped(corpus):
    for name in ("empty.txt", "void.txt"):
        (corpus / name).write_text("")
    budget = budgettui.load(corpus, jobs=1, cache=False)
    assert [Path(e.path).name for e in budget.skipped] == ["empty.txt", "void.txt"]
    assert budget["documents"]["doc_id"].to_list() == ["alpha", "beta", "empty", "gamma", "void"]
    assert budget.duplicates == ()


def test_a_cached_pdf_keeps_its_pages_tables_and_lines(own_cache, parses):
    pdf = ROOT / "tests" / "pdfs" / "shanghai-haiyang-2026.pdf"
    cold = budgettui.load(pdf)
    warm = budgettui.load(pdf)
    assert parses == [pdf.stem]
    same(cold, warm)
    assert warm._pages == cold._pages and warm._pages[pdf.stem]
    assert warm["source_tables"]["source_page"].null_count() == 0
    assert warm.page_lines(pdf.stem, 7) == cold.page_lines(pdf.stem, 7) != []
    assert warm["budget_lines"].equals(cold["budget_lines"])


def test_the_cache_is_kept_under_its_limit_oldest_and_stale_entries_first(corpus, own_cache, parses,
                                                                        monkeypatch):
    import os

    budgettui.load(corpus / "alpha.txt")
    (alpha,) = own_cache.rglob("*.budget")
    size = alpha.stat().st_size
    # an entry of an older parser, and alpha used long ago
    stale = own_cache / "v1-0123456789abcdef" / "ab" / ("ab" * 32 + "-x.budget")
    stale.parent.mkdir(parents=True)
    stale.write_bytes(alpha.read_bytes())
    os.utime(alpha, (1, 1))
    # room for two entries: loading beta makes three, so the stale one and then alpha go
    monkeypatch.setenv(cache.LIMIT_ENV, str(2.05 * size / 2**20))
    budgettui.load(corpus / "beta.txt")
    left = {path.name.split("-")[0][:8] for path in own_cache.rglob("*.budget")}
    assert not stale.exists() and not stale.parent.parent.exists()
    assert not alpha.exists()
    assert len(left) == 1
    # a read refreshes an entry: the one just read is kept when another is written
    budgettui.load(corpus / "beta.txt")
    assert parses == ["alpha", "beta"]
    (beta,) = own_cache.rglob("*.budget")
    os.utime(beta, (1, 1))
    budgettui.load(corpus / "beta.txt")
    assert beta.stat().st_mtime > 1


def test_no_cache_limit_when_it_is_zero_and_a_bad_limit_is_one_line(corpus, own_cache, monkeypatch):
    monkeypatch.setenv(cache.LIMIT_ENV, "0")
    assert cache.limit_bytes() is None
    assert cache.prune(own_cache, cache.limit_bytes()) == 0
    result = run("cache", "info", env_cache=own_cache)
    assert result.returncode == 0 and "limit    none" in result.stdout
    monkeypatch.setenv(cache.LIMIT_ENV, "lots")
    result = run("tables", str(corpus / "alpha.txt"), env_cache=own_cache)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "budgettui: BUDGETTUI_CACHE_MAX_MB: not a number of megabytes: 'lots'"]


def test_cache_info_counts_the_entries(corpus, own_cache):
    budgettui.load(corpus / "alpha.txt")
    budgettui.load(corpus / "beta.txt")
    result = run("cache", "info", env_cache=own_cache)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"folder   {own_cache}"
    assert lines[1].startswith("entries  2 documents (2 of this parser version), ")
    assert lines[2] == "limit    2048 MB (BUDGETTUI_CACHE_MAX_MB)"
    # What the browser keeps beside an entry (its outline) counts with it, for the limit too.
    first = cache.entries(own_cache)[0]
    first.path.with_suffix(".outline").write_bytes(b"x" * 3000)
    assert {e.path: e.size for e in cache.entries(own_cache)}[first.path] == first.size + 3000


def test_pdfs_go_to_the_workers_one_at_a_time():
    texts = [Path(f"d{i}.txt") for i in range(200)]
    assert model.chunk_size(texts, 2) == 8
    assert model.chunk_size(texts[:20], 2) == 2
    assert model.chunk_size(texts[:3], 2) == 1
    assert model.chunk_size([*texts, Path("city/budget.PDF")], 2) == 1


def test_a_worker_process_starts_with_its_modules_frozen_out_of_the_collector():
    """(in a fresh interpreter, as a worker is) the parsers and the rules are imported, and
    what is alive then is left out of the garbage collector's passes, which run less often."""
    import subprocess
    import sys

    code = ("import gc, sys\nfrom budgettui.model import _worker_start\n_worker_start()\n"
            "print(gc.get_threshold(), gc.get_freeze_count() > 10000,"
            " 'budgettui.audit' in sys.modules, 'budgettui.performance' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "(10000, 20, 20) True True True", result.stderr
