"""Checks of the rows against each other: the same person twice, a person at
too many places, an agency in two blocks; and a few checks within a row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tinnhiem.spreadsheets.issues import Issue, error, warning
from tinnhiem.spreadsheets.preview import Column, Row, Value
from tinnhiem.spreadsheets.schema import Kind, Schema
from tinnhiem.spreadsheets.text import same_key
from tinnhiem.spreadsheets.values import format_date


@dataclass(frozen=True)
class _Where:
    columns: dict[tuple[str | None, str], str]


def row_ref_vi(row: Row, current: Row | None = None) -> str:
    """``dòng 7`` or ``dòng 7 (trang tính “Khối Đảng”)`` when on another sheet."""
    if row.sheet is not None and (current is None or current.sheet != row.sheet):
        return f"dòng {row.number} (trang tính “{row.sheet}”)"
    return f"dòng {row.number}"


def row_ref_en(row: Row, current: Row | None = None) -> str:
    if row.sheet is not None and (current is None or current.sheet != row.sheet):
        return f"row {row.number} (sheet “{row.sheet}”)"
    return f"row {row.number}"


def _err(code: str, vi: str, en: str, where: _Where, row: Row, key: str) -> Issue:
    return error(
        code,
        vi,
        en,
        sheet=row.sheet,
        row=row.number,
        column=where.columns.get((row.sheet, key)),
        field=key,
    )


def _warn(code: str, vi: str, en: str, where: _Where, row: Row, key: str) -> Issue:
    return warning(
        code,
        vi,
        en,
        sheet=row.sheet,
        row=row.number,
        column=where.columns.get((row.sheet, key)),
        field=key,
    )


def _str(value: Value) -> str:
    return value if isinstance(value, str) else ""


def _officials(
    schema: Schema,
    rows: Sequence[Row],
    where: _Where,
    present: set[str],
    max_places: int,
    today: date | None,
) -> list[Issue]:
    issues: list[Issue] = []
    has_birth = "birth_date" in present
    tell_apart_vi = tell_apart_en = ""
    if not has_birth:
        tell_apart_vi = " Nếu là những người khác nhau cùng họ tên, hãy thêm cột “Ngày sinh”."
        tell_apart_en = " If these are different people, add a “Ngày sinh” (birth date) column."
    # Same person: same name (and same birth date when given).
    people: dict[tuple[str, date | None], dict[str, Row]] = {}
    agency_block: dict[str, tuple[str, Row]] = {}
    for row in rows:
        name = _str(row.values.get("full_name"))
        agency = _str(row.values.get("agency"))
        block = _str(row.values.get("block"))
        if agency and block:
            first = agency_block.get(same_key(agency))
            if first is None:
                agency_block[same_key(agency)] = (block, row)
            elif same_key(first[0]) != same_key(block):
                issues.append(
                    _err(
                        "agency_two_blocks",
                        f"“{agency}” được ghi thuộc khối “{first[0]}” ở"
                        f" {row_ref_vi(first[1], row)} nhưng thuộc khối “{block}” ở dòng này.",
                        f"“{agency}” is in block “{first[0]}” on {row_ref_en(first[1], row)}"
                        f" but in block “{block}” on this row.",
                        where,
                        row,
                        "block",
                    )
                )
        if not name or not agency:
            continue
        birth = row.values.get("birth_date") if has_birth else None
        identity = (same_key(name), birth if isinstance(birth, date) else None)
        places = people.setdefault(identity, {})
        akey = same_key(agency)
        if akey in places:
            first_row = places[akey]
            issues.append(
                _err(
                    "duplicate_person",
                    f"Trùng người: “{name}” đã có ở {row_ref_vi(first_row, row)}, cùng cơ quan"
                    f" “{agency}”.{tell_apart_vi}",
                    f"Duplicate person: “{name}” is already on {row_ref_en(first_row, row)},"
                    f" same agency “{agency}”.{tell_apart_en}",
                    where,
                    row,
                    "full_name",
                )
            )
            continue
        if len(places) >= max_places:
            listed_vi = "; ".join(
                f"{row_ref_vi(r, row)}: {_str(r.values.get('agency'))}" for r in places.values()
            )
            listed_en = "; ".join(
                f"{row_ref_en(r, row)}: {_str(r.values.get('agency'))}" for r in places.values()
            )
            issues.append(
                _err(
                    "too_many_places",
                    f"“{name}” đã có ở {len(places)} nơi ({listed_vi}); mỗi người được lấy phiếu"
                    f" không quá {max_places} nơi.{tell_apart_vi}",
                    f"“{name}” is already listed at {len(places)} places ({listed_en}); a person"
                    f" is voted on at no more than {max_places} places.{tell_apart_en}",
                    where,
                    row,
                    "full_name",
                )
            )
            continue
        if places:
            first_row = next(iter(places.values()))
            issues.append(
                _warn(
                    "namesake",
                    f"Cùng họ tên với {row_ref_vi(first_row, row)}"
                    f" ({_str(first_row.values.get('agency'))}): nếu là cùng một người thì người"
                    f" này được lấy phiếu ở {len(places) + 1} nơi.{tell_apart_vi}",
                    f"Same name as {row_ref_en(first_row, row)}"
                    f" ({_str(first_row.values.get('agency'))}): if this is the same person,"
                    f" they are voted on at {len(places) + 1} places.{tell_apart_en}",
                    where,
                    row,
                    "full_name",
                )
            )
        places[akey] = row

    for row in rows:
        if row.values.get("medical_certificate") is True and not row.values.get(
            "illness_leave_since"
        ):
            issues.append(
                _warn(
                    "certificate_without_leave",
                    "Có xác nhận của cơ sở y tế nhưng không ghi ngày bắt đầu nghỉ điều trị bệnh.",
                    "A medical certificate is marked but no sick-leave start date is given.",
                    where,
                    row,
                    "medical_certificate",
                )
            )
        if today is None:
            continue
        for f in schema.fields:
            if f.kind is not Kind.DATE or f.key == "birth_date":
                continue
            value = row.values.get(f.key)
            if isinstance(value, date) and value > today:
                issues.append(
                    _warn(
                        "future_date",
                        f"{f.label_vi}: ngày {format_date(value)} ở sau hôm nay"
                        f" ({format_date(today)}).",
                        f"{f.label_en}: {format_date(value)} is after today"
                        f" ({format_date(today)}).",
                        where,
                        row,
                        f.key,
                    )
                )
    return issues


def _voters(rows: Sequence[Row], where: _Where) -> list[Issue]:
    issues: list[Issue] = []
    seen: dict[str, list[Row]] = {}
    for row in rows:
        name = _str(row.values.get("full_name"))
        if not name:
            continue
        position = _str(row.values.get("position"))
        limit = 250
        if len(position) > limit:
            issues.append(
                _err(
                    "too_long",
                    f"Chức vụ, đơn vị ghép lại dài {len(position)} ký tự; tối đa {limit} ký tự.",
                    f"Position and unit together are {len(position)} characters; at most {limit}.",
                    where,
                    row,
                    "position",
                )
            )
        earlier = seen.setdefault(same_key(name), [])
        same = next(
            (r for r in earlier if same_key(_str(r.values.get("position"))) == same_key(position)),
            None,
        )
        if same is not None:
            issues.append(
                _err(
                    "duplicate_person",
                    f"Trùng người: “{name}” đã có ở {row_ref_vi(same, row)} với cùng chức vụ.",
                    f"Duplicate person: “{name}” is already on {row_ref_en(same, row)} with the"
                    " same position.",
                    where,
                    row,
                    "full_name",
                )
            )
            continue
        if earlier:
            issues.append(
                _warn(
                    "namesake",
                    f"Cùng họ tên với {row_ref_vi(earlier[0], row)} nhưng khác chức vụ: kiểm tra"
                    " lại có phải hai người khác nhau.",
                    f"Same name as {row_ref_en(earlier[0], row)} with another position: check"
                    " that these are two people.",
                    where,
                    row,
                    "full_name",
                )
            )
        earlier.append(row)
    return issues


def _agencies(rows: Sequence[Row], where: _Where) -> list[Issue]:
    issues: list[Issue] = []
    seen: dict[str, Row] = {}
    for row in rows:
        agency = _str(row.values.get("agency"))
        if not agency:
            continue
        first = seen.get(same_key(agency))
        if first is None:
            seen[same_key(agency)] = row
            continue
        block, first_block = _str(row.values.get("block")), _str(first.values.get("block"))
        if same_key(block) == same_key(first_block):
            vi = f"“{agency}” đã có ở {row_ref_vi(first, row)}."
            en = f"“{agency}” is already on {row_ref_en(first, row)}."
        else:
            vi = (
                f"“{agency}” đã có ở {row_ref_vi(first, row)} thuộc khối “{first_block}”;"
                " mỗi cơ quan chỉ thuộc một khối."
            )
            en = (
                f"“{agency}” is already on {row_ref_en(first, row)} in block “{first_block}”;"
                " an agency belongs to one block."
            )
        issues.append(_err("duplicate_agency", vi, en, where, row, "agency"))
    return issues


def _join_unit(row: Row) -> Row:
    unit = _str(row.values.get("unit"))
    if not unit:
        return row
    position = _str(row.values.get("position"))
    values = dict(row.values)
    values["position"] = f"{position}, {unit}" if position else unit
    return Row(row.sheet, row.number, values, row.raw)


def check_rows(
    schema: Schema,
    rows: Sequence[Row],
    columns: Sequence[Column],
    *,
    max_places: int,
    today: date | None,
) -> tuple[list[Row], list[Issue]]:
    """The rows (voters: position and unit joined) and the problems between them."""
    where = _Where({(c.sheet, c.field): c.letter for c in columns})
    present = {c.field for c in columns}
    if schema.kind == "officials":
        return list(rows), _officials(schema, rows, where, present, max_places, today)
    if schema.kind == "voters":
        joined = [_join_unit(r) for r in rows]
        return joined, _voters(joined, where)
    if schema.kind == "agencies":
        return list(rows), _agencies(rows, where)
    return list(rows), []
