"""The ``tinnhiem.conference-record/1`` format: strict reading and writing.

The format is documented in ``docs/conference-record.md`` and its JSON
Schema in ``docs/conference-record.schema.json``. Reading is strict: every
unknown field, unknown id, unknown level, duplicate, wrong type or negative
count is an error naming the JSON path of the offending value (``$.ballots[3]
.marks["7"]``), in Vietnamese and English. Text is normalised to Unicode NFC.

The reader is hand-written rather than driven by a JSON Schema validator:
it must name paths and reasons in Vietnamese, check cross-references
(candidate ids) that JSON Schema cannot, and start fast for the command line.
A test keeps it and the published schema in agreement.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from tinnhiem.rules import Ballot, Candidate, Conference, Level, VoteKind
from tinnhiem.rules.profiles import PROFILES

FORMAT = "tinnhiem.conference-record/1"

_TOP_FIELDS = {
    "format",
    "profile",
    "kind",
    "id",
    "title",
    "unit",
    "block",
    "date",
    "members_total",
    "summoned",
    "present",
    "ballots_issued",
    "candidates",
    "ballots",
}
_CANDIDATE_FIELDS = {"id", "name", "position"}
_BALLOT_FIELDS = {"marks", "issued", "crossed_out", "added_names", "other_writing", "signed"}
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class RecordError(ValueError):
    """A conference record that cannot be read, with the JSON path at fault."""

    def __init__(self, path: str, message_vi: str, message_en: str) -> None:
        super().__init__(f"{path}: {message_en}")
        self.path = path
        self.message_vi = message_vi
        self.message_en = message_en

    def message(self, lang: str = "vi") -> str:
        text = self.message_en if lang == "en" else self.message_vi
        return f"{self.path}: {text}" if self.path else text


@dataclass(frozen=True, slots=True)
class ConferenceRecord:
    """A parsed record: the profile, descriptive fields and the conference."""

    profile_id: str
    conference: Conference
    id: str | None = None
    title: str | None = None
    unit: str | None = None
    block: str | None = None
    date: date | None = None

    @property
    def kind(self) -> VoteKind:
        return self.conference.kind


def key_path(parent: str, key: str) -> str:
    """``$.marks`` + ``7`` → ``$.marks["7"]``; identifiers stay dotted."""
    if _IDENT.match(key):
        return f"{parent}.{key}"
    return f"{parent}[{json.dumps(key, ensure_ascii=False)}]"


class _NonFinite:
    """What NaN, Infinity and -Infinity decode to: never a valid value."""

    def __init__(self, text: str) -> None:
        self.text = text


class _DupDict(dict[str, Any]):
    """An object in which a key appeared twice (first value kept)."""

    duplicate_key: str = ""


def _type_name_vi(value: Any) -> str:
    if isinstance(value, _NonFinite):
        return f"{value.text} (không hợp lệ trong JSON)"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "số nguyên"
    if isinstance(value, float):
        return "số thực"
    if isinstance(value, str):
        return "chuỗi"
    if isinstance(value, list):
        return "mảng"
    return "đối tượng"


def _type_name_en(value: Any) -> str:
    if isinstance(value, _NonFinite):
        return f"{value.text} (not valid JSON)"
    if value is None:
        return "null"
    return {bool: "boolean", int: "integer", float: "number", str: "string", list: "array"}.get(
        type(value), "object"
    )


def _wrong_type(path: str, value: Any, want_vi: str, want_en: str) -> RecordError:
    return RecordError(
        path,
        f"cần {want_vi}, nhận được {_type_name_vi(value)}",
        f"expected {want_en}, got {_type_name_en(value)}",
    )


def _no_duplicates(path: str, value: dict[str, Any]) -> None:
    if isinstance(value, _DupDict):
        key = value.duplicate_key
        raise RecordError(
            path,
            f"khóa JSON '{key}' xuất hiện hai lần",
            f"JSON key '{key}' appears twice",
        )


def _object(path: str, value: Any, allowed: set[str]) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise _wrong_type(path, value, "một đối tượng JSON", "an object")
    _no_duplicates(path, value)
    for key in value:
        if key not in allowed:
            listed = ", ".join(sorted(allowed))
            raise RecordError(
                key_path(path, key),
                f"trường không được phép '{key}' (các trường hợp lệ: {listed})",
                f"unknown field '{key}' (allowed: {listed})",
            )
    return value


def _required(obj: Mapping[str, Any], path: str, key: str) -> Any:
    if key not in obj:
        raise RecordError(path, f"thiếu trường bắt buộc '{key}'", f"missing required field '{key}'")
    return obj[key]


def _count(path: str, value: Any) -> int:
    if isinstance(value, bool):
        raise _wrong_type(path, value, "một số nguyên không âm", "a non-negative integer")
    if not isinstance(value, int):
        raise _wrong_type(path, value, "một số nguyên không âm", "a non-negative integer")
    if value < 0:
        raise RecordError(path, f"không được âm (nhận {value})", f"must not be negative ({value})")
    return value


def _bool(path: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _wrong_type(path, value, "true hoặc false", "true or false")
    return value


def _text(path: str, value: Any, *, nonempty: bool = False) -> str:
    if not isinstance(value, str):
        raise _wrong_type(path, value, "một chuỗi", "a string")
    text = _valid_unicode(path, unicodedata.normalize("NFC", value))
    if nonempty and not text.strip():
        raise RecordError(path, "không được để trống", "must not be empty")
    return text


def _valid_unicode(path: str, text: str) -> str:
    """Refuse lone surrogates (``"\\ud800"``): they cannot be printed or stored."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise RecordError(
            path,
            f"chuỗi chứa ký tự Unicode không hợp lệ (vị trí {e.start})",
            f"the string holds an invalid Unicode character (position {e.start})",
        ) from None
    return text


