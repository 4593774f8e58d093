"""Figures stated in the sentences of 第三部分 情况说明: amounts, percentages, counts.

`预算收入总计27,761.28万元，其中：本年收入27,023.76万元` holds two figures; each keeps its
label (the words since the previous comma, colon, enumeration mark or figure: `预算收入总计`,
`本年收入`), the sentence it is in (split at 。 and ；) and the text of that sentence before it,
so rules can tell what a figure is and what it belongs to. Years, dates and document numbers
(`2026年`, `〔2025〕154号`) carry no unit of their own and are not figures.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

#: A number and its unit. Not preceded by a digit, letter or separator (`A040301`, `1,2`).
FIGURE = re.compile(
    r"(?<![0-9A-Za-z.,，])(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    r"(?P<unit>万元|%|％|个|家|辆|平方米|台（套）|台\(套\)|台)"
)
_SENTENCE = re.compile(r"[。；;！？]")
_DELIMITER = re.compile(r"[，,。；;：:、]")
_SECTION_NUMBER = re.compile(r"^[一二三四五六七八九十]+、\s*")


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure of a narrative paragraph."""

    seq: int            # the narrative row (paragraph)
    line: int           # its source line
    section: str        # section title without its number: 收入预算情况说明
    heading: str | None
    printed: str        # as printed: 27,761.28万元
    value: Decimal
    unit: str           # 万元, %, 个, 家, 辆, 平方米, 台
    index: int          # position among the paragraph's figures
    sentence: int       # sentence number within the paragraph
    label: str          # words since the previous delimiter or figure
    before: str         # the sentence's text before the figure
    after: str          # the text after the figure up to the next delimiter
    sentence_text: str  # the whole sentence

    @property
    def amount(self) -> bool:
        return self.unit == "万元"

    @property
    def percent(self) -> bool:
        return self.unit == "%"

    @property
    def places(self) -> int:
        """Decimal places as printed (`5.30%` → 2, `100%` → 0)."""
        exponent = self.value.as_tuple().exponent
        return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _unit(unit: str) -> str:
    return {"％": "%", "台（套）": "台", "台(套)": "台"}.get(unit, unit)


def _sentence_end(text: str, start: int) -> int:
    found = _SENTENCE.search(text, start)
    return found.end() if found else len(text)


def paragraph_figures(row: dict[str, Any]) -> list[Figure]:
    """The figures of one narrative row, in order."""
    text = row["text"]
    section = _SECTION_NUMBER.sub("", row["section"] or "")
    starts = [0] + [m.end() for m in _SENTENCE.finditer(text)]
    figures: list[Figure] = []
    previous_end = 0
    for match in FIGURE.finditer(text):
        sentence = bisect_right(starts, match.start()) - 1
        start_of_sentence = starts[sentence]
        head = text[max(previous_end, start_of_sentence):match.start()]
        cut = [m.end() for m in _DELIMITER.finditer(head)]
        label = head[cut[-1]:] if cut else head
        figures.append(Figure(
            seq=row["seq"], line=row["source_line"], section=section, heading=row["heading"],
            printed=match.group(0), value=Decimal(match.group("number").replace(",", "")),
            unit=_unit(match.group("unit")), index=len(figures), sentence=sentence,
            label=label.strip(), before=text[start_of_sentence:match.start()],
            after=_DELIMITER.split(text[match.end():], maxsplit=1)[0],
            sentence_text=text[start_of_sentence:_sentence_end(text, start_of_sentence)],
        ))
        previous_end = match.end()
    return figures


def narrative_figures(rows: list[dict[str, Any]]) -> list[Figure]:
    """Every figure of 第三部分 情况说明, paragraph by paragraph."""
    return [f for row in rows if row["part"] == "情况说明" for f in paragraph_figures(row)]
