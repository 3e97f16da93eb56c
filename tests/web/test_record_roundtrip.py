"""The conference record leaves and enters the application intact: the export,
counted by ``tinnhiem tally --json``, gives exactly the stored result, and an
import either becomes a conference ready to confirm or writes nothing."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.builders import build_counting_conference, enter_both, make_agency, make_round
from tinnhiem.accounts.models import User
from tinnhiem.campaigns.models import Agency, Official, VoteRound
from tinnhiem.cli.main import main as tinnhiem
from tinnhiem.common.audit import verify_chain
from tinnhiem.common.errors import ServiceError
from tinnhiem.common.models import AuditEntry
from tinnhiem.conferences.models import Candidacy, CommitteeRole, Conference, Status, Voter
from tinnhiem.conferences.services import committee_member_add
from tinnhiem.counting.models import BallotEntry, ConfirmedResult
from tinnhiem.counting.services import record_import, results_confirm
from tinnhiem.record import loads_record, parse_record

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "hoa-binh-thads-2023.json"

# Ballots exercising every toggle of the paper: a blank line (0), several boxes
# (9), not issued by the committee, crossed-out and added names, other writing,
# a signature.
POLL_BALLOTS: list[str | tuple[str, dict[str, Any]]] = [
    "1111",
    "1213",
    "3332",
    "0123",
    "9111",
    ("1111", {"issued": False}),
    ("1221", {"crossed_out": ["2"]}),
    ("2222", {"added_names": 2}),
    ("1131", {"other_writing": True}),
    ("2211", {"signed": True}),
]
BINDING_BALLOTS: list[str | tuple[str, dict[str, Any]]] = [
    "12",
    "21",
    "11",
    "22",
    "90",
    ("11", {"issued": False}),
    ("12", {"crossed_out": ["1"]}),
    ("21", {"signed": True}),
]


def tally_json(path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    """``tinnhiem tally PATH --json`` run in-process, its output decoded."""
    capsys.readouterr()
    code = tinnhiem(["tally", str(path), "--json", *args])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    return json.loads(out)


def _export(client: Client, conference: Conference, tmp_path: Path) -> Path:
    response = client.get(reverse("counting:export", args=[conference.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    path = tmp_path / f"{conference.record_id}.json"
    path.write_bytes(response.content)
    return path


def _seat_head(organiser: User, conference: Conference, head: User) -> None:
    voter = Voter.objects.create(conference=conference, full_name="Tổ trưởng kiểm phiếu", order=99)
    committee_member_add(
        acting_user=organiser,
        conference=conference,
        voter=voter,
        role=CommitteeRole.HEAD,
        user=head,
    )


@pytest.mark.parametrize(
    ("kind", "ballots", "candidates"), [("poll", POLL_BALLOTS, 4), ("binding", BINDING_BALLOTS, 2)]
)
def test_the_exported_record_tallies_to_exactly_the_stored_result(
    organiser: User,
    head_user: User,
    clerk1: User,
    clerk2: User,
    agency: Agency,
    client_for: Callable[[User | None], Client],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    ballots: list[str | tuple[str, dict[str, Any]]],
    candidates: int,
) -> None:
    conference = build_counting_conference(
        organiser=organiser,
        head=head_user,
        clerk1=clerk1,
        clerk2=clerk2,
        agency=agency,
        candidates=candidates,
        summoned=12,
        present=10,
        kind=kind,
    )
    enter_both(conference, clerk1, clerk2, ballots)
    confirmed = results_confirm(acting_user=head_user, conference=conference)

    path = _export(client_for(head_user), conference, tmp_path)
    assert json.loads(path.read_text(encoding="utf-8")) == confirmed.record
    assert tally_json(path, capsys) == confirmed.result
    assert confirmed.result["ballots"]["collected"] == len(ballots)


def test_an_amended_result_is_what_its_export_tallies_to(
    confirmed: ConfirmedResult,
    entered_conference: Conference,
    head_user: User,
    client_for: Callable[[User | None], Client],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tinnhiem.counting.services import result_amend

    amended = result_amend(
        acting_user=head_user,
        conference=entered_conference,
        number=3,
        payload={"digits": "333"},
        reason="Đọc lại phiếu gốc số 3",
    )
    path = _export(client_for(head_user), entered_conference, tmp_path)
    assert tally_json(path, capsys) == amended.result != confirmed.result


def test_the_tally_command_in_its_own_process_agrees_with_the_results_page(
    confirmed: ConfirmedResult,
    entered_conference: Conference,
    supervisor_user: User,
    client_for: Callable[[User | None], Client],
    tmp_path: Path,
) -> None:
    client = client_for(supervisor_user)
    path = _export(client, entered_conference, tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "tinnhiem.cli.main", "tally", str(path)],
        capture_output=True,
        check=True,
        timeout=60,
        env={"PYTHONUTF8": "1", "PATH": ""},
    )
    table = proc.stdout.decode("utf-8")
    page = client.get(reverse("counting:results", args=[entered_conference.pk])).content.decode()
    for row in confirmed.result["candidates"]:
        assert row["name"] in table
        assert row["name"] in page
        for pct in row["percent"].values():
            assert pct.replace(".", ",") in table
            assert pct.replace(".", ",") in page


def test_a_round_with_parameter_overrides_exports_a_record_that_tallies_the_same_with_them(
    organiser: User,
    head_user: User,
    clerk1: User,
    clerk2: User,
    client_for: Callable[[User | None], Client],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The record names only the profile: the round's overrides travel as --param."""
    vote_round = make_round(organiser, number="7-KH/TS", overrides={"percentage_base": "issued"})
    conference = build_counting_conference(
        organiser=organiser,
        head=head_user,
        clerk1=clerk1,
        clerk2=clerk2,
        agency=make_agency(organiser, vote_round),
        candidates=2,
        summoned=9,
        present=8,
    )
    enter_both(conference, clerk1, clerk2, ["11", "12", "13", "33"])
    confirmed = results_confirm(acting_user=head_user, conference=conference)
    assert confirmed.result["base"] == {"basis": "issued", "value": 8}
    path = _export(client_for(organiser), conference, tmp_path)
    assert tally_json(path, capsys, "--param", "percentage_base=issued") == confirmed.result


