"""The strict reader of ``tinnhiem.conference-record/1``.

Every way a record can be wrong is refused with the exact JSON path of the
offending value. ``MALFORMED`` is the shared corpus of wrong records: the
schema tests check that the published JSON Schema refuses them too, and the
command-line tests that ``tinnhiem tally`` reports them in one line.
"""

from __future__ import annotations

import copy
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinnhiem.record import (
    FORMAT,
    ConferenceRecord,
    RecordError,
    loads_record,
    parse_record,
    record_to_json,
)
from tinnhiem.rules import Level, VoteKind

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "hoa-binh-thads-2023.json"
PROFILE_IDS = ("qd96-2023", "nq96-2023", "qd262-2014", "nq85-2014")
LEVELS = {"poll": ("cao", "tin_nhiem", "thap"), "binding": ("tin_nhiem", "khong_tin_nhiem")}


def base_record() -> dict[str, Any]:
    """A small valid poll record; every malformed case changes one thing in it."""
    return {
        "format": FORMAT,
        "profile": "qd96-2023",
        "kind": "poll",
        "id": "hn-so-xd-2024",
        "title": "Hội nghị lấy phiếu tín nhiệm Sở Xây dựng",
        "unit": "Sở Xây dựng",
        "block": "Khối các sở, ngành",
        "date": "2024-05-14",
        "members_total": 5,
        "summoned": 5,
        "present": 5,
        "ballots_issued": 5,
        "candidates": [
            {"id": "1", "name": "Đoàn Minh Khoa", "position": "Giám đốc"},
            {"id": "2", "name": "Hà Thị Ngọc Lan", "position": "Phó Giám đốc"},
        ],
        "ballots": [
            {"marks": {"1": ["cao"], "2": ["tin_nhiem"]}},
            {"marks": {"1": ["tin_nhiem"], "2": ["thap"]}},
            {"marks": {"1": ["thap"], "2": ["cao"]}},
        ],
    }


_DELETE = object()


@dataclass(frozen=True)
class Malformed:
    """One wrong record: ``changes`` applied to :func:`base_record`.

    ``changes`` holds ``(keys, value)`` pairs; ``keys`` walks into the record
    (``("ballots", 0, "marks", "7")``), ``()`` replaces the whole record, and
    the value ``_DELETE`` removes the key. ``path`` is the JSON path the
    reader must name. ``schema_can_tell`` is False for the cross-references
    and number forms a JSON Schema cannot express.
    """

    name: str
    changes: tuple[tuple[tuple[str | int, ...], Any], ...]
    path: str
    schema_can_tell: bool = True

    def record(self) -> Any:
        data: Any = base_record()
        for keys, value in self.changes:
            if not keys:
                data = copy.deepcopy(value)
                continue
            target = data
            for key in keys[:-1]:
                target = target[key]
            if value is _DELETE:
                del target[keys[-1]]
            else:
                target[keys[-1]] = copy.deepcopy(value)
        return data


def _case(name: str, keys: tuple[str | int, ...], value: Any, path: str) -> Malformed:
    return Malformed(name, ((keys, value),), path)


