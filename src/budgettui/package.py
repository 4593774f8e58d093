"""The metadata of an export bundle, generated from schema.py: the Frictionless Data Package
descriptor (`datapackage.json`) with Table Schemas and Fiscal Data Package meaning, a JSON
Schema per resource, the bundle's README, its folder name (slug) and its `created` date.

Nothing here reads the clock: `created` comes from the document (see `created`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

import polars as pl

from budgettui import fiscal, schema

#: Marker of a bundle written by budgettui (top-level key of datapackage.json).
MARKER = "budgettui"

#: Formats of a bundle, in the order files are written, with their media types.
MEDIATYPES: dict[str, str] = {
    "csv": "text/csv",
    "json": "application/json",
    "ndjson": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
}
#: Which format the Data Package resource points at, best first (frictionless reads csv, json).
CANONICAL_ORDER = ("csv", "json", "ndjson", "parquet")

_TABLE_SCHEMA_TYPES = {
    "string": "string", "integer": "integer", "money": "number", "number": "number",
    "date": "date", "boolean": "boolean",
}

#: Foreign keys of schema.py that frictionless cannot validate as declared, rewritten for
#: the bundle. subjects (doc_id, parent_code) → subjects (doc_id, code): a 类 row has a null
#: parent_code, and frictionless skips a foreign key only when *all* its cells are null, so
#: (doc_id, null) is reported as missing. The bundle declares parent_code → code instead.
FK_OVERRIDES: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, ...], tuple[str, ...]]] = {
    ("subjects", ("doc_id", "parent_code")): (("parent_code",), ("code",)),
}

LICENSE = {
    "name": "other-pd",
    "title": "Government information published under the Regulations on Open Government "
             "Information (政府信息公开条例); figures as printed by the department",
}


# -- names and dates --------------------------------------------------------------------

_BRACKETS = re.compile(r"[（(【\[〔《].*?[）)】\]〕》]")
_PLACE = re.compile(r"^(.{1,8}?(?:自治区|自治州|自治县|省|市|州|盟|县|旗|区))")
_SUFFIX = re.compile(r"(委员会|办公室|管理局|局|委|办|中心|院|厅|部|署|处|站|所|馆|队)$")
_CONJUNCTION = re.compile(r"和(?!国)|[与及、]")
SLUG_MAX = 48


def _pinyin(text: str) -> str:
    """ASCII of one word: pinyin of Chinese characters run together, other letters kept
    (pypinyin's readings, looked up without loading its dictionaries: see romanize)."""
    from budgettui.romanize import lazy_pinyin

    ascii_text = "".join(lazy_pinyin(text))
    folded = unicodedata.normalize("NFKD", ascii_text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", folded.lower())


def _words(name: str) -> list[str]:
    """A department name cut into words: places, the body split at 和/与, the suffix."""
    rest = _BRACKETS.sub("", name).strip()
    words: list[str] = []
    while match := _PLACE.match(rest):
        if len(match.group(1)) >= len(rest):
            break
        words.append(match.group(1))
        rest = rest[match.end():]
    suffix = _SUFFIX.search(rest)
    body, tail = (rest[: suffix.start()], suffix.group(1)) if suffix and suffix.start() else (rest, "")
    words += [w for w in _CONJUNCTION.split(body) if w]
    if tail:
        words.append(tail)
    return words


def slug(name: str | None) -> str:
    """An ASCII, hyphenated, bounded slug of a department name (pinyin), e.g.
    高平市人力资源和社会保障局（高平市医疗保障局） → gaopingshi-renliziyuan-shehuibaozhang-ju."""
    words = [w for w in (_pinyin(word) for word in _words(name or "")) if w]
    text = ""
    for word in words:
        candidate = f"{text}-{word}" if text else word
        if len(candidate) > SLUG_MAX:
            break
        text = candidate
    return text or (words[0][:SLUG_MAX] if words else "budget")


def bundle_name(documents: pl.DataFrame) -> str:
    """`<slug>-<year>` of the first loaded document (a skipped source has no lines), plus
    `-and-N-more-<digest>` for N further documents, the digest (8 hex digits) telling apart
    different sets of sources. Only ASCII letters, digits and hyphens."""
    if documents.is_empty():
        return "budget"
    loaded = documents.filter(pl.col("line_count").is_not_null())
    first = (loaded if not loaded.is_empty() else documents).row(0, named=True)
    name = slug(first["department"])
    if first["year"] is not None:
        name += f"-{first['year']}"
    more = documents.height - 1
    return f"{name}-and-{more}-more-{sources_digest(documents)}" if more else name


def sources_digest(documents: pl.DataFrame) -> str:
    """8 hex digits of the sha256 over the documents' sha256s (or names, for a file that could
    not be read), in order: the same sources give the same digest."""
    parts = [row["sha256"] or row["source_path"] or "" for row in documents.iter_rows(named=True)]
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:8]


def created(documents: pl.DataFrame, targets: pl.DataFrame) -> str | None:
    """When the documents were made, from the documents themselves (never the clock).

    The latest 填报日期 of a performance table that falls in the preparation window of its
    budget (1 January of the year before to 31 March of the budget year; a date outside it
    is a misprint such as 20261027 for a 2026 budget), as local time (+08:00). Without one,
    1 January of the latest budget year; None when no year is known.
    """
    years = dict(zip(documents["doc_id"], documents["year"], strict=True))
    stamps: list[datetime] = []
    for row in targets.select("doc_id", "fill_date", "fill_time").iter_rows(named=True):
        year = years.get(row["doc_id"])
        day: date | None = row["fill_date"]
        if year is None or day is None or not date(year - 1, 1, 1) <= day <= date(year, 3, 31):
            continue
        stamps.append(_fill_stamp(day, row["fill_time"]))
    if stamps:
        return max(stamps).isoformat() + "+08:00"
    known = [y for y in years.values() if y is not None]
    return f"{max(known)}-01-01T00:00:00+08:00" if known else None


def _fill_stamp(day: date, printed: str | None) -> datetime:
    """The printed YYYYMMDDhhmmss when it is a valid time on `day`, else midnight of `day`."""
    if printed and re.fullmatch(r"\d{14}", printed):
        try:
            stamp = datetime.strptime(printed, "%Y%m%d%H%M%S")
        except ValueError:
            stamp = None
        if stamp and stamp.date() == day:
            return stamp
    return datetime(day.year, day.month, day.day)


# -- Table Schema ---------------------------------------------------------------------------


def field_descriptor(resource: schema.Resource, column: schema.Column) -> dict[str, Any]:
    """A Table Schema field with titles, unit and Fiscal Data Package meaning."""
    field: dict[str, Any] = {
        "name": column.name,
        "type": _TABLE_SCHEMA_TYPES[column.type],
        "title": column.zh,
        "titleEn": column.en,
    }
    if column.description:
        field["description"] = column.description
    if column.unit:
        field["unit"] = column.unit
    if column.type == "money":
        field.update(fiscal.money_meaning(resource.name, column))
    elif column.type == "date":
        field["format"] = "default"
    else:
        column_type = fiscal.column_type(resource.name, column)
        if column_type:
            field["columnType"] = column_type
    if column.name in resource.primary_key:
        field["constraints"] = {"required": True}
    return field


def foreign_keys(resource: schema.Resource, included: set[str]) -> list[dict[str, Any]]:
    """The resource's foreign keys to resources in the bundle, rewritten per FK_OVERRIDES."""
    keys = []
    for fk in resource.foreign_keys:
        if fk.resource not in included:
            continue
        fields, reference = FK_OVERRIDES.get((resource.name, fk.fields), (fk.fields, fk.reference))
        keys.append({"fields": list(fields),
                     "reference": {"resource": fk.resource, "fields": list(reference)}})
    return keys


def table_schema(resource: schema.Resource, included: set[str]) -> dict[str, Any]:
    """The Table Schema of a resource."""
    result: dict[str, Any] = {
        "fields": [field_descriptor(resource, c) for c in resource.columns],
        "missingValues": [""],
    }
    if resource.primary_key:
        result["primaryKey"] = list(resource.primary_key)
    keys = foreign_keys(resource, included)
    if keys:
        result["foreignKeys"] = keys
    return result


def resource_descriptor(resource: schema.Resource, included: set[str]) -> dict[str, Any]:
    """A resource's descriptor without its files (added by the exporter)."""
    descriptor: dict[str, Any] = {
        "name": resource.name,
        "title": resource.zh,
        "titleEn": resource.en,
        "profile": "tabular-data-resource",
    }
    if resource.description:
        descriptor["description"] = resource.description
    if resource.table_no:
        descriptor["tableNo"] = resource.table_no
    descriptor["schema"] = table_schema(resource, included)
    return descriptor


# -- Data Package ---------------------------------------------------------------------------


def package_descriptor(documents: pl.DataFrame, targets: pl.DataFrame, name: str,
                       formats: tuple[str, ...]) -> dict[str, Any]:
    """The package-level properties of datapackage.json (resources are added by the exporter)."""
    departments = [d for d in documents["department"].unique(maintain_order=True) if d]
    years = sorted({y for y in documents["year"] if y is not None})
    title = "、".join(departments) or "部门预算"
    if years:
        title += f" {years[0]}" + (f"–{years[-1]}" if len(years) > 1 else "") + "年部门预算"
    descriptor: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        "description": "Department budget disclosure (部门预算公开) as typed tables: tables 1–13, "
                       "performance targets and indicators, narrative, glossary and findings, "
                       "plus budget_lines, one amount per row. Generated by budgettui.",
        "keywords": ["部门预算", "budget", "China", "fiscal-data-package"],
        "countryCode": "CN",
        "currency": "CNY",
        "licenses": [LICENSE],
        "sources": [_source(row) for row in documents.iter_rows(named=True)],
    }
    stamp = created(documents, targets)
    if stamp:
        descriptor["created"] = stamp
    if years:
        descriptor["fiscalPeriod"] = {"start": f"{years[0]}-01-01", "end": f"{years[-1]}-12-31"}
    descriptor[MARKER] = {"formats": list(formats)}
    return descriptor