# --- import -------------------------------------------------------------------


def test_the_example_record_imports_into_a_conference_ready_for_confirmation(
    organiser: User,
    head_user: User,
    agency: Agency,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    client_for: Callable[[User | None], Client],
) -> None:
    record = loads_record(EXAMPLE.read_text(encoding="utf-8"))
    conference = record_import(acting_user=organiser, agency=agency, record=record)

    assert conference.status == Status.COUNTING
    assert conference.title == record.title
    assert [c.official.full_name for c in conference.candidacies.select_related("official")] == [
        c.name for c in record.conference.candidates
    ]
    assert BallotEntry.objects.filter(conference=conference, entry_pass=1).count() == 14
    assert BallotEntry.objects.filter(conference=conference, entry_pass=2).count() == 14
    assert AuditEntry.objects.filter(action="record.import", object_id=str(conference.pk)).exists()

    _seat_head(organiser, conference, head_user)
    confirmed = results_confirm(acting_user=head_user, conference=conference)
    assert confirmed.result == tally_json(EXAMPLE, capsys)
    exported = _export(client_for(head_user), conference, tmp_path)
    assert tally_json(exported, capsys) == confirmed.result


def test_importing_the_same_record_twice_reuses_the_officials_of_the_agency(
    organiser: User, agency: Agency
) -> None:
    record = loads_record(EXAMPLE.read_text(encoding="utf-8"))
    first = record_import(acting_user=organiser, agency=agency, record=record)
    second = record_import(acting_user=organiser, agency=agency, record=record)
    assert list(first.candidacies.values_list("official", flat=True)) == list(
        second.candidacies.values_list("official", flat=True)
    )
    assert Official.objects.filter(agency=agency).count() == 3


def test_two_persons_of_one_ballot_with_the_same_name_are_imported_as_two_officials(
    organiser: User, agency: Agency
) -> None:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["candidates"][2]["name"] = data["candidates"][1]["name"]
    conference = record_import(acting_user=organiser, agency=agency, record=parse_record(data))
    officials = list(conference.candidacies.values_list("official", flat=True))
    assert len(set(officials)) == 3


def _snapshot() -> tuple[int, ...]:
    return (
        Conference.objects.count(),
        Official.objects.count(),
        Candidacy.objects.count(),
        BallotEntry.objects.count(),
        AuditEntry.objects.count(),
    )