def _optional(obj: Mapping[str, Any], path: str, key: str, read: Callable[[str, Any], Any]) -> Any:
    if key not in obj:
        return None
    return read(key_path(path, key), obj[key])


def _iso_date(path: str, value: Any) -> date:
    text = _text(path, value)
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise RecordError(
            path,
            f"ngày không hợp lệ '{text}', cần dạng YYYY-MM-DD",
            f"invalid date '{text}', expected YYYY-MM-DD",
        ) from None


def parse_record(data: Any) -> ConferenceRecord:
    """Read a decoded JSON value as a conference record, strictly."""
    root = _object("$", data, _TOP_FIELDS)
    fmt = _required(root, "$", "format")
    if fmt != FORMAT:
        raise RecordError(
            "$.format",
            f'định dạng không đúng {json.dumps(fmt, ensure_ascii=False)}, cần "{FORMAT}"',
            f'wrong format {json.dumps(fmt, ensure_ascii=False)}, expected "{FORMAT}"',
        )
    profile_id = _text("$.profile", _required(root, "$", "profile"))
    if profile_id not in PROFILES:
        listed = ", ".join(PROFILES)
        raise RecordError(
            "$.profile",
            f"quy định không xác định '{profile_id}' (hợp lệ: {listed})",
            f"unknown profile '{profile_id}' (valid: {listed})",
        )
    kind_raw = root.get("kind", VoteKind.POLL.value)
    try:
        kind = VoteKind(_text("$.kind", kind_raw))
    except ValueError:
        raise RecordError(
            "$.kind",
            f"hình thức không hợp lệ '{kind_raw}' (hợp lệ: poll, binding)",
            f"invalid kind '{kind_raw}' (valid: poll, binding)",
        ) from None

    candidates = _candidates(_required(root, "$", "candidates"))
    ids = {c.id for c in candidates}
    ballots = _ballots(_required(root, "$", "ballots"), ids, kind)

    conference = Conference(
        kind=kind,
        summoned=_count("$.summoned", _required(root, "$", "summoned")),
        present=_count("$.present", _required(root, "$", "present")),
        ballots_issued=_count("$.ballots_issued", _required(root, "$", "ballots_issued")),
        candidates=candidates,
        ballots=ballots,
        members_total=_optional(root, "$", "members_total", _count),
    )
    return ConferenceRecord(
        profile_id=profile_id,
        conference=conference,
        id=_optional(root, "$", "id", lambda p, v: _text(p, v, nonempty=True)),
        title=_optional(root, "$", "title", _text),
        unit=_optional(root, "$", "unit", _text),
        block=_optional(root, "$", "block", _text),
        date=_optional(root, "$", "date", _iso_date),
    )