MALFORMED: tuple[Malformed, ...] = (
    # Shape: unknown and missing fields, wrong containers.
    _case("unknown field at top level", ("extra",), 1, "$.extra"),
    _case("unknown non-identifier field", ("số phiếu",), 1, '$["số phiếu"]'),
    _case("unknown field in a candidate", ("candidates", 1, "email"), "x", "$.candidates[1].email"),
    _case("unknown field in a ballot", ("ballots", 2, "note"), "x", "$.ballots[2].note"),
    _case("missing format", ("format",), _DELETE, "$"),
    _case("missing profile", ("profile",), _DELETE, "$"),
    _case("missing summoned", ("summoned",), _DELETE, "$"),
    _case("missing present", ("present",), _DELETE, "$"),
    _case("missing ballots issued", ("ballots_issued",), _DELETE, "$"),
    _case("missing candidates", ("candidates",), _DELETE, "$"),
    _case("missing ballots", ("ballots",), _DELETE, "$"),
    _case("missing candidate id", ("candidates", 0, "id"), _DELETE, "$.candidates[0]"),
    _case("missing candidate name", ("candidates", 1, "name"), _DELETE, "$.candidates[1]"),
    _case("record is not an object", (), [1, 2], "$"),
    _case("candidates is not an array", ("candidates",), {}, "$.candidates"),
    _case("ballots is not an array", ("ballots",), "none", "$.ballots"),
    _case("candidate is not an object", ("candidates", 0), "1", "$.candidates[0]"),
    _case("ballot is not an object", ("ballots", 1), [], "$.ballots[1]"),
    _case("marks is not an object", ("ballots", 0, "marks"), ["1"], "$.ballots[0].marks"),
    _case(
        "marks line is not an array", ("ballots", 0, "marks", "1"), "cao", '$.ballots[0].marks["1"]'
    ),
    _case(
        "crossed_out is not an array",
        ("ballots", 0, "crossed_out"),
        "1",
        "$.ballots[0].crossed_out",
    ),
    # Levels.
    _case("unknown level", ("ballots", 0, "marks", "1"), ["rat_cao"], '$.ballots[0].marks["1"][0]'),
    _case("level is not a string", ("ballots", 1, "marks", "2"), [3], '$.ballots[1].marks["2"][0]'),
    _case(
        "binding level in a poll",
        ("ballots", 2, "marks", "2"),
        ["khong_tin_nhiem"],
        '$.ballots[2].marks["2"][0]',
    ),
    _case("poll level in a binding vote", ("kind",), "binding", '$.ballots[0].marks["1"][0]'),
    _case(
        "repeated level",
        ("ballots", 0, "marks", "1"),
        ["cao", "thap", "cao"],
        '$.ballots[0].marks["1"][2]',
    ),
    # Crossed-out names.
    _case(
        "repeated crossed-out id",
        ("ballots", 1, "crossed_out"),
        ["1", "2", "1"],
        "$.ballots[1].crossed_out[2]",
    ),
    _case(
        "crossed-out id is not a string",
        ("ballots", 1, "crossed_out"),
        [1],
        "$.ballots[1].crossed_out[0]",
    ),
    # Counts.
    _case("negative present", ("present",), -1, "$.present"),
    _case("negative members total", ("members_total",), -5, "$.members_total"),
    _case("negative added names", ("ballots", 0, "added_names"), -1, "$.ballots[0].added_names"),
    _case("true given as a count", ("summoned",), True, "$.summoned"),
    _case(
        "false given as added names",
        ("ballots", 2, "added_names"),
        False,
        "$.ballots[2].added_names",
    ),
    _case("float count", ("ballots_issued",), 4.5, "$.ballots_issued"),
    _case("string count", ("summoned",), "5", "$.summoned"),
    _case("null count", ("members_total",), None, "$.members_total"),
    # Flags.
    _case("issued is not a boolean", ("ballots", 0, "issued"), "no", "$.ballots[0].issued"),
    _case("signed given as 1", ("ballots", 0, "signed"), 1, "$.ballots[0].signed"),
    _case(
        "other writing is null", ("ballots", 1, "other_writing"), None, "$.ballots[1].other_writing"
    ),
    # Identification.
    _case("wrong format string", ("format",), "tinnhiem.conference-record/2", "$.format"),
    _case("format is not a string", ("format",), 1, "$.format"),
    _case("unknown profile", ("profile",), "qd999-2030", "$.profile"),
    _case("profile is not a string", ("profile",), 96, "$.profile"),
    _case("bad kind", ("kind",), "referendum", "$.kind"),
    _case("kind is null", ("kind",), None, "$.kind"),
    _case("date in Vietnamese order", ("date",), "14/05/2024", "$.date"),
    _case("date without leading zeros", ("date",), "2024-5-14", "$.date"),
    _case("date that does not exist", ("date",), "2023-02-30", "$.date"),
    _case("date with a time", ("date",), "2024-05-14T08:00:00", "$.date"),
    _case("empty name", ("candidates", 0, "name"), "", "$.candidates[0].name"),
    _case("blank name", ("candidates", 1, "name"), "  \t", "$.candidates[1].name"),
    _case("empty candidate id", ("candidates", 0, "id"), "", "$.candidates[0].id"),
    _case("blank conference id", ("id",), " ", "$.id"),
    _case("title is not a string", ("title",), 2024, "$.title"),
    _case("position is null", ("candidates", 0, "position"), None, "$.candidates[0].position"),
    # What only the reader can check: cross-references and integral floats.
    Malformed(
        "unknown id in marks",
        ((("ballots", 0, "marks", "7"), ["cao"]),),
        '$.ballots[0].marks["7"]',
        schema_can_tell=False,
    ),
    Malformed(
        "unknown identifier-like id in marks",
        ((("ballots", 1, "marks", "lan"), ["tin_nhiem"]),),
        "$.ballots[1].marks.lan",
        schema_can_tell=False,
    ),
    Malformed(
        "unknown id in crossed_out",
        ((("ballots", 2, "crossed_out"), ["2", "9"]),),
        "$.ballots[2].crossed_out[1]",
        schema_can_tell=False,
    ),
    Malformed(
        "duplicate candidate id",
        ((("candidates", 1, "id"), "1"),),
        "$.candidates[1].id",
        schema_can_tell=False,
    ),
    Malformed(
        "integral float count",
        ((("summoned",), 5.0),),
        "$.summoned",
        schema_can_tell=False,
    ),
)