def _example(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    return data


def test_a_record_of_another_regulation_than_the_rounds_is_refused_and_writes_nothing(
    organiser: User, agency: Agency
) -> None:
    before = _snapshot()
    with pytest.raises(ServiceError) as e:
        record_import(
            acting_user=organiser,
            agency=agency,
            record=parse_record(_example(profile="nq96-2023")),
        )
    assert e.value.code == "profile_mismatch"
    assert "nq96-2023" in e.value.message
    assert "qd96-2023" in e.value.message
    assert _snapshot() == before


def test_a_record_without_a_date_is_refused_and_writes_nothing(
    organiser: User, agency: Agency
) -> None:
    before = _snapshot()
    with pytest.raises(ServiceError) as e:
        record_import(
            acting_user=organiser, agency=agency, record=parse_record(_example(date=None))
        )
    assert e.value.code == "missing_date"
    assert "$.date" in e.value.message
    assert _snapshot() == before


def test_a_record_the_profile_cannot_count_is_refused_after_its_rows_are_rolled_back(
    organiser: User,
) -> None:
    """nq85-2014 takes percentages of the total of members: without members_total
    the rules core refuses, after the import has written its rows; all roll back."""
    vote_round = make_round(organiser, number="85-NQ/HDND", profile_id="nq85-2014")
    agency = make_agency(organiser, vote_round, name="Hội đồng nhân dân tỉnh")
    before = _snapshot()
    with pytest.raises(ServiceError) as e:
        record_import(
            acting_user=organiser,
            agency=agency,
            record=parse_record(_example(profile="nq85-2014", members_total=None)),
        )
    assert e.value.code == "missing_base"
    assert "members_total" in e.value.message
    assert _snapshot() == before
    assert verify_chain() is None


def _upload(
    client: Client, vote_round: VoteRound, agency: Agency, content: bytes, name: str = "hs.json"
) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("campaigns:record_import", args=[vote_round.pk]),
        {"agency": agency.pk, "file": SimpleUploadedFile(name, content, "application/json")},
        follow=True,
    )


def test_uploading_the_example_record_opens_its_results_for_the_head(
    organiser: User,
    vote_round: VoteRound,
    agency: Agency,
    client_for: Callable[[User | None], Client],
) -> None:
    response = _upload(client_for(organiser), vote_round, agency, EXAMPLE.read_bytes())
    conference = Conference.objects.get(round=vote_round)
    assert response.redirect_chain[-1][0] == reverse("counting:results", args=[conference.pk])
    assert "Đã nhập hồ sơ" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"format": "tinnhiem.conference-record/1",', "JSON không hợp lệ ở dòng 1"),
        (b"\xff\xfe not utf-8", "không phải văn bản UTF-8"),
        (json.dumps(_example(format="other/1")).encode(), "$.format"),
        (json.dumps(_example(summoned=-1)).encode(), "$.summoned"),
        (json.dumps(_example(profile="nq96-2023")).encode(), "kế hoạch áp dụng qd96-2023"),
    ],
)
def test_uploading_a_bad_record_shows_a_clear_error_and_writes_nothing(
    organiser: User,
    vote_round: VoteRound,
    agency: Agency,
    client_for: Callable[[User | None], Client],
    content: bytes,
    expected: str,
) -> None:
    before = _snapshot()
    response = _upload(client_for(organiser), vote_round, agency, content)
    page = response.content.decode()
    assert response.status_code == 200
    assert expected in page
    assert "Traceback" not in page
    assert _snapshot() == before


def test_the_exported_record_is_the_example_record_when_nothing_was_changed(
    organiser: User, head_user: User, agency: Agency
) -> None:
    """Import then confirm: the frozen record tells the same story as the file
    (a several-boxes line is kept as void; which boxes is not recorded)."""
    original = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    conference = record_import(acting_user=organiser, agency=agency, record=parse_record(original))
    _seat_head(organiser, conference, head_user)
    frozen = results_confirm(acting_user=head_user, conference=conference).record
    expected = copy.deepcopy(original)
    expected.update(id=conference.record_id, unit=agency.name, block=agency.block.name)
    expected["ballots"][13]["marks"]["3"] = ["cao", "tin_nhiem", "thap"]
    assert frozen == expected