def _candidates(value: Any) -> tuple[Candidate, ...]:
    if not isinstance(value, list):
        raise _wrong_type("$.candidates", value, "một mảng", "an array")
    seen: dict[str, int] = {}
    out: list[Candidate] = []
    for i, raw in enumerate(value):
        path = f"$.candidates[{i}]"
        obj = _object(path, raw, _CANDIDATE_FIELDS)
        cid = _text(f"{path}.id", _required(obj, path, "id"), nonempty=True)
        if cid in seen:
            raise RecordError(
                f"{path}.id",
                f"mã '{cid}' trùng với $.candidates[{seen[cid]}]",
                f"id '{cid}' repeats $.candidates[{seen[cid]}]",
            )
        seen[cid] = i
        name = _text(f"{path}.name", _required(obj, path, "name"), nonempty=True)
        position = _optional(obj, path, "position", _text) or ""
        out.append(Candidate(id=cid, name=name, position=position))
    return tuple(out)


def _ballots(value: Any, ids: set[str], kind: VoteKind) -> tuple[Ballot, ...]:
    if not isinstance(value, list):
        raise _wrong_type("$.ballots", value, "một mảng", "an array")
    levels = {lv.value: lv for lv in kind.levels}
    single_levels = {code: (lv,) for code, lv in levels.items()}
    order = {lv: i for i, lv in enumerate(kind.levels)}
    level_list = ", ".join(levels)
    out: list[Ballot] = []
    for i, raw in enumerate(value):
        path = f"$.ballots[{i}]"
        obj = _object(path, raw, _BALLOT_FIELDS)
        marks: dict[str, tuple[Level, ...]] = {}
        raw_marks = obj.get("marks", {})
        if not isinstance(raw_marks, dict):
            raise _wrong_type(f"{path}.marks", raw_marks, "một đối tượng JSON", "an object")
        _no_duplicates(f"{path}.marks", raw_marks)
        for raw_cid, raw_levels in raw_marks.items():
            # Fast path for the usual line: a known id (already NFC, since the
            # candidate ids are) with exactly one known level. Paths and
            # messages are built only when something is wrong.
            if (
                raw_cid in ids
                and raw_cid not in marks
                and type(raw_levels) is list
                and len(raw_levels) == 1
            ):
                single = single_levels.get(raw_levels[0]) if type(raw_levels[0]) is str else None
                if single is not None:
                    marks[raw_cid] = single
                    continue
            mpath = key_path(f"{path}.marks", raw_cid)
            cid = _valid_unicode(mpath, unicodedata.normalize("NFC", raw_cid))
            if cid in marks:
                raise RecordError(
                    mpath,
                    f"mã người '{cid}' lặp lại (cùng một mã ở dạng Unicode khác)",
                    f"candidate id '{cid}' is repeated (same id in another Unicode form)",
                )
            if cid not in ids:
                raise RecordError(
                    mpath,
                    f"mã người '{cid}' không có trong $.candidates",
                    f"candidate id '{cid}' is not in $.candidates",
                )
            if not isinstance(raw_levels, list):
                raise _wrong_type(mpath, raw_levels, "một mảng các mức", "an array of levels")
            chosen: list[Level] = []
            for j, lv_raw in enumerate(raw_levels):
                lpath = f"{mpath}[{j}]"
                if not isinstance(lv_raw, str) or lv_raw not in levels:
                    shown = json.dumps(lv_raw, ensure_ascii=False)
                    raise RecordError(
                        lpath,
                        f"mức không hợp lệ {shown} cho hình thức {kind.value} "
                        f"(hợp lệ: {level_list})",
                        f"invalid level {shown} for kind {kind.value} (valid: {level_list})",
                    )
                lv = levels[lv_raw]
                if lv in chosen:
                    raise RecordError(
                        lpath, f"mức '{lv_raw}' lặp lại", f"level '{lv_raw}' is repeated"
                    )
                chosen.append(lv)
            if chosen:
                marks[cid] = tuple(sorted(chosen, key=order.__getitem__))
        crossed: list[str] = []
        raw_crossed = obj.get("crossed_out", [])
        if not isinstance(raw_crossed, list):
            raise _wrong_type(f"{path}.crossed_out", raw_crossed, "một mảng mã", "an array of ids")
        for j, raw_id in enumerate(raw_crossed):
            cpath = f"{path}.crossed_out[{j}]"
            if not isinstance(raw_id, str):
                raise _wrong_type(cpath, raw_id, "một mã (chuỗi)", "an id (string)")
            cid = _valid_unicode(cpath, unicodedata.normalize("NFC", raw_id))
            if cid not in ids:
                raise RecordError(
                    cpath,
                    f"mã người '{cid}' không có trong $.candidates",
                    f"candidate id '{cid}' is not in $.candidates",
                )
            if cid in crossed:
                raise RecordError(cpath, f"mã '{cid}' lặp lại", f"id '{cid}' is repeated")
            crossed.append(cid)
        out.append(
            Ballot(
                marks=marks,
                issued=_bool(f"{path}.issued", obj.get("issued", True)),
                crossed_out=frozenset(crossed),
                added_names=_count(f"{path}.added_names", obj.get("added_names", 0)),
                other_writing=_bool(f"{path}.other_writing", obj.get("other_writing", False)),
                signed=_bool(f"{path}.signed", obj.get("signed", False)),
            )
        )
    return tuple(out)


