"""The published JSON Schemas agree with the reader and with ``tinnhiem tally --json``.

``docs/conference-record.schema.json`` must accept what the reader accepts
and refuse what it refuses, except what JSON Schema cannot express
(candidate-id cross-references, unique ids, ``5.0`` as a count), which only
the reader refuses. ``docs/tally-result.schema.json`` must accept every
output of the tally, for each profile and kind, and nothing more.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from jsonschema import Draft202012Validator

from tests.record.test_parse import (
    EXAMPLE,
    MALFORMED,
    PROFILE_IDS,
    ROOT,
    Malformed,
    base_record,
    valid_records,
)
from tinnhiem.cli.main import main
from tinnhiem.record import RecordError, parse_record, record_to_json, tally_result_to_json
from tinnhiem.rules import PROFILES, Band, Basis, get_profile, tally
from tinnhiem.rules.errors import WarningCode

DOCS = ROOT / "docs"


def _validator(name: str) -> Draft202012Validator:
    schema = json.loads((DOCS / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    # Format assertion on: "date" must be a calendar date, not just digits.
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


RECORD_SCHEMA = _validator("conference-record.schema.json")
RESULT_SCHEMA = _validator("tally-result.schema.json")


def _record_errors(data: Any) -> list[str]:
    return [e.message for e in RECORD_SCHEMA.iter_errors(data)]


def _result_errors(data: Any) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in RESULT_SCHEMA.iter_errors(data)]


# ----------------------------------------------------------------- the schemas themselves


def test_both_schemas_declare_draft_2020_12() -> None:
    for schema in (RECORD_SCHEMA.schema, RESULT_SCHEMA.schema):
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def _objects(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


@pytest.mark.parametrize("schema", [RECORD_SCHEMA.schema, RESULT_SCHEMA.schema])
def test_every_object_in_the_schemas_forbids_additional_properties(
    schema: dict[str, Any],
) -> None:
    closed = [s for s in _objects(schema) if s.get("type") == "object"]
    assert closed
    for subschema in closed:
        assert "additionalProperties" in subschema, subschema.get("title")
        extra = subschema["additionalProperties"]
        assert extra is False or "type" in extra or "$ref" in extra


def test_the_record_schema_lists_exactly_the_known_profiles() -> None:
    assert RECORD_SCHEMA.schema["properties"]["profile"]["enum"] == list(PROFILES)
    assert RESULT_SCHEMA.schema["properties"]["profile"]["enum"] == list(PROFILES)
    assert list(PROFILES) == list(PROFILE_IDS)


def test_the_result_schema_lists_exactly_the_stable_warning_codes() -> None:
    warning = RESULT_SCHEMA.schema["properties"]["warnings"]["items"]
    assert warning["properties"]["code"]["enum"] == [code.value for code in WarningCode]


def test_the_result_schema_lists_exactly_the_bands_and_bases() -> None:
    candidate = RESULT_SCHEMA.schema["$defs"]["candidate"]
    assert candidate["properties"]["band"]["enum"] == [band.value for band in Band]
    basis = RESULT_SCHEMA.schema["properties"]["base"]["properties"]["basis"]
    assert basis["enum"] == [b.value for b in Basis]


# ----------------------------------------------------------------- conference records


def test_the_example_record_is_valid_under_the_schema() -> None:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert _record_errors(data) == []


def test_the_base_record_of_the_corpus_is_valid_under_the_schema() -> None:
    assert _record_errors(base_record()) == []


@settings(deadline=None)
@given(valid_records())
def test_any_generated_valid_record_is_valid_under_the_schema(data: dict[str, Any]) -> None:
    assert _record_errors(data) == []
    record = parse_record(data)
    assert _record_errors(record_to_json(record)) == []


SCHEMA_TELLS = [case for case in MALFORMED if case.schema_can_tell]
READER_ONLY = [case for case in MALFORMED if not case.schema_can_tell]


@pytest.mark.parametrize("case", SCHEMA_TELLS, ids=lambda c: c.name)
def test_a_malformed_record_is_refused_by_both_the_schema_and_the_reader(case: Malformed) -> None:
    data = case.record()
    assert _record_errors(data) != []
    with pytest.raises(RecordError):
        parse_record(data)


def test_the_reader_only_corpus_is_what_json_schema_cannot_express() -> None:
    assert sorted(case.name for case in READER_ONLY) == [
        "duplicate candidate id",
        "integral float count",
        "unknown id in crossed_out",
        "unknown id in marks",
        "unknown identifier-like id in marks",
    ]


@pytest.mark.parametrize("case", READER_ONLY, ids=lambda c: c.name)
def test_a_cross_reference_error_passes_the_schema_and_only_the_reader_refuses_it(
    case: Malformed,
) -> None:
    data = case.record()
    assert _record_errors(data) == []
    with pytest.raises(RecordError) as excinfo:
        parse_record(data)
    assert excinfo.value.path == case.path


def test_the_kind_decides_which_levels_the_schema_allows() -> None:
    poll = base_record()
    poll["ballots"] = [{"marks": {"1": ["khong_tin_nhiem"]}}]
    binding = copy.deepcopy(poll)
    binding["kind"] = "binding"
    no_kind = copy.deepcopy(poll)
    del no_kind["kind"]
    assert _record_errors(poll) != []
    assert _record_errors(no_kind) != []
    assert _record_errors(binding) == []
    binding["ballots"] = [{"marks": {"1": ["cao"]}}]
    assert _record_errors(binding) != []


def test_an_impossible_date_is_refused_only_with_format_assertion_on() -> None:
    data = {**base_record(), "date": "2023-02-30"}
    lenient = Draft202012Validator(RECORD_SCHEMA.schema)
    assert lenient.is_valid(data)
    assert not RECORD_SCHEMA.is_valid(data)


# ----------------------------------------------------------------- tally results


def _record_for(profile: str, kind: str) -> dict[str, Any]:
    """A record with every kind of ballot, valid under ``profile`` and ``kind``."""
    data = base_record()
    data["profile"] = profile
    data["kind"] = kind
    data["members_total"] = 7
    if kind == "poll":
        data["ballots"] = [
            {"marks": {"1": ["thap"], "2": ["cao"]}},
            {"marks": {"1": ["thap"], "2": ["tin_nhiem"]}},
            {"marks": {"1": ["thap"], "2": ["cao", "thap"]}, "signed": True},
            {"marks": {"1": ["cao"]}, "added_names": 1},
            {"marks": {"1": ["thap"], "2": ["thap"]}, "crossed_out": ["2"]},
            {"marks": {"1": ["tin_nhiem"]}, "issued": False},
        ]
    else:
        data["ballots"] = [
            {"marks": {"1": ["khong_tin_nhiem"], "2": ["tin_nhiem"]}},
            {"marks": {"1": ["khong_tin_nhiem"], "2": ["tin_nhiem"]}},
            {"marks": {"1": ["khong_tin_nhiem"], "2": []}, "other_writing": True},
            {"marks": {"1": ["tin_nhiem"], "2": ["tin_nhiem", "khong_tin_nhiem"]}},
        ]
    return data


def _tally_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: Any, *args: str
) -> dict[str, Any]:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["tally", str(path), "--json", *args]) == 0
    out = capsys.readouterr().out
    result: dict[str, Any] = json.loads(out)
    return result


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("kind", ["poll", "binding"])
@pytest.mark.parametrize("profile", PROFILE_IDS)
def test_every_tally_json_output_is_valid_under_the_result_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], profile: str, kind: str, lang: str
) -> None:
    result = _tally_json(tmp_path, capsys, _record_for(profile, kind), "--lang", lang)
    assert _result_errors(result) == []
    assert result["profile"] == profile
    assert result["kind"] == kind
    levels = ["cao", "tin_nhiem", "thap"] if kind == "poll" else ["tin_nhiem", "khong_tin_nhiem"]
    assert list(result["candidates"][0]["counts"]) == levels


def test_the_tally_of_the_example_is_valid_under_the_result_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    result = _tally_json(tmp_path, capsys, data)
    assert _result_errors(result) == []
    assert result["ballots"]["collected"] == 14


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        pytest.param(
            {"present": 2, "ballots_issued": 9, "members_total": 3},
            {"quorum_not_met", "summoned_exceeds_members", "issued_exceeds_present"},
            id="quorum and attendance",
        ),
        pytest.param(
            {"summoned": 1, "present": 2, "ballots_issued": 1, "members_total": 1},
            {
                "present_exceeds_summoned",
                "collected_exceeds_issued",
                "collected_exceeds_present",
                "votes_exceed_base",
            },
            id="more ballots than people",
        ),
        pytest.param({"ballots": [], "members_total": 0}, {"base_is_zero"}, id="empty ballot box"),
    ],
)
def test_a_tally_with_warnings_is_valid_under_the_result_schema(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    changes: dict[str, Any],
    codes: set[str],
) -> None:
    data = {**_record_for("nq85-2014", "poll"), **changes}
    result = _tally_json(tmp_path, capsys, data)
    assert _result_errors(result) == []
    assert codes <= {w["code"] for w in result["warnings"]}


def test_a_percentage_above_one_thousand_is_valid_under_the_result_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = base_record()
    data["ballots"] = [{"marks": {"1": ["thap"]}} for _ in range(11)]
    data["ballots_issued"] = 1
    result = _tally_json(tmp_path, capsys, data, "--param", "percentage_base=issued")
    assert result["candidates"][0]["percent"]["thap"] == "1100.00"
    assert _result_errors(result) == []


@settings(deadline=None)
@given(valid_records())
def test_the_tally_of_any_generated_record_is_valid_under_the_result_schema(
    data: dict[str, Any],
) -> None:
    record = parse_record(data)
    conference = record.conference
    if conference.members_total is None and record.profile_id == "nq85-2014":
        profile = get_profile(record.profile_id).with_overrides({"percentage_base": "collected"})
    else:
        profile = get_profile(record.profile_id)
    for lang in ("vi", "en"):
        output = tally_result_to_json(tally(conference, profile), lang)
        assert _result_errors(json.loads(json.dumps(output))) == []


def _valid_result(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    return _tally_json(tmp_path, capsys, _record_for("qd96-2023", "poll"))


def test_the_result_schema_refuses_an_extra_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _valid_result(tmp_path, capsys)
    result["candidates"][0]["rank"] = 1
    assert _result_errors(result) != []


def test_the_result_schema_refuses_a_percentage_with_a_comma(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _valid_result(tmp_path, capsys)
    result["candidates"][0]["percent"]["cao"] = "20,00"
    assert _result_errors(result) != []


def test_the_result_schema_refuses_binding_levels_in_a_poll(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _valid_result(tmp_path, capsys)
    result["candidates"][0]["counts"]["khong_tin_nhiem"] = 0
    assert _result_errors(result) != []
    result = _valid_result(tmp_path, capsys)
    result["candidates"][0]["band"] = "over_half_no_confidence"
    assert _result_errors(result) != []


def test_the_result_schema_refuses_an_unknown_warning_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _valid_result(tmp_path, capsys)
    result["warnings"].append({"code": "looks_odd", "message": "?"})
    assert _result_errors(result) != []