def _refusal(data: Any) -> RecordError:
    with pytest.raises(RecordError) as excinfo:
        parse_record(data)
    return excinfo.value


@pytest.mark.parametrize("case", MALFORMED, ids=lambda c: c.name)
def test_a_malformed_record_is_refused_at_the_exact_json_path(case: Malformed) -> None:
    error = _refusal(case.record())
    assert error.path == case.path
    assert error.message("vi").startswith(f"{case.path}: ")
    assert error.message("en").startswith(f"{case.path}: ")
    assert error.message_vi != error.message_en


def test_the_base_record_of_the_malformed_corpus_is_itself_valid() -> None:
    record = parse_record(base_record())
    assert record.kind is VoteKind.POLL
    assert len(record.conference.ballots) == 3


def test_an_unknown_field_error_lists_the_allowed_fields() -> None:
    error = _refusal({**base_record(), "extra": 1})
    assert "'extra'" in error.message_en
    assert "ballots_issued" in error.message_en


def test_a_missing_field_error_names_the_field() -> None:
    data = base_record()
    del data["ballots_issued"]
    error = _refusal(data)
    assert error.message_en == "missing required field 'ballots_issued'"
    assert error.message_vi == "thiếu trường bắt buộc 'ballots_issued'"


def test_a_negative_count_error_shows_the_value() -> None:
    error = _refusal({**base_record(), "present": -3})
    assert error.message_en == "must not be negative (-3)"


def test_a_boolean_count_is_named_as_a_boolean() -> None:
    error = _refusal({**base_record(), "summoned": True})
    assert error.message_en == "expected a non-negative integer, got boolean"


def test_an_unknown_level_error_lists_the_levels_of_the_kind() -> None:
    data = base_record()
    data["ballots"][0]["marks"]["1"] = ["khong_tin_nhiem"]
    error = _refusal(data)
    assert '"khong_tin_nhiem"' in error.message_en
    assert "for kind poll (valid: cao, tin_nhiem, thap)" in error.message_en


def test_a_duplicate_candidate_id_error_points_to_the_first_use() -> None:
    data = base_record()
    data["candidates"].append({"id": "2", "name": "Lưu Văn Thịnh"})
    error = _refusal(data)
    assert error.path == "$.candidates[2].id"
    assert "$.candidates[1]" in error.message_en


def test_a_duplicate_json_key_is_refused() -> None:
    text = json.dumps(base_record(), ensure_ascii=False)
    text = text.replace('"summoned": 5', '"summoned": 5, "summoned": 6')
    with pytest.raises(RecordError) as excinfo:
        loads_record(text)
    assert excinfo.value.path == "$"
    assert excinfo.value.message_en == "JSON key 'summoned' appears twice"


def test_a_duplicate_json_key_in_a_candidate_is_reported_at_that_candidate() -> None:
    text = json.dumps(base_record(), ensure_ascii=False)
    text = text.replace('"id": "1", ', '"id": "1", "id": "3", ', 1)
    with pytest.raises(RecordError) as excinfo:
        loads_record(text)
    assert "'id' appears twice" in excinfo.value.message_en
    assert excinfo.value.path == "$.candidates[0]"


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_a_non_finite_number_is_refused(constant: str) -> None:
    text = json.dumps(base_record()).replace('"summoned": 5', f'"summoned": {constant}')
    with pytest.raises(RecordError) as excinfo:
        loads_record(text)
    assert constant in excinfo.value.message_en
    assert excinfo.value.path == "$.summoned"


def test_a_nan_count_is_reported_at_its_json_path() -> None:
    text = json.dumps(base_record()).replace('"summoned": 5', '"summoned": NaN')
    with pytest.raises(RecordError) as excinfo:
        loads_record(text)
    assert excinfo.value.path == "$.summoned"