def _source(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": row["title"],
        "path": PurePath(row["source_path"]).name,
        "docId": row["doc_id"],
        "sha256": row["sha256"],
    }


# -- JSON Schema ----------------------------------------------------------------------------

_JSON_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "money": {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2,6}$"},
    "number": {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"},
    "date": {"type": "string", "format": "date"},
    "boolean": {"type": "boolean"},
}


def json_schema(resource: schema.Resource) -> dict[str, Any]:
    """A JSON Schema (2020-12) of `json/<name>.json`: an array of records, amounts as strings."""
    properties = {}
    for column in resource.columns:
        spec = dict(_JSON_TYPES[column.type])
        if column.name not in resource.primary_key:
            spec["type"] = [spec["type"], "null"]
        spec["title"] = column.zh
        text = column.en + (f" ({column.unit})" if column.unit else "")
        spec["description"] = text + (f": {column.description}" if column.description else "")
        properties[column.name] = spec
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{resource.zh} ({resource.en})",
        "description": resource.description or f"Rows of {resource.name}; amounts as decimal strings.",
        "type": "array",
        "items": {
            "type": "object",
            "properties": properties,
            "required": resource.column_names,
            "additionalProperties": False,
        },
    }


# -- README ---------------------------------------------------------------------------------


def readme(package: dict[str, Any], rows: dict[str, int]) -> str:
    """The bundle's README.md: what it holds and what each resource and column means."""
    lines = [f"# {package['title']}", "", package["description"], ""]
    for source in package["sources"]:
        lines.append(f"- Source: `{source['path']}` ({source['title']}), sha256 `{source['sha256']}`")
    if "created" in package:
        lines.append(f"- Created: {package['created']} (latest 填报日期 of the document)")
    lines += [
        f"- Formats: {', '.join(package[MARKER]['formats'])}; `datapackage.json` describes every "
        "file (Frictionless Data Package with Table Schemas; amount fields carry Fiscal Data "
        "Package meaning: currency CNY, factor to 元, phase approved, direction).",
        "- Amounts are exact decimals in the unit printed: 万元 for tables 1–13, 元 for "
        "performance funds. CSV prints them as the document does, JSON as strings.",
        "", "## Resources", "",
    ]
    for item in package["resources"]:
        lines += _readme_resource(item, rows.get(item["name"], 0))
    return "\n".join(lines) + "\n"


def _readme_resource(item: dict[str, Any], count: int) -> list[str]:
    table = f", table {item['tableNo']}" if "tableNo" in item else ""
    files = [item["path"], *(a["path"] for a in item.get("alternates", []))]
    lines = [f"### {item['name']}: {item['title']} ({item['titleEn']}{table})", ""]
    if item.get("description"):
        lines += [item["description"], ""]
    lines += [f"{count} rows. Files: {', '.join(f'`{f}`' for f in files)}.", ""]
    key = item["schema"].get("primaryKey")
    if key:
        lines += [f"Key: {', '.join(key)}.", ""]
    lines += ["| column | type | 中文 | English | unit | meaning |", "|---|---|---|---|---|---|"]
    for field in item["schema"]["fields"]:
        meaning = field.get("description", "").replace("|", "/")
        lines.append(f"| {field['name']} | {field['type']} | {field['title']} | {field['titleEn']} "
                     f"| {field.get('unit', '')} | {meaning} |")
    return [*lines, ""]


__all__ = ["bundle_name", "created", "json_schema", "package_descriptor", "readme",
           "resource_descriptor", "slug"]