def _mark_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Build an object; remember a repeated key so the reader can name its path."""
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            dup = _DupDict(obj)
            for k, v in pairs:
                dup.setdefault(k, v)
            dup.duplicate_key = key
            return dup
        obj[key] = value
    return obj


_JSON_MESSAGES_VI = {
    "Expecting value": "thiếu giá trị",
    "Expecting ',' delimiter": "thiếu dấu phẩy",
    "Expecting ':' delimiter": "thiếu dấu hai chấm",
    "Expecting property name enclosed in double quotes": "tên trường phải nằm trong dấu nháy kép",
    "Unterminated string starting at": "chuỗi chưa có dấu nháy đóng",
    "Extra data": "thừa dữ liệu sau đối tượng JSON",
    "Invalid control character at": "ký tự điều khiển không hợp lệ",
    "Invalid \\escape": "ký tự thoát không hợp lệ",
    "Invalid \\uXXXX escape": "mã \\uXXXX không hợp lệ",
}


def loads_record(text: str) -> ConferenceRecord:
    """Decode JSON text strictly (no duplicate keys, no NaN) and parse it."""
    try:
        data = json.loads(text, object_pairs_hook=_mark_duplicate_keys, parse_constant=_NonFinite)
    except json.JSONDecodeError as e:
        msg_vi = _JSON_MESSAGES_VI.get(e.msg, e.msg)
        raise RecordError(
            "",
            f"JSON không hợp lệ ở dòng {e.lineno}, cột {e.colno}: {msg_vi}",
            f"invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}",
        ) from None
    except RecursionError:
        raise RecordError("", "JSON lồng nhau quá sâu", "JSON nested too deeply") from None
    return parse_record(data)


def record_to_json(record: ConferenceRecord) -> dict[str, Any]:
    """The record as a JSON-ready dict, in the documented field order."""
    conf = record.conference
    out: dict[str, Any] = {"format": FORMAT, "profile": record.profile_id, "kind": conf.kind.value}
    for key in ("id", "title", "unit", "block"):
        value = getattr(record, key)
        if value is not None:
            out[key] = value
    if record.date is not None:
        out["date"] = record.date.isoformat()
    if conf.members_total is not None:
        out["members_total"] = conf.members_total
    out["summoned"] = conf.summoned
    out["present"] = conf.present
    out["ballots_issued"] = conf.ballots_issued
    out["candidates"] = [
        {"id": c.id, "name": c.name, "position": c.position} for c in conf.candidates
    ]
    ballots: list[dict[str, Any]] = []
    for b in conf.ballots:
        item: dict[str, Any] = {
            "marks": {cid: [lv.value for lv in m] for cid, m in b.marks.items()}
        }
        if not b.issued:
            item["issued"] = False
        if b.crossed_out:
            item["crossed_out"] = [c.id for c in conf.candidates if c.id in b.crossed_out]
        if b.added_names:
            item["added_names"] = b.added_names
        if b.other_writing:
            item["other_writing"] = True
        if b.signed:
            item["signed"] = True
        ballots.append(item)
    out["ballots"] = ballots
    return out