def test_invalid_json_is_reported_with_line_and_column() -> None:
    text = '{\n  "format": "tinnhiem.conference-record/1",\n  "profile": qd96\n}'
    with pytest.raises(RecordError) as excinfo:
        loads_record(text)
    error = excinfo.value
    assert error.path == ""
    assert "line 3, column 14" in error.message_en
    assert "dòng 3, cột 14" in error.message_vi


def test_empty_text_is_invalid_json_at_line_one_column_one() -> None:
    with pytest.raises(RecordError) as excinfo:
        loads_record("")
    assert "line 1, column 1" in excinfo.value.message_en


def test_a_lone_surrogate_in_a_name_is_refused_at_its_path() -> None:
    text = json.dumps(base_record()).replace('"name": "\\u0110o\\u00e0n', '"name": "\\ud800')
    assert "\\ud800" in text
    with pytest.raises(RecordError) as excinfo:
        loads_record(text)
    assert excinfo.value.path == "$.candidates[0].name"


def test_deeply_nested_json_is_refused_as_a_record_error() -> None:
    text = '{"format": ' + "[" * 100_000 + "]" * 100_000 + "}"
    with pytest.raises(RecordError):
        loads_record(text)


# ----------------------------------------------------------------- accepted input


def test_the_example_record_is_read_with_its_figures() -> None:
    record = loads_record(EXAMPLE.read_text(encoding="utf-8"))
    assert record.profile_id == "qd96-2023"
    assert record.kind is VoteKind.POLL
    assert record.conference.summoned == 14
    assert len(record.conference.ballots) == 14
    assert [c.id for c in record.conference.candidates] == ["1", "2", "3"]
    assert str(record.date) == "2023-06-27"


def test_kind_defaults_to_a_poll() -> None:
    data = base_record()
    del data["kind"]
    assert parse_record(data).kind is VoteKind.POLL


def test_optional_ballot_fields_take_their_documented_defaults() -> None:
    ballot = parse_record(base_record()).conference.ballots[0]
    assert ballot.issued is True
    assert ballot.crossed_out == frozenset()
    assert ballot.added_names == 0
    assert ballot.other_writing is False
    assert ballot.signed is False


def test_a_missing_position_reads_as_empty_text() -> None:
    data = base_record()
    del data["candidates"][0]["position"]
    assert parse_record(data).conference.candidates[0].position == ""


def test_marked_levels_are_kept_in_ballot_order_and_an_empty_line_is_unmarked() -> None:
    data = base_record()
    data["ballots"][0]["marks"] = {"1": ["thap", "cao"], "2": []}
    marks = parse_record(data).conference.ballots[0].marks
    assert marks == {"1": (Level.HIGH, Level.LOW)}


def test_a_binding_record_accepts_the_binding_levels() -> None:
    data = base_record()
    data["kind"] = "binding"
    data["ballots"] = [{"marks": {"1": ["khong_tin_nhiem"], "2": ["tin_nhiem"]}}]
    record = parse_record(data)
    assert record.kind is VoteKind.BINDING
    assert record.conference.ballots[0].marks["1"] == (Level.NO_CONFIDENCE,)


def test_an_identifier_like_candidate_id_is_shown_dotted_in_a_path() -> None:
    data = base_record()
    data["candidates"][0]["id"] = "khoa"
    data["ballots"] = [{"marks": {"khoa": ["cao", "cao"]}}]
    assert _refusal(data).path == "$.ballots[0].marks.khoa[1]"


def test_text_is_normalised_to_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Đoàn Minh Khoa")
    assert decomposed != "Đoàn Minh Khoa"
    data = base_record()
    data["candidates"][0]["name"] = decomposed
    data["title"] = unicodedata.normalize("NFD", "Hội nghị Sở Xây dựng")
    record = parse_record(data)
    assert record.conference.candidates[0].name == "Đoàn Minh Khoa"
    assert record.title == "Hội nghị Sở Xây dựng"
    assert unicodedata.is_normalized("NFC", record_to_json(record)["candidates"][0]["name"])


def test_a_record_written_in_nfd_throughout_is_accepted() -> None:
    cid = unicodedata.normalize("NFD", "khoa-đê")
    data = base_record()
    data["candidates"][0]["id"] = cid
    data["ballots"] = [{"marks": {cid: ["cao"]}}, {"crossed_out": [cid]}]
    record = parse_record(data)
    assert record.conference.ballots[0].marks == {"khoa-đê": (Level.HIGH,)}


# ----------------------------------------------------------------- round trip


