"""Harvest (functional code, name) pairs printed in the corpus PDFs and the bundled sample.

    python benchmarks/harvest_codes.py [CORPUS] [--cache DIR] > harvest.tsv

Prints ``code  name  year  files  listed`` (one row per code, name and year: how many documents
print it, and the name ``budgettui.classification`` gives that code that year, for review). Needs
pdfplumber. Codes are read as ``2080505``, ``208 05 05``, ``[201]名称`` or split over 类/款/项
table columns; only 类 201–234 are kept (economic codes 301…, 501… and revenue codes are not).
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from budgettui.classification import name_of

ROOT = Path(__file__).resolve().parent.parent
NUMBER = re.compile(r"^[-+]?[\d,]*\.?\d+%?$|^-$|^—$")
LINE = re.compile(r"^\[?(2\d{2})\]?(?:[ \t]*(\d{2}))?(?:[ \t]*(\d{2}))?[ \t]*\]?[ \t]*(.+)$")
GLUED = re.compile(r"^\[?(2\d{2}(?:\d{2}){0,2})\]?[ \t]*(.+)$")
NARRATIVE = re.compile(r"([\u4e00-\u9fff（）()、]{2,40})[（(](2\d{2}(?:\d{2}){0,2})[）)]")
# Unit names, funding kinds and project wording that sit beside a code in project tables.
JUNK = re.compile(r"(局|中心|委员会|办公厅|经费|(?<!重大)项目|尾款)$|^(全额|差额|自收自支|西安|中共)")
NAME = re.compile(r"^[\u4e00-\u9fff（）()、“”\"A-Za-z·]+$")


def _year(path: Path, first_text: str) -> int | None:
    for text in (first_text[:400], path.name):
        found = re.search(r"(?<!\d)(20[2-3]\d)(?!\d)", text)
        if found:
            return int(found.group(1))
    return None


def _clean(name: str) -> str:
    name = name.lstrip("（）()、.·\"“”")
    return "" if JUNK.search(name) else name


def _name(rest: str) -> str:
    words = []
    for word in re.split(r"[ \t]+", rest.strip()):
        if NUMBER.match(word) or not NAME.match(word):
            break
        words.append(word)
    return _clean("".join(words))


def _valid(code: str) -> bool:
    return len(code) in (3, 5, 7) and 201 <= int(code[:3]) <= 234


def _line_pair(line: str) -> tuple[str, str] | None:
    match = LINE.match(line)
    code, rest = "", ""
    if match and (match.group(2) or match.group(3) is None):
        code, rest = "".join(g for g in match.groups()[:3] if g), match.group(4)
    else:
        glued = GLUED.match(line)
        if glued:
            code, rest = glued.groups()
    name = _name(rest) if code else ""
    return (code, name) if code and _valid(code) and len(name) >= 2 else None


def pairs_from_text(text: str) -> set[tuple[str, str]]:
    """Code-then-name lines of subject tables; a code printed on consecutive lines (a project list) is skipped."""
    rows = [pair for line in text.splitlines() if (pair := _line_pair(line.strip()))]
    found: set[tuple[str, str]] = set()
    for i, (code, name) in enumerate(rows):
        neighbours = [rows[j][0] for j in (i - 1, i + 1) if 0 <= j < len(rows)]
        if code not in neighbours:
            found.add((code, name))
    for name, code in NARRATIVE.findall(text.replace("\n", "")):
        if _valid(code):
            name = _clean(re.sub(r"^.*?[0-9.、，,。；;]", "", name) or name)
            if len(name) >= 2:
                found.add((code, name))
    return found


def pairs_from_tables(tables: list[list[list[str | None]]]) -> set[tuple[str, str]]:
    """Tables with 类/款/项 columns (the 类 or 款 printed only on the first row of its group)."""
    found: set[tuple[str, str]] = set()
    for table in tables:
        start = None
        lei = kuan = ""
        for row in table:
            cells = [re.sub(r"\s+", "", c or "") for c in row]
            for i in range(len(cells) - 2):
                if cells[i : i + 3] == ["类", "款", "项"]:
                    start, lei, kuan = i, "", ""
            if start is None or len(cells) < start + 4:
                continue
            c1, k, x = cells[start : start + 3]
            names = [c for c in cells[start + 3 :] if c and NAME.match(c)]
            if not names or not all(re.fullmatch(r"\d*", c) for c in (c1, k, x)):
                continue
            if len(c1) == 7:
                c1, k, x = c1[:3], c1[3:5], c1[5:]
            elif len(c1) == 5:
                c1, k = c1[:3], c1[3:]
            if c1:
                lei, kuan = c1, ""
            if k:
                kuan = k
            code = lei + (kuan if k or x else "") + x if lei else ""
            if x and not kuan:
                code = ""
            if code and _valid(code) and _clean(names[0]):
                found.add((code, _clean(names[0])))
    return found


def extract(path: Path, cache: Path | None) -> dict:
    target = cache / (re.sub(r"\W", "_", str(path.relative_to(path.parent.parent))) + ".json") if cache else None
    if target and target.exists():
        return json.loads(target.read_text())
    import pdfplumber

    pages = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            pages.append({"text": page.extract_text() or "", "tables": page.extract_tables()})
    doc = {"file": str(path), "pages": pages}
    if target:
        target.write_text(json.dumps(doc, ensure_ascii=False))
    return doc


def main(argv: list[str]) -> None:
    corpus = Path(argv[0]) if argv and not argv[0].startswith("--") else ROOT.parent / "shared" / "corpus"
    cache = Path(argv[argv.index("--cache") + 1]) if "--cache" in argv else None
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
    seen: dict[tuple[str, str, int | None], set[str]] = defaultdict(set)
    for path in sorted(corpus.glob("*/*.pdf")):
        doc = extract(path, cache)
        texts = [p["text"] for p in doc["pages"]]
        year = _year(path, texts[0] if texts else "")
        for page in doc["pages"]:
            for code, name in pairs_from_text(page["text"]) | pairs_from_tables(page["tables"]):
                seen[code, name, year].add(path.name)
    for sample in sorted((corpus.parent / "samples").glob("*.txt")):
        text = sample.read_text(encoding="utf-8")
        year = _year(sample, text)
        lines = (line.replace("\t", " ") for line in text.splitlines())
        for code, name in pairs_from_text("\n".join(lines)):
            seen[code, name, year].add(sample.name)
    counts = Counter({key: len(files) for key, files in seen.items()})
    print("code\tname\tyear\tfiles\tlisted")
    for (code, name, year), n in sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1])):
        print(f"{code}\t{name}\t{year}\t{n}\t{name_of(code, year) or ''}")


if __name__ == "__main__":
    main(sys.argv[1:])
