"""Documents for the corpus tests: the sample as its department's budget of another year."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, SAMPLE

PDFS = ROOT / "tests" / "pdfs"
#: The sample's projects as the 2025 edition prints them: amount changed, renamed, dropped.
CHANGED = {
    "就业金专项\t": ("20.00", "15.00"),  # 15.00 in 2025 → 20.00 in 2026
    "创业担保贷款追诉经费\t": ("创业担保贷款追诉经费", "创业担保贷款追诉工作经费"),  # renamed in 2026
    "工伤认定调查核实经费\t": ("工伤认定调查核实经费", "劳动保障监察专项经费"),  # dropped; the other new
    "2080505\t": ("198.79", "180.50"),  # the subject, in tables 3 and 5
}


def last_year(folder: Path) -> Path:
    """The sample as if its department had published it for 2025, with other amounts and
    projects (see CHANGED)."""
    lines = []
    for line in SAMPLE.read_text(encoding="utf-8").replace("2026", "2025").split("\n"):
        for start, (old, new) in CHANGED.items():
            if line.startswith(start):
                line = line.replace(old, new)
        lines.append(line)
    path = folder / "gaoping-2025.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
