"""Dump what parsing gives for the sample and a corpus, or compare two dumps (is a faster parser
still byte-identical?).

    python benchmarks/parse_same.py dump OUT [CORPUS_DIR]   (default: the bundled sample only)
    python benchmarks/parse_same.py compare OLD NEW

`dump` parses every .txt/.pdf source with `model.parse_path` (no cache) and writes, per document,
each resource frame as Arrow IPC plus a summary of its text, page starts, link findings and error;
and the consistency rules' findings (`checks.arrow`, as a worker process runs them) with the
figures checked and broken (in the summary); and the findings of all the documents merged into
one Budget, the rules run there (`corpus_findings.arrow`).
`compare` says which frames (values or dtypes) or summaries differ; exit 1 when any does.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

import polars as pl

from budgettui.audit import document_checks
from budgettui.model import merge, parse_path
from budgettui.sources import default_source


def sources_of(corpus: Path | None) -> list[Path]:
    """The sample, then every text or PDF source under `corpus` (sorted)."""
    found = [default_source()]
    if corpus is not None:
        found += sorted(p for p in corpus.rglob("*") if p.suffix.lower() in {".txt", ".pdf"})
    return found


def dump(out: Path, corpus: Path | None) -> None:
    """Parse each source and write its frames and summary under `out/<index>/`."""
    loaded = []
    for index, path in enumerate(sources_of(corpus)):
        start = time.perf_counter()
        parsed = parse_path(path, f"d{index:03d}")
        folder = out / f"{index:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        for name, frame in parsed.frames.items():
            frame.write_ipc(folder / f"{name}.arrow")
        if parsed.error is None:
            checks = document_checks(merge([parsed]))
            checks.findings.write_ipc(folder / "checks.arrow")
            parsed_checks = [checks.checked, checks.broken]
            loaded.append(parsed)
        else:
            parsed_checks = None
        text = "\n".join(parsed.text.texts())
        summary = {"checks": parsed_checks, "path": str(path),
                   "text_sha256": hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
                   "page_starts": list(parsed.page_starts), "link_findings": parsed.link_findings,
                   "error": str(parsed.error) if parsed.error else None, "frames": sorted(parsed.frames)}
        (folder / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1))
        print(f"{index:3d} {time.perf_counter() - start:6.2f} s {path.name}", flush=True)
    merge(loaded)["findings"].write_ipc(out / "corpus_findings.arrow")


def compare(old: Path, new: Path) -> int:
    """The number of differences between two dumps (printed)."""
    differences = 0
    for file in sorted(old.glob("*.arrow")):
        a, b = pl.read_ipc(file), pl.read_ipc(new / file.name)
        if a.schema != b.schema or not a.equals(b):
            print(f"{file.stem}: frame differs ({a.shape} vs {b.shape})")
            differences += 1
    for folder in sorted(p for p in old.iterdir() if p.is_dir()):
        other = new / folder.name
        if (folder / "summary.json").read_text() != (other / "summary.json").read_text():
            print(f"{folder.name}: summary differs")
            differences += 1
        for file in sorted(folder.glob("*.arrow")):
            a, b = pl.read_ipc(file), pl.read_ipc(other / file.name)
            if a.schema != b.schema or not a.equals(b):
                print(f"{folder.name}/{file.stem}: frame differs ({a.shape} vs {b.shape})")
                differences += 1
    print(f"{differences} differences")
    return differences


def main() -> None:
    command, *args = sys.argv[1:]
    if command == "dump":
        dump(Path(args[0]), Path(args[1]) if len(args) > 1 else None)
    else:
        sys.exit(1 if compare(Path(args[0]), Path(args[1])) else 0)


if __name__ == "__main__":
    main()