def _round_trip(record: ConferenceRecord) -> ConferenceRecord:
    text = json.dumps(record_to_json(record), ensure_ascii=False)
    return loads_record(text)


def test_the_example_survives_a_round_trip() -> None:
    record = loads_record(EXAMPLE.read_text(encoding="utf-8"))
    assert parse_record(record_to_json(record)) == record
    assert _round_trip(record) == record


def test_a_record_with_every_field_survives_a_round_trip() -> None:
    data = base_record()
    data["kind"] = "binding"
    data["profile"] = "nq85-2014"
    data["candidates"][1]["position"] = ""
    data["ballots"] = [
        {"marks": {"1": ["khong_tin_nhiem"], "2": ["tin_nhiem", "khong_tin_nhiem"]}},
        {"marks": {}, "issued": False},
        {"marks": {"2": ["tin_nhiem"]}, "crossed_out": ["2", "1"], "added_names": 2},
        {"marks": {"1": ["tin_nhiem"]}, "other_writing": True, "signed": True},
    ]
    record = parse_record(data)
    again = parse_record(record_to_json(record))
    assert again == record
    assert again.conference.ballots[2].crossed_out == frozenset({"1", "2"})
    assert record_to_json(again) == record_to_json(record)


def test_the_written_record_lists_crossed_out_ids_in_ballot_order() -> None:
    data = base_record()
    data["ballots"] = [{"crossed_out": ["2", "1"]}]
    assert record_to_json(parse_record(data))["ballots"][0]["crossed_out"] == ["1", "2"]


# ----------------------------------------------------------------- generated records

_ID_ALPHABET = "abkxz019-_ăđêơ"
_NAMES = (
    "Đoàn Minh Khoa",
    "Hà Thị Ngọc Lan",
    "Lưu Văn Thịnh",
    "Tôn Nữ Bích Hạnh",
    "Kha Đức Việt",
)


@st.composite
def valid_records(draw: st.DrawFn) -> dict[str, Any]:
    """Decoded JSON values the reader must accept: every field, every kind."""
    kind = draw(st.sampled_from(["poll", "binding", None]))
    levels = LEVELS[kind or "poll"]
    ids = draw(
        st.lists(
            st.text(_ID_ALPHABET, min_size=1, max_size=4).filter(str.strip),
            max_size=4,
            unique=True,
        )
    )
    name = st.one_of(st.sampled_from(_NAMES), st.text(min_size=1, max_size=12).filter(str.strip))
    candidates = []
    for cid in ids:
        candidate: dict[str, Any] = {"id": cid, "name": draw(name)}
        if draw(st.booleans()):
            candidate["position"] = draw(st.text(max_size=10))
        candidates.append(candidate)
    count = st.integers(min_value=0, max_value=10**12)
    ballots = []
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        ballot: dict[str, Any] = {}
        if ids and draw(st.booleans()):
            chosen = draw(st.lists(st.sampled_from(ids), unique=True))
            ballot["marks"] = {
                cid: draw(st.lists(st.sampled_from(levels), unique=True)) for cid in chosen
            }
        if ids and draw(st.booleans()):
            ballot["crossed_out"] = draw(st.lists(st.sampled_from(ids), unique=True))
        if draw(st.booleans()):
            ballot["added_names"] = draw(st.integers(min_value=0, max_value=3))
        for flag in ("issued", "other_writing", "signed"):
            if draw(st.booleans()):
                ballot[flag] = draw(st.booleans())
        ballots.append(ballot)
    record: dict[str, Any] = {"format": FORMAT, "profile": draw(st.sampled_from(PROFILE_IDS))}
    if kind is not None:
        record["kind"] = kind
    optional = {
        "id": st.text(_ID_ALPHABET, min_size=1, max_size=8).filter(str.strip),
        "title": st.text(max_size=20),
        "unit": st.text(max_size=20),
        "block": st.text(max_size=20),
        "date": st.dates().map(lambda d: d.isoformat()),
        "members_total": count,
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            record[key] = draw(strategy)
    record["summoned"] = draw(count)
    record["present"] = draw(count)
    record["ballots_issued"] = draw(count)
    record["candidates"] = candidates
    record["ballots"] = ballots
    return record


@settings(deadline=None)
@given(valid_records())
def test_any_generated_valid_record_survives_a_round_trip(data: dict[str, Any]) -> None:
    record = parse_record(data)
    assert parse_record(record_to_json(record)) == record
    assert _round_trip(record) == record
    assert len(record.conference.ballots) == len(data["ballots"])
